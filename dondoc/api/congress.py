"""The API of congress (Tổ chức đại hội): a thin door over `congress.access`,
`congress.selectors` and `congress.services`, the same rules as the pages. A refusal by the
object's state is a 409 with its code (`congress_closed`, `already_decided`, …), by role a 403."""

import dataclasses
import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel

from dondoc.accounts.models import User
from dondoc.api.auth import caller
from dondoc.api.schemas import ErrorOut, Id
from dondoc.congress import selectors, services
from dondoc.congress.access import (
    CongressAction,
    DelegateAction,
    agenda_document_access,
    check_congress_action,
    congress_access,
    congress_actions,
    congresses_visible_to,
    delegate_access,
    delegates_visible_to,
    delegation_speeches_access,
    guests_visible_to,
    press_visible_to,
    published_agenda_access,
    speech_access,
    speech_actions,
)
from dondoc.congress.models import (
    AgendaItem,
    Congress,
    Credentials,
    Delegate,
    Delegation,
    Seat,
    Speech,
)
from dondoc.congress.seatmap import pretix_plan

router = Router(tags=["congress"])
T = TypeVar("T")


def errors(*statuses: int) -> dict[int, Any]:
    return dict.fromkeys({401, 422, *statuses}, ErrorOut)


class CongressOut(Schema):
    id: int
    name: str
    kind: str
    opens_on: dt.date
    closes_on: dt.date

    @staticmethod
    def of(congress: Congress) -> "CongressOut":
        return CongressOut(
            id=congress.pk,
            name=congress.name,
            kind=congress.kind,
            opens_on=congress.opens_on,
            closes_on=congress.closes_on,
        )


class CongressDetailOut(CongressOut):
    permissions: list[str]
    days_to_opening: int
    delegates: int
    official: int
    seated: int
    seats: int
    credentials: dict[str, int]


class DelegateOut(BaseModel):
    """A plain pydantic model, not a ninja `Schema`: ninja's wraps every value it validates in
    a getter meant for model instances, which cost more than the query on a page of 500 rows
    (docs/benchmarks.md). The rows are dicts (`selectors.delegate_rows`)."""

    id: int
    full_name: str
    delegation: str
    kind: str
    standing: str
    credentials: str
    presidium: bool
    seat: str | None
    seat_pinned: bool  # moved there by hand: automatic seating keeps the delegate there


class DelegatePage(BaseModel):
    count: int
    limit: int
    offset: int
    items: list[DelegateOut]


class DelegateQuery(Schema):
    q: str = ""
    credentials: str = Field("", description="pending | verified | questioned | rejected")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


class DecisionIn(Schema):
    decision: str = Field(description="verified | questioned | rejected")
    reason: str = ""


class SeatingOut(Schema):
    seated: int
    moves: int
    crossings: int
    optimal: bool


class HallOut(Schema):
    seats: int  # the seats of the imported plan (the old hall is replaced)


class CheckInIn(Schema):
    token: str = Field(max_length=500)
    session: int


class CheckInOut(Schema):
    created: bool
    holder: str  # delegate, guest or press
    delegate: int | None  # the delegate's id; None for a guest or a journalist
    name: str
    affiliation: str
    present: int
    expected: int
    quorum: int


@router.get("", response={200: list[CongressOut], **errors()}, summary="Danh sách đại hội")
def congress_list(request: HttpRequest) -> list[CongressOut]:
    return [CongressOut.of(c) for c in congresses_visible_to(caller(request))]


@router.get(
    "/{congress_id}", response={200: CongressDetailOut, **errors(404)}, summary="Một đại hội"
)
def congress_detail(request: HttpRequest, congress_id: Path[Id]) -> CongressDetailOut:
    user = caller(request)
    congress = congress_access(user, congress_id)
    today = timezone.localdate()
    ready = selectors.congress_readiness(congress, today)
    return CongressDetailOut(
        **CongressOut.of(congress).model_dump(),
        permissions=sorted(congress_actions(user, congress, today)),
        days_to_opening=ready.days_to_opening,
        delegates=ready.delegates,
        official=ready.official,
        seated=ready.seated,
        seats=ready.seats,
        credentials=ready.credentials,
    )


