"""Everything that changes congress data, each in one durable transaction with its audit entry.
Every service asks the access rule first (`check_congress_action` / `check_delegate_action`),
so a hand-made POST or an API call is refused exactly like a missing button."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import CharField, Max, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.agencies.models import Agency
from dondoc.audit.services import Change, audit_record, audit_record_many, diff
from dondoc.congress import badges, hall, notices, photos, seating
from dondoc.congress.access import (
    CongressAction,
    CongressActionRefused,
    DelegateAction,
    SpeechAction,
    VisitorAction,
    VisitorState,
    check_congress_action,
    check_delegate_action,
    check_photo_propose,
    check_photo_read,
    check_speech_action,
    check_visitor_action,
    guest_state,
    new_speech_facts,
    press_state,
    speech_state,
    visitor_role_actions,
)
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.hall_import import hall_plan as hall_import_plan
from dondoc.congress.models import (
    AgendaItem,
    AgendaPublication,
    AgendaRevision,
    Board,
    BoardPhase,
    BoardTask,
    CheckIn,
    Congress,
    CongressSession,
    Credentials,
    Delegate,
    DelegatePhoto,
    DelegatePhotoRequest,
    DelegateProfile,
    DelegateStanding,
    Delegation,
    DelegationKind,
    Guest,
    GuestKind,
    GuestReply,
    PressPass,
    PressRole,
    PressState,
    Seat,
    SeatAssignment,
    SeatStatus,
    SeatZone,
    SessionKind,
    Speech,
    SpeechMode,
    SpeechState,
    SpeechStructure,
    SpeechTarget,
    SpeechTargetKind,
    VisitorCheckIn,
    VisitorSeat,
)
from dondoc.congress.published import (
    ItemSpec,
    agenda_changes,
    publication_audience,
    publication_changes,
)
from dondoc.congress.seatmap_import import pretix_seats
from dondoc.core.services import durable_service
from dondoc.core.text import search_key
from dondoc.tracking import attachments
from dondoc.tracking import services as tracking_services
from dondoc.tracking.models import TaskSource


def _refused(field: str, message: str, code: Code) -> ValidationError:
    """A refusal about one input, raised on that input's field with its stable code."""
    return ValidationError({field: ValidationError(message, code=code)})


@dataclasses.dataclass(frozen=True)
class ProfileData:
    birth_year: int
    gender: str
    ethnicity: str
    education: str
    position: str
    party_joined_year: int


@durable_service
def congress_create(
    actor: User, name: str, kind: str, opens_on: dt.date, closes_on: dt.date
) -> Congress:
    if not rules.congress_staff(actor):
        raise CongressActionRefused(CongressAction.MANAGE, Code.NOT_ALLOWED)
    if closes_on < opens_on:
        raise _refused("closes_on", _("Ngày bế mạc phải sau ngày khai mạc."), Code.DATES_REVERSED)
    congress = Congress.objects.create(name=name, kind=kind, opens_on=opens_on, closes_on=closes_on)
    audit_record(actor, "congress_create", congress, {"name": [None, name]})
    return congress


@durable_service
def board_create(
    actor: User, congress: Congress, kind: str, name: str, members: Sequence[User]
) -> Board:
    check_congress_action(actor, congress, CongressAction.MANAGE)
    exists = _refused("kind", _("Đại hội đã có tiểu ban này."), Code.BOARD_EXISTS)
    if Board.objects.filter(congress=congress, kind=kind).exists():
        raise exists
    try:  # created meanwhile (a double click): congress_board_kind_once, the same refusal
        with transaction.atomic():
            board = Board.objects.create(congress=congress, kind=kind, name=name)
    except IntegrityError:
        raise exists from None
    board.members.set(members)
    audit_record(actor, "board_create", board, {"members": [None, [m.username for m in members]]})
    return board


@dataclasses.dataclass(frozen=True)
class BoardTaskData:
    """One assignment of a preparation board: what, who leads it, by when, what it delivers."""

    title: str
    lead_agency: Agency
    due_on: dt.date | None
    expected_product: str = ""
    phase: str = BoardPhase.BEFORE
    description: str = ""


@durable_service
def board_task_assign(actor: User, board: Board, data: BoardTaskData) -> BoardTask:
    """A preparation board's assignment becomes a tracking task (lead agency, deadline,
    product; urged, reported and accepted like any other), linked back to the board."""
    check_congress_action(actor, board.congress, CongressAction.MANAGE)
    if data.phase not in BoardPhase.values:
        raise _refused("phase", _("Giai đoạn không hợp lệ."), Code.INVALID_CHOICE)
    if data.due_on is None:
        raise _refused("due_on", _("Cần ghi thời hạn hoàn thành."), Code.INVALID_CHOICE)
    row = tracking_services.new_task(
        title=data.title,
        lead_agency=data.lead_agency,
        due_on=data.due_on,
        expected_product=data.expected_product.strip(),
        description=data.description.strip(),
        source_clause=board.name[:200],
    )
    (task,) = tracking_services.tasks_create_many.step(actor, [row], source=TaskSource.FORM)
    link = BoardTask.objects.create(board=board, task=task, phase=data.phase)
    audit_record(
        actor,
        "board_task_assign",
        board,
        {"task": [None, task.pk], "title": [None, task.title], "phase": [None, data.phase]},
    )
    return link


@durable_service
def session_add(
    actor: User,
    congress: Congress,
    day: dt.date,
    part: int,
    title: str,
    items: Sequence[tuple[str, str, int]] = (),
    kind: str = SessionKind.PLENARY,
) -> CongressSession:
    """A half-day session of a kind (plenary, delegation discussions, closed) with its agenda
    items (title, presenter, minutes)."""
    check_congress_action(actor, congress, CongressAction.MANAGE)
    if kind not in SessionKind.values:
        raise _refused("kind", _("Loại phiên họp không hợp lệ."), Code.INVALID_CHOICE)
    session = CongressSession.objects.create(
        congress=congress, day=day, part=part, title=title, kind=kind
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(session=session, position=i, title=t, presenter=p, minutes=m)
        for i, (t, p, m) in enumerate(items, start=1)
    )
    audit_record(actor, "session_add", session, {"title": [None, title]})
    return session


@durable_service
def delegation_create(
    actor: User,
    congress: Congress,
    code: str,
    name: str,
    protocol_order: int,
    kind: str = DelegationKind.PROVINCE,
) -> Delegation:
    """A delegation; its kind (province, central, armed forces) is what the structure of
    speeches gives shares to."""
    check_congress_action(actor, congress, CongressAction.MANAGE)
    if kind not in DelegationKind.values:
        raise _refused("kind", _("Loại đoàn không hợp lệ."), Code.INVALID_CHOICE)
    code_taken = _refused("code", _("Mã đoàn này đã có trong đại hội."), Code.DELEGATION_CODE_TAKEN)
    if Delegation.objects.filter(congress=congress, code=code).exists():
        raise code_taken
    try:  # created meanwhile (a double click): congress_delegation_code, the same refusal
        with transaction.atomic():
            delegation = Delegation.objects.create(
                congress=congress, code=code, name=name, protocol_order=protocol_order, kind=kind
            )
    except IntegrityError:
        raise code_taken from None
    audit_record(
        actor, "delegation_create", delegation, {"name": [None, name], "kind": [None, kind]}
    )
    return delegation


@durable_service
def delegation_officers_set(
    actor: User, delegation: Delegation, head: User | None, secretary: User | None
) -> Delegation:
    """Who proposes the delegation's speeches from their own account: its head and its
    secretary (two different people, or none)."""
    check_congress_action(actor, delegation.congress, CongressAction.MANAGE)
    if head is not None and secretary is not None and head.pk == secretary.pk:
        raise _refused(
            "secretary",
            _("Trưởng đoàn và thư ký đoàn phải là hai tài khoản khác nhau."),
            Code.OFFICER_TWICE,
        )
    before = {"head": delegation.head_id, "secretary": delegation.secretary_id}
    delegation.head, delegation.secretary = head, secretary
    delegation.save(update_fields=["head", "secretary"])
    after = {"head": delegation.head_id, "secretary": delegation.secretary_id}
    audit_record(actor, "delegation_officers_set", delegation, diff(before, after))
    return delegation


@dataclasses.dataclass(frozen=True)
class DelegateData:
    delegation: Delegation
    full_name: str
    kind: str
    standing: str
    profile: ProfileData
    presidium: bool = False
    needs_accessible_seat: bool = False


@durable_service
def delegates_register(
    actor: User, congress: Congress, items: Sequence[DelegateData]
) -> list[Delegate]:
    """Register delegates with their personal data (one audit entry each)."""
    check_congress_action(actor, congress, CongressAction.MANAGE)
    if any(item.delegation.congress_id != congress.pk for item in items):
        raise _refused(
            "delegation", _("Đoàn đại biểu không thuộc đại hội này."), Code.OTHER_DELEGATION
        )
    delegates = Delegate.objects.bulk_create(
        Delegate(
            congress=congress,
            delegation=item.delegation,
            full_name=item.full_name,
            kind=item.kind,
            standing=item.standing,
            presidium=item.presidium,
            needs_accessible_seat=item.needs_accessible_seat,
        )
        for item in items
    )
    DelegateProfile.objects.bulk_create(
        DelegateProfile(delegate=d, **dataclasses.asdict(item.profile))
        for d, item in zip(delegates, items, strict=True)
    )
    audit_record_many(
        actor,
        "delegate_register",
        [Change(d, {"full_name": [None, d.full_name]}) for d in delegates],
    )
    return delegates


@durable_service
def delegate_profile_read(actor: User, delegate: Delegate) -> DelegateProfile | None:
    """The delegate's personal data, for the credentials board and the secretariat; every
    read leaves an audit entry. None once the retention erased it (nothing read, no entry)."""
    check_delegate_action(actor, delegate, DelegateAction.VIEW_PROFILE)
    profile = DelegateProfile.objects.filter(delegate=delegate).first()
    if profile is not None:
        audit_record(actor, "delegate_profile_read", delegate, {})
    return profile


