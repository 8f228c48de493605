"""Who may see and do what with a program's items: the one rule every page, service and API
call uses (the shape of `tracking/access.py`).

Seeing (`items_visible_to`): office specialists, leaders, inspectors and administrators see
every item; anyone else the items their agency leads, coordinates or was invited to comment
on; nobody an item classified above their clearance.

Doing (`item_actions(user, item, today)`): allowed when *who* and *when* allow it.
- Who (`_who`): the lead agency's focal points and heads draft the content, open and close
  comment rounds and send the proposal to appraisal; an invited agency's focal points and heads
  answer while their invitation waits; the office (specialists, administrators) closes rounds,
  appraises and submits, and names the responsible leader and the working session; leaders
  decide (approve, return or defer) for the body; inspectors only read. The lead agency also
  hands on versions with their files and keeps the comment-handling table.
- When (`WHEN`), by the step the item has reached: content and rounds only while drafting or
  revising; answers and closing while a round is open; appraisal only after a closed round;
  appraisal only once every comment received is handled (accepted, partly or
  not, in the comment-handling table); submission only after a passed appraisal (or a deferral); a decision only on a submitted item;
  a new version while drafting, revising, appraised or deferred; comment handling after a
  closed round while revising; an approved
  or withdrawn item can only be read. Steps cannot be skipped. Rescheduling (postpone,
  stretch, withdraw) is requested by the lead agency or the office, one request at a time, and
  decided by the authority configured for the body (`reschedule_authority`); so is moving a
  full-term item to another year of the term, until it is carried into a yearly program
  (then it is rescheduled there). An addition
  (bổ sung) is requested for a program by the office or by the future lead agency
  (`may_request_addition`); until that authority approves it the item accepts nothing else.
"""

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dondoc.accounts import rules
from dondoc.accounts.models import RoleCode, User
from dondoc.agencies.models import Agency
from dondoc.core.access import ActionRefused
from dondoc.programs.error_codes import ProgramErrorCode as Code
from dondoc.programs.models import (
    Body,
    CommentRound,
    Invitation,
    ItemState,
    ProgramFile,
    ProgramItem,
    ProgramKind,
    RescheduleDecision,
    RescheduleRequest,
)


class ItemAction(enum.StrEnum):
    VIEW = "view"
    EDIT_CONTENT = "edit_content"
    OPEN_ROUND = "open_round"
    ANSWER = "answer"
    CLOSE_ROUND = "close_round"
    SEND_TO_APPRAISAL = "send_to_appraisal"
    APPRAISE = "appraise"
    SUBMIT = "submit"
    DECIDE = "decide"
    REQUEST_RESCHEDULE = "request_reschedule"  # postpone, stretch or withdraw, with a reason
    REQUEST_YEAR_MOVE = "request_year_move"  # a full-term item to another year of the term
    DECIDE_RESCHEDULE = "decide_reschedule"
    SUBMIT_VERSION = "submit_version"  # a revised version, explaining what changed
    ATTACH_FILE = "attach_file"  # a draft document or explanation report of the latest version
    HANDLE_COMMENT = "handle_comment"  # the comment-handling table: accepted, partly, not
    DEFER = "defer"  # the body defers a submitted item to a later month (hoãn, chưa xem xét)
    EDIT_LINKS = "edit_links"  # the responsible leader, the tracking working session


LEAD_ACTIONS = frozenset(
    {
        ItemAction.EDIT_CONTENT,
        ItemAction.OPEN_ROUND,
        ItemAction.CLOSE_ROUND,
        ItemAction.SEND_TO_APPRAISAL,
        ItemAction.REQUEST_RESCHEDULE,
        ItemAction.REQUEST_YEAR_MOVE,
        ItemAction.SUBMIT_VERSION,
        ItemAction.ATTACH_FILE,
        ItemAction.HANDLE_COMMENT,
    }
)
OFFICE_ACTIONS = frozenset(
    {
        ItemAction.CLOSE_ROUND,
        ItemAction.APPRAISE,
        ItemAction.SUBMIT,
        ItemAction.REQUEST_RESCHEDULE,
        ItemAction.REQUEST_YEAR_MOVE,
        ItemAction.EDIT_LINKS,
    }
)
LEADER_ACTIONS = frozenset({ItemAction.DECIDE, ItemAction.DEFER})