def _delegate_out(delegate: Delegate) -> DelegateOut:
    assignment = getattr(delegate, "seat_assignment", None)
    return DelegateOut(
        id=delegate.pk,
        full_name=delegate.full_name,
        delegation=delegate.delegation.name,
        kind=delegate.kind,
        standing=delegate.standing,
        credentials=delegate.credentials,
        presidium=delegate.presidium,
        seat=str(assignment.seat) if assignment else None,
        seat_pinned=bool(assignment and assignment.pinned),
    )


@router.get(
    "/{congress_id}/delegates",
    response={200: DelegatePage, **errors(404)},
    summary="Đại biểu của một đại hội",
)
def delegate_list(
    request: HttpRequest, congress_id: Path[Id], filters: Query[DelegateQuery]
) -> dict[str, Any]:
    user = caller(request)
    congress = congress_access(user, congress_id)
    credentials = filters.credentials if filters.credentials in Credentials.values else ""
    found = selectors.delegates_matching(
        delegates_visible_to(user, congress), filters.q.strip(), credentials
    )
    rows = selectors.delegate_rows(found[filters.offset : filters.offset + filters.limit])
    return {
        "count": found.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": rows,
    }


@router.post(
    "/{congress_id}/delegates/{delegate_id}/credentials",
    response={200: DelegateOut, **errors(400, 403, 404, 409)},
    summary="Quyết định thẩm tra tư cách đại biểu",
)
def credentials_decide(
    request: HttpRequest, congress_id: Path[Id], delegate_id: Path[Id], payload: DecisionIn
) -> DelegateOut:
    user = caller(request)
    delegate = delegate_access(user, congress_id, delegate_id, DelegateAction.VIEW)
    services.credentials_decide(user, delegate, payload.decision, payload.reason)
    return _delegate_out(delegate)


@router.post(
    "/{congress_id}/seating",
    response={200: SeatingOut, **errors(400, 403, 404, 409)},
    summary="Xếp chỗ (hoặc xếp lại, ít người đổi chỗ nhất)",
)
def seating_solve(request: HttpRequest, congress_id: Path[Id]) -> SeatingOut:
    user = caller(request)
    congress = congress_access(user, congress_id)
    result = services.seating_solve(user, congress)
    return SeatingOut(
        seated=result.seated,
        moves=result.moves,
        crossings=result.crossings,
        optimal=result.optimal,
    )


@router.get(
    "/{congress_id}/hall",
    response={200: dict[str, Any], **errors(404)},
    summary="Sơ đồ hội trường theo định dạng seating plan của pretix (không có tên người ngồi)",
)
def hall_plan(request: HttpRequest, congress_id: Path[Id]) -> dict[str, Any]:
    congress = congress_access(caller(request), congress_id)
    return pretix_plan(congress.name, selectors.hall_seats(congress))


@router.post(
    "/{congress_id}/hall",
    response={200: HallOut, **errors(400, 403, 404, 409)},
    summary="Nhập sơ đồ hội trường từ tệp CSV, XLSX hoặc JSON của pretix (khi chưa xếp chỗ)",
)
def hall_import(request: HttpRequest, congress_id: Path[Id], file: File[UploadedFile]) -> HallOut:
    """The same import as the seating page's: every bad line named with its number in `fields`
    `file` (400 `hall_invalid`), nothing written; 400 `hall_seated` once anyone is seated."""
    user = caller(request)
    congress = congress_access(user, congress_id)
    try:
        seats = services.hall_import(user, congress, file.name or "", file)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"file": error.error_list}) from error
    return HallOut(seats=seats)


class SeatIn(Schema):
    status: str | None = Field(None, description="open | blocked | reserved")
    accessible: bool | None = None


class SeatOut(Schema):
    label: str  # section-row-number, as on the chart and in the pretix plan's seat_guid
    zone: str
    status: str
    accessible: bool

    @staticmethod
    def of(seat: Seat) -> "SeatOut":
        return SeatOut(
            label=str(seat), zone=seat.zone, status=seat.status, accessible=seat.accessible
        )