@durable_service
def delegate_photo_set(actor: User, delegate: Delegate, upload: File[Any]) -> DelegatePhoto:
    """Keep (or replace) a delegate's badge photo: JPEG or PNG, size and type checked by its
    content (`congress/photos.py`), kept re-encoded under a random name, never served by URL
    (only through `delegate_photos_read`). Audited, without the image."""
    check_congress_action(actor, delegate.congress, CongressAction.MANAGE)
    jpeg = photos.photo_checked(upload)
    photo = DelegatePhoto.objects.select_for_update().filter(delegate=delegate).first()
    old = photo.image.name if photo else ""
    photo = photo or DelegatePhoto(delegate=delegate)
    photo.content_type = photos.CONTENT_TYPE
    _photo_store(photo, jpeg, actor)
    audit_record(actor, "delegate_photo_set", delegate, {"photo": [bool(old), True]})
    if old:
        storage = photo.image.storage
        transaction.on_commit(lambda: storage.delete(old))
    return photo


@durable_service
def delegate_photo_remove(actor: User, delegate: Delegate) -> bool:
    """Remove a delegate's badge photo (whoever may set it): the row now, the file once the
    transaction commits. Audited; False (and nothing recorded) when there was none."""
    check_congress_action(actor, delegate.congress, CongressAction.MANAGE)
    photo = DelegatePhoto.objects.select_for_update().filter(delegate=delegate).first()
    if photo is None:
        return False
    name = photo.image.name
    photo.delete()
    audit_record(actor, "delegate_photo_remove", delegate, {"photo": [True, False]})
    transaction.on_commit(lambda: _files_delete([name]))
    return True


@durable_service
def delegate_photo_propose(
    actor: User, delegate: Delegate, upload: File[Any]
) -> DelegatePhotoRequest:
    """A delegate sends a badge photo of themselves (`access.check_photo_propose`): checked
    like the secretariat's (`congress/photos.py`), kept re-encoded under a random name, waiting
    for the secretariat's approval (`delegate_photo_review`); the badge keeps the photo it had
    until then. A second one replaces the one waiting (its file deleted after commit).
    Audited, without the image."""
    check_photo_propose(actor, delegate)
    jpeg = photos.photo_checked(upload)
    # The delegate's row, locked, orders two first photos sent at once (one row per delegate).
    Delegate.objects.select_for_update().filter(pk=delegate.pk).first()
    request = DelegatePhotoRequest.objects.select_for_update().filter(delegate=delegate).first()
    old = request.image.name if request else ""
    request = request or DelegatePhotoRequest(delegate=delegate)
    _photo_store(request, jpeg, actor)
    audit_record(actor, "delegate_photo_propose", delegate, {"pending": [bool(old), True]})
    if old:
        transaction.on_commit(lambda: _files_delete([old]))
    return request


@durable_service
def delegate_photo_review(
    actor: User, delegate: Delegate, approve: bool, reason: str = "", seen: str = ""
) -> DelegatePhoto | None:
    """The secretariat decides on the photo a delegate sent: approved, it becomes the badge's
    photo (the one it replaces is deleted from the disk after commit); refused (with a
    reason, told to the delegate), it is deleted. `seen` names the photo the reviewer was
    shown (`photo_token`): if the delegate has sent another since, nothing is decided.
    Audited, without the image (its stored name only)."""
    check_congress_action(actor, delegate.congress, CongressAction.MANAGE)
    request = DelegatePhotoRequest.objects.select_for_update().filter(delegate=delegate).first()
    if request is None:
        raise CongressActionRefused("photo_review", Code.NO_PHOTO_REQUEST)
    if seen and seen != photo_token(request):
        raise CongressActionRefused("photo_review", Code.PHOTO_CHANGED)
    reason = reason.strip()
    if not approve and not reason:
        raise _refused("reason", _("Cần nêu lý do không duyệt ảnh."), Code.REASON_REQUIRED)
    name = request.image.name
    request.delete()
    if not approve:
        audit_record(
            actor,
            "delegate_photo_review",
            delegate,
            {"approved": [None, False], "reason": [None, reason], "file": [None, name]},
        )
        notices.photo_refused_notify(actor, delegate, reason)
        transaction.on_commit(lambda: _files_delete([name]))
        return None
    photo = DelegatePhoto.objects.select_for_update().filter(delegate=delegate).first()
    old = photo.image.name if photo else ""
    photo = photo or DelegatePhoto(delegate=delegate)
    photo.image.name = name  # the same stored file, now the badge's
    photo.content_type = photos.CONTENT_TYPE
    photo.uploaded_at, photo.uploaded_by_id = request.uploaded_at, request.uploaded_by_id
    photo.save()
    audit_record(
        actor,
        "delegate_photo_review",
        delegate,
        {"approved": [None, True], "photo": [bool(old), True], "file": [None, name]},
    )
    if old:
        transaction.on_commit(lambda: _files_delete([old]))
    return photo


def photo_token(request: DelegatePhotoRequest) -> str:
    """What names one photo a delegate sent: its stored file (a new photo, a new name)."""
    return str(request.image.name)


def delegate_photo_request_read(actor: User, delegate: Delegate) -> bytes | None:
    """The photo a delegate sent, for whoever may read their photo (`check_photo_read`: the
    secretariat and the credentials board, and the delegate); each read audited. None when
    none waits or its file is missing."""
    check_photo_read(actor, delegate)
    request = DelegatePhotoRequest.objects.filter(delegate=delegate).first()
    if request is None:
        return None
    try:
        with request.image.open("rb") as stream:
            image: bytes = stream.read()
    except FileNotFoundError:
        return None
    with transaction.atomic():
        audit_record(actor, "delegate_photo_read", delegate, {"pending": [None, True]})
    return image


def _photo_store(row: DelegatePhoto | DelegatePhotoRequest, jpeg: bytes, actor: User) -> None:
    """Write the checked image under a new random name and save its row; the file is removed
    again if the row cannot be saved (no file without a row)."""
    row.image.save("photo.jpg", ContentFile(jpeg), save=False)
    row.uploaded_at, row.uploaded_by = timezone.now(), actor
    try:
        row.save()
    except Exception:
        row.image.delete(save=False)
        raise


def _files_delete(names: Sequence[str]) -> None:
    """Remove stored files after the transaction that let go of them committed."""
    for name in names:
        default_storage.delete(name)


def delegate_photos_read(actor: User, delegates: Sequence[Delegate]) -> dict[int, bytes]:
    """The photos of `delegates` that have one (delegate id -> JPEG), for whoever may read them
    (`access.check_photo_read`); every photo read leaves an audit entry (one per delegate, in
    one batch). A photo whose file is missing is left out."""
    found = {
        p.delegate_id: p
        for p in DelegatePhoto.objects.filter(delegate__in=[d.pk for d in delegates])
    }
    if not found:
        return {}
    by_id = {d.pk: d for d in delegates}
    # Reading a profile depends on the reader's role in the congress, not on the delegate
    # (`access.DELEGATE_WHEN`: no condition), so one check per congress (one query), and the
    # delegate's own photo is theirs to print.
    checked: set[int] = set()
    for pk in found:
        delegate = by_id[pk]
        own = delegate.user_id == actor.pk
        if own or delegate.congress_id not in checked:
            check_photo_read(actor, delegate)
            if not own:
                checked.add(delegate.congress_id)
    read: dict[int, bytes] = {}
    for pk, photo in found.items():
        try:
            with photo.image.open("rb") as stream:
                read[pk] = stream.read()
        except FileNotFoundError:
            continue
    with transaction.atomic():
        audit_record_many(
            actor, "delegate_photo_read", [Change(by_id[pk], {}) for pk in sorted(read)]
        )
    return read


@durable_service
def credentials_decide(actor: User, delegate: Delegate, decision: str, reason: str) -> Delegate:
    """The credentials board's decision on a delegate: verified, questioned (to clarify) or
    rejected; the last two need a reason."""
    check_delegate_action(actor, delegate, DelegateAction.DECIDE_CREDENTIALS)
    if decision not in (Credentials.VERIFIED, Credentials.QUESTIONED, Credentials.REJECTED):
        raise _refused("decision", _("Quyết định không hợp lệ."), Code.INVALID_CHOICE)
    reason = reason.strip()
    if decision != Credentials.VERIFIED and not reason:
        raise _refused(
            "reason",
            _("Cần nêu lý do khi đề nghị làm rõ hoặc không công nhận tư cách."),
            Code.REASON_REQUIRED,
        )
    before = delegate.credentials
    delegate.credentials, delegate.credentials_reason = decision, reason
    delegate.credentials_decided_at = timezone.now()
    delegate.save(update_fields=["credentials", "credentials_reason", "credentials_decided_at"])
    audit_record(
        actor,
        "credentials_decide",
        delegate,
        {"credentials": [before, decision], "reason": [None, reason]},
    )
    return delegate


@durable_service
def delegate_replace(actor: User, official: Delegate, alternate: Delegate) -> Delegate:
    """An alternate of the same delegation takes an official delegate's place; the official's
    seat is freed (the next re-seating gives the alternate one, moving few people)."""
    check_delegate_action(actor, official, DelegateAction.REPLACE)
    if alternate.standing != DelegateStanding.ALTERNATE:
        raise _refused(
            "alternate", _("Người thay thế phải là đại biểu dự khuyết."), Code.NOT_AN_ALTERNATE
        )
    if alternate.delegation_id != official.delegation_id:
        raise _refused(
            "alternate",
            _("Đại biểu dự khuyết phải cùng đoàn với đại biểu được thay thế."),
            Code.OTHER_DELEGATION,
        )
    Delegate.objects.filter(pk=official.pk).update(standing=DelegateStanding.REPLACED)
    Delegate.objects.filter(pk=alternate.pk).update(
        standing=DelegateStanding.OFFICIAL, replaces=official
    )
    SeatAssignment.objects.filter(delegate=official).delete()
    audit_record(actor, "delegate_replace", official, {"replaced_by": [None, alternate.pk]})
    alternate.refresh_from_db()
    return alternate


