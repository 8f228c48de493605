"""Who may see and do what with a draft under consultation: the one rule every page, export,
service and API call uses.

Seeing: every signed-in user sees every draft (drafts are put up to be commented on); the
public sees a draft only through a round open to the public (`public_round`).

Doing (`draft_actions(user, draft, today)`), who and when:
- the office (office specialists and administrators) manages the draft (sections, rounds),
  runs the synthesis, answers themes and exports the report; answering needs themes;
- leaders and inspectors read the synthesis and export the report;
- focal points and heads of an agency submit their agency's comments while a round is open;
- only administrators read commenters' identities (Decree 13/2023), each read audited, and
  erase them once no round is open (a daily job erases them after the retention anyway).
"""

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Mapping

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dondoc.accounts import rules
from dondoc.accounts.models import RoleCode, User
from dondoc.consultation.error_codes import ConsultationErrorCode as Code
from dondoc.consultation.models import ConsultationRound, Draft, Theme
from dondoc.core.access import ActionRefused


class DraftAction(enum.StrEnum):
    VIEW = "view"
    MANAGE = "manage"  # sections, rounds, run the synthesis
    COMMENT = "comment"  # an agency's submission
    SYNTHESIS = "synthesis"  # read the themes, counts and responses
    RESPOND = "respond"  # tiếp thu, giải trình
    EXPORT = "export"
    READ_IDENTITIES = "read_identities"
    ERASE_IDENTITIES = "erase_identities"  # once no round is open (Decree 13/2023)


OFFICE_ACTIONS = frozenset(
    {DraftAction.MANAGE, DraftAction.SYNTHESIS, DraftAction.RESPOND, DraftAction.EXPORT}
)
READER_ACTIONS = frozenset({DraftAction.SYNTHESIS, DraftAction.EXPORT})
AGENCY_ACTIONS = frozenset({DraftAction.COMMENT})

REFUSALS: Mapping[Code, Promise] = {
    Code.NOT_ALLOWED: _("Bạn không có quyền thực hiện thao tác này với dự thảo này."),
    Code.NOT_OPEN: _("Dự thảo hiện không trong thời gian lấy ý kiến."),
    Code.NOT_PUBLIC: _("Đợt lấy ý kiến này không lấy ý kiến nhân dân trên mạng."),
    Code.NOT_SYNTHESIZED: _("Chưa tổng hợp ý kiến: chưa có chủ đề nào để tiếp thu, giải trình."),
    Code.STILL_OPEN: _("Đợt lấy ý kiến chưa kết thúc: chưa thể xóa thông tin người góp ý."),
    Code.NO_RUN: _("Không có lượt tổng hợp nào đang chạy để hủy."),
    Code.RUN_NOT_STUCK: _("Lượt tổng hợp vẫn đang tiến triển; chỉ chạy tiếp được lượt đã dừng."),
}


class DraftActionRefused(ActionRefused):
    def __init__(self, action: DraftAction, code: Code, draft: Draft) -> None:
        self.action, self.draft = action, draft
        super().__init__(code, str(REFUSALS[code]))


def drafts_visible_to(user: User) -> QuerySet[Draft]:
    return Draft.objects.all() if rules.signed_in(user) else Draft.objects.none()


def open_round(draft: Draft, today: dt.date) -> ConsultationRound | None:
    return (
        draft.rounds.filter(opens_on__lte=today, closes_on__gte=today).order_by("-opens_on").first()
    )


def public_round(draft_id: int, today: dt.date) -> ConsultationRound:
    """The round open to the public today for this draft, or 404: the public page's rule."""
    found = (
        ConsultationRound.objects.select_related("draft")
        .filter(draft_id=draft_id, public=True, opens_on__lte=today, closes_on__gte=today)
        .order_by("-opens_on")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _who(user: User, draft: Draft) -> frozenset[DraftAction]:
    if not rules.signed_in(user):
        return frozenset()
    actions = {DraftAction.VIEW}
    if rules.office(user):
        actions |= OFFICE_ACTIONS
    if user.has_role(RoleCode.LEADER, RoleCode.INSPECTOR):
        actions |= READER_ACTIONS
    if rules.agency_worker(user):
        actions |= AGENCY_ACTIONS
    if user.has_role(RoleCode.ADMIN):
        actions |= {DraftAction.READ_IDENTITIES, DraftAction.ERASE_IDENTITIES}
    return frozenset(actions)


@dataclasses.dataclass(frozen=True)
class DraftState:
    open: bool
    synthesized: bool


def draft_state(draft: Draft, today: dt.date) -> DraftState:
    return DraftState(
        open=open_round(draft, today) is not None,
        synthesized=Theme.objects.filter(draft=draft).exists(),
    )


Condition = Callable[[DraftState], Code | None]


def _open(state: DraftState) -> Code | None:
    return None if state.open else Code.NOT_OPEN


def _closed(state: DraftState) -> Code | None:
    return Code.STILL_OPEN if state.open else None


def _synthesized(state: DraftState) -> Code | None:
    return None if state.synthesized else Code.NOT_SYNTHESIZED


WHEN: Mapping[DraftAction, tuple[Condition, ...]] = {
    DraftAction.VIEW: (),
    DraftAction.MANAGE: (),
    DraftAction.COMMENT: (_open,),
    DraftAction.SYNTHESIS: (),
    DraftAction.RESPOND: (_synthesized,),
    DraftAction.EXPORT: (),
    DraftAction.READ_IDENTITIES: (),
    DraftAction.ERASE_IDENTITIES: (_closed,),
}


def _refusal_by_state(action: DraftAction, state: DraftState) -> Code | None:
    return next(filter(None, (condition(state) for condition in WHEN[action])), None)


def draft_actions(user: User, draft: Draft, today: dt.date) -> frozenset[DraftAction]:
    who = _who(user, draft)
    if not any(WHEN[action] for action in who):
        return who
    state = draft_state(draft, today)
    return frozenset(action for action in who if _refusal_by_state(action, state) is None)


def draft_action_refusal(
    user: User, draft: Draft, action: DraftAction, today: dt.date
) -> Code | None:
    if action not in _who(user, draft):
        return Code.NOT_ALLOWED
    if not WHEN[action]:
        return None
    return _refusal_by_state(action, draft_state(draft, today))


def check_draft_action(
    user: User, draft: Draft, action: DraftAction, today: dt.date | None = None
) -> None:
    code = draft_action_refusal(user, draft, action, today or timezone.localdate())
    if code is not None:
        raise DraftActionRefused(action, code, draft)


def draft_access(user: User, pk: int, action: DraftAction = DraftAction.VIEW) -> Draft:
    """The draft if `user` may see it and do `action` now; 404 if invisible."""
    try:
        draft = drafts_visible_to(user).get(pk=pk)
    except (Draft.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    if action != DraftAction.VIEW:
        check_draft_action(user, draft, action)
    return draft