class MoveIn(Schema):
    seat: str = Field(max_length=40, description="The seat, section-row-number: A-3-12")


def _seat(congress: Congress, label: str) -> Seat:
    seat = selectors.seat_labelled(congress, label)
    if seat is None:
        raise Http404
    return seat


class SeatBlockIn(Schema):
    section: str = Field(max_length=16, description="The section of the hall: B")
    rows: tuple[int, int] = Field(description="First and last row, inclusive: [3, 5]")
    numbers: tuple[int, int] = Field(description="First and last seat number, inclusive: [1, 12]")
    delegation: int | None = Field(None, description="Seat this delegation's delegates …")
    delegates: list[int] = Field(
        default_factory=list, max_length=2000, description="… or these delegates (ids)"
    )


class SeatBlockOut(Schema):
    seated: int  # delegates given a seat of the block, pinned there
    displaced: int  # unpinned delegates of others who lost their seat to them
    kept_pinned: int  # delegates of the delegation pinned outside the block, left there
    unusable: int  # seats of the block skipped: out of use, pinned for another, a visitor's


# Before "/seats/{seat}": its pattern would take "block" as a seat.
@router.post(
    "/{congress_id}/seats/block",
    response={200: SeatBlockOut, **errors(400, 403, 404, 409)},
    summary="Xếp một đoàn hoặc một nhóm đại biểu vào một khối ghế (tất cả hoặc không)",
)
def seats_assign_block(
    request: HttpRequest, congress_id: Path[Id], payload: SeatBlockIn
) -> SeatBlockOut:
    """All or nothing: 400 `seat_block` (no seat there, too few usable seats, neither or both
    of delegation and delegates), `seat_zone`, `seat_not_accessible`; 404 an unknown
    delegation or delegate. A delegate chosen by id who is pinned elsewhere is moved into the
    block (and pinned there; the move is audited); a delegation's members pinned elsewhere
    stay where they are."""
    user = caller(request)
    congress = congress_access(user, congress_id)
    delegation = (
        get_object_or_404(Delegation, congress=congress, pk=payload.delegation)
        if payload.delegation is not None
        else None
    )
    chosen = list(Delegate.objects.filter(congress=congress, pk__in=payload.delegates))
    if len(chosen) != len(set(payload.delegates)):
        raise Http404
    block = services.SeatBlock(payload.section, payload.rows, payload.numbers)
    result = services.seats_assign_block(user, congress, block, delegation, chosen)
    return SeatBlockOut(**dataclasses.asdict(result))


@router.patch(
    "/{congress_id}/seats/{seat}",
    response={200: SeatOut, **errors(400, 403, 404, 409)},
    summary="Sửa một ghế: không sử dụng, giữ chỗ hoặc dùng lại; chỗ thuận tiện",
)
def seat_mark(request: HttpRequest, congress_id: Path[Id], seat: str, payload: SeatIn) -> SeatOut:
    """409 `seat_occupied`: someone sits in the seat being put out of use."""
    user = caller(request)
    congress = congress_access(user, congress_id)
    found = _seat(congress, seat)
    services.seat_mark(user, found, payload.status, payload.accessible)
    return SeatOut.of(found)


@router.post(
    "/{congress_id}/delegates/{delegate_id}/seat",
    response={200: DelegateOut, **errors(400, 403, 404, 409)},
    summary="Chuyển một đại biểu sang ghế khác",
)
def delegate_move(
    request: HttpRequest, congress_id: Path[Id], delegate_id: Path[Id], payload: MoveIn
) -> DelegateOut:
    """409 `seat_taken` (someone sits there), `seat_blocked`; 400 `seat_zone` (a seat of another
    zone), `seat_not_accessible` (the delegate needs an accessible seat)."""
    user = caller(request)
    delegate = delegate_access(user, congress_id, delegate_id, DelegateAction.VIEW)
    services.delegate_move(user, delegate, _seat(delegate.congress, payload.seat))
    delegate.refresh_from_db()
    return _delegate_out(
        Delegate.objects.select_related("delegation", "seat_assignment__seat").get(pk=delegate.pk)
    )