REFUSALS: Mapping[Code, Promise] = {
    Code.NOT_ALLOWED: _("Bạn không có quyền thực hiện thao tác này với đề án này."),
    Code.ITEM_DECIDED: _("Đề án đã được thông qua: không nhận thêm thao tác nào."),
    Code.NOT_BEING_DRAFTED: _(
        "Đề án không ở giai đoạn soạn thảo hoặc tiếp thu, chỉnh lý: chưa thể sửa nội dung "
        "hay lấy ý kiến."
    ),
    Code.ROUND_NOT_OPEN: _("Đề án không có đợt lấy ý kiến nào đang mở."),
    Code.COMMENT_ROUND_REQUIRED: _(
        "Đề án chưa qua đợt lấy ý kiến nào: phải lấy ý kiến các cơ quan trước khi gửi thẩm định."
    ),
    Code.COMMENTS_UNHANDLED: _(
        "Còn ý kiến của các cơ quan chưa được tiếp thu, giải trình: phải ghi cách xử lý từng ý "
        "kiến trước khi gửi thẩm định."
    ),
    Code.NOT_IN_APPRAISAL: _("Đề án không ở giai đoạn thẩm định."),
    Code.NOT_APPRAISED: _("Đề án chưa được thẩm định đạt: chưa thể trình."),
    Code.EDITED_MEANWHILE: _(
        "Đề án vừa được người khác sửa sau khi bạn mở trang: chưa lưu gì. Hãy tải lại trang, "
        "xem bản mới rồi sửa tiếp."
    ),
    Code.NOT_SUBMITTED: _("Đề án chưa được trình: chưa thể quyết định."),
    Code.ITEM_WITHDRAWN: _("Nội dung đã được rút khỏi chương trình: không nhận thêm thao tác nào."),
    Code.RESCHEDULE_PENDING: _("Đã có một đề nghị điều chỉnh thời gian đang chờ quyết định."),
    Code.NO_PENDING_RESCHEDULE: _("Không có đề nghị điều chỉnh thời gian nào chờ quyết định."),
    Code.ADDITION_PENDING: _(
        "Nội dung đang chờ quyết định bổ sung vào chương trình: chưa nhận thao tác nào khác."
    ),
    Code.NOT_ADDED: _("Đề nghị bổ sung nội dung này đã không được đồng ý."),
    Code.TERM_PLAN: _(
        "Nội dung của chương trình toàn khóa được thực hiện qua chương trình công tác năm: "
        "hãy thao tác trên nội dung tương ứng của chương trình năm."
    ),
    Code.NOT_TERM_ITEM: _(
        "Chỉ nội dung của chương trình toàn khóa mới chuyển sang năm khác; nội dung của "
        "chương trình năm thì đề nghị lùi, giãn hoặc rút."
    ),
    Code.ITEM_CARRIED: _(
        "Nội dung đã được đưa vào chương trình công tác năm: hãy đề nghị lùi, giãn hoặc rút "
        "trên nội dung tương ứng của chương trình năm đó."
    ),
}


class ItemActionRefused(ActionRefused):
    """`user` may not do `action` on `item`: `code` says why. By role (`by_role`) a 403; by
    the item's state a 409."""

    def __init__(
        self, action: ItemAction, code: Code, item: ProgramItem, facts: "ItemFacts | None" = None
    ) -> None:
        self.action, self.item = action, item
        super().__init__(code, refusal_message(code, facts))


def refusal_message(code: Code, facts: "ItemFacts | None" = None) -> str:
    """The refusal's Vietnamese message; with the item's facts, the unhandled comments counted."""
    if code == Code.COMMENTS_UNHANDLED and facts is not None and facts.unhandled_comments:
        n = facts.unhandled_comments
        return ngettext(
            "Còn %(count)d ý kiến của các cơ quan chưa được tiếp thu, giải trình: phải ghi cách "
            "xử lý từng ý kiến trước khi gửi thẩm định.",
            "Còn %(count)d ý kiến của các cơ quan chưa được tiếp thu, giải trình: phải ghi cách "
            "xử lý từng ý kiến trước khi gửi thẩm định.",
            n,
        ) % {"count": n}
    return str(REFUSALS[code])


