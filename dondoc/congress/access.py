"""Who may see and do what with a congress and its delegates: the one rule every page, API call
and service uses (the shape of `tracking/access.py`).

Seeing (`congresses_visible_to`, `delegates_visible_to`): the secretariat and everyone working
across agencies (office, leaders, inspectors) see every congress; a member of one of a
congress's sub-committees sees that congress. Nobody else sees any.

Doing:
- a congress (`congress_actions`): the secretariat manages it (agenda, delegates, hall),
  seats it, prints the badges and checks delegates in; the secretariat and the credentials
  board read the credentials report. Once the congress has closed it is a record: read only;
  an administrator may then erase its people's personal data before the retention runs out.
- a delegate (`delegate_actions`): the credentials board decides the credentials of a delegate
  still pending or questioned and reads the personal data (every read audited); the secretariat
  reads the personal data, checks in and replaces an official delegate by an alternate. A
  replaced delegate or one whose credentials were rejected is not checked in.
- a guest or a press pass (`visitor_actions`): the secretariat registers them, records a
  guest's reply, approves or refuses a pass (once), prints their badges and checks them in (a
  guest who accepted, an approved pass only); everyone who sees the congress sees the lists,
  but a journalist's press card number only the secretariat. Read only after closing.
- a speech (`SpeechAction`): a delegation's head or secretary (`Delegation.head`,
  `.secretary`) proposes its speeches and amends them until decided, and sees only them (not
  the rest of the congress); the secretariat registers for any delegation, decides and orders
  the selected oral ones with their time limits; the documents board (Tiểu ban Văn kiện)
  decides too: select, refuse (once), or ask the delegation for changes (then it waits for the
  delegation's amendment); whoever sees the congress reads them.
- a delegate's own view (`own_delegate_access`): a delegate linked to an account sees their
  seat, badge and the published agenda with its documents, nothing else of the congress.
- a delegate's badge photo (`check_photo_read`): personal data, read like the profile (the
  secretariat and the credentials board, each read audited), and by the delegate themselves
  on their own badge; the secretariat sends it (`CongressAction.MANAGE`).
- the published agenda (`published_agenda_access`, the delegate's page, the API and the
  documents): whoever sees the congress reads all of it; a delegate linked to an account reads
  it less its closed sessions (phiên họp kín: their items, documents and speeches) unless they
  are an official delegate with verified credentials (`closed_sessions_entitled`).
- an agenda item's document (`agenda_document_access`): whoever sees the congress downloads
  the current one; a delegate only the one the latest published agenda shows them.
"""

import dataclasses
import datetime as dt
import enum
import itertools
from collections.abc import Callable, Mapping

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.congress import published
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.models import (
    AgendaItem,
    AgendaPublication,
    Board,
    BoardKind,
    Congress,
    Credentials,
    Delegate,
    DelegateStanding,
    Delegation,
    Guest,
    GuestReply,
    PressPass,
    PressState,
    Speech,
    SpeechMode,
    SpeechState,
)
from dondoc.core.access import ActionRefused


class CongressAction(enum.StrEnum):
    VIEW = "view"
    MANAGE = "manage"  # sessions, agenda, delegations, delegates, the hall
    SEAT = "seat"
    BADGES = "badges"
    CHECK_IN = "check_in"
    CREDENTIALS_REPORT = "credentials_report"
    DECIDE_CREDENTIALS = "decide_credentials"  # the credentials board's list of decisions
    # an administrator, once the congress closed, before the retention runs out (Decree 13/2023)
    ERASE_PERSONAL_DATA = "erase_personal_data"


class DelegateAction(enum.StrEnum):
    VIEW = "view"
    VIEW_PROFILE = "view_profile"
    DECIDE_CREDENTIALS = "decide_credentials"
    CHECK_IN = "check_in"
    REPLACE = "replace"  # an alternate takes this official delegate's place