class PinOut(Schema):
    delegate: int
    seat: str | None
    pinned: bool  # False now: the next automatic seating may move the delegate


@router.delete(
    "/{congress_id}/delegates/{delegate_id}/seat/pin",
    response={200: PinOut, **errors(403, 404)},
    summary="Bỏ ghim: lần xếp chỗ tự động sau có thể chuyển đại biểu sang ghế khác",
)
def delegate_unpin(request: HttpRequest, congress_id: Path[Id], delegate_id: Path[Id]) -> PinOut:
    """A delegate moved by hand is pinned: re-seating keeps their seat. This lets the solver
    move them again (their seat is kept until then). Nothing pinned: answered the same."""
    user = caller(request)
    delegate = delegate_access(user, congress_id, delegate_id, DelegateAction.VIEW)
    services.delegate_unpin(user, delegate)
    assignment = getattr(delegate, "seat_assignment", None)  # loaded by `delegate_access`
    return PinOut(
        delegate=delegate.pk, seat=str(assignment.seat) if assignment else None, pinned=False
    )


class PhotoOut(Schema):
    delegate: int
    photo: bool  # the delegate has a badge photo now


@router.post(
    "/{congress_id}/delegates/{delegate_id}/photo",
    response={200: PhotoOut, **errors(400, 403, 404, 409)},
    summary="Gửi ảnh in trên thẻ của đại biểu (JPEG hoặc PNG)",
)
def delegate_photo_send(
    request: HttpRequest, congress_id: Path[Id], delegate_id: Path[Id], file: File[UploadedFile]
) -> PhotoOut:
    """The secretariat; checked by its content: 400 `photo_type`, `photo_empty`,
    `photo_too_large`, `photo_dimensions`. Kept re-encoded, without its metadata."""
    user = caller(request)
    delegate = delegate_access(user, congress_id, delegate_id, DelegateAction.VIEW)
    try:
        services.delegate_photo_set(user, delegate, file)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"file": error.error_list}) from error
    return PhotoOut(delegate=delegate.pk, photo=True)


@router.delete(
    "/{congress_id}/delegates/{delegate_id}/photo",
    response={200: PhotoOut, **errors(403, 404)},
    summary="Xóa ảnh in trên thẻ của đại biểu",
)
def delegate_photo_remove(
    request: HttpRequest, congress_id: Path[Id], delegate_id: Path[Id]
) -> PhotoOut:
    """The secretariat; the file is deleted too. No photo: answered the same."""
    user = caller(request)
    delegate = delegate_access(user, congress_id, delegate_id, DelegateAction.VIEW)
    services.delegate_photo_remove(user, delegate)
    return PhotoOut(delegate=delegate.pk, photo=False)