@durable_service
def hall_create(actor: User, congress: Congress, rows: int, width: int, stage: int = 30) -> int:
    """Lay out the standard hall (`congress/hall.py`); returns the seats created."""
    check_congress_action(actor, congress, CongressAction.MANAGE)
    if Seat.objects.filter(congress=congress).exists():
        raise ValidationError(
            _("Hội trường của đại hội này đã được bố trí."), code=Code.HALL_EXISTS
        )
    seats = Seat.objects.bulk_create(
        Seat(congress=congress, **dataclasses.asdict(spec))
        for spec in hall.standard_hall(rows=rows, width=width, stage=stage)
    )
    audit_record(actor, "hall_create", congress, {"seats": [0, len(seats)]})
    return len(seats)


@durable_service
def hall_import(actor: User, congress: Congress, name: str, stream: IO[bytes]) -> int:
    """A hall's seat plan from a CSV or XLSX file (`congress/hall_import.py`) or a pretix
    seating plan in JSON (`congress/seatmap_import.py`), checked line by line / seat by seat; it replaces a hall where nobody is seated yet. Returns the seats created; on any
    problem nothing is written and the `ValidationError` lists them with their lines."""
    check_congress_action(actor, congress, CongressAction.MANAGE)
    seated = (
        SeatAssignment.objects.filter(seat__congress=congress).exists()
        or VisitorSeat.objects.filter(seat__congress=congress).exists()
    )
    if seated:
        raise ValidationError(
            _("Hội trường đã xếp chỗ: không thay sơ đồ ghế được nữa."), code=Code.HALL_SEATED
        )
    if name.lower().endswith(".json"):
        specs = pretix_seats(stream)
    else:
        specs = hall_import_plan(stream, name)
    before = Seat.objects.filter(congress=congress).count()
    Seat.objects.filter(congress=congress).delete()
    Seat.objects.bulk_create(Seat(congress=congress, **dataclasses.asdict(s)) for s in specs)
    audit_record(
        actor, "hall_import", congress, {"seats": [before, len(specs)], "file": [None, name]}
    )
    return len(specs)


def _occupant(seat: Seat, but: Delegate | None = None) -> bool:
    """Someone (a delegate other than `but`, a guest, a journalist) sits in `seat`."""
    delegates = SeatAssignment.objects.filter(seat=seat)
    if but is not None:
        delegates = delegates.exclude(delegate=but)
    return delegates.exists() or VisitorSeat.objects.filter(seat=seat).exists()


@durable_service
def seat_mark(
    actor: User, seat: Seat, status: str | None = None, accessible: bool | None = None
) -> Seat:
    """Edit one seat of the hall: out of use (blocked), reserved (left out by the solver, a
    delegate may be moved there by hand) or open; accessible or not. A seat someone sits in
    cannot be put out of use (`seat_occupied`)."""
    check_congress_action(actor, seat.congress, CongressAction.MANAGE)
    if status is not None and status not in SeatStatus.values:
        raise _refused("status", _("Tình trạng ghế không hợp lệ."), Code.INVALID_CHOICE)
    seat.refresh_from_db(from_queryset=Seat.objects.select_for_update())
    before = {"status": seat.status, "accessible": seat.accessible}
    if status == SeatStatus.BLOCKED and seat.status != status and _occupant(seat):
        raise CongressActionRefused("seat_mark", Code.SEAT_OCCUPIED)
    seat.status = status if status is not None else seat.status
    seat.accessible = accessible if accessible is not None else seat.accessible
    changes = diff(before, {"status": seat.status, "accessible": seat.accessible})
    if changes:
        seat.save(update_fields=["status", "accessible"])
        audit_record(actor, "seat_mark", seat, changes)
    return seat


@durable_service
def delegate_move(actor: User, delegate: Delegate, seat: Seat) -> SeatAssignment:
    """Move one delegate to `seat` by hand (a member of the presidium to the stage, anyone else
    to a delegate seat, open or reserved). The seat's row is locked first, so two moves to the
    same seat cannot both win: the second is refused with `seat_taken` (409 in the API). The
    seat is pinned: re-seating keeps the delegate there until `delegate_unpin`."""
    congress = delegate.congress
    check_congress_action(actor, congress, CongressAction.SEAT)
    if seat.congress_id != congress.pk:
        raise _refused("seat", _("Ghế không thuộc hội trường của đại hội này."), Code.SEAT_ZONE)
    if delegate.standing != DelegateStanding.OFFICIAL:
        raise CongressActionRefused("delegate_move", Code.NOT_OFFICIAL)
    if delegate.credentials == Credentials.REJECTED:
        raise CongressActionRefused("delegate_move", Code.CREDENTIALS_REJECTED)
    zone = SeatZone.STAGE if delegate.presidium else SeatZone.DELEGATES
    if seat.zone != zone:
        raise _refused(
            "seat",
            _("Ghế %(seat)s thuộc khu %(zone)s, không phải khu của đại biểu này (%(want)s).")
            % {"seat": seat, "zone": seat.get_zone_display(), "want": SeatZone(zone).label},
            Code.SEAT_ZONE,
        )
    seat.refresh_from_db(from_queryset=Seat.objects.select_for_update())
    if seat.status == SeatStatus.BLOCKED:
        raise CongressActionRefused("delegate_move", Code.SEAT_BLOCKED)
    if delegate.needs_accessible_seat and not seat.accessible:
        raise _refused(
            "seat",
            _("Đại biểu cần chỗ ngồi thuận tiện: ghế %(seat)s không phải chỗ thuận tiện.")
            % {"seat": seat},
            Code.SEAT_NOT_ACCESSIBLE,
        )
    if _occupant(seat, but=delegate):
        raise CongressActionRefused("delegate_move", Code.SEAT_TAKEN)
    current = (
        SeatAssignment.objects.select_for_update()
        .select_related("seat")
        .filter(delegate=delegate)
        .first()
    )
    before = str(current.seat) if current else None
    if current is not None and current.seat_id == seat.pk and current.pinned:
        return current  # already there by hand: nothing to change or record
    pinned_before = current.pinned if current else None
    if current is None:
        current = SeatAssignment.objects.create(delegate=delegate, seat=seat, pinned=True)
    else:
        current.seat, current.pinned = seat, True
        current.save(update_fields=["seat", "pinned"])
    audit_record(
        actor,
        "delegate_move",
        delegate,
        diff({"seat": before, "pinned": pinned_before}, {"seat": str(seat), "pinned": True}),
    )
    return current


@durable_service
def delegate_unpin(actor: User, delegate: Delegate) -> bool:
    """Let the solver move a delegate seated by hand again (bỏ ghim): they keep their seat
    until the next automatic seating, which treats them like anyone already seated. Audited;
    False (and nothing recorded) when the seat was not pinned."""
    check_congress_action(actor, delegate.congress, CongressAction.SEAT)
    changed = SeatAssignment.objects.filter(delegate=delegate, pinned=True).update(pinned=False)
    if changed:
        audit_record(actor, "delegate_unpin", delegate, {"pinned": [True, False]})
    return bool(changed)


@dataclasses.dataclass(frozen=True)
class SeatBlock:
    """A block of seats chosen on the seating page: a section, a range of rows and a range of
    seat numbers (both inclusive, either order), e.g. B, rows 3-5, seats 1-12."""

    section: str
    rows: tuple[int, int]
    numbers: tuple[int, int]

    def __str__(self) -> str:
        (r1, r2), (n1, n2) = sorted(self.rows), sorted(self.numbers)
        return _("khu vực %(section)s, hàng %(r1)d-%(r2)d, ghế %(n1)d-%(n2)d") % {
            "section": self.section,
            "r1": r1,
            "r2": r2,
            "n1": n1,
            "n2": n2,
        }


@dataclasses.dataclass(frozen=True)
class BlockResult:
    seated: int  # delegates given a seat of the block (pinned there)
    displaced: int  # unpinned delegates of others who lost their seat to them
    kept_pinned: int  # delegates of the delegation pinned elsewhere, left where they are
    unusable: int  # seats of the block left out: out of use, pinned for someone else, a visitor's


MAX_BLOCK_SEATS = 2_000


def _block_refused(message: str, code: Code = Code.SEAT_BLOCK) -> ValidationError:
    return _refused("block", message, code)


def _block_people(
    congress: Congress, zone: str, delegation: Delegation | None, chosen: Iterable[Delegate]
) -> list[Delegate]:
    """Whom the block seats: a delegation's official delegates (credentials not rejected) of
    the block's zone, or the delegates chosen, each checked; refused in words otherwise."""
    chosen = list(chosen)
    if delegation is not None:
        if delegation.congress_id != congress.pk:
            raise _block_refused(_("Đoàn không thuộc đại hội này."), Code.OTHER_DELEGATION)
        return [
            d
            for d in _seated_delegates(congress)
            if d.delegation_id == delegation.pk and d.presidium == (zone == SeatZone.STAGE)
        ]
    problems = []
    for d in chosen:
        if d.congress_id != congress.pk:
            problems.append(_("%(name)s không phải đại biểu của đại hội này.") % {"name": d})
        elif d.standing != DelegateStanding.OFFICIAL:
            problems.append(_("%(name)s không phải đại biểu chính thức.") % {"name": d})
        elif d.credentials == Credentials.REJECTED:
            problems.append(_("%(name)s không được công nhận tư cách.") % {"name": d})
        elif d.presidium != (zone == SeatZone.STAGE):
            want = SeatZone.STAGE if d.presidium else SeatZone.DELEGATES
            problems.append(
                _("%(name)s ngồi ở khu %(want)s, không phải khu này.")
                % {"name": d, "want": SeatZone(want).label}
            )
    if problems:
        raise _block_refused(" ".join(problems), Code.SEAT_ZONE)
    return list(chosen)