STAFF_CONGRESS = frozenset(
    set(CongressAction) - {CongressAction.DECIDE_CREDENTIALS, CongressAction.ERASE_PERSONAL_DATA}
)
CREDENTIALS_CONGRESS = frozenset(
    {CongressAction.VIEW, CongressAction.CREDENTIALS_REPORT, CongressAction.DECIDE_CREDENTIALS}
)
STAFF_DELEGATE = frozenset(
    {
        DelegateAction.VIEW,
        DelegateAction.VIEW_PROFILE,
        DelegateAction.CHECK_IN,
        DelegateAction.REPLACE,
    }
)
CREDENTIALS_DELEGATE = frozenset(
    {DelegateAction.VIEW, DelegateAction.VIEW_PROFILE, DelegateAction.DECIDE_CREDENTIALS}
)

REFUSALS: Mapping[Code, Promise] = {
    Code.NOT_ALLOWED: _("Bạn không có quyền thực hiện thao tác này."),
    Code.CONGRESS_CLOSED: _("Đại hội đã bế mạc: hồ sơ chỉ còn để xem."),
    Code.ALREADY_DECIDED: _("Việc này đã được quyết định, không thay đổi được nữa."),
    Code.DELEGATE_REPLACED: _("Đại biểu này đã được thay thế."),
    Code.CREDENTIALS_REJECTED: _("Đại biểu này không đủ tư cách, không được điểm danh."),
    Code.NOT_OFFICIAL: _("Chỉ thay thế được đại biểu chính thức."),
    Code.NOT_SELECTED: _("Chỉ sắp thứ tự được tham luận đã được chọn để trình bày."),
    Code.AWAITING_CHANGES: _("Tham luận đang chờ đoàn chỉnh sửa theo yêu cầu."),
    Code.NOT_ADMITTED: _("Khách mời chưa nhận lời hoặc phóng viên chưa được cấp thẻ."),
    Code.NOT_CLOSED: _("Đại hội chưa bế mạc: chưa xóa được dữ liệu cá nhân."),
    Code.ALREADY_ERASED: _("Dữ liệu cá nhân của đại hội này đã được xóa."),
    Code.SEAT_TAKEN: _(
        "Ghế này đã có người ngồi: chọn ghế khác hoặc chuyển người đang ngồi trước."
    ),
    Code.SEAT_BLOCKED: _("Ghế này đang không sử dụng."),
    Code.SEAT_OCCUPIED: _("Ghế đang có người ngồi: chuyển người đó sang ghế khác trước khi khóa."),
    Code.NO_PHOTO_REQUEST: _("Đại biểu không có ảnh nào đang chờ duyệt."),
    Code.PHOTO_CHANGED: _(
        "Đại biểu đã gửi ảnh khác sau khi trang được mở: xem ảnh mới trước khi duyệt."
    ),
}


class CongressActionRefused(ActionRefused):
    """`action` refused: `code` says why. By role a 403; by state a 409 in the API."""

    def __init__(self, action: str, code: Code) -> None:
        self.action = action
        super().__init__(code, str(REFUSALS[code]))


# Seeing -------------------------------------------------------------------------------------


def congresses_visible_to(user: User) -> QuerySet[Congress]:
    if rules.congress_reader(user):
        return Congress.objects.all()
    return Congress.objects.filter(boards__members=user).distinct()


def delegates_visible_to(user: User, congress: Congress) -> QuerySet[Delegate]:
    """The delegates of a congress the user sees (`congress_access` decided the congress)."""
    return Delegate.objects.filter(congress=congress)


def _boards_of(user: User, congress: Congress) -> set[str]:
    """The kinds of the congress's sub-committees `user` sits on (one query)."""
    return set(Board.objects.filter(congress=congress, members=user).values_list("kind", flat=True))


# Congress -----------------------------------------------------------------------------------