@router.get(
    "/{congress_id}/delegates/{delegate_id}/photo",
    response={**errors(403, 404)},
    summary="Ảnh của đại biểu (dữ liệu cá nhân: mỗi lượt xem được ghi nhật ký)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Ảnh JPEG",
                "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def delegate_photo(request: HttpRequest, congress_id: Path[Id], delegate_id: Path[Id]) -> Any:
    """To the secretariat and the credentials board; 404 when the delegate has none."""
    user = caller(request)
    delegate = delegate_access(user, congress_id, delegate_id, DelegateAction.VIEW)
    photo = services.delegate_photos_read(user, [delegate]).get(delegate.pk)
    if photo is None:
        raise Http404
    response = HttpResponse(photo, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/{congress_id}/checkins",
    response={200: CheckInOut, **errors(400, 403, 404, 409)},
    summary="Điểm danh bằng mã QR trên thẻ (gửi lại không bị tính hai lần)",
)
def checkin(request: HttpRequest, congress_id: Path[Id], payload: CheckInIn) -> CheckInOut:
    user = caller(request)
    congress = congress_access(user, congress_id)
    check_congress_action(user, congress, CongressAction.CHECK_IN)
    session = get_object_or_404(congress.sessions, pk=payload.session)
    result = services.checkin_record(user, congress, session, payload.token)
    present = selectors.attendance(congress, session)
    return CheckInOut(
        created=result.created,
        holder=result.holder,
        delegate=result.delegate.pk if result.delegate else None,
        name=result.name,
        affiliation=result.affiliation,
        present=present.present,
        expected=present.expected,
        quorum=present.quorum,
    )


class GuestOut(Schema):
    id: int
    kind: str
    full_name: str
    title: str
    organization: str
    protocol_rank: int
    seating_area: str
    interpreter: str
    reply: str


class PressOut(Schema):
    id: int
    full_name: str
    outlet: str
    role: str
    card_number: str | None  # the secretariat only
    press_centre: bool
    state: str


class PageQuery(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


@router.get(
    "/{congress_id}/guests",
    response={200: list[GuestOut], **errors(404)},
    summary="Khách mời theo thứ tự nghi lễ",
)
def guest_list(
    request: HttpRequest, congress_id: Path[Id], page: Query[PageQuery]
) -> list[GuestOut]:
    user = caller(request)
    congress = congress_access(user, congress_id)
    guests = selectors.guests_listed(guests_visible_to(user, congress))
    return [
        GuestOut(
            id=g.pk,
            kind=g.kind,
            full_name=g.full_name,
            title=g.title,
            organization=g.organization,
            protocol_rank=g.protocol_rank,
            seating_area=g.seating_area,
            interpreter=g.interpreter,
            reply=g.reply,
        )
        for g in guests[page.offset : page.offset + page.limit]
    ]


@router.get(
    "/{congress_id}/press",
    response={200: list[PressOut], **errors(404)},
    summary="Thẻ báo chí",
)
def press_list(
    request: HttpRequest, congress_id: Path[Id], page: Query[PageQuery]
) -> list[PressOut]:
    user = caller(request)
    congress = congress_access(user, congress_id)
    passes = list(
        selectors.press_listed(press_visible_to(user, congress))[
            page.offset : page.offset + page.limit
        ]
    )
    cards = services.press_cards_read(user, congress, passes)  # the secretariat only; audited
    return [
        PressOut(
            id=p.pk,
            full_name=p.full_name,
            outlet=p.outlet,
            role=p.role,
            card_number=cards.get(p.pk),
            press_centre=p.press_centre,
            state=p.state,
        )
        for p in passes
    ]


class AgendaItemOut(Schema):
    id: int
    title: str
    presenter: str
    minutes: int
    document: str  # the document's file name ("" when none); GET …/items/{id}/document


class SpeechOut(Schema):
    id: int
    delegation: str
    title: str
    topic: str
    mode: str
    state: str  # proposed, changes (sent back to the delegation), approved, declined
    position: int | None
    minutes: int


class SpeechDetailOut(SpeechOut):
    session: int
    agenda_item: int | None
    speaker: int | None
    summary: str
    reason: str  # why not selected, or what the delegation is asked to change
    document: str  # the text's file name ("" when none; GET …/speeches/{id}/document)
    permissions: list[str]

    @staticmethod
    def of(speech: Speech, permissions: frozenset[str]) -> "SpeechDetailOut":
        return SpeechDetailOut(
            id=speech.pk,
            delegation=speech.delegation.name,
            title=speech.title,
            topic=speech.topic,
            mode=speech.mode,
            state=speech.state,
            position=speech.position,
            minutes=speech.minutes,
            session=speech.session_id,
            agenda_item=speech.agenda_item_id,
            speaker=speech.speaker_id,
            summary=speech.summary,
            reason=speech.reason,
            document=speech.document_name,
            permissions=sorted(permissions),
        )


class SpeechIn(Schema):
    session: int
    agenda_item: int | None = None
    title: str = Field("", max_length=255)
    topic: str = Field(max_length=255)
    speaker: int | None = None
    summary: str = ""
    mode: str = Field("oral", description="oral | written")
    minutes: int = 7


class SpeechDecisionIn(Schema):
    decision: str = Field(description="approve | decline | changes")
    reason: str = ""


class SessionOut(Schema):
    id: int
    day: dt.date
    part: int
    title: str
    kind: str  # plenary, delegations (discussion in the delegations), closed
    items: list[AgendaItemOut]
    speeches: list[SpeechOut]  # selected oral ones in order, then written, then proposed


class TargetLineOut(Schema):
    label: str
    target: int
    percent: int | None  # a kind of delegation's share
    selected: int  # selected oral speeches that count towards it
    waiting: int  # oral proposals on it still to decide
    gap: int  # selected less target: below zero short, above zero over


class StructureOut(Schema):
    met: bool  # every line exactly at its target
    total: TargetLineOut
    topics: list[TargetLineOut]
    shares: list[TargetLineOut]
    other_topics: int  # selected oral speeches on a topic the structure does not name


class AgendaOut(Schema):
    revision: int  # the latest agenda revision (0: never revised)
    published: int  # the latest publication to the delegates (0: never published)
    sessions: list[SessionOut]
    structure: StructureOut | None  # the selection against the structure (null: none set)


def _target_line(line: selectors.TargetLine) -> TargetLineOut:
    return TargetLineOut(
        label=line.label,
        target=line.target,
        percent=line.percent,
        selected=line.selected,
        waiting=line.waiting,
        gap=line.gap,
    )


def _structure_out(check: selectors.StructureCheck | None) -> StructureOut | None:
    if check is None:
        return None
    return StructureOut(
        met=check.met,
        total=_target_line(check.total),
        topics=[_target_line(x) for x in check.topics.values()],
        shares=[_target_line(x) for x in check.shares.values()],
        other_topics=check.other_topics,
    )


@router.get(
    "/{congress_id}/agenda",
    response={200: AgendaOut, **errors(404)},
    summary="Chương trình làm việc và tham luận",
)
def agenda(request: HttpRequest, congress_id: Path[Id]) -> AgendaOut:
    user = caller(request)
    congress = congress_access(user, congress_id)
    latest = selectors.agenda_revisions(congress, limit=1)
    published = selectors.agenda_publications(congress, limit=1)
    return AgendaOut(
        revision=latest[0].number if latest else 0,
        published=published[0].number if published else 0,
        structure=_structure_out(selectors.speech_structure_check(congress)),
        sessions=[
            SessionOut(
                id=plan.session.pk,
                day=plan.session.day,
                part=plan.session.part,
                title=plan.session.title,
                kind=plan.session.kind,
                items=[
                    AgendaItemOut(
                        id=i.pk,
                        title=i.title,
                        presenter=i.presenter,
                        minutes=i.minutes,
                        document=i.document_name if i.document else "",
                    )
                    for i in plan.items
                ],
                speeches=[
                    SpeechOut(
                        id=s.pk,
                        delegation=s.delegation.name,
                        title=s.title,
                        topic=s.topic,
                        mode=s.mode,
                        state=s.state,
                        position=s.position,
                        minutes=s.minutes,
                    )
                    for s in (*plan.oral, *plan.written, *plan.proposed)
                ],
            )
            for plan in selectors.agenda_plan(congress)
        ],
    )


def _speech_data(congress: Congress, delegation: Delegation, body: SpeechIn) -> services.SpeechData:
    """The proposal's session, agenda item and speaker, found in the congress (404 when not)."""
    return services.SpeechData(
        get_object_or_404(congress.sessions, pk=body.session),
        delegation,
        body.topic,
        body.summary,
        body.mode,
        get_object_or_404(congress.delegates, pk=body.speaker) if body.speaker else None,
        body.minutes,
        body.title,
        get_object_or_404(AgendaItem, session__congress=congress, pk=body.agenda_item)
        if body.agenda_item
        else None,
    )


def _speech_detail(user: User, speech: Speech) -> SpeechDetailOut:
    return SpeechDetailOut.of(speech, speech_actions(user, speech, timezone.localdate()))


@router.get(
    "/{congress_id}/delegations/{delegation_id}/speeches",
    response={200: list[SpeechDetailOut], **errors(404)},
    summary="Tham luận của một đoàn (trưởng đoàn, thư ký đoàn hoặc người xem đại hội)",
)
def delegation_speeches(
    request: HttpRequest, congress_id: Path[Id], delegation_id: Path[Id]
) -> list[SpeechDetailOut]:
    user = caller(request)
    delegation = delegation_speeches_access(user, congress_id, delegation_id)
    return [_speech_detail(user, s) for s in selectors.delegation_speeches(delegation)]


@router.post(
    "/{congress_id}/delegations/{delegation_id}/speeches",
    response={201: SpeechDetailOut, **errors(400, 403, 404, 409)},
    summary="Đoàn đề xuất tham luận",
)
def speech_propose(
    request: HttpRequest, congress_id: Path[Id], delegation_id: Path[Id], payload: SpeechIn
) -> Status[SpeechDetailOut]:
    user = caller(request)
    delegation = delegation_speeches_access(user, congress_id, delegation_id)
    congress = delegation.congress
    speech = services.speech_register(user, congress, _speech_data(congress, delegation, payload))
    return Status(201, _speech_detail(user, speech))


@router.put(
    "/{congress_id}/speeches/{speech_id}",
    response={200: SpeechDetailOut, **errors(400, 403, 404, 409)},
    summary="Sửa tham luận chưa được quyết định (gửi lại để xét)",
)
def speech_amend(
    request: HttpRequest, congress_id: Path[Id], speech_id: Path[Id], payload: SpeechIn
) -> SpeechDetailOut:
    user = caller(request)
    speech = speech_access(user, congress_id, speech_id)
    congress = speech.session.congress
    services.speech_amend(user, speech, _speech_data(congress, speech.delegation, payload))
    return _speech_detail(user, speech)


@router.post(
    "/{congress_id}/speeches/{speech_id}/document",
    response={200: SpeechDetailOut, **errors(400, 403, 404, 409)},
    summary="Gửi văn bản tham luận (PDF hoặc Word) khi chưa được quyết định",
)
def speech_text_send(
    request: HttpRequest, congress_id: Path[Id], speech_id: Path[Id], file: File[UploadedFile]
) -> SpeechDetailOut:
    """The same amendment as the page's, of the text only (it replaces the previous one);
    checked by its content as the page's: 400 `file_type`, `file_empty`, `file_too_large`."""
    user = caller(request)
    speech = speech_access(user, congress_id, speech_id)
    try:
        services.speech_amend(user, speech, None, file)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"file": error.error_list}) from error
    return _speech_detail(user, speech)