def _block_seats(congress: Congress, block: SeatBlock) -> tuple[list[Seat], str]:
    """The block's seats, locked, in seat order, and their zone (the stage or the delegates');
    refused in words when the block is malformed, empty or of another zone."""
    (r1, r2), (n1, n2) = sorted(block.rows), sorted(block.numbers)
    if r1 < 1 or n1 < 1 or (r2 - r1 + 1) * (n2 - n1 + 1) > MAX_BLOCK_SEATS:
        raise _block_refused(
            _("Khối ghế không hợp lệ: hàng và ghế từ 1, tối đa %(max)d ghế một lần.")
            % {"max": MAX_BLOCK_SEATS}
        )
    seats = list(
        Seat.objects.select_for_update()
        .filter(congress=congress, section=block.section, row__range=(r1, r2))
        .filter(number__range=(n1, n2))
        .order_by("row", "number")
    )
    if not seats:
        raise _block_refused(_("Hội trường không có ghế nào ở %(block)s.") % {"block": block})
    zones = {s.zone for s in seats}
    zone = seats[0].zone
    if len(zones) > 1 or zone not in (SeatZone.STAGE, SeatZone.DELEGATES):
        raise _block_refused(
            _("Khối ghế %(block)s không phải chỗ của đại biểu (khu %(zone)s).")
            % {"block": block, "zone": Seat(zone=zone).get_zone_display()},
            Code.SEAT_ZONE,
        )
    return seats, zone


def _block_plan(
    block: SeatBlock,
    to_seat: Sequence[Delegate],
    free: Sequence[Seat],
    current: Mapping[int, SeatAssignment],
    in_block: set[int],
) -> dict[int, int]:
    """Delegate id -> seat id: those pinned inside the block keep their seat, those who need
    an accessible seat take the block's accessible ones first, the others fill the rest in
    seat order; refused when the accessible seats are too few."""
    needs = [d for d in to_seat if d.needs_accessible_seat]
    easy = [s for s in free if s.accessible]
    if len(needs) > len(easy):
        raise _block_refused(
            _(
                "Khối ghế %(block)s có %(seats)d chỗ thuận tiện dùng được cho %(people)d đại "
                "biểu cần chỗ thuận tiện."
            )
            % {"block": block, "seats": len(easy), "people": len(needs)},
            Code.SEAT_NOT_ACCESSIBLE,
        )
    plan = {  # pinned inside the block already: they keep their seat
        d.pk: current[d.pk].seat_id
        for d in to_seat
        if d.pk in current and current[d.pk].pinned and current[d.pk].seat_id in in_block
    }
    easy = [s for s in easy if s.pk not in plan.values()]
    plan.update(zip((d.pk for d in needs if d.pk not in plan), (s.pk for s in easy), strict=False))
    if any(d.pk not in plan for d in needs):
        raise _block_refused(
            _("Khối ghế %(block)s không đủ chỗ thuận tiện dùng được.") % {"block": block},
            Code.SEAT_NOT_ACCESSIBLE,
        )
    taken = set(plan.values())
    rest = iter(s for s in free if s.pk not in taken)
    plan.update({d.pk: next(rest).pk for d in to_seat if d.pk not in plan})
    return plan


@durable_service
def seats_assign_block(
    actor: User,
    congress: Congress,
    block: SeatBlock,
    delegation: Delegation | None = None,
    delegates: Sequence[Delegate] = (),
) -> BlockResult:
    """Seat a delegation (or the delegates chosen) in a block of seats in one action, all or
    nothing: in seat order (row by row, number by number), those who need an accessible seat
    on the block's accessible seats first; each seated is pinned (given by hand: the solver
    keeps them there). A seat out of use, one pinned for someone else or a guest's or a
    journalist's is skipped; an unpinned delegate of someone else on a seat the block needs
    loses it (the next automatic seating gives them another). A delegate of the delegation
    pinned outside the block stays there (a delegate chosen by name is moved); one pinned
    inside it keeps their seat. Too few usable (or accessible) seats: refused, and nothing
    changes. Audited per delegate moved and per delegate displaced."""
    check_congress_action(actor, congress, CongressAction.SEAT)
    if (delegation is None) == (not delegates):
        raise _block_refused(_("Chọn một đoàn hoặc các đại biểu cần xếp vào khối ghế."))
    seats, zone = _block_seats(congress, block)
    people = _block_people(congress, zone, delegation, {d.pk: d for d in delegates}.values())
    if not people:
        raise _block_refused(
            _("Đoàn không có đại biểu nào được xếp ở khu %(zone)s.")
            % {"zone": Seat(zone=zone).get_zone_display()},
            Code.SEAT_ZONE,
        )
    ids = {d.pk for d in people}
    current = {
        a.delegate_id: a
        for a in SeatAssignment.objects.select_for_update(of=("self",))
        .select_related("seat", "delegate")
        .filter(seat__congress=congress)
    }
    by_seat = {a.seat_id: a for a in current.values()}
    in_block = {s.pk for s in seats}
    pinned_out = [d for d in people if d.pk in current and current[d.pk].pinned]
    pinned_out = [d for d in pinned_out if current[d.pk].seat_id not in in_block]
    # A delegation's member pinned elsewhere keeps that seat; delegates chosen by name are
    # moved (the choice is theirs to make again).
    keep = {d.pk for d in pinned_out} if delegation is not None else set()
    visitors = set(VisitorSeat.objects.filter(seat__in=seats).values_list("seat_id", flat=True))

    def usable(seat: Seat) -> bool:
        held = by_seat.get(seat.pk)
        foreign_pin = held is not None and held.pinned and held.delegate_id not in ids
        return seat.status != SeatStatus.BLOCKED and not foreign_pin and seat.pk not in visitors

    free = [s for s in seats if usable(s)]
    to_seat = [d for d in people if d.pk not in keep]
    if not to_seat:
        raise _block_refused(
            _("Mọi đại biểu của đoàn đã được ghim ở ghế khác: không có ai để xếp vào khối ghế.")
        )
    if len(to_seat) > len(free):
        raise _block_refused(
            _(
                "Khối ghế %(block)s chỉ còn %(free)d ghế dùng được (trong %(all)d ghế; ghế không "
                "sử dụng, ghế đã ghim cho người khác và ghế của khách mời, báo chí không tính) "
                "cho %(people)d đại biểu. Chọn khối ghế rộng hơn."
            )
            % {"block": block, "free": len(free), "all": len(seats), "people": len(to_seat)}
        )
    plan = _block_plan(block, to_seat, free, current, in_block)
    label = {s.pk: str(s) for s in seats}
    displaced = [
        by_seat[s] for s in plan.values() if s in by_seat and by_seat[s].delegate_id not in ids
    ]
    moved = [
        d
        for d in to_seat
        if d.pk not in current or current[d.pk].seat_id != plan[d.pk] or not current[d.pk].pinned
    ]
    SeatAssignment.objects.filter(
        pk__in=[a.pk for a in displaced] + [current[d.pk].pk for d in to_seat if d.pk in current]
    ).delete()
    SeatAssignment.objects.bulk_create(
        SeatAssignment(delegate_id=d, seat_id=s, pinned=True) for d, s in plan.items()
    )
    audit_record_many(
        actor,
        "delegate_move",
        [
            Change(
                d,
                diff(
                    {
                        "seat": str(current[d.pk].seat) if d.pk in current else None,
                        "pinned": current[d.pk].pinned if d.pk in current else None,
                    },
                    {"seat": label[plan[d.pk]], "pinned": True},
                ),
            )
            for d in moved
        ],
    )
    audit_record_many(
        actor,
        "delegate_unseat",
        [Change(a.delegate, {"seat": [str(a.seat), None]}) for a in displaced],
    )
    audit_record(
        actor,
        "seats_assign_block",
        congress,
        {
            "block": [None, str(block)],
            "seated": [None, len(plan)],
            "displaced": [None, len(displaced)],
        },
    )
    return BlockResult(len(plan), len(displaced), len(keep), len(seats) - len(free))


@dataclasses.dataclass(frozen=True)
class SeatingResult:
    seated: int
    moves: int
    crossings: int
    optimal: bool
    guests: int = 0  # guests who accepted, seated in the guests' zone
    press: int = 0  # approved journalists, seated in the press zone
    visitor_moves: int = 0
    pinned: int = 0  # delegates kept on the seat given them by hand


def _pinned_seats(congress: Congress, delegates: Sequence[Delegate]) -> dict[int, int]:
    """Delegate id -> seat id of the pins the solver keeps: a delegate still to be seated, on
    a seat in use (open or reserved) of their zone (the stage for the presidium)."""
    zone_of = {d.pk: SeatZone.STAGE if d.presidium else SeatZone.DELEGATES for d in delegates}
    rows = SeatAssignment.objects.filter(seat__congress=congress, pinned=True).exclude(
        seat__status=SeatStatus.BLOCKED
    )
    return {
        d: s
        for d, s, zone in rows.values_list("delegate_id", "seat_id", "seat__zone")
        if zone_of.get(d) == zone
    }


def _seated_delegates(congress: Congress) -> list[Delegate]:
    return list(
        Delegate.objects.filter(congress=congress, standing=DelegateStanding.OFFICIAL)
        .exclude(credentials=Credentials.REJECTED)
        .order_by("delegation__protocol_order", "full_name", "pk")
    )