def items_visible_to(user: User) -> QuerySet[ProgramItem]:
    items = ProgramItem.objects.filter(classification__lte=user.clearance)
    if user.sees_all_agencies:
        return items
    if not user.agency_id:
        return items.none()
    return items.filter(agency_scope(user.agency_id))


def agency_scope(agency_id: int) -> Q:
    """Items an agency leads, coordinates or was invited to comment on: one id list."""
    led = ProgramItem.objects.filter(lead_agency_id=agency_id).order_by().values("pk")
    through = ProgramItem.coordinating_agencies.through.objects.filter(agency_id=agency_id)
    coordinated = through.order_by().values("programitem_id")
    invited = Invitation.objects.filter(agency_id=agency_id).order_by().values("round__item_id")
    return Q(pk__in=led.union(coordinated, invited, all=True))


# Who ----------------------------------------------------------------------------------------

DEFAULT_AUTHORITY = {body: RoleCode.LEADER for body in Body}


def reschedule_authority(body: str) -> RoleCode:
    """The role that decides a body's rescheduling and addition requests: the setting
    `PROGRAMS_RESCHEDULE_AUTHORITY` ("bbt=office,bct=leader"; environment variable of the
    same name), else the leaders."""
    configured = dict(DEFAULT_AUTHORITY)
    for pair in filter(
        None, str(getattr(settings, "PROGRAMS_RESCHEDULE_AUTHORITY", "")).split(",")
    ):
        key, _sep, role = (part.strip() for part in pair.partition("="))
        if key not in Body.values or role not in RoleCode.values:
            raise ImproperlyConfigured(f"PROGRAMS_RESCHEDULE_AUTHORITY: {pair!r}")
        configured[Body(key)] = RoleCode(role)
    return configured[Body(body)]


def may_request_addition(user: User, lead_agency: Agency) -> bool:
    """The office for any agency, or a focal point or head for an item their agency will lead."""
    if rules.office(user):
        return True
    return rules.agency_worker(user) and user.agency_id == lead_agency.pk


def _relation(agency_id: int, item: ProgramItem) -> tuple[bool, bool, bool]:
    """(leads, invited with an answer owed now, related otherwise) for an agency."""
    if item.lead_agency_id == agency_id:
        return True, False, True
    owed = Invitation.objects.filter(
        round__item=item, round__closed_on__isnull=True, agency_id=agency_id, answered_on=None
    ).exists()
    if owed:
        return False, True, True
    related = (
        item.coordinating_agencies.filter(pk=agency_id).exists()
        or Invitation.objects.filter(round__item=item, agency_id=agency_id).exists()
    )
    return False, False, related


def _who(user: User, item: ProgramItem) -> frozenset[ItemAction]:
    """What `user`'s roles and agency allow on `item`, whatever its state; nothing if they
    cannot see it."""
    if item.classification > user.clearance:
        return frozenset()
    actions: set[ItemAction] = set()
    if user.sees_all_agencies:
        actions.add(ItemAction.VIEW)
    if rules.office(user):
        actions |= OFFICE_ACTIONS
    if user.has_role(RoleCode.LEADER):
        actions |= LEADER_ACTIONS
    if user.has_role(reschedule_authority(item.program.body)):
        actions.add(ItemAction.DECIDE_RESCHEDULE)
    worker = rules.agency_worker(user)
    if not user.agency_id or not (worker or ItemAction.VIEW not in actions):
        return frozenset(actions)
    leads, owes_answer, related = _relation(user.agency_id, item)
    if related:
        actions.add(ItemAction.VIEW)
    if worker and leads:
        actions |= LEAD_ACTIONS
    if worker and owes_answer:
        actions.add(ItemAction.ANSWER)
    return frozenset(actions)


# When ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ItemFacts:
    """What of an item decides which actions it accepts now."""

    state: ItemState
    had_round: bool  # a comment round has been held and closed
    pending_reschedule: bool
    term_plan: bool = False  # an item of a full-term program: carried out in a yearly one
    carried: bool = False  # a full-term item already carried into a yearly program
    unhandled_comments: int = 0  # comments received (answered invitations) not yet handled


