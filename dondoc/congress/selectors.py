"""Everything that reads congress data for the pages and the API, from the visibility rule
(`congress/access.py`), in a fixed number of queries whatever the number of delegates."""

import dataclasses
import datetime as dt
from collections import Counter
from typing import IO

from django.core.files.storage import default_storage
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.accounts.models import User
from dondoc.agencies.models import Agency
from dondoc.congress.access import AgendaDocument, VisitorAction, visitor_role_actions
from dondoc.congress.models import (
    AgendaItem,
    AgendaPublication,
    AgendaRevision,
    Board,
    BoardTask,
    CheckIn,
    Congress,
    CongressSession,
    Credentials,
    Delegate,
    DelegateKind,
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
    PressState,
    Seat,
    SeatStatus,
    Speech,
    SpeechMode,
    SpeechState,
    SpeechStructure,
    SpeechTargetKind,
)
from dondoc.core.text import search_key
from dondoc.tracking.models import Task
from dondoc.tracking.status import DONE, NOT_DONE, TaskStatus, status_of


@dataclasses.dataclass(frozen=True)
class Readiness:
    days_to_opening: int
    delegates: int
    official: int
    alternates: int
    credentials: dict[str, int]  # by code: pending, verified, questioned, rejected
    seated: int
    seats: int
    sessions: int


def congress_readiness(congress: Congress, today: dt.date) -> Readiness:
    """The headline figures of a congress: the countdown, delegates, credentials, seating."""
    counts = Delegate.objects.filter(congress=congress).aggregate(
        total=Count("pk"),
        official=Count("pk", filter=Q(standing=DelegateStanding.OFFICIAL)),
        alternates=Count("pk", filter=Q(standing=DelegateStanding.ALTERNATE)),
        seated=Count("seat_assignment"),
        **{state.value: Count("pk", filter=Q(credentials=state)) for state in Credentials},
    )
    return Readiness(
        days_to_opening=(congress.opens_on - today).days,
        delegates=counts["total"],
        official=counts["official"],
        alternates=counts["alternates"],
        credentials={state.value: counts[state.value] for state in Credentials},
        seated=counts["seated"],
        seats=Seat.objects.filter(congress=congress).count(),
        sessions=CongressSession.objects.filter(congress=congress).count(),
    )


def credentials_labelled(counts: dict[str, int]) -> dict[str, int]:
    """The counts by credentials decision under their Vietnamese names."""
    return {str(Credentials(code).label): count for code, count in counts.items()}


def delegates_matching(
    delegates: QuerySet[Delegate], q: str = "", credentials: str = ""
) -> QuerySet[Delegate]:
    """A page of delegates: delegation and seat read with them (one query per page)."""
    if q:
        delegates = delegates.filter(full_name__icontains=q)
    if credentials:
        delegates = delegates.filter(credentials=credentials)
    return delegates.select_related("delegation", "seat_assignment__seat").order_by(
        "delegation__protocol_order", "full_name", "pk"
    )


ROW_FIELDS = (
    "pk",
    "full_name",
    "delegation__name",
    "kind",
    "standing",
    "credentials",
    "presidium",
    "seat_assignment__seat__section",
    "seat_assignment__seat__row",
    "seat_assignment__seat__number",
    "seat_assignment__pinned",
)


def delegate_rows(delegates: QuerySet[Delegate]) -> list[dict[str, object]]:
    """A page of delegates as plain rows, their delegation's name and seat (`A-3-12`) with
    them: one query and no model instances. The API's page of 500 built 2,000 (delegate,
    delegation, assignment, seat) and validated each through ninja's getter: 30 ms of CPU a
    request and the garbage that set off full collections (docs/benchmarks.md)."""
    return [
        {
            "id": pk,
            "full_name": name,
            "delegation": delegation,
            "kind": kind,
            "standing": standing,
            "credentials": credentials,
            "presidium": presidium,
            "seat": f"{section}-{row}-{number}" if section is not None else None,
            "seat_pinned": bool(pinned),
        }
        for (
            pk,
            name,
            delegation,
            kind,
            standing,
            credentials,
            presidium,
            section,
            row,
            number,
            pinned,
        ) in delegates.values_list(*ROW_FIELDS)
    ]