@durable_service
def seating_solve(actor: User, congress: Congress) -> SeatingResult:
    """Seat the official delegates (credentials not rejected): the presidium on the stage in
    protocol order, everyone else by delegation blocks (`congress/seating.py`). When the hall is
    already seated, re-seat moving as few delegates as possible. A delegate moved by hand
    (pinned) keeps their seat: it is not the solver's to give."""
    check_congress_action(actor, congress, CongressAction.SEAT)
    seats = list(
        Seat.objects.filter(congress=congress, status=SeatStatus.OPEN).order_by(
            "rank", "row", "number"
        )
    )
    if not seats:
        raise ValidationError(_("Chưa bố trí hội trường."), code=Code.NO_HALL)
    everyone = _seated_delegates(congress)
    pinned = _pinned_seats(congress, everyone)
    taken = set(pinned.values())
    seats = [s for s in seats if s.pk not in taken]
    delegates = [d for d in everyone if d.pk not in pinned]
    usable = {s.pk for s in seats}  # a blocked or reserved seat is left out (and its sitter moved)
    previous = {
        d: s
        for d, s in SeatAssignment.objects.filter(seat__congress=congress).values_list(
            "delegate_id", "seat_id"
        )
        if s in usable
    }
    stage = [s for s in seats if s.zone == SeatZone.STAGE]
    spots = [
        seating.Spot(s.pk, s.section, s.accessible) for s in seats if s.zone == SeatZone.DELEGATES
    ]
    presidium = [d for d in delegates if d.presidium]
    people = [
        seating.Person(d.pk, d.delegation_id, d.needs_accessible_seat)
        for d in delegates
        if not d.presidium
    ]
    if len(presidium) > len(stage):
        raise ValidationError(
            _("Sân khấu không đủ chỗ cho Đoàn Chủ tịch."), code=Code.SEATING_INFEASIBLE
        )
    if len(people) > len(spots):
        raise ValidationError(
            _("Hội trường chỉ có %(seats)d ghế đại biểu cho %(people)d đại biểu.")
            % {"seats": len(spots), "people": len(people)},
            code=Code.SEATING_INFEASIBLE,
        )
    order = list(
        Delegation.objects.filter(congress=congress)
        .order_by("protocol_order", "pk")
        .values_list("pk", flat=True)
    )
    try:
        plan = seating.plan(spots, people, order, previous or None)
    except seating.SeatingInfeasibleError as error:
        raise ValidationError(
            _("Không xếp được chỗ ngồi với các ràng buộc hiện có: %(why)s") % {"why": error},
            code=Code.SEATING_INFEASIBLE,
        ) from error
    assignment = dict(plan.seats)
    assignment.update({d.pk: s.pk for d, s in zip(presidium, stage, strict=False)})
    assignment.update(pinned)
    guests = _visitors_plan(congress, seats, SeatZone.GUESTS)
    press = _visitors_plan(congress, seats, SeatZone.PRESS)
    SeatAssignment.objects.filter(seat__congress=congress).delete()
    SeatAssignment.objects.bulk_create(
        SeatAssignment(delegate_id=d, seat_id=s, pinned=d in pinned) for d, s in assignment.items()
    )
    VisitorSeat.objects.filter(seat__congress=congress).delete()
    VisitorSeat.objects.bulk_create(
        [VisitorSeat(guest_id=g, seat_id=s) for g, s in guests.seats.items()]
        + [VisitorSeat(press_id=p, seat_id=s) for p, s in press.seats.items()]
    )
    result = SeatingResult(
        len(assignment),
        plan.moves,
        plan.crossings,
        plan.optimal,
        guests=len(guests.seats),
        press=len(press.seats),
        visitor_moves=guests.moves + press.moves,
        pinned=len(pinned),
    )
    audit_record(
        actor,
        "seating_solve",
        congress,
        {
            "seated": [len(previous), result.seated],
            "moves": [None, result.moves],
            "visitors": [None, result.guests + result.press],
            "pinned": [None, result.pinned],
        },
    )
    return result


def _seating_areas(seats: Sequence[Seat]) -> dict[str, frozenset[int]]:
    """The seating areas a guest may be given, and their seats: a section ("K") or one of its
    rows ("K-1", the section and the row number)."""
    areas: dict[str, set[int]] = {}
    for seat in seats:
        areas.setdefault(seat.section, set()).add(seat.pk)
        areas.setdefault(f"{seat.section}-{seat.row}", set()).add(seat.pk)
    return {name: frozenset(ids) for name, ids in areas.items()}


def _visitors_plan(congress: Congress, seats: Sequence[Seat], zone: str) -> seating.Plan:
    """Guests who accepted (or approved journalists) in their zone of the hall, by the same
    solver: the guests of one party, country or agency side by side, the blocks in protocol
    order (the highest-ranked guest's) front to back, a guest with a seating area inside that
    section; journalists by outlet. Those seated before move as little as possible."""
    spots = [
        seating.Spot(s.pk, s.section, s.accessible)
        for s in hall.line_up(s for s in seats if s.zone == zone)
    ]
    if zone == SeatZone.GUESTS:
        guests = list(
            Guest.objects.filter(congress=congress, reply=GuestReply.ACCEPTED).order_by(
                "protocol_rank", "full_name", "pk"
            )
        )
        keys = [(g.organization, g.seating_area.strip()) for g in guests]
        previous = dict(
            VisitorSeat.objects.filter(guest__in=guests).values_list("guest_id", "seat_id")
        )
        names: list[tuple[int, str]] = [(g.pk, g.full_name) for g in guests]
    else:
        passes = list(
            PressPass.objects.filter(congress=congress, state=PressState.APPROVED).order_by(
                "outlet", "full_name", "pk"
            )
        )
        keys = [(p.outlet, "") for p in passes]
        previous = dict(
            VisitorSeat.objects.filter(press__in=passes).values_list("press_id", "seat_id")
        )
        names = [(p.pk, p.full_name) for p in passes]
    if not names:
        return seating.Plan({}, 0, 0, True)
    block_of = {key: i for i, key in enumerate(dict.fromkeys(keys))}  # first seen: protocol
    people = [
        seating.Person(pk, block_of[key]) for (pk, _name), key in zip(names, keys, strict=True)
    ]
    label = SeatZone(zone).label
    if len(people) > len(spots):
        raise ValidationError(
            _("Khu %(zone)s chỉ có %(seats)d ghế cho %(people)d người.")
            % {"zone": label, "seats": len(spots), "people": len(people)},
            code=Code.SEATING_INFEASIBLE,
        )
    areas = _seating_areas([s for s in seats if s.zone == zone])
    for who, area in block_of:
        if area and area not in areas:
            raise ValidationError(
                _("Khu vực ngồi «%(area)s» của %(who)s không có trong khu %(zone)s.")
                % {"area": area, "who": who, "zone": label},
                code=Code.SEATING_INFEASIBLE,
            )
    try:
        return seating.plan(
            spots,
            people,
            list(block_of.values()),
            previous or None,
            areas={block: areas[key[1]] for key, block in block_of.items() if key[1]},
            seconds=2.0,
        )
    except seating.SeatingInfeasibleError as error:
        raise ValidationError(
            _("Không xếp được chỗ ngồi khu %(zone)s: %(why)s") % {"zone": label, "why": error},
            code=Code.SEATING_INFEASIBLE,
        ) from error


@dataclasses.dataclass(frozen=True)
class CheckInResult:
    holder: str  # "delegate", "guest" or "press"
    holder_id: int
    name: str
    affiliation: str  # the delegation, the guest's organization, the outlet
    created: bool  # False: already checked in at this session
    delegate: Delegate | None = None


def checkin_record(
    actor: User, congress: Congress, session: CongressSession, token: str
) -> CheckInResult:
    """Check a delegate, a guest or a journalist in at a session from their badge's signed
    code. Sending the same scan again (a queue replayed after a network loss) finds the first
    check-in: it counts once."""
    check_congress_action(actor, congress, CongressAction.CHECK_IN)
    found = badges.badge_holder(token, congress)
    if found is None or session.congress_id != congress.pk:
        raise _refused("token", _("Mã trên thẻ không hợp lệ."), Code.BAD_BADGE)
    holder, pk = found
    if holder == badges.DELEGATE:
        return _delegate_checkin(actor, congress, session, pk)
    return _visitor_checkin(actor, congress, session, holder, pk)


def _delegate_checkin(
    actor: User, congress: Congress, session: CongressSession, pk: int
) -> CheckInResult:
    delegate = (
        Delegate.objects.select_related("delegation", "congress")
        .filter(pk=pk, congress=congress)
        .first()
    )
    if delegate is None:
        raise _refused("token", _("Mã trên thẻ không hợp lệ."), Code.BAD_BADGE)
    check_delegate_action(actor, delegate, DelegateAction.CHECK_IN)
    created = _once(
        lambda: CheckIn.objects.create(
            session=session, delegate=delegate, at=timezone.now(), by=actor
        ),
        lambda: audit_record(actor, "check_in", delegate, {"session": [None, session.pk]}),
    )
    return CheckInResult(
        badges.DELEGATE, pk, delegate.full_name, delegate.delegation.name, created, delegate
    )


def _visitor_checkin(
    actor: User, congress: Congress, session: CongressSession, holder: str, pk: int
) -> CheckInResult:
    today = timezone.localdate()
    visitor: Guest | PressPass | None
    if holder == badges.GUEST:
        visitor = Guest.objects.select_related("congress").filter(pk=pk, congress=congress).first()
        state = guest_state(visitor, today) if visitor else None
    else:
        visitor = (
            PressPass.objects.select_related("congress").filter(pk=pk, congress=congress).first()
        )
        state = press_state(visitor, today) if visitor else None
    if visitor is None or state is None:
        raise _refused("token", _("Mã trên thẻ không hợp lệ."), Code.BAD_BADGE)
    check_visitor_action(actor, congress, state, VisitorAction.CHECK_IN)
    row: dict[str, Guest | PressPass] = (
        {"guest": visitor} if isinstance(visitor, Guest) else {"press": visitor}
    )
    created = _once(
        lambda: VisitorCheckIn.objects.create(session=session, at=timezone.now(), by=actor, **row),
        lambda: audit_record(actor, "check_in", visitor, {"session": [None, session.pk]}),
    )
    affiliation = visitor.organization if isinstance(visitor, Guest) else visitor.outlet
    return CheckInResult(holder, pk, visitor.full_name, affiliation, created)


def _once(create: Callable[[], object], audit: Callable[[], object]) -> bool:
    """Create a check-in and its audit entry in one durable transaction; False when the
    database already holds it (the unique constraint), nothing written then."""
    try:
        with transaction.atomic(durable=True):
            create()
            audit()
    except IntegrityError:
        return False
    return True


# Guests and press ---------------------------------------------------------------------------


def _new_visitor(congress: Congress) -> VisitorState:
    return VisitorState(
        closed=timezone.localdate() > congress.closes_on, admitted=False, decided=False
    )


@dataclasses.dataclass(frozen=True)
class GuestData:
    kind: str
    full_name: str
    title: str
    organization: str
    protocol_rank: int
    seating_area: str = ""
    interpreter: str = ""


@durable_service
def guest_invite(actor: User, congress: Congress, data: GuestData) -> Guest:
    """Invite a guest (their reply still to come)."""
    check_visitor_action(actor, congress, _new_visitor(congress), VisitorAction.EDIT)
    if data.kind not in GuestKind.values:
        raise _refused("kind", _("Loại khách mời không hợp lệ."), Code.INVALID_CHOICE)
    guest = Guest.objects.create(congress=congress, **dataclasses.asdict(data))
    audit_record(
        actor, "guest_invite", guest, {k: [None, v] for k, v in dataclasses.asdict(data).items()}
    )
    return guest