def item_facts(item: ProgramItem) -> ItemFacts:
    """The item's facts, read in one query."""
    unhandled = (
        Invitation.objects.filter(
            round__item=OuterRef("pk"), answered_on__isnull=False, handling__isnull=True
        )
        .order_by()
        .values("round__item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    had_round, pending, carried, unhandled_comments = (
        ProgramItem.objects.filter(pk=item.pk)
        .values_list(
            Exists(CommentRound.objects.filter(item=OuterRef("pk"), closed_on__isnull=False)),
            Exists(
                RescheduleRequest.objects.filter(
                    item=OuterRef("pk"), decision=RescheduleDecision.PENDING
                )
            ),
            Exists(ProgramItem.objects.filter(term_item=OuterRef("pk"))),
            Subquery(unhandled),
        )
        .get()
    )
    return ItemFacts(
        ItemState(item.state),
        had_round=had_round,
        pending_reschedule=pending,
        term_plan=item.program.kind == ProgramKind.TERM,
        carried=carried,
        unhandled_comments=unhandled_comments or 0,
    )


Condition = Callable[[ItemFacts], Code | None]
DRAFTING_STEPS = frozenset({ItemState.DRAFTING, ItemState.REVISING, ItemState.RETURNED})


CLOSED = {
    ItemState.APPROVED: Code.ITEM_DECIDED,
    ItemState.WITHDRAWN: Code.ITEM_WITHDRAWN,
    ItemState.NOT_ADDED: Code.NOT_ADDED,
}


def _open(s: ItemFacts) -> Code | None:
    """In the program and not closed: an item proposed for addition accepts nothing yet; a
    full-term program's item goes along the path only as carried into a yearly program."""
    return _in_program(s) or (Code.TERM_PLAN if s.term_plan else None)


def _in_program(s: ItemFacts) -> Code | None:
    """In the program (its addition approved) and not closed."""
    return Code.ADDITION_PENDING if s.state == ItemState.PROPOSED else CLOSED.get(s.state)


def _open_or_proposed(s: ItemFacts) -> Code | None:
    return CLOSED.get(s.state)


def _term_not_carried(s: ItemFacts) -> Code | None:
    """A full-term item not yet carried into a yearly program (moved there once carried)."""
    if not s.term_plan:
        return Code.NOT_TERM_ITEM
    return Code.ITEM_CARRIED if s.carried else None


def _no_pending_reschedule(s: ItemFacts) -> Code | None:
    return Code.RESCHEDULE_PENDING if s.pending_reschedule else None


def _pending_reschedule(s: ItemFacts) -> Code | None:
    return None if s.pending_reschedule else Code.NO_PENDING_RESCHEDULE


def _drafting(s: ItemFacts) -> Code | None:
    return None if s.state in DRAFTING_STEPS else Code.NOT_BEING_DRAFTED


def _commenting(s: ItemFacts) -> Code | None:
    return None if s.state == ItemState.COMMENTING else Code.ROUND_NOT_OPEN


# A new version (and its files) while drafting or revising, and after appraisal or a
# deferral: the changes after appraisal are what the submission reports.
VERSIONING_STEPS = DRAFTING_STEPS | {ItemState.APPRAISED, ItemState.DEFERRED}


def _versioning(s: ItemFacts) -> Code | None:
    return None if s.state in VERSIONING_STEPS else Code.NOT_BEING_DRAFTED


def _submittable(s: ItemFacts) -> Code | None:
    """Appraised, or deferred by the body (submitted again in its new month)."""
    return None if s.state in {ItemState.APPRAISED, ItemState.DEFERRED} else Code.NOT_APPRAISED


def _had_round(s: ItemFacts) -> Code | None:
    return None if s.had_round else Code.COMMENT_ROUND_REQUIRED


def _comments_handled(s: ItemFacts) -> Code | None:
    """Every comment received is accepted, partly accepted or explained in the table."""
    return Code.COMMENTS_UNHANDLED if s.unhandled_comments else None


def _in(state: ItemState, code: Code) -> Condition:
    def condition(s: ItemFacts) -> Code | None:
        return None if s.state == state else code

    return condition


# For each action, what the item's state must be, checked in this order.
WHEN: Mapping[ItemAction, tuple[Condition, ...]] = {
    ItemAction.VIEW: (),
    ItemAction.EDIT_CONTENT: (_open, _drafting),
    ItemAction.OPEN_ROUND: (_open, _drafting),
    ItemAction.ANSWER: (_open, _commenting),
    ItemAction.CLOSE_ROUND: (_open, _commenting),
    ItemAction.SEND_TO_APPRAISAL: (_open, _drafting, _had_round, _comments_handled),
    ItemAction.APPRAISE: (_open, _in(ItemState.APPRAISAL, Code.NOT_IN_APPRAISAL)),
    ItemAction.SUBMIT: (_open, _submittable),
    ItemAction.DECIDE: (_open, _in(ItemState.SUBMITTED, Code.NOT_SUBMITTED)),
    ItemAction.DEFER: (_open, _in(ItemState.SUBMITTED, Code.NOT_SUBMITTED)),
    ItemAction.SUBMIT_VERSION: (_open, _versioning),
    ItemAction.ATTACH_FILE: (_open, _versioning),
    ItemAction.HANDLE_COMMENT: (_open, _drafting, _had_round),
    ItemAction.EDIT_LINKS: (_open_or_proposed,),
    ItemAction.REQUEST_RESCHEDULE: (_open, _no_pending_reschedule),
    ItemAction.REQUEST_YEAR_MOVE: (_in_program, _term_not_carried, _no_pending_reschedule),
    ItemAction.DECIDE_RESCHEDULE: (_open_or_proposed, _pending_reschedule),
}


def _refusal_by_state(action: ItemAction, state: ItemFacts) -> Code | None:
    return next(filter(None, (condition(state) for condition in WHEN[action])), None)


# Both ---------------------------------------------------------------------------------------


def item_actions(user: User, item: ProgramItem, today: dt.date) -> frozenset[ItemAction]:
    """Everything `user` may do with `item` on `today`; the page draws exactly these forms and
    the API lists them as `permissions`."""
    who = _who(user, item)
    if who <= {ItemAction.VIEW}:
        return who
    state = item_facts(item)
    return frozenset(action for action in who if _refusal_by_state(action, state) is None)


def _refusal(
    user: User, item: ProgramItem, action: ItemAction
) -> tuple[Code | None, ItemFacts | None]:
    if action not in _who(user, item):
        return Code.NOT_ALLOWED, None
    if not WHEN[action]:
        return None, None
    facts = item_facts(item)
    return _refusal_by_state(action, facts), facts


def item_action_refusal(
    user: User, item: ProgramItem, action: ItemAction, today: dt.date
) -> Code | None:
    """Why `user` may not do `action` with `item` on `today`, or None if they may."""
    return _refusal(user, item, action)[0]


# Refusals the page shows as a disabled form with the reason, to whoever the role allows: the
# user can lift them on the same page (the comment-handling table).
SHOWN_DISABLED = frozenset({Code.COMMENTS_UNHANDLED})


def item_actions_blocked(user: User, item: ProgramItem, today: dt.date) -> dict[ItemAction, str]:
    """The actions `user` could do with `item` but for a refusal in `SHOWN_DISABLED`, with the
    refusal's message: the page draws their forms disabled, saying why."""
    code, facts = _refusal(user, item, ItemAction.SEND_TO_APPRAISAL)
    if code not in SHOWN_DISABLED:
        return {}
    assert code is not None
    return {ItemAction.SEND_TO_APPRAISAL: refusal_message(code, facts)}


def check_item_action(
    user: User, item: ProgramItem, action: ItemAction, today: dt.date | None = None
) -> None:
    """Raises `ItemActionRefused` with the reason if `action` is not allowed now."""
    code, facts = _refusal(user, item, action)
    if code is not None:
        raise ItemActionRefused(action, code, item, facts)


def item_access(user: User, pk: int, action: ItemAction = ItemAction.VIEW) -> ProgramItem:
    """The item if `user` may see it and do `action` now; 404 if invisible."""
    try:
        item = (
            items_visible_to(user)
            .select_related("program", "lead_agency", "working_session")
            .get(pk=pk)
        )
    except (ProgramItem.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    if action != ItemAction.VIEW:
        check_item_action(user, item, action)
    return item


def program_file_access(user: User, pk: int) -> ProgramFile:
    """A proposal's file if `user` may see its proposal; 404 otherwise, as for no file."""
    kept = ProgramFile.objects.filter(pk=pk).first()
    if kept is None:
        raise Http404
    item_access(user, kept.item_id)
    return kept