def _congress_who(user: User, congress: Congress) -> frozenset[CongressAction]:
    actions: set[CongressAction] = set()
    if rules.congress_staff(user):
        actions |= STAFF_CONGRESS
    boards = _boards_of(user, congress)
    if rules.congress_reader(user) or boards:
        actions.add(CongressAction.VIEW)
    if BoardKind.CREDENTIALS in boards:
        actions |= CREDENTIALS_CONGRESS
    if rules.administrator(user):
        actions.add(CongressAction.ERASE_PERSONAL_DATA)
    return frozenset(actions)


def _open(congress: Congress, today: dt.date) -> Code | None:
    return Code.CONGRESS_CLOSED if today > congress.closes_on else None


def _closed(congress: Congress, today: dt.date) -> Code | None:
    return None if today > congress.closes_on else Code.NOT_CLOSED


def _not_erased(congress: Congress, today: dt.date) -> Code | None:
    return Code.ALREADY_ERASED if congress.personal_data_erased_at else None


CONGRESS_WHEN: Mapping[CongressAction, tuple[Callable[[Congress, dt.date], Code | None], ...]] = {
    CongressAction.VIEW: (),
    CongressAction.MANAGE: (_open,),
    CongressAction.SEAT: (_open,),
    CongressAction.BADGES: (),
    CongressAction.CHECK_IN: (_open,),
    CongressAction.CREDENTIALS_REPORT: (),
    CongressAction.DECIDE_CREDENTIALS: (_open,),
    CongressAction.ERASE_PERSONAL_DATA: (_closed, _not_erased),
}


def congress_actions(user: User, congress: Congress, today: dt.date) -> frozenset[CongressAction]:
    return frozenset(
        action
        for action in _congress_who(user, congress)
        if not any(check(congress, today) for check in CONGRESS_WHEN[action])
    )


def congress_action_refusal(
    user: User, congress: Congress, action: CongressAction, today: dt.date
) -> Code | None:
    if action not in _congress_who(user, congress):
        return Code.NOT_ALLOWED
    return next(filter(None, (check(congress, today) for check in CONGRESS_WHEN[action])), None)


def check_congress_action(
    user: User, congress: Congress, action: CongressAction, today: dt.date | None = None
) -> None:
    code = congress_action_refusal(user, congress, action, today or timezone.localdate())
    if code is not None:
        raise CongressActionRefused(action, code)