@durable_service
def guest_place(actor: User, guest: Guest, protocol_rank: int, seating_area: str) -> Guest:
    """Change a guest's protocol rank and seating area."""
    check_visitor_action(
        actor, guest.congress, guest_state(guest, timezone.localdate()), VisitorAction.EDIT
    )
    changes = {
        field: [getattr(guest, field), value]
        for field, value in (("protocol_rank", protocol_rank), ("seating_area", seating_area))
        if getattr(guest, field) != value
    }
    guest.protocol_rank, guest.seating_area = protocol_rank, seating_area
    guest.save(update_fields=["protocol_rank", "seating_area"])
    audit_record(actor, "guest_place", guest, changes)
    return guest


@durable_service
def guest_reply(actor: User, guest: Guest, reply: str) -> Guest:
    """Record a guest's reply to the invitation (it may change until the congress closes)."""
    check_visitor_action(
        actor, guest.congress, guest_state(guest, timezone.localdate()), VisitorAction.DECIDE
    )
    if reply not in GuestReply.values:
        raise _refused("reply", _("Trả lời không hợp lệ."), Code.INVALID_CHOICE)
    before = guest.reply
    guest.reply = reply
    guest.save(update_fields=["reply"])
    if reply != GuestReply.ACCEPTED:  # their seat is freed; the next seating fills it
        VisitorSeat.objects.filter(guest=guest).delete()
    audit_record(actor, "guest_reply", guest, {"reply": [before, reply]})
    return guest


@dataclasses.dataclass(frozen=True)
class PressData:
    full_name: str
    outlet: str
    role: str
    card_number: str
    press_centre: bool = True


@durable_service
def press_request(actor: User, congress: Congress, data: PressData) -> PressPass:
    """Register a journalist's request for accreditation."""
    check_visitor_action(actor, congress, _new_visitor(congress), VisitorAction.EDIT)
    if data.role not in PressRole.values:
        raise _refused("role", _("Nhiệm vụ không hợp lệ."), Code.INVALID_CHOICE)
    card = data.card_number.strip()
    if not card:
        raise _refused("card_number", _("Cần số thẻ nhà báo."), Code.CARD_REQUIRED)
    taken = _refused("card_number", _("Số thẻ nhà báo này đã được đăng ký."), Code.CARD_TAKEN)
    if PressPass.objects.filter(congress=congress, card_number=card).exists():
        raise taken
    try:  # registered meanwhile (a double click): congress_press_card_once, the same refusal
        with transaction.atomic():
            press = PressPass.objects.create(
                congress=congress, **{**dataclasses.asdict(data), "card_number": card}
            )
    except IntegrityError:
        raise taken from None
    audit_record(
        actor,
        "press_request",
        press,
        {"full_name": [None, data.full_name], "outlet": [None, data.outlet]},
    )
    return press


@durable_service
def press_cards_read(
    actor: User, congress: Congress, passes: Sequence[PressPass]
) -> dict[int, str]:
    """The press card numbers of `passes` (a page of a list), by pass id, for whom the access
    rule lets see them (the secretariat), else none. Every read that shows a number leaves one
    audit entry naming the passes shown, as the reads of delegates' profiles do."""
    if VisitorAction.VIEW_CARD not in visitor_role_actions(actor, congress) or not passes:
        return {}
    ids = sorted(press.pk for press in passes)
    cards = dict(
        PressPass.objects.filter(congress=congress, pk__in=ids).values_list("pk", "card_number")
    )
    audit_record(actor, "press_card_read", congress, {"press": [None, ids]})
    return cards


@durable_service
def press_decide(actor: User, press: PressPass, approve: bool, reason: str = "") -> PressPass:
    """Approve or refuse a press accreditation (final); a refusal needs a reason."""
    check_visitor_action(
        actor, press.congress, press_state(press, timezone.localdate()), VisitorAction.DECIDE
    )
    reason = reason.strip()
    if not approve and not reason:
        raise _refused("reason", _("Cần nêu lý do khi không cấp thẻ."), Code.REASON_REQUIRED)
    state = PressState.APPROVED if approve else PressState.REJECTED
    before = press.state
    press.state, press.reason = state, reason
    press.save(update_fields=["state", "reason"])
    audit_record(actor, "press_decide", press, {"state": [before, state], "reason": [None, reason]})
    return press


# Speeches -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SpeechData:
    session: CongressSession
    delegation: Delegation
    topic: str
    summary: str = ""
    mode: str = SpeechMode.ORAL
    speaker: Delegate | None = None
    minutes: int = 7
    title: str = ""  # none: the topic
    agenda_item: AgendaItem | None = None