@dataclasses.dataclass(frozen=True)
class Attendance:
    session: CongressSession
    present: int
    expected: int  # official delegates whose credentials were not rejected
    quorum: int

    @property
    def has_quorum(self) -> bool:
        return self.present >= self.quorum


def attendance(congress: Congress, session: CongressSession) -> Attendance:
    """Delegates present at a session against the quorum (official delegates only)."""
    expected = (
        Delegate.objects.filter(congress=congress, standing=DelegateStanding.OFFICIAL)
        .exclude(credentials=Credentials.REJECTED)
        .count()
    )
    present = CheckIn.objects.filter(
        session=session, delegate__standing=DelegateStanding.OFFICIAL
    ).count()
    quorum = -(-expected * congress.quorum_percent // 100)
    return Attendance(session, present, expected, quorum)


def current_session(congress: Congress, today: dt.date, hour: int) -> CongressSession | None:
    """Today's session for the time of day, else the next one, else the last."""
    sessions = list(CongressSession.objects.filter(congress=congress))
    part = 1 if hour < 12 else 2
    upcoming = [s for s in sessions if (s.day, s.part) >= (today, part)]
    return upcoming[0] if upcoming else (sessions[-1] if sessions else None)


@dataclasses.dataclass(frozen=True)
class ChartSeat:
    x: int
    y: int
    zone: str
    section: str
    label: str
    delegation: str
    name: str
    colour: str
    status: str = SeatStatus.OPEN
    pinned: bool = False  # a delegate seated by hand: the solver keeps them there


GUEST_COLOUR, PRESS_COLOUR = "#148c3c", "#5a2882"  # as on their badges
EMPTY_COLOUR = {
    SeatStatus.OPEN: "#ffffff",
    SeatStatus.BLOCKED: "#7f8c8d",
    SeatStatus.RESERVED: "#fdebd0",
}
PALETTE = ("#c0392b", "#2471a3", "#1e8449", "#b9770e", "#7d3c98", "#117a65", "#a04000", "#2e4053")


def seating_chart(congress: Congress) -> tuple[list[ChartSeat], int, int]:
    """Every seat of the hall with who sits there, coloured by delegation; and the drawing's
    width and height (decimetres). One query."""
    seats = Seat.objects.filter(congress=congress).values_list(
        "x",
        "y",
        "zone",
        "section",
        "row",
        "number",
        "assignment__delegate__delegation__protocol_order",
        "assignment__delegate__delegation__name",
        "assignment__delegate__full_name",
        "visitor__guest__full_name",
        "visitor__guest__organization",
        "visitor__press__full_name",
        "visitor__press__outlet",
        "status",
        "assignment__pinned",
    )
    out = []
    for row_values in seats:
        x, y, zone, section, row, number, order, delegation, name = row_values[:9]
        guest, organization, journalist, outlet, status, pinned = row_values[9:]
        colour = EMPTY_COLOUR[status] if order is None else PALETTE[order % len(PALETTE)]
        if guest:
            name, delegation, colour = guest, organization, GUEST_COLOUR
        elif journalist:
            name, delegation, colour = journalist, outlet, PRESS_COLOUR
        out.append(
            ChartSeat(
                x,
                y,
                zone,
                section,
                f"{section}-{row}-{number}",
                delegation or "",
                name or "",
                colour,
                status,
                bool(pinned),
            )
        )
    width = max((s.x for s in out), default=0) + 10
    height = max((s.y for s in out), default=0) + 10
    return out, width, height


@dataclasses.dataclass(frozen=True)
class HallSeat:
    zone: str
    section: str
    row: int
    number: int
    x: int
    y: int
    accessible: bool
    state: str = "free"  # free, blocked, reserved, assigned (someone sits there), pinned


SEAT_STATES = ("free", "blocked", "reserved", "assigned", "pinned")


def _seat_state(status: str, pinned: bool | None, visitor: int | None) -> str:
    """What the exports say of a seat: pinned (a delegate seated by hand) or assigned (anyone
    sits there) before its status (blocked, reserved) or free."""
    if pinned:
        return "pinned"
    if pinned is not None or visitor is not None:
        return "assigned"
    return "free" if status == SeatStatus.OPEN else str(status)


def seat_labelled(congress: Congress, label: str) -> Seat | None:
    """The hall's seat written `A-3-12` (section, row, number), as on the chart; None if none."""
    section, _dash, rest = label.strip().rpartition("-")
    section, _dash, row = section.rpartition("-")
    if not (section and row.isdigit() and rest.isdigit()):
        return None
    return (
        Seat.objects.filter(congress=congress, section=section, row=int(row), number=int(rest))
        .select_related("congress")
        .first()
    )


def hall_seats(congress: Congress) -> list[HallSeat]:
    """The hall's layout (no one's name) with each seat's state, in section, row, number
    order. One query."""
    rows = Seat.objects.filter(congress=congress).order_by("section", "row", "number")
    values = rows.values_list(
        "zone",
        "section",
        "row",
        "number",
        "x",
        "y",
        "accessible",
        "status",
        "assignment__pinned",
        "visitor__id",
    )
    return [HallSeat(*v[:7], _seat_state(*v[7:])) for v in values]


AGE_BANDS = (
    (0, 40, "Dưới 40"),
    (40, 50, "Từ 40 đến dưới 50"),
    (50, 60, "Từ 50 đến dưới 60"),
    (60, 200, "Từ 60 trở lên"),
)


def composition(congress: Congress) -> dict[str, list[tuple[str, int, float]]]:
    """The composition of the congress for the credentials report: counts and shares of the
    official delegates with credentials verified, by delegation, gender, age band, ethnicity,
    education and kind. Aggregates only: no person's data is shown."""
    verified = DelegateProfile.objects.filter(
        delegate__congress=congress,
        delegate__standing=DelegateStanding.OFFICIAL,
        delegate__credentials=Credentials.VERIFIED,
    ).values_list(
        "delegate__delegation__name",
        "gender",
        "birth_year",
        "ethnicity",
        "education",
        "delegate__kind",
    )
    rows = list(verified)
    total = len(rows) or 1
    year = congress.opens_on.year

    def shares(values: list[str]) -> list[tuple[str, int, float]]:
        return [(k, n, round(100 * n / total, 1)) for k, n in Counter(values).most_common()]

    def band(birth_year: int) -> str:
        age = year - birth_year
        return next(label for lo, hi, label in AGE_BANDS if lo <= age < hi)

    return {
        "Đoàn đại biểu": shares([r[0] for r in rows]),
        "Giới tính": shares(["Nữ" if r[1] == "female" else "Nam" for r in rows]),
        "Độ tuổi": shares([band(r[2]) for r in rows]),
        "Dân tộc": shares([r[3] for r in rows]),
        "Trình độ chuyên môn": shares([r[4] for r in rows]),
        "Loại đại biểu": shares([str(DelegateKind(r[5]).label) for r in rows]),
    }


# Guests and press ---------------------------------------------------------------------------


def guests_listed(guests: QuerySet[Guest]) -> QuerySet[Guest]:
    """Guests in protocol order, the highest rank first."""
    return guests.order_by("protocol_rank", "full_name", "pk")


def press_listed(passes: QuerySet[PressPass]) -> QuerySet[PressPass]:
    """Press passes in list order, without their card numbers: those are read only through
    `services.press_cards_read`, which audits the read."""
    return passes.order_by("outlet", "full_name", "pk").defer("card_number")


def visitor_permissions(user: User, congress: Congress) -> dict[str, bool]:
    """What the guests and press pages offer `user` (by role and the congress's state)."""
    role = visitor_role_actions(user, congress)
    open_now = timezone.localdate() <= congress.closes_on
    return {
        "edit": VisitorAction.EDIT in role and open_now,
        "decide": VisitorAction.DECIDE in role and open_now,
        "card": VisitorAction.VIEW_CARD in role,
        "badges": VisitorAction.CHECK_IN in role,
    }


def guest_counts(congress: Congress) -> dict[str, int]:
    """Guests by reply, and of them the international ones (one query)."""
    counts = Guest.objects.filter(congress=congress).aggregate(
        total=Count("pk"),
        international=Count("pk", filter=Q(kind=GuestKind.INTERNATIONAL)),
        **{reply.value: Count("pk", filter=Q(reply=reply)) for reply in GuestReply},
    )
    return {key: int(value) for key, value in counts.items()}


def press_counts(congress: Congress) -> dict[str, int]:
    counts = PressPass.objects.filter(congress=congress).aggregate(
        total=Count("pk"),
        press_centre=Count("pk", filter=Q(press_centre=True, state=PressState.APPROVED)),
        **{state.value: Count("pk", filter=Q(state=state)) for state in PressState},
    )
    return {key: int(value) for key, value in counts.items()}


# Agenda and speeches ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SessionPlan:
    session: CongressSession
    items: list[AgendaItem]
    oral: list[Speech]  # selected, in order
    written: list[Speech]  # selected, handed in
    proposed: list[Speech]
    declined: list[Speech]
    changes: list[Speech] = dataclasses.field(default_factory=list)  # sent back to the delegation

    @property
    def speaking_minutes(self) -> int:
        return sum(s.minutes for s in self.oral)


def agenda_plan(congress: Congress) -> list[SessionPlan]:
    """Every session with its agenda items and its speeches by state (three queries)."""
    sessions = list(CongressSession.objects.filter(congress=congress))
    items: dict[int, list[AgendaItem]] = {}
    for item in AgendaItem.objects.filter(session__congress=congress).order_by(
        "session_id", "position"
    ):
        items.setdefault(item.session_id, []).append(item)
    speeches: dict[int, list[Speech]] = {}
    for speech in (
        Speech.objects.filter(session__congress=congress)
        .select_related("delegation", "speaker")
        .order_by("session_id", "position", "pk")
    ):
        speeches.setdefault(speech.session_id, []).append(speech)
    plans = []
    for session in sessions:
        mine = speeches.get(session.pk, [])
        approved = [s for s in mine if s.state == SpeechState.APPROVED]
        plans.append(
            SessionPlan(
                session,
                items.get(session.pk, []),
                [s for s in approved if s.mode == SpeechMode.ORAL],
                [s for s in approved if s.mode == SpeechMode.WRITTEN],
                [s for s in mine if s.state == SpeechState.PROPOSED],
                [s for s in mine if s.state == SpeechState.DECLINED],
                [s for s in mine if s.state == SpeechState.CHANGES],
            )
        )
    return plans


def delegation_speeches(delegation: Delegation) -> list[Speech]:
    """A delegation's speeches, every state, in the order of the sessions (one query)."""
    return list(
        Speech.objects.filter(delegation=delegation)
        .select_related("session__congress", "delegation", "speaker", "agenda_item")
        .order_by("session__day", "session__part", "position", "pk")
    )


def delegation_speakers(delegation: Delegation) -> QuerySet[Delegate]:
    """Who may speak for a delegation: its delegates, less those replaced."""
    return delegation.delegates.exclude(standing=DelegateStanding.REPLACED).order_by("full_name")


def speech_counts(congress: Congress) -> dict[str, list[tuple[str, int, int]]]:
    """Speeches by topic and by delegation: (name, proposed in all, selected)."""
    speeches = Speech.objects.filter(session__congress=congress)
    selected = Count("pk", filter=Q(state=SpeechState.APPROVED))

    def rows(field: str) -> list[tuple[str, int, int]]:
        grouped = speeches.values(field).annotate(total=Count("pk"), selected=selected)
        return sorted(
            ((r[field], r["total"], r["selected"]) for r in grouped), key=lambda r: (-r[1], r[0])
        )

    return {"topic": rows("topic"), "delegation": rows("delegation__name")}


def agenda_publications(congress: Congress, limit: int = 20) -> list[AgendaPublication]:
    """The agenda's publications, newest first (the first of the list is what delegates read)."""
    return list(
        AgendaPublication.objects.filter(congress=congress)
        .select_related("by")
        .order_by("-number")[:limit]
    )


def agenda_document(document: AgendaDocument) -> IO[bytes] | None:
    """An agenda document opened for reading; None when its file is missing from the storage."""
    try:
        found: IO[bytes] = default_storage.open(document.stored, "rb")
    except FileNotFoundError:
        return None
    return found


def agenda_revisions(congress: Congress, limit: int = 20) -> list[AgendaRevision]:
    return list(
        AgendaRevision.objects.filter(congress=congress)
        .select_related("by")
        .order_by("-number")[:limit]
    )


# The structure of speeches ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TargetLine:
    """One line of the structure against the selection: its target, the selected oral speeches
    that count towards it, and the oral proposals on it still waiting for a decision."""

    label: str
    target: int
    selected: int
    waiting: int
    percent: int | None = None

    @property
    def gap(self) -> int:
        """Selected less target: below zero still short, above zero over."""
        return self.selected - self.target

    @property
    def short(self) -> int:
        return max(0, -self.gap)

    @property
    def over(self) -> int:
        return max(0, self.gap)


@dataclasses.dataclass(frozen=True)
class StructureCheck:
    structure: SpeechStructure
    total: TargetLine
    topics: dict[str, TargetLine]  # by the topic's search key
    shares: dict[str, TargetLine]  # by delegation kind
    other_topics: int  # selected oral speeches on a topic the structure does not name

    @property
    def lines(self) -> list[TargetLine]:
        return [self.total, *self.topics.values(), *self.shares.values()]

    @property
    def met(self) -> bool:
        return all(line.gap == 0 for line in self.lines)

    def lines_for(self, topic: str, delegation_kind: str) -> list[TargetLine]:
        """The lines an oral speech on `topic` from a delegation of `delegation_kind` counts
        towards: the total, its topic if the structure names it, its kind's share if set."""
        lines = [self.total, self.topics.get(search_key(topic)), self.shares.get(delegation_kind)]
        return [line for line in lines if line is not None]

    def full_for(self, topic: str, delegation_kind: str) -> list[TargetLine]:
        """The lines already at their target that selecting one more such speech would push
        over: what the reviewer is told before deciding."""
        return [line for line in self.lines_for(topic, delegation_kind) if line.gap >= 0]


def _share(total: int, percent: int) -> int:
    """A share of the total as a number of speeches, rounded half up."""
    return (total * percent + 50) // 100


def speech_structure_check(congress: Congress) -> StructureCheck | None:
    """The selection of oral speeches (those read out in the hall) against the structure the
    leadership set: the total, each topic's number, each kind of delegation's share. None when
    no structure was set. Three queries whatever the number of speeches."""
    structure = (
        SpeechStructure.objects.filter(congress=congress)
        .select_related("set_by")
        .prefetch_related("targets")
        .first()
    )
    if structure is None:
        return None
    counts: Counter[tuple[str, str, str]] = Counter()
    for row in (
        Speech.objects.filter(session__congress=congress, mode=SpeechMode.ORAL)
        .filter(state__in=[SpeechState.APPROVED, SpeechState.PROPOSED])
        .values("topic", "delegation__kind", "state")
        .annotate(n=Count("pk"))
    ):
        counts[(search_key(row["topic"]), row["delegation__kind"], row["state"])] += row["n"]

    def tally(state: str, topic: str | None = None, kind: str | None = None) -> int:
        return sum(
            n
            for (t, k, st), n in counts.items()
            if st == state and topic in (None, t) and kind in (None, k)
        )

    def line(
        label: str,
        target: int,
        topic: str | None = None,
        kind: str | None = None,
        percent: int | None = None,
    ) -> TargetLine:
        return TargetLine(
            label,
            target,
            tally(SpeechState.APPROVED, topic, kind),
            tally(SpeechState.PROPOSED, topic, kind),
            percent,
        )

    targets = list(structure.targets.all())
    topics = {
        search_key(t.key): line(t.key, t.count or 0, topic=search_key(t.key))
        for t in targets
        if t.kind == SpeechTargetKind.TOPIC
    }
    kind_labels = dict(DelegationKind.choices)
    shares = {
        t.key: line(
            str(kind_labels.get(t.key, t.key)),
            _share(structure.total, t.percent or 0),
            kind=t.key,
            percent=t.percent,
        )
        for t in targets
        if t.kind == SpeechTargetKind.DELEGATION_KIND
    }
    total = line(_("Tổng số tham luận trình bày"), structure.total)
    named = sum(topic.selected for topic in topics.values())
    return StructureCheck(structure, total, topics, shares, total.selected - named)


# Preparation boards -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BoardTaskRow:
    task: Task
    status: TaskStatus
    phase: str
    phase_label: str

    @property
    def deadline(self) -> dt.date | None:
        return self.task.extended_due_on or self.task.due_on


@dataclasses.dataclass(frozen=True)
class BoardProgress:
    """A sub-committee's preparation board: its tracking tasks with their status today, and
    how far it is."""

    board: Board
    rows: list[BoardTaskRow]
    done: int
    late: int  # not done, past the deadline
    due_this_week: int  # not done, deadline within the next seven days
    total: int  # not cancelled


def board_progress(congress: Congress, today: dt.date) -> list[BoardProgress]:
    """Every board of the congress with its tasks and their status today (three queries)."""
    boards = Board.objects.filter(congress=congress).order_by("pk").prefetch_related("members")
    by_board: dict[int, list[BoardTaskRow]] = {}
    for link in (
        BoardTask.objects.filter(board__congress=congress)
        .select_related("task__lead_agency")
        .order_by("task__due_on", "pk")
    ):
        row = BoardTaskRow(
            link.task, status_of(link.task, today), link.phase, str(link.get_phase_display())
        )
        by_board.setdefault(link.board_id, []).append(row)
    week = today + dt.timedelta(days=7)
    result = []
    for board in boards:
        rows = by_board.get(board.pk, [])
        waiting = [r for r in rows if r.status in NOT_DONE]
        result.append(
            BoardProgress(
                board,
                rows,
                done=sum(r.status in DONE for r in rows),
                late=sum(r.status == TaskStatus.OVERDUE for r in waiting),
                due_this_week=sum(
                    r.status != TaskStatus.OVERDUE and r.deadline is not None and r.deadline <= week
                    for r in waiting
                ),
                total=sum(r.status != TaskStatus.CANCELLED for r in rows),
            )
        )
    return result


@dataclasses.dataclass(frozen=True)
class BoardsOverall:
    """Every board together: the congress's preparation at a glance."""

    done: int
    late: int
    due_this_week: int
    total: int


def boards_overall(progress: list[BoardProgress]) -> BoardsOverall:
    return BoardsOverall(
        done=sum(p.done for p in progress),
        late=sum(p.late for p in progress),
        due_this_week=sum(p.due_this_week for p in progress),
        total=sum(p.total for p in progress),
    )


def board_task_agencies() -> QuerySet[Agency]:
    """Who may lead a board's task: every agency still in being (the secretariat assigns
    across agencies, as the office does)."""
    return Agency.objects.filter(valid_to__isnull=True).order_by("sort_text", "id")


def speech_text(speech: Speech) -> IO[bytes] | None:
    """The speech's text opened for reading; None when it has none or its file is missing from
    the storage (a restore without the media, a file removed by hand): a 404, not a 500."""
    if not speech.document:
        return None
    try:
        text: IO[bytes] = speech.document.storage.open(speech.document.name, "rb")
    except FileNotFoundError:
        return None
    return text


@dataclasses.dataclass(frozen=True)
class PendingPhoto:
    """The badge photo a delegate sent, waiting: when, and what names it for the review form
    (`services.photo_token`: a later photo has another)."""

    since: dt.datetime
    token: str


def photo_pending(delegate: Delegate) -> PendingPhoto | None:
    """The badge photo waiting for approval; None when none waits (one query)."""
    row = (
        DelegatePhotoRequest.objects.filter(delegate=delegate)
        .values_list("uploaded_at", "image")
        .first()
    )
    return PendingPhoto(since=row[0], token=row[1]) if row else None


def photo_exists(delegate: Delegate) -> bool:
    """Whether the badge has an approved photo of the delegate (the image is not read)."""
    return DelegatePhoto.objects.filter(delegate=delegate).exists()


@dataclasses.dataclass(frozen=True)
class PhotoWaiting:
    delegate_id: int
    full_name: str
    delegation: str
    uploaded_at: dt.datetime


def photos_waiting(congress: Congress, limit: int = 50) -> list[PhotoWaiting]:
    """The delegates whose own badge photo waits for the secretariat, oldest first (names
    only, never the image). One query."""
    rows = (
        DelegatePhotoRequest.objects.filter(delegate__congress=congress)
        .order_by("uploaded_at", "pk")
        .values_list(
            "delegate_id", "delegate__full_name", "delegate__delegation__name", "uploaded_at"
        )[:limit]
    )
    return [PhotoWaiting(*row) for row in rows]