def congress_access(user: User, pk: int, action: CongressAction = CongressAction.VIEW) -> Congress:
    """The congress if `user` sees it and may do `action` now; 404 if invisible."""
    try:
        congress = congresses_visible_to(user).get(pk=pk)
    except (Congress.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    if action != CongressAction.VIEW:
        check_congress_action(user, congress, action)
    return congress


# Delegate -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DelegateState:
    closed: bool
    standing: str
    credentials: str


def delegate_state(delegate: Delegate, today: dt.date) -> DelegateState:
    return DelegateState(
        closed=today > delegate.congress.closes_on,
        standing=delegate.standing,
        credentials=delegate.credentials,
    )


DelegateCondition = Callable[[DelegateState], Code | None]


def _live(state: DelegateState) -> Code | None:
    if state.closed:
        return Code.CONGRESS_CLOSED
    return Code.DELEGATE_REPLACED if state.standing == DelegateStanding.REPLACED else None


def _undecided(state: DelegateState) -> Code | None:
    final = state.credentials in (Credentials.VERIFIED, Credentials.REJECTED)
    return Code.ALREADY_DECIDED if final else None


def _not_rejected(state: DelegateState) -> Code | None:
    return Code.CREDENTIALS_REJECTED if state.credentials == Credentials.REJECTED else None


def _official(state: DelegateState) -> Code | None:
    return None if state.standing == DelegateStanding.OFFICIAL else Code.NOT_OFFICIAL


DELEGATE_WHEN: Mapping[DelegateAction, tuple[DelegateCondition, ...]] = {
    DelegateAction.VIEW: (),
    DelegateAction.VIEW_PROFILE: (),
    DelegateAction.DECIDE_CREDENTIALS: (_live, _undecided),
    DelegateAction.CHECK_IN: (_live, _not_rejected),
    DelegateAction.REPLACE: (_live, _official),
}


def _delegate_who(user: User, delegate: Delegate) -> frozenset[DelegateAction]:
    actions: set[DelegateAction] = set()
    boards = _boards_of(user, delegate.congress)
    if rules.congress_staff(user):
        actions |= STAFF_DELEGATE
    if rules.congress_reader(user) or boards:
        actions.add(DelegateAction.VIEW)
    if BoardKind.CREDENTIALS in boards:
        actions |= CREDENTIALS_DELEGATE
    return frozenset(actions)


def _delegate_refusal_by_state(action: DelegateAction, state: DelegateState) -> Code | None:
    return next(filter(None, (check(state) for check in DELEGATE_WHEN[action])), None)


def delegate_actions(user: User, delegate: Delegate, today: dt.date) -> frozenset[DelegateAction]:
    state = delegate_state(delegate, today)
    return frozenset(
        action
        for action in _delegate_who(user, delegate)
        if _delegate_refusal_by_state(action, state) is None
    )


def delegate_action_refusal(
    user: User, delegate: Delegate, action: DelegateAction, today: dt.date
) -> Code | None:
    if action not in _delegate_who(user, delegate):
        return Code.NOT_ALLOWED
    return _delegate_refusal_by_state(action, delegate_state(delegate, today))


def check_delegate_action(
    user: User, delegate: Delegate, action: DelegateAction, today: dt.date | None = None
) -> None:
    code = delegate_action_refusal(user, delegate, action, today or timezone.localdate())
    if code is not None:
        raise CongressActionRefused(action, code)


def delegate_access(
    user: User, congress_pk: int, pk: int, action: DelegateAction = DelegateAction.VIEW
) -> Delegate:
    """The delegate if `user` sees their congress and may do `action`; 404 if invisible."""
    congress = congress_access(user, congress_pk)
    try:
        delegate = (
            delegates_visible_to(user, congress)
            .select_related("delegation", "congress", "replaces", "user")
            .get(pk=pk)
        )
    except (Delegate.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    check_delegate_action(user, delegate, action)
    return delegate


# Guests and press ---------------------------------------------------------------------------


class VisitorAction(enum.StrEnum):
    """What may be done with an invited guest or a press pass."""

    VIEW = "view"
    VIEW_CARD = "view_card"  # a journalist's press card number
    EDIT = "edit"  # register, change the details
    DECIDE = "decide"  # record a guest's reply; approve or refuse a press pass
    CHECK_IN = "check_in"


STAFF_VISITOR = frozenset(VisitorAction)


@dataclasses.dataclass(frozen=True)
class VisitorState:
    closed: bool
    admitted: bool  # a guest who accepted, an approved pass: only they are checked in
    decided: bool  # a press pass approved or refused (final); a guest's reply may change


def guest_state(guest: Guest, today: dt.date) -> VisitorState:
    return VisitorState(
        closed=today > guest.congress.closes_on,
        admitted=guest.reply == GuestReply.ACCEPTED,
        decided=False,
    )


def press_state(press: PressPass, today: dt.date) -> VisitorState:
    return VisitorState(
        closed=today > press.congress.closes_on,
        admitted=press.state == PressState.APPROVED,
        decided=press.state != PressState.REQUESTED,
    )


def _visitor_open(state: VisitorState) -> Code | None:
    return Code.CONGRESS_CLOSED if state.closed else None


def _visitor_undecided(state: VisitorState) -> Code | None:
    return Code.ALREADY_DECIDED if state.decided else None


def _visitor_admitted(state: VisitorState) -> Code | None:
    return None if state.admitted else Code.NOT_ADMITTED


VISITOR_WHEN: Mapping[VisitorAction, tuple[Callable[[VisitorState], Code | None], ...]] = {
    VisitorAction.VIEW: (),
    VisitorAction.VIEW_CARD: (),
    VisitorAction.EDIT: (_visitor_open,),
    VisitorAction.DECIDE: (_visitor_open, _visitor_undecided),
    VisitorAction.CHECK_IN: (_visitor_open, _visitor_admitted),
}


def _visitor_who(user: User, congress: Congress) -> frozenset[VisitorAction]:
    if rules.congress_staff(user):
        return STAFF_VISITOR
    if rules.congress_reader(user) or _boards_of(user, congress):
        return frozenset({VisitorAction.VIEW})
    return frozenset()


def visitor_actions(
    user: User, congress: Congress, state: VisitorState
) -> frozenset[VisitorAction]:
    """What `user` may do with one guest or pass of `congress` in `state`."""
    return frozenset(
        action
        for action in _visitor_who(user, congress)
        if not any(check(state) for check in VISITOR_WHEN[action])
    )


def visitor_role_actions(user: User, congress: Congress) -> frozenset[VisitorAction]:
    """What `user` may do with a congress's guests and passes by role alone (for a list)."""
    return _visitor_who(user, congress)


def check_visitor_action(
    user: User, congress: Congress, state: VisitorState, action: VisitorAction
) -> None:
    if action not in _visitor_who(user, congress):
        raise CongressActionRefused(action, Code.NOT_ALLOWED)
    code = next(filter(None, (check(state) for check in VISITOR_WHEN[action])), None)
    if code is not None:
        raise CongressActionRefused(action, code)


def guests_visible_to(user: User, congress: Congress) -> QuerySet[Guest]:
    """The guests of a congress the user sees (`congress_access` decided the congress)."""
    return Guest.objects.filter(congress=congress)


def press_visible_to(user: User, congress: Congress) -> QuerySet[PressPass]:
    return PressPass.objects.filter(congress=congress)


def guest_access(
    user: User, congress_pk: int, pk: int, action: VisitorAction = VisitorAction.VIEW
) -> Guest:
    """The guest if `user` sees their congress and may do `action` now; 404 if invisible."""
    congress = congress_access(user, congress_pk)
    try:
        guest = guests_visible_to(user, congress).select_related("congress").get(pk=pk)
    except (Guest.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    check_visitor_action(user, congress, guest_state(guest, timezone.localdate()), action)
    return guest


def press_access(
    user: User, congress_pk: int, pk: int, action: VisitorAction = VisitorAction.VIEW
) -> PressPass:
    """The press pass if `user` sees its congress and may do `action` now; 404 if invisible."""
    congress = congress_access(user, congress_pk)
    try:
        press = press_visible_to(user, congress).select_related("congress").get(pk=pk)
    except (PressPass.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    check_visitor_action(user, congress, press_state(press, timezone.localdate()), action)
    return press


# Speeches -----------------------------------------------------------------------------------


class SpeechAction(enum.StrEnum):
    VIEW = "view"
    EDIT = "edit"  # propose, change title, topic, summary, speaker, text while not decided
    DECIDE = "decide"  # select it, refuse it (once), or ask the delegation for changes
    ORDER = "order"  # its place and time limit in the session (selected, oral)
    PLAN = "plan"  # record the structure the leadership sets (cơ cấu tham luận)


DOCUMENTS_BOARD_SPEECH = frozenset({SpeechAction.VIEW, SpeechAction.DECIDE})
OFFICER_SPEECH = frozenset({SpeechAction.VIEW, SpeechAction.EDIT})


@dataclasses.dataclass(frozen=True)
class SpeechFacts:
    closed: bool
    state: str
    mode: str
    officers: frozenset[int] = frozenset()  # the delegation's head and secretary (user ids)


def delegation_officers(delegation: Delegation) -> frozenset[int]:
    """Who proposes speeches for a delegation: its head and its secretary."""
    return frozenset(pk for pk in (delegation.head_id, delegation.secretary_id) if pk)


def speech_state(speech: Speech, today: dt.date) -> SpeechFacts:
    return SpeechFacts(
        closed=today > speech.session.congress.closes_on,
        state=speech.state,
        mode=speech.mode,
        officers=delegation_officers(speech.delegation),
    )


def _speech_open(state: SpeechFacts) -> Code | None:
    return Code.CONGRESS_CLOSED if state.closed else None


def _speech_undecided(state: SpeechFacts) -> Code | None:
    waiting = (SpeechState.PROPOSED, SpeechState.CHANGES)
    return None if state.state in waiting else Code.ALREADY_DECIDED


def _speech_proposed(state: SpeechFacts) -> Code | None:
    if state.state == SpeechState.CHANGES:
        return Code.AWAITING_CHANGES
    return None if state.state == SpeechState.PROPOSED else Code.ALREADY_DECIDED


def _speech_oral_selected(state: SpeechFacts) -> Code | None:
    if state.state != SpeechState.APPROVED or state.mode != SpeechMode.ORAL:
        return Code.NOT_SELECTED
    return None


SPEECH_WHEN: Mapping[SpeechAction, tuple[Callable[[SpeechFacts], Code | None], ...]] = {
    SpeechAction.VIEW: (),
    SpeechAction.EDIT: (_speech_open, _speech_undecided),
    SpeechAction.DECIDE: (_speech_open, _speech_proposed),
    SpeechAction.ORDER: (_speech_open, _speech_oral_selected),
    SpeechAction.PLAN: (_speech_open,),
}


def _speech_who(
    user: User, congress: Congress, officers: frozenset[int] = frozenset()
) -> frozenset[SpeechAction]:
    """The secretariat registers, decides and orders speeches; the documents board decides
    them; a delegation's head or secretary proposes and amends its own; whoever sees the
    congress reads them."""
    if rules.congress_staff(user):
        return frozenset(SpeechAction)
    actions: set[SpeechAction] = set()
    boards = _boards_of(user, congress)
    if rules.congress_reader(user) or boards:
        actions.add(SpeechAction.VIEW)
    if BoardKind.DOCUMENTS in boards:
        actions |= DOCUMENTS_BOARD_SPEECH
    if user.pk in officers:
        actions |= OFFICER_SPEECH
    return frozenset(actions)


def speech_role_actions(user: User, congress: Congress) -> frozenset[SpeechAction]:
    """What `user` may do with the congress's speeches by role alone (the agenda page)."""
    return _speech_who(user, congress)


def speech_actions(user: User, speech: Speech, today: dt.date) -> frozenset[SpeechAction]:
    """What `user` may do with one speech now (its buttons on a page)."""
    state = speech_state(speech, today)
    return frozenset(
        action
        for action in _speech_who(user, speech.session.congress, state.officers)
        if not any(check(state) for check in SPEECH_WHEN[action])
    )


def speech_refusal(
    user: User, congress: Congress, state: SpeechFacts, action: SpeechAction
) -> Code | None:
    if action not in _speech_who(user, congress, state.officers):
        return Code.NOT_ALLOWED
    return next(filter(None, (check(state) for check in SPEECH_WHEN[action])), None)


def check_speech_action(
    user: User, congress: Congress, state: SpeechFacts, action: SpeechAction
) -> None:
    code = speech_refusal(user, congress, state, action)
    if code is not None:
        raise CongressActionRefused(action, code)


def _officer_of(user: User) -> Q:
    return Q(head=user) | Q(secretary=user)


def own_delegations(user: User) -> QuerySet[Delegation]:
    """The delegations whose speeches `user` proposes: they are its head or its secretary."""
    if not user.is_authenticated:
        return Delegation.objects.none()
    return Delegation.objects.filter(_officer_of(user))


def own_delegation_access(user: User, congress_pk: int, pk: int) -> Delegation:
    """A delegation `user` heads or is secretary of, in that congress; 404 otherwise (they see
    their delegation's speeches and nothing else of the congress)."""
    found = (
        own_delegations(user)
        .filter(congress_id=congress_pk, pk=pk)
        .select_related("congress")
        .first()
    )
    if found is None:
        raise Http404
    return found


def delegation_speeches_access(user: User, congress_pk: int, pk: int) -> Delegation:
    """A delegation's speeches page: whoever sees the congress, or the delegation's head or
    secretary (who see nothing else of it); 404 otherwise."""
    if congresses_visible_to(user).filter(pk=congress_pk).exists():
        found = (
            Delegation.objects.filter(congress_id=congress_pk, pk=pk)
            .select_related("congress")
            .first()
        )
        if found is None:
            raise Http404
        return found
    return own_delegation_access(user, congress_pk, pk)


def new_speech_facts(congress: Congress, delegation: Delegation | None = None) -> SpeechFacts:
    """The facts of a speech not yet proposed: whether `user` may propose one for it."""
    return SpeechFacts(
        closed=timezone.localdate() > congress.closes_on,
        state=SpeechState.PROPOSED,
        mode=SpeechMode.ORAL,
        officers=delegation_officers(delegation) if delegation else frozenset(),
    )


def speeches_visible_to(user: User, congress_pk: int) -> QuerySet[Speech]:
    """Every speech of a congress `user` sees; else only those of their own delegations."""
    speeches = Speech.objects.filter(session__congress_id=congress_pk)
    if congresses_visible_to(user).filter(pk=congress_pk).exists():
        return speeches
    return speeches.filter(delegation__in=own_delegations(user))


def speech_access(
    user: User, congress_pk: int, pk: int, action: SpeechAction = SpeechAction.VIEW
) -> Speech:
    """The speech if `user` sees it (its congress, or as its delegation's head or secretary)
    and may do `action` now; 404 if invisible."""
    try:
        speech = (
            speeches_visible_to(user, congress_pk)
            .select_related("session__congress", "delegation", "speaker", "agenda_item")
            .get(pk=pk)
        )
    except (Speech.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
    congress = speech.session.congress
    check_speech_action(user, congress, speech_state(speech, timezone.localdate()), action)
    return speech


# A delegate's own view ----------------------------------------------------------------------


def own_delegates(user: User) -> QuerySet[Delegate]:
    """The delegate records of the signed-in person (their account is linked to them): what a
    delegate sees of their own congress — their seat, their badge, the agenda — and nothing
    else of it."""
    if not user.is_authenticated:
        return Delegate.objects.none()
    return Delegate.objects.filter(user=user).exclude(standing=DelegateStanding.REPLACED)


def own_delegate_access(user: User, congress_pk: int) -> Delegate:
    """The user's own delegate record in that congress; 404 when they are not a delegate."""
    found = (
        own_delegates(user)
        .filter(congress_id=congress_pk)
        .select_related("congress", "delegation", "seat_assignment__seat")
        .first()
    )
    if found is None:
        raise Http404
    return found


def closed_sessions_entitled(delegate: Delegate) -> bool:
    """A delegate sees the closed sessions (phiên họp kín) of the published agenda only as an
    official delegate whose credentials were verified: not an alternate, not one pending,
    questioned or rejected."""
    return (
        delegate.standing == DelegateStanding.OFFICIAL
        and delegate.credentials == Credentials.VERIFIED
    )


@dataclasses.dataclass(frozen=True)
class PublishedAgenda:
    """The published agenda as one reader is shown it: the latest publication's sessions (the
    closed ones only to those entitled) and, newest first, each later publication with the
    lines that changed in what this reader sees."""

    congress: Congress
    delegate: Delegate | None  # the reader's own record when they read as a delegate
    closed_sessions: bool
    latest: AgendaPublication | None
    sessions: published.Snapshot
    history: list[tuple[AgendaPublication, list[str]]]


def published_agenda_access(user: User, congress_pk: int, history: int = 20) -> PublishedAgenda:
    """The one rule for the published agenda (the delegate's page, `GET .../agenda/published`,
    the documents): whoever sees the congress (the secretariat, the office, leaders, inspectors,
    its sub-committees) reads all of it; a delegate linked to an account reads it less the
    closed sessions, their items, documents and speeches, unless `closed_sessions_entitled`.
    404 for anyone else (guests and the press have no account)."""
    delegate: Delegate | None = None
    try:
        congress = congresses_visible_to(user).get(pk=congress_pk)
    except (Congress.DoesNotExist, ValueError, TypeError):
        delegate = own_delegate_access(user, congress_pk)
        congress = delegate.congress
    entitled = delegate is None or closed_sessions_entitled(delegate)
    publications = list(
        AgendaPublication.objects.filter(congress=congress)
        .select_related("by")
        .order_by("-number")[: history + 1]
    )

    def shown(agenda: published.Snapshot) -> published.Snapshot:
        return agenda if entitled else published.open_sessions(agenda)

    changes = [
        (
            publication,
            publication.changes
            if entitled
            else published.publication_changes(shown(before.agenda), shown(publication.agenda)),
        )
        for publication, before in itertools.pairwise(publications)
    ]
    if not entitled:  # a publication that changed only closed sessions is not theirs to see
        changes = [(publication, lines) for publication, lines in changes if lines]
    latest = publications[0] if publications else None
    return PublishedAgenda(
        congress=congress,
        delegate=delegate,
        closed_sessions=entitled,
        latest=latest,
        sessions=shown(latest.agenda) if latest else [],
        history=changes,
    )


@dataclasses.dataclass(frozen=True)
class AgendaDocument:
    stored: str  # the storage's name
    name: str  # the uploader's file name, for the download


def agenda_document_access(user: User, congress_pk: int, item_pk: int) -> AgendaDocument:
    """An agenda item's document, for whoever may see the agenda: the congress's readers get
    the item's current document; a delegate (linked to an account) only the one the latest
    published agenda names, in a session `published_agenda_access` shows them (a closed
    session's only when entitled). 404 otherwise, and when there is none."""
    try:
        congress = congresses_visible_to(user).get(pk=congress_pk)
    except (Congress.DoesNotExist, ValueError, TypeError):
        agenda = published_agenda_access(user, congress_pk, history=0)
        for session in agenda.sessions:
            for item in session["items"]:
                if item["id"] == item_pk and item["document"]:
                    return AgendaDocument(item["document"], item["document_name"])
        raise Http404 from None
    item = AgendaItem.objects.filter(session__congress=congress, pk=item_pk).first()
    if item is None or not item.document:
        raise Http404
    return AgendaDocument(item.document.name, item.document_name)


def check_photo_propose(user: User, delegate: Delegate, today: dt.date | None = None) -> None:
    """A delegate sends a badge photo of themselves (the secretariat approves it before the
    badge prints it): only their own record, not once replaced, while the congress is open and
    its personal data not erased. Refused otherwise (`CongressActionRefused`)."""
    today = today or timezone.localdate()
    if delegate.user_id is None or delegate.user_id != user.pk:
        raise CongressActionRefused("photo_propose", Code.NOT_ALLOWED)
    if delegate.standing == DelegateStanding.REPLACED:
        raise CongressActionRefused("photo_propose", Code.DELEGATE_REPLACED)
    why = _open(delegate.congress, today) or _not_erased(delegate.congress, today)
    if why is not None:
        raise CongressActionRefused("photo_propose", why)


def check_photo_read(user: User, delegate: Delegate) -> None:
    """A delegate's photo is personal data: read by whoever may read their profile, and by the
    delegate on their own badge. Refused otherwise (`CongressActionRefused`)."""
    if delegate.user_id is not None and delegate.user_id == user.pk:
        return
    check_delegate_action(user, delegate, DelegateAction.VIEW_PROFILE)