class SpeechDecision(enum.StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    CHANGES = "changes"  # sent back to the delegation with what to change


DECISION_STATE = {
    SpeechDecision.APPROVE: SpeechState.APPROVED,
    SpeechDecision.DECLINE: SpeechState.DECLINED,
    SpeechDecision.CHANGES: SpeechState.CHANGES,
}


def _speech_problem(congress: Congress, data: SpeechData) -> ValidationError | None:
    """The first thing wrong with a proposal's content, as a refusal on its field."""
    if data.session.congress_id != congress.pk or data.delegation.congress_id != congress.pk:
        return _refused(
            "session", _("Phiên họp hoặc đoàn không thuộc đại hội này."), Code.OTHER_SESSION
        )
    if data.agenda_item is not None and data.agenda_item.session_id != data.session.pk:
        return _refused(
            "agenda_item", _("Mục chương trình không thuộc phiên họp đã chọn."), Code.OTHER_ITEM
        )
    if data.speaker is not None and data.speaker.delegation_id != data.delegation.pk:
        return _refused(
            "speaker", _("Người trình bày phải là đại biểu của đoàn."), Code.SPEAKER_ELSEWHERE
        )
    if not data.topic.strip():
        return _refused("topic", _("Cần nêu chủ đề tham luận."), Code.INVALID_CHOICE)
    if data.mode not in SpeechMode.values:
        return _refused("mode", _("Hình thức không hợp lệ."), Code.INVALID_CHOICE)
    if not 1 <= data.minutes <= 60:
        return _refused("minutes", _("Thời gian từ 1 đến 60 phút."), Code.INVALID_CHOICE)
    return None


def _speech_fields(data: SpeechData) -> dict[str, object]:
    return {
        "session": data.session,
        "agenda_item": data.agenda_item,
        "title": (data.title or data.topic).strip(),
        "topic": data.topic.strip(),
        "summary": data.summary.strip(),
        "mode": data.mode,
        "speaker": data.speaker,
        "minutes": data.minutes,
    }


def _speech_snapshot(speech: Speech) -> dict[str, object]:
    """What the audit keeps of a speech's content."""
    return {
        "session": speech.session_id,
        "agenda_item": speech.agenda_item_id,
        "title": speech.title,
        "topic": speech.topic,
        "summary": speech.summary,
        "mode": speech.mode,
        "speaker": speech.speaker_id,
        "minutes": speech.minutes,
        "document": speech.document_name,
        "state": speech.state,
    }


def _attach_text(speech: Speech, document: File[Any] | None) -> None:
    """Keep the speech's text (PDF or Word, checked by its content, a random stored name)."""
    if document is None:
        return
    checked = attachments.check_file(document, attachments.DOCUMENT_KINDS)
    speech.document.save(checked.name, document, save=False)
    speech.document_name = checked.name


@durable_service
def speech_register(
    actor: User, congress: Congress, data: SpeechData, document: File[Any] | None = None
) -> Speech:
    """A delegation's proposed speech (tham luận) for a session, by its head or secretary or by
    the secretariat for it: title, topic, agenda item, speaker of the delegation, summary and
    its text (optional)."""
    check_speech_action(
        actor, congress, new_speech_facts(congress, data.delegation), SpeechAction.EDIT
    )
    problem = _speech_problem(congress, data)
    if problem is not None:
        raise problem
    speech = Speech(delegation=data.delegation, proposed_by=actor, **_speech_fields(data))
    _attach_text(speech, document)
    try:
        speech.save()
    except Exception:
        speech.document.delete(save=False)
        raise
    audit_record(
        actor,
        "speech_register",
        speech,
        {k: [None, v] for k, v in _speech_snapshot(speech).items() if v not in (None, "")}
        | {"delegation": [None, data.delegation.code]},
    )
    return speech


def _lock(speech: Speech) -> None:
    """Read `speech` again with its row locked until commit, before checking a rule on it: a
    decision and an amendment made at the same time do not overwrite each other (the second
    waits, then sees the first). SQLite runs one writing transaction at a time."""
    speech.refresh_from_db(from_queryset=Speech.objects.select_for_update(no_key=True))


@durable_service
def speech_amend(
    actor: User, speech: Speech, data: SpeechData | None, document: File[Any] | None = None
) -> Speech:
    """Change a speech not yet decided (its delegation's head or secretary, or the
    secretariat): its content (`data`; None keeps it) and/or its text; one sent back for
    changes goes back to the reviewers. The old text's file goes once the change is kept."""
    _lock(speech)
    congress = speech.session.congress
    check_speech_action(
        actor, congress, speech_state(speech, timezone.localdate()), SpeechAction.EDIT
    )
    before = _speech_snapshot(speech)
    if data is not None:
        if data.delegation.pk != speech.delegation_id:
            raise _refused(
                "delegation", _("Không đổi được đoàn của tham luận."), Code.OTHER_DELEGATION
            )
        problem = _speech_problem(congress, data)
        if problem is not None:
            raise problem
        for field, value in _speech_fields(data).items():
            setattr(speech, field, value)
    speech.state = SpeechState.PROPOSED
    old_file = speech.document.name
    _attach_text(speech, document)
    speech.save()
    audit_record(actor, "speech_amend", speech, diff(before, _speech_snapshot(speech)))
    if document is not None and old_file:
        transaction.on_commit(lambda: speech.document.storage.delete(old_file))
    return speech


@durable_service
def speech_decide(
    actor: User, speech: Speech, decision: SpeechDecision | str, reason: str = ""
) -> Speech:
    """Select a proposed speech, refuse it (both final) or send it back to its delegation
    with what to change. A selected oral speech goes to the end of its session's order."""
    _lock(speech)
    congress = speech.session.congress
    check_speech_action(
        actor, congress, speech_state(speech, timezone.localdate()), SpeechAction.DECIDE
    )
    try:
        decision = SpeechDecision(decision)
    except ValueError:
        raise _refused("decision", _("Quyết định không hợp lệ."), Code.INVALID_CHOICE) from None
    reason = reason.strip()
    if decision == SpeechDecision.DECLINE and not reason:
        raise _refused("reason", _("Cần nêu lý do khi không chọn."), Code.REASON_REQUIRED)
    if decision == SpeechDecision.CHANGES and not reason:
        raise _refused(
            "reason", _("Cần nêu nội dung đề nghị đoàn chỉnh sửa."), Code.REASON_REQUIRED
        )
    speech.state = DECISION_STATE[decision]
    speech.reason = reason
    if decision == SpeechDecision.APPROVE and speech.mode == SpeechMode.ORAL:
        last = Speech.objects.filter(session=speech.session, position__isnull=False).aggregate(
            last=Max("position")
        )["last"]
        speech.position = (last or 0) + 1
    speech.save(update_fields=["state", "reason", "position"])
    audit_record(
        actor,
        "speech_decide",
        speech,
        {
            "state": [SpeechState.PROPOSED, speech.state],
            "position": [None, speech.position],
            "reason": [None, reason or None],
        },
    )
    notices.speech_decision_notify(actor, speech)
    return speech


@durable_service
def speech_order(
    actor: User, session: CongressSession, order: Sequence[tuple[int, int]]
) -> list[Speech]:
    """The order of a session's selected oral speeches and each one's time limit:
    `order` lists every one of them once, as (speech id, minutes)."""
    congress = session.congress
    speeches = {
        s.pk: s
        for s in Speech.objects.filter(
            session=session, state=SpeechState.APPROVED, mode=SpeechMode.ORAL
        ).select_related("session__congress", "delegation")
    }
    today = timezone.localdate()
    for speech in speeches.values():
        check_speech_action(actor, congress, speech_state(speech, today), SpeechAction.ORDER)
    if not speeches:  # nothing to order: still only the secretariat, and only while open
        check_speech_action(actor, congress, new_speech_facts(congress), SpeechAction.EDIT)
    ids = [pk for pk, _minutes in order]
    if sorted(ids) != sorted(speeches) or len(set(ids)) != len(ids):
        raise _refused(
            "order",
            _("Thứ tự phải liệt kê đúng một lần mỗi tham luận đã được chọn của phiên."),
            Code.ORDER_MISMATCH,
        )
    if any(not 1 <= minutes <= 60 for _pk, minutes in order):
        raise _refused("minutes", _("Thời gian từ 1 đến 60 phút."), Code.INVALID_CHOICE)
    before = [(s.pk, s.minutes) for s in sorted(speeches.values(), key=lambda s: s.position or 0)]
    for position, (pk, minutes) in enumerate(order, start=1):
        speeches[pk].position, speeches[pk].minutes = position, minutes
    Speech.objects.bulk_update(speeches.values(), ["position", "minutes"])
    audit_record(
        actor,
        "speech_order",
        session,
        {"order": [[list(p) for p in before], [list(p) for p in order]]},
    )
    return sorted(speeches.values(), key=lambda s: s.position or 0)


@dataclasses.dataclass(frozen=True)
class StructureData:
    """The structure of speeches the leadership sets: how many are read out in the hall, how
    many on each topic, and each kind of delegation's share (per cent of the total)."""

    total: int
    topics: Sequence[tuple[str, int]] = ()
    shares: Mapping[str, int] = dataclasses.field(default_factory=dict)
    note: str = ""


def _structure_problem(data: StructureData) -> tuple[str, str] | None:
    """The first thing that keeps the structure from adding up: (field, message)."""
    if not 1 <= data.total <= 500:
        return "total", _("Số tham luận trình bày từ 1 đến 500.")
    keys = [search_key(topic) for topic, _count in data.topics]
    if any(not key for key in keys) or len(set(keys)) != len(keys):
        return "topics", _("Mỗi chủ đề phải có tên và chỉ ghi một lần.")
    if any(count < 1 for _topic, count in data.topics):
        return "topics", _("Số tham luận của mỗi chủ đề phải từ 1 trở lên.")
    if sum(count for _topic, count in data.topics) > data.total:
        return "topics", _("Tổng số tham luận các chủ đề vượt số tham luận trình bày.")
    if any(kind not in DelegationKind.values for kind in data.shares):
        return "shares", _("Loại đoàn không hợp lệ.")
    if any(not 0 <= p <= 100 for p in data.shares.values()) or sum(data.shares.values()) > 100:
        return "shares", _("Tỷ lệ mỗi loại đoàn từ 0 đến 100%, cộng lại không quá 100%.")
    return None


def _structure_lines(structure: SpeechStructure | None) -> dict[str, object]:
    """What the audit keeps of a structure: its total, topics and shares."""
    if structure is None:
        return {"total": None, "topics": [], "shares": {}}
    targets = list(structure.targets.all())
    return {
        "total": structure.total,
        "topics": [[t.key, t.count] for t in targets if t.kind == SpeechTargetKind.TOPIC],
        "shares": {t.key: t.percent for t in targets if t.kind == SpeechTargetKind.DELEGATION_KIND},
    }


@durable_service
def speech_structure_set(actor: User, congress: Congress, data: StructureData) -> SpeechStructure:
    """Record (or replace) the structure of speeches the selection is checked against
    (`selectors.speech_structure_check`); a target, not a lock."""
    check_speech_action(actor, congress, new_speech_facts(congress), SpeechAction.PLAN)
    problem = _structure_problem(data)
    if problem is not None:
        raise _refused(problem[0], problem[1], Code.STRUCTURE_INVALID)
    before = _structure_lines(SpeechStructure.objects.filter(congress=congress).first())
    structure, _created = SpeechStructure.objects.update_or_create(
        congress=congress,
        defaults={
            "total": data.total,
            "note": data.note.strip(),
            "set_at": timezone.now(),
            "set_by": actor,
        },
    )
    structure.targets.all().delete()
    SpeechTarget.objects.bulk_create(
        [
            SpeechTarget(structure=structure, kind=SpeechTargetKind.TOPIC, key=t.strip(), count=c)
            for t, c in data.topics
        ]
        + [
            SpeechTarget(
                structure=structure, kind=SpeechTargetKind.DELEGATION_KIND, key=k, percent=p
            )
            for k, p in data.shares.items()
            if p
        ]
    )
    after = _structure_lines(structure)
    audit_record(actor, "speech_structure_set", congress, {k: [before[k], after[k]] for k in after})
    return structure


# Agenda revisions ---------------------------------------------------------------------------


def _agenda_snapshot(congress: Congress) -> list[dict[str, object]]:
    """The whole agenda as delegates read it: sessions with their items in order."""
    items: dict[int, list[dict[str, object]]] = {}
    for item in AgendaItem.objects.filter(session__congress=congress).order_by(
        "session_id", "position"
    ):
        items.setdefault(item.session_id, []).append(
            {"title": item.title, "presenter": item.presenter, "minutes": item.minutes}
        )
    return [
        {"session": s.pk, "label": str(s), "items": items.get(s.pk, [])}
        for s in CongressSession.objects.filter(congress=congress)
    ]


def _items_replace(session: CongressSession, items: Sequence[ItemSpec]) -> set[str]:
    """Make the session's items `items`, in that order. An item whose title stays keeps its
    row, so the speeches proposed for it stay linked to it; the items no longer on the agenda
    are deleted (their speeches keep their session, with no item). Returns the stored names
    of the deleted items' documents."""
    kept: dict[str, list[AgendaItem]] = {}
    for item in session.items.order_by("position"):
        kept.setdefault(item.title, []).append(item)
    updated: list[AgendaItem] = []
    created: list[AgendaItem] = []
    for position, (title, presenter, minutes) in enumerate(items, start=1):
        same = kept.get(title.strip())
        item = same.pop(0) if same else AgendaItem(session=session, title=title.strip())
        item.position, item.presenter, item.minutes = position, presenter.strip(), minutes
        (updated if item.pk else created).append(item)
    gone = [i for rest in kept.values() for i in rest]
    AgendaItem.objects.filter(pk__in=[i.pk for i in gone]).delete()
    AgendaItem.objects.bulk_update(updated, ["position", "presenter", "minutes"])
    AgendaItem.objects.bulk_create(created)
    return {i.document.name for i in gone if i.document}


def _agenda_files_release(congress: Congress, names: set[str]) -> None:
    """Delete from the disk, once the transaction commits, the agenda documents of `names`
    that nothing serves any more: neither an item of the agenda (the congress's readers get
    the current one) nor the latest publication (delegates get the one it names). A file of
    an older publication only is no one's to download (`access.agenda_document_access`)."""
    names = {n for n in names if n}
    if not names:
        return
    live = set(
        AgendaItem.objects.filter(session__congress=congress, document__in=names).values_list(
            "document", flat=True
        )
    )
    latest = (
        AgendaPublication.objects.filter(congress=congress)
        .order_by("-number")
        .values_list("agenda", flat=True)
        .first()
    )
    live |= _snapshot_files(latest or [])
    orphans = sorted(names - live)
    if orphans:
        transaction.on_commit(lambda: _files_delete(orphans))


def _snapshot_files(agenda: Sequence[Mapping[str, Any]]) -> set[str]:
    return {i["document"] for s in agenda for i in s["items"] if i["document"]}


@durable_service
def agenda_revise(
    actor: User, session: CongressSession, items: Sequence[ItemSpec], note: str
) -> AgendaRevision:
    """Replace a session's agenda items and keep the revision: who, when, why, what changed,
    and the whole agenda after it. A draft: delegates see it once it is published
    (`agenda_publish`)."""
    congress = session.congress
    check_congress_action(actor, congress, CongressAction.MANAGE)
    # One revision of a congress's agenda at a time: a second waits here, then numbers after
    # the first (congress_revision_once; two at once both took the same number, a 500).
    Congress.objects.select_for_update().filter(pk=congress.pk).first()
    note = note.strip()
    if not note:
        raise _refused("note", _("Cần nêu lý do thay đổi chương trình."), Code.REASON_REQUIRED)
    if any(not title.strip() or not 1 <= minutes <= 600 for title, _p, minutes in items):
        raise _refused(
            "items", _("Mỗi mục cần nội dung và thời lượng từ 1 đến 600 phút."), Code.INVALID_CHOICE
        )
    before = list(session.items.order_by("position").values_list("title", "presenter", "minutes"))
    changes = agenda_changes(str(session), before, items)
    gone = _items_replace(session, items)
    _agenda_files_release(congress, gone)
    last = AgendaRevision.objects.filter(congress=congress).aggregate(last=Max("number"))["last"]
    revision = AgendaRevision.objects.create(
        congress=congress,
        number=(last or 0) + 1,
        at=timezone.now(),
        by=actor,
        note=note,
        changes=changes,
        agenda=_agenda_snapshot(congress),
    )
    audit_record(
        actor,
        "agenda_revise",
        session,
        {"items": [[list(i) for i in before], [list(i) for i in items]], "note": [None, note]},
    )
    return revision


def _published_speeches(congress: Congress) -> dict[int, list[dict[str, Any]]]:
    """The selected oral speeches of each session in their order, as delegates read them: the
    delegation, the speaker, the title (the topic when untitled), the minutes (one query)."""
    speeches: dict[int, list[dict[str, Any]]] = {}
    for speech in (
        Speech.objects.filter(
            session__congress=congress, state=SpeechState.APPROVED, mode=SpeechMode.ORAL
        )
        .select_related("delegation", "speaker")
        .order_by("session_id", "position", "pk")
    ):
        mine = speeches.setdefault(speech.session_id, [])
        mine.append(
            {
                "position": len(mine) + 1,
                "delegation": speech.delegation.name,
                "speaker": speech.speaker.full_name if speech.speaker else "",
                "title": speech.title or speech.topic,
                "minutes": speech.minutes,
            }
        )
    return speeches


def _published_snapshot(congress: Congress) -> list[dict[str, Any]]:
    """The agenda as delegates will read it: sessions (kind, label) with their items, each with
    its document's stored name and display name, and their selected oral speeches in order
    (four queries)."""
    speeches = _published_speeches(congress)
    items: dict[int, list[dict[str, Any]]] = {}
    for item in AgendaItem.objects.filter(session__congress=congress).order_by(
        "session_id", "position"
    ):
        items.setdefault(item.session_id, []).append(
            {
                "id": item.pk,
                "title": item.title,
                "presenter": item.presenter,
                "minutes": item.minutes,
                "document": item.document.name or "",
                "document_name": item.document_name,
            }
        )
    return [
        {
            "session": s.pk,
            "label": str(s),
            "kind": s.kind,
            "kind_label": str(s.get_kind_display()),
            "items": items.get(s.pk, []),
            "speeches": speeches.get(s.pk, []),
        }
        for s in CongressSession.objects.filter(congress=congress)
    ]


@durable_service
def agenda_publish(actor: User, congress: Congress, note: str = "") -> AgendaPublication:
    """Publish the agenda as it stands to the delegates. The first publication needs no reason;
    each later one keeps what changed since the last (and why) and announces it to the
    delegates with an account whom the change concerns (`published.publication_audience`;
    the audit entry counts them). Publishing an unchanged agenda is refused."""
    check_congress_action(actor, congress, CongressAction.MANAGE)
    Congress.objects.select_for_update().filter(pk=congress.pk).first()  # one number at a time
    last = AgendaPublication.objects.filter(congress=congress).order_by("-number").first()
    agenda = _published_snapshot(congress)
    note = note.strip()
    if last is not None and last.agenda == agenda:
        raise _refused(
            "note", _("Chương trình chưa thay đổi kể từ lần công bố trước."), Code.AGENDA_UNCHANGED
        )
    if last is not None and not note:
        raise _refused("note", _("Cần nêu lý do thay đổi chương trình."), Code.REASON_REQUIRED)
    publication = AgendaPublication.objects.create(
        congress=congress,
        number=last.number + 1 if last else 1,
        at=timezone.now(),
        by=actor,
        note=note,
        changes=publication_changes(last.agenda, agenda) if last else [],
        agenda=agenda,
    )
    if last is not None:  # what only the previous publication served is no one's now
        _agenda_files_release(congress, _snapshot_files(last.agenda))
    told = 0
    if last is not None:
        audience = publication_audience(last.agenda, agenda)
        told = notices.agenda_change_notify(actor, publication, audience)
        publication.notified = told
        publication.save(update_fields=["notified"])
    audit_record(
        actor,
        "agenda_publish",
        congress,
        {
            "published": [last.number if last else None, publication.number],
            "note": [None, note],
            "notified": [None, told],
        },
    )
    return publication


@durable_service
def agenda_document_attach(actor: User, item: AgendaItem, document: File[Any]) -> AgendaItem:
    """Attach (or replace) an agenda item's document: PDF or Word, checked by its content as
    tracking's attachments are, stored under a random name. Delegates get it with the next
    publication; the file the latest publication names is kept for them, a replaced one
    nothing serves is deleted from the disk once the transaction commits."""
    congress = item.session.congress
    check_congress_action(actor, congress, CongressAction.MANAGE)
    checked = attachments.check_file(document, attachments.DOCUMENT_KINDS)
    # The congress's row, as `agenda_revise` and `agenda_publish` lock it: a publication
    # committing meanwhile is seen before the replaced file is judged unused and deleted.
    Congress.objects.select_for_update().filter(pk=congress.pk).first()
    old_name, old_display = item.document.name or "", item.document_name
    item.document.save(checked.name, document, save=False)
    item.document_name = checked.name
    try:
        item.save(update_fields=["document", "document_name"])
    except Exception:
        item.document.delete(save=False)
        raise
    audit_record(
        actor, "agenda_document_attach", item, {"document": [old_display or None, checked.name]}
    )
    _agenda_files_release(congress, {old_name})
    return item


@durable_service
def delegate_link_user(actor: User, delegate: Delegate, user: User | None) -> Delegate:
    """Link a delegate to their account (or unlink): they then see their own seat, badge and
    agenda, and nothing else of the congress."""
    check_congress_action(actor, delegate.congress, CongressAction.MANAGE)
    before = delegate.user.username if delegate.user else None
    delegate.user = user
    delegate.save(update_fields=["user"])
    audit_record(
        actor, "delegate_link_user", delegate, {"user": [before, user.username if user else None]}
    )
    return delegate


# Retention of personal data -----------------------------------------------------------------


def personal_data_erase_due(today: dt.date | None = None) -> list[int]:
    """The daily job: erase the personal data of the people of every congress that closed more
    than `CONGRESS_PERSONAL_DATA_RETENTION_DAYS` ago and was not erased yet. Each congress in
    its own transaction, audited; a second run finds nothing to do (after its closing a
    congress is read only, so nobody is added later). Returns the congresses erased."""
    today = today or timezone.localdate()
    days = int(getattr(settings, "CONGRESS_PERSONAL_DATA_RETENTION_DAYS", 180))
    due = Congress.objects.filter(
        personal_data_erased_at__isnull=True, closes_on__lt=today - dt.timedelta(days=days)
    ).values_list("pk", flat=True)
    erased = []
    for congress_id in list(due):
        with transaction.atomic(durable=True):
            congress = Congress.objects.select_for_update().get(pk=congress_id)
            if congress.personal_data_erased_at is None:  # not erased by a job beside this one
                personal_data_erase(congress)
                erased.append(congress_id)
    return erased


def personal_data_erase_now(actor: User, congress: Congress) -> dict[str, int]:
    """An administrator erases the personal data of a closed congress's people before the
    retention runs out (a request, or the data no longer needed): what the daily job would
    erase, audited with the administrator's name. Returns the counts."""
    check_congress_action(actor, congress, CongressAction.ERASE_PERSONAL_DATA)
    with transaction.atomic(durable=True):
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        check_congress_action(actor, congress, CongressAction.ERASE_PERSONAL_DATA)  # one wins
        return personal_data_erase(congress, actor)


def personal_data_erase(congress: Congress, actor: User | None = None) -> dict[str, int]:
    """Erase what the congress's work no longer needs, in the caller's transaction:
    delegates' profiles (deleted), their need of an accessible seat and account links;
    guests' and journalists' names (replaced by a pseudonym naming the row), press card
    numbers and refusal reasons. Delegates' names, delegations and credentials decisions stay:
    the roll of a congress is a record the archives keep. One audit entry with the counts,
    never the erased values."""
    delegates = Delegate.objects.filter(congress=congress)
    photo_files = list(
        DelegatePhoto.objects.filter(delegate__congress=congress).values_list("image", flat=True)
    ) + list(
        DelegatePhotoRequest.objects.filter(delegate__congress=congress).values_list(
            "image", flat=True
        )
    )
    counts = {
        "profiles": DelegateProfile.objects.filter(delegate__congress=congress).delete()[0],
        "photos": DelegatePhoto.objects.filter(delegate__congress=congress).delete()[0]
        + DelegatePhotoRequest.objects.filter(delegate__congress=congress).delete()[0],
        "accessible_seat": delegates.filter(needs_accessible_seat=True).update(
            needs_accessible_seat=False
        ),
        "user_links": delegates.filter(user__isnull=False).update(user=None),
        "guests": Guest.objects.filter(congress=congress).update(
            full_name=Concat(Value(_("Khách mời ")), Cast("pk", CharField())),
            interpreter="",
        ),
        "press": PressPass.objects.filter(congress=congress).update(
            full_name=Concat(Value(_("Phóng viên ")), Cast("pk", CharField())),
            card_number=Concat(Value("-"), Cast("pk", CharField())),
            reason="",
        ),
    }
    transaction.on_commit(lambda: _files_delete(photo_files))
    congress.personal_data_erased_at = timezone.now()
    congress.save(update_fields=["personal_data_erased_at"])
    audit_record(actor, "congress_personal_data_erase", congress, {
        **{name: [count, 0] for name, count in counts.items()},
        "personal_data_erased_at": [None, congress.personal_data_erased_at],
    })  # fmt: skip
    return counts