@router.get(
    "/{congress_id}/speeches/{speech_id}/document",
    response={**errors(404)},
    summary="Tải văn bản tham luận",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Văn bản tham luận (PDF hoặc Word)",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def speech_text_download(
    request: HttpRequest, congress_id: Path[Id], speech_id: Path[Id]
) -> FileResponse:
    """To whoever sees the speech; 404 when it has no text or its file is missing."""
    speech = speech_access(caller(request), congress_id, speech_id)
    text = selectors.speech_text(speech)
    if text is None:
        raise Http404
    return FileResponse(text, as_attachment=True, filename=speech.document_name)


@router.post(
    "/{congress_id}/speeches/{speech_id}/decision",
    response={200: SpeechDetailOut, **errors(400, 403, 404, 409)},
    summary="Chọn, không chọn hoặc đề nghị đoàn chỉnh sửa tham luận",
)
def speech_decide(
    request: HttpRequest, congress_id: Path[Id], speech_id: Path[Id], payload: SpeechDecisionIn
) -> SpeechDetailOut:
    user = caller(request)
    speech = speech_access(user, congress_id, speech_id)
    services.speech_decide(user, speech, payload.decision, payload.reason)
    return _speech_detail(user, speech)


class PublishIn(Schema):
    note: str = Field("", max_length=2000, description="Why it changed (after the first)")


