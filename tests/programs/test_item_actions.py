"""One rule for what may happen to a program item (`programs.access.item_actions`), and every
door agrees with it.

The walk: every role (office, administrator, leader, inspector; focal point and head of the
lead agency, a coordinating agency's focal point, an invited agency's focal point, an unrelated
agency's focal point), by every `ItemState`, by every `ItemAction`. The expected set is written
here independently of the rule, in users' words; for each combination the rule, the item page's
forms, the API's `permissions` and the services agree with it. The walk iterates the enums: a new
action or state this file does not know fails it.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from dondoc.accounts.models import User
from dondoc.agencies.models import Agency
from dondoc.programs import services
from dondoc.programs.access import (
    ItemAction,
    ItemActionRefused,
    item_action_refusal,
    item_actions,
)
from dondoc.programs.error_codes import ProgramErrorCode as Code
from dondoc.programs.models import (
    CommentHandling,
    CommentRound,
    FileKind,
    HandlingOutcome,
    Invitation,
    ItemState,
    ProgramItem,
    RescheduleKind,
    RescheduleRequest,
)
from tests.agencies.conftest import signed_in
from tests.api.conftest import ApiClient
from tests.conftest import make_user
from tests.programs.conftest import CONTENT, TODAY, pdf_upload

pytestmark = pytest.mark.django_db
A = ItemAction
DAY = dt.timedelta(days=1)

ROLES: dict[str, Callable[[Any], User]] = {
    "office": lambda r: r.getfixturevalue("office_user"),
    "admin": lambda r: r.getfixturevalue("admin_user"),
    "leader": lambda r: r.getfixturevalue("leader"),
    "inspector": lambda r: r.getfixturevalue("inspector"),
    "lead_focal": lambda r: r.getfixturevalue("lead_focal"),
    "lead_head": lambda r: make_user("truong.btctw", r.getfixturevalue("lead_agency"), "head"),
    "coord_focal": lambda r: make_user("daumoi.btgd", r.getfixturevalue("coord_agency"), "focal"),
    "invited_focal": lambda r: r.getfixturevalue("invited_focal"),
    "stranger_focal": lambda r: r.getfixturevalue("other_focal"),
}

# Who may do what, whatever the step (the invited agency answers only while its answer is owed).
# A year move is asked for a full-term item only: on this yearly item every step refuses it.
LEAD = {
    A.VIEW, A.EDIT_CONTENT, A.OPEN_ROUND, A.CLOSE_ROUND, A.SEND_TO_APPRAISAL,
    A.SUBMIT_VERSION, A.ATTACH_FILE, A.HANDLE_COMMENT,
}  # fmt: skip
RESCHEDULE = {A.REQUEST_RESCHEDULE, A.REQUEST_YEAR_MOVE}
BY_ROLE: dict[str, set[ItemAction]] = {
    "office": {A.VIEW, A.CLOSE_ROUND, A.APPRAISE, A.SUBMIT, A.EDIT_LINKS} | RESCHEDULE,
    "admin": {A.VIEW, A.CLOSE_ROUND, A.APPRAISE, A.SUBMIT, A.EDIT_LINKS} | RESCHEDULE,
    "leader": {A.VIEW, A.DECIDE, A.DEFER, A.DECIDE_RESCHEDULE},
    "inspector": {A.VIEW},
    "lead_focal": LEAD | RESCHEDULE,
    "lead_head": LEAD | RESCHEDULE,
    "coord_focal": {A.VIEW},
    "invited_focal": {A.VIEW, A.ANSWER},
    "stranger_focal": set(),
}

# What each step accepts (besides reading): steps cannot be skipped.
# A new version and its files while drafting, revising, appraised (a change after appraisal)
# or deferred; the comment-handling table once a round has closed.
VERSIONING = {A.SUBMIT_VERSION, A.ATTACH_FILE}
REVISABLE = {A.EDIT_CONTENT, A.OPEN_ROUND, A.SEND_TO_APPRAISAL, A.HANDLE_COMMENT} | VERSIONING
BY_STATE: dict[ItemState, set[ItemAction]] = {
    # appraisal (and comment handling) need a comment round first
    ItemState.DRAFTING: {A.EDIT_CONTENT, A.OPEN_ROUND} | VERSIONING,
    ItemState.COMMENTING: {A.ANSWER, A.CLOSE_ROUND},
    ItemState.REVISING: REVISABLE,
    ItemState.APPRAISAL: {A.APPRAISE},
    ItemState.APPRAISED: {A.SUBMIT} | VERSIONING,
    ItemState.SUBMITTED: {A.DECIDE, A.DEFER},
    ItemState.DEFERRED: {A.SUBMIT} | VERSIONING,  # submitted again in its new month
    ItemState.APPROVED: set(),
    ItemState.RETURNED: REVISABLE,
    ItemState.WITHDRAWN: set(),
    ItemState.PROPOSED: set(),  # waiting for its addition to be decided: only that
    ItemState.NOT_ADDED: set(),
}
CLOSED = {ItemState.APPROVED, ItemState.WITHDRAWN, ItemState.NOT_ADDED}
PENDING = ("no_request", "request_pending")
# Every comment received handled, in every step; and, where appraisal could be asked for, one
# comment not yet handled: then the item cannot go to appraisal.
COMMENTS = [(state, "handled") for state in ItemState] + [
    (ItemState.REVISING, "unhandled"),
    (ItemState.RETURNED, "unhandled"),
]


def who(role: str, state: ItemState) -> set[ItemAction]:
    allowed = set(BY_ROLE[role])
    if role == "invited_focal" and state == ItemState.DRAFTING:
        return set()  # not invited yet: the item is not theirs to see
    if role == "invited_focal" and state != ItemState.COMMENTING:
        allowed.discard(A.ANSWER)  # no answer owed: their round is over
    return allowed


def by_state(state: ItemState, pending: bool, handled: bool = True) -> set[ItemAction]:
    """What the step accepts, and rescheduling: one request at a time on an open item."""
    if not handled:
        return by_state(state, pending) - {A.SEND_TO_APPRAISAL}
    if state in CLOSED:
        return set()
    if state == ItemState.PROPOSED:  # the office may already name its leader and session
        return {A.EDIT_LINKS} | ({A.DECIDE_RESCHEDULE} if pending else set())
    return BY_STATE[state] | {
        A.EDIT_LINKS,
        A.DECIDE_RESCHEDULE if pending else A.REQUEST_RESCHEDULE,
    }


def expected(role: str, state: ItemState, pending: bool, handled: bool) -> set[ItemAction]:
    allowed = by_state(state, pending, handled)
    return {a for a in who(role, state) if a == A.VIEW or a in allowed}


def situation(
    item: ProgramItem,
    state: ItemState,
    invited: Agency,
    opener: User,
    pending: bool,
    handled: bool = True,
) -> ProgramItem:
    """The item at `state`: a first round (inviting `invited`) held for every step after
    drafting, open and unanswered while commenting; once closed, its comment handled unless
    `handled` is false."""
    ProgramItem.objects.filter(pk=item.pk).update(state=state, planned_month=10, **CONTENT)
    if state != ItemState.DRAFTING:
        open_ = state == ItemState.COMMENTING
        round_ = CommentRound.objects.create(
            item=item, number=1, opened_on=TODAY - 10 * DAY, deadline=TODAY + (3 if open_ else -3) * DAY,
            closed_on=None if open_ else TODAY - 2 * DAY, opened_by=opener,
        )  # fmt: skip
        answered = {} if open_ else {"answered_on": TODAY - 4 * DAY, "opinion": "Nhất trí"}
        invitation = Invitation.objects.create(round=round_, agency=invited, **answered)
        if not open_ and handled:
            CommentHandling.objects.create(
                invitation=invitation, outcome=HandlingOutcome.ACCEPTED, recorded_by=opener,
                recorded_on=TODAY - DAY,
            )  # fmt: skip
    if pending:
        RescheduleRequest.objects.create(
            item=item, kind=RescheduleKind.POSTPONE, from_month=10, to_month=12,
            reason="Chờ tổng kết", requested_by=opener, requested_on=TODAY - DAY,
        )  # fmt: skip
    item.refresh_from_db()
    return item


def run_service(action: ItemAction, user: User, item: ProgramItem, invited: Agency) -> None:
    calls: dict[ItemAction, Callable[[], object]] = {
        A.EDIT_CONTENT: lambda: services.item_edit_content(user, item, problem="Sửa lại vấn đề"),
        A.OPEN_ROUND: lambda: services.round_open(
            user, item, agencies=[invited], deadline=TODAY + 30 * DAY
        ),
        A.ANSWER: lambda: services.invitation_answer(user, item, opinion="Nhất trí với dự thảo"),
        A.CLOSE_ROUND: lambda: services.round_close(user, item),
        A.SEND_TO_APPRAISAL: lambda: services.item_send_to_appraisal(user, item),
        A.APPRAISE: lambda: services.appraisal_record(
            user, item, passed=True, content_ok=True, procedure_ok=True, authority_ok=True
        ),
        A.SUBMIT: lambda: services.item_submit(user, item),
        A.DECIDE: lambda: services.item_decide(user, item, approve=True),
        A.REQUEST_RESCHEDULE: lambda: services.reschedule_request(
            user, item, kind=RescheduleKind.WITHDRAW, reason="Không còn phù hợp"
        ),
        A.REQUEST_YEAR_MOVE: lambda: services.year_move_request(
            user, item, to_year=2027, reason="Chờ tổng kết"
        ),
        A.DECIDE_RESCHEDULE: lambda: services.reschedule_decide(
            user, item, approve=False, reason="Giữ nguyên thời gian"
        ),
        A.SUBMIT_VERSION: lambda: services.version_submit(
            user, item, changes_note="Tiếp thu ý kiến", revision=None, roadmap="Lộ trình mới"
        ),
        A.ATTACH_FILE: lambda: services.file_attach(
            user, item, kind=FileKind.DRAFT, file=pdf_upload("du-thao.pdf")
        ),
        A.HANDLE_COMMENT: lambda: services.comment_handle(
            user,
            item,
            invitation_id=Invitation.objects.filter(round__item=item)
            .values_list("pk", flat=True)
            .first()
            or 0,
            outcome=HandlingOutcome.ACCEPTED,
            revision=CommentHandling.objects.filter(invitation__round__item=item)
            .values_list("revision", flat=True)
            .first()
            or 0,
        ),
        A.DEFER: lambda: services.item_defer(user, item, reason="Chưa đủ thời gian", to_month=12),
        A.EDIT_LINKS: lambda: services.item_links_set(
            user, item, responsible_leader="Đồng chí Thường trực", working_session_id=None
        ),
    }
    calls[action]()


def fresh(request, state: ItemState, pending: bool, handled: bool = True) -> ProgramItem:
    item = request.getfixturevalue("item")
    CommentRound.objects.all().delete()
    RescheduleRequest.objects.all().delete()
    return situation(
        item,
        state,
        request.getfixturevalue("invited_agency"),
        request.getfixturevalue("office_user"),
        pending,
        handled,
    )


@pytest.mark.parametrize("waiting", PENDING)
@pytest.mark.parametrize(("state", "comments"), COMMENTS)
def test_every_role_state_and_action_agrees_with_the_rule(
    request, fixed_day, state, comments, waiting
):
    pending, handled = waiting == "request_pending", comments == "handled"
    users = {role: make(request) for role, make in ROLES.items()}
    invited = request.getfixturevalue("invited_agency")
    item = fresh(request, state, pending, handled)
    for role, user in users.items():
        want = expected(role, state, pending, handled)
        assert item_actions(user, item, TODAY) == want, (role, state)

        # The page: 404 if invisible, else a form for exactly the allowed actions.
        page = signed_in(user).get(reverse("programs:item_detail", args=[item.pk]))
        assert page.status_code == (200 if A.VIEW in want else 404), (role, state)
        body = page.content.decode()
        for action in ItemAction:
            if action != A.VIEW:
                shown = f'id="action-{action.value}"' in body
                assert shown == (action in want), (role, state, action)
        # Appraisal held back by an unhandled comment: its form shown disabled, with the count.
        held_back = A.SEND_TO_APPRAISAL in who(role, state) and A.SEND_TO_APPRAISAL in (
            by_state(state, pending) - by_state(state, pending, handled)
        )
        assert ('id="blocked-send_to_appraisal"' in body) == held_back, (role, state)
        if held_back:
            assert "Còn 1 ý kiến của các cơ quan chưa được tiếp thu, giải trình" in body

        # The API: the same set as permissions.
        from dondoc.api.services import token_create

        _token, secret = token_create(user, name="walk")
        answer = ApiClient(secret).get(f"programs/items/{item.pk}")
        if A.VIEW in want:
            assert sorted(answer.json()["permissions"]) == sorted(a.value for a in want)
        else:
            assert answer.status_code == 404

        # The services: refused with the rule's reason, or done.
        for action in ItemAction:
            if action == A.VIEW:
                continue
            code = item_action_refusal(user, item, action, TODAY)
            assert (code is None) == (action in want), (role, state, action, code)
            if code is None:
                run_service(action, user, item, invited)
                item = fresh(request, state, pending, handled)
                continue
            with pytest.raises(ItemActionRefused) as refused:
                run_service(action, user, item, invited)
            assert refused.value.code == code
            if code == Code.COMMENTS_UNHANDLED:
                assert str(refused.value).startswith("Còn 1 ý kiến"), (role, state)
            who_refuses = action not in who(role, state)
            assert (code == Code.NOT_ALLOWED) == who_refuses, (role, state, action)


def test_the_walk_knows_every_state_and_action():
    assert set(BY_STATE) == set(ItemState)
    assert set().union(*BY_ROLE.values()) == set(ItemAction)