class PublishedSpeechOut(Schema):
    position: int  # its place among the session's speeches, from 1
    delegation: str
    speaker: str  # "" when not named
    title: str
    minutes: int


class PublishedSessionOut(Schema):
    id: int
    label: str
    kind: str
    items: list[AgendaItemOut]
    speeches: list[PublishedSpeechOut]  # the selected oral speeches as published, in order


class PublicationOut(Schema):
    number: int  # 0: not published yet
    at: dt.datetime | None
    note: str
    changes: list[str]  # what changed since the publication before, as delegates read it
    sessions: list[PublishedSessionOut]


def _publication_out(
    publication: Any, sessions: list[dict[str, Any]] | None = None, changes: list[str] | None = None
) -> PublicationOut:
    """A publication as its reader is shown it (`sessions`, `changes`: what the access rule
    leaves them; all of it by default)."""
    if publication is None:
        return PublicationOut(number=0, at=None, note="", changes=[], sessions=[])
    return PublicationOut(
        number=publication.number,
        at=publication.at,
        note=publication.note,
        changes=publication.changes if changes is None else changes,
        sessions=[
            PublishedSessionOut(
                id=s["session"],
                label=s["label"],
                kind=s["kind"],
                items=[
                    AgendaItemOut(
                        id=i["id"],
                        title=i["title"],
                        presenter=i["presenter"],
                        minutes=i["minutes"],
                        document=i["document_name"] if i["document"] else "",
                    )
                    for i in s["items"]
                ],
                speeches=[PublishedSpeechOut(**speech) for speech in s.get("speeches", [])],
            )
            for s in (publication.agenda if sessions is None else sessions)
        ],
    )


@router.post(
    "/{congress_id}/agenda/publish",
    response={201: PublicationOut, **errors(400, 403, 404, 409)},
    summary="Công bố chương trình cho đại biểu (công bố lại: nêu lý do, đại biểu được báo)",
)
def agenda_publish(
    request: HttpRequest, congress_id: Path[Id], payload: PublishIn
) -> Status[PublicationOut]:
    """400 `reason_required` (a later publication without a reason), `agenda_unchanged`."""
    user = caller(request)
    congress = congress_access(user, congress_id)
    return Status(201, _publication_out(services.agenda_publish(user, congress, payload.note)))


@router.get(
    "/{congress_id}/agenda/published",
    response={200: PublicationOut, **errors(404)},
    summary="Chương trình đã công bố (đại biểu, người xem đại hội)",
)
def agenda_published(request: HttpRequest, congress_id: Path[Id]) -> PublicationOut:
    """What the delegates read: the latest publication (number 0 when none yet); a closed
    session (phiên họp kín) only to the congress's readers and official delegates with verified
    credentials."""
    agenda = published_agenda_access(caller(request), congress_id, history=1)
    changes = agenda.history[0][1] if agenda.history else []
    return _publication_out(agenda.latest, agenda.sessions, changes)


@router.post(
    "/{congress_id}/agenda/items/{item_id}/document",
    response={200: AgendaItemOut, **errors(400, 403, 404, 409)},
    summary="Gửi tài liệu của một mục chương trình (PDF hoặc Word)",
)
def agenda_document_send(
    request: HttpRequest, congress_id: Path[Id], item_id: Path[Id], file: File[UploadedFile]
) -> AgendaItemOut:
    """Checked by its content as tracking's attachments: 400 `file_type`, `file_empty`,
    `file_too_large`; delegates get it with the next publication."""
    user = caller(request)
    congress = congress_access(user, congress_id)
    item = get_object_or_404(
        AgendaItem.objects.select_related("session__congress"),
        session__congress=congress,
        pk=item_id,
    )
    try:
        services.agenda_document_attach(user, item, file)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"file": error.error_list}) from error
    return AgendaItemOut(
        id=item.pk,
        title=item.title,
        presenter=item.presenter,
        minutes=item.minutes,
        document=item.document_name,
    )


@router.get(
    "/{congress_id}/agenda/items/{item_id}/document",
    response={**errors(404)},
    summary="Tải tài liệu của một mục chương trình",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Tài liệu (PDF hoặc Word)",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def agenda_document_download(
    request: HttpRequest, congress_id: Path[Id], item_id: Path[Id]
) -> FileResponse:
    """To whoever may see the agenda; a delegate gets the document the published agenda names."""
    document = agenda_document_access(caller(request), congress_id, item_id)
    opened = selectors.agenda_document(document)
    if opened is None:
        raise Http404
    return FileResponse(opened, as_attachment=True, filename=document.name)
