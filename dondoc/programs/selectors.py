"""Everything that reads programs and items, from the visibility rule (`items_visible_to`)."""

import dataclasses
import datetime as dt
import enum
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dondoc.accounts.models import User
from dondoc.programs.access import items_visible_to
from dondoc.programs.diff import SectionDiff, versions_diff
from dondoc.programs.models import (
    Appraisal,
    Body,
    CommentHandling,
    CommentRound,
    FileKind,
    Invitation,
    ItemKind,
    ItemState,
    ProgramFile,
    ProgramItem,
    ProgramKind,
    ProposalVersion,
    RescheduleDecision,
    RescheduleKind,
    RescheduleRequest,
    WorkProgram,
)
from dondoc.tracking.access import documents_visible_to, tasks_visible_to
from dondoc.tracking.models import Document, Task

ITEM_TASKS_SHOWN = 50
MONTH_MOVES = (RescheduleKind.POSTPONE, RescheduleKind.STRETCH, RescheduleKind.DEFER)


@dataclasses.dataclass(frozen=True)
class ProgramRow:
    program: WorkProgram
    items: int


def programs_with_counts(user: User) -> list[ProgramRow]:
    """Every program, with how many of its items the user sees (two queries)."""
    counts = dict(
        items_visible_to(user)
        .order_by()
        .values_list("program_id")
        .annotate(n=Count("pk"))
        .values_list("program_id", "n")
    )
    return [ProgramRow(p, counts.get(p.pk, 0)) for p in WorkProgram.objects.all()]


@dataclasses.dataclass(frozen=True, slots=True)
class ItemRow:
    """An item as the calendars list it: plain values, labels already translated (the model's
    `get_*_display` costs a translation lookup per call, which dominated a 200-item page)."""

    pk: int
    title: str
    state: str
    state_label: str
    kind: str
    kind_label: str
    planned_month: int
    planned_label: str  # "Quý 4" for an item planned by quarter, else ""
    planned_year: int | None  # a full-term program's item: its year of the term
    lead_code: str
    lead_name: str
    program_id: int
    program_label: str
    note: str = ""  # beside the item: where it was first planned, or where it went


@dataclasses.dataclass(frozen=True)
class Month:
    number: int
    items: Sequence[ItemRow]
    moved_out: Sequence[ItemRow] = ()  # planned here, then postponed into the next year


ROW_COLUMNS = (
    "pk", "title", "state", "kind", "planned_month", "by_quarter", "planned_year", "lead_agency__code",
    "lead_agency__short_name", "lead_agency__name", "program_id", "program__title",
    "program__body",
)  # fmt: skip


def item_rows(items: QuerySet[ProgramItem]) -> list[ItemRow]:
    """The rows of `items` in their order, in one query and without model instances."""
    states = {value: str(label) for value, label in ItemState.choices}
    kinds = {value: str(label) for value, label in ItemKind.choices}
    bodies = {value: str(label) for value, label in Body.choices}
    quarter = _("Quý %(q)d")
    return [
        ItemRow(
            pk=pk, title=title, state=state, state_label=states[state], kind=kind,
            kind_label=kinds[kind], planned_month=month,
            planned_label=quarter % {"q": (month + 2) // 3} if by_quarter else "",
            planned_year=planned_year, lead_code=code, lead_name=short or name, program_id=program_id,
            program_label=f"{bodies[body]} — {program_title}",
        )
        for (pk, title, state, kind, month, by_quarter, planned_year, code, short, name, program_id,
             program_title, body) in items.values_list(*ROW_COLUMNS)
    ]  # fmt: skip


def program_calendar(user: User, program: WorkProgram) -> tuple[list[Month], Counter[str]]:
    """The program's visible items by planned month (1 to 12), and their count by step. The
    items postponed into it from the year before carry their first plan beside them; the items
    postponed out of it into the next year stay in the month they were planned, marked with
    where they went (counted in their new program only). Two queries, three when some item
    moved out."""
    visible = items_visible_to(user)
    came, went = _year_moves(visible, program.year, body=program.body)
    own = visible.filter(program=program).order_by("planned_month", "title", "pk")
    rows = _noted(item_rows(own), came)
    out = item_rows(visible.filter(pk__in=went).order_by("title", "pk")) if went else []
    moved = _noted(out, {pk: note for pk, (_month, note) in went.items()})
    months = [
        Month(
            m,
            [r for r in rows if r.planned_month == m],
            [r for r in moved if went[r.pk][0] == m],
        )
        for m in range(1, 13)
    ]
    return months, Counter(row.state for row in rows)


def _year_moves(
    visible: QuerySet[ProgramItem], year: int, month: int | None = None, body: str | None = None
) -> tuple[dict[int, str], dict[int, tuple[int, str]]]:
    """The approved moves of visible items into or out of `year` (its `month` only, if given;
    a `body`'s programs only, if given): for each item moved in, its first plan ("kế hoạch ban
    đầu: tháng 11/2026"); for each item moved out, the month it left and where it went (one
    query)."""
    into, out_of = Q(to_year=year), Q(from_year=year)
    if month is not None:
        into, out_of = into & Q(to_month=month), out_of & Q(from_month=month)
    moves = RescheduleRequest.objects.filter(
        into | out_of,
        decision=RescheduleDecision.APPROVED,
        kind__in=MONTH_MOVES,
        from_year__isnull=False,
        item__in=visible,
    )
    if body is not None:
        moves = moves.filter(item__program__body=body)
    came: dict[int, str] = {}
    went: dict[int, tuple[int, str]] = {}
    first_plan, moved_to = (
        _("kế hoạch ban đầu: tháng %(m)d/%(y)d"),
        _("đã lùi sang tháng %(m)d/%(y)d"),
    )
    for pk, from_month, from_year, to_month, to_year in moves.order_by(
        "requested_on", "pk"
    ).values_list("item_id", "from_month", "from_year", "to_month", "to_year"):
        if to_year == year and month in {None, to_month}:
            came.setdefault(pk, first_plan % {"m": from_month, "y": from_year})
        else:
            went.setdefault(pk, (from_month, moved_to % {"m": to_month, "y": to_year}))
    return came, went


def _noted(rows: list[ItemRow], notes: dict[int, str]) -> list[ItemRow]:
    return [dataclasses.replace(r, note=notes[r.pk]) if r.pk in notes else r for r in rows]


SESSION_ITEMS_SHOWN = 100


def items_of_session(user: User, session_id: int) -> list[ItemRow]:
    """The program items linked to a tracking working session (`ProgramItem.working_session`)
    that the user may see, by year and month (one query, at most `SESSION_ITEMS_SHOWN`)."""
    items = items_visible_to(user).filter(working_session_id=session_id)
    ordered = items.order_by("program__year", "planned_month", "title", "pk")
    return item_rows(ordered[:SESSION_ITEMS_SHOWN])


def items_in_month(user: User, year: int, month: int) -> list[ItemRow]:
    """What every program of `year` plans for `month`, by body: with, beside an item postponed
    into it from the year before, its first plan; and the items first planned for it and since
    postponed into the next year, marked with where they went (three queries)."""
    visible = items_visible_to(user)
    came, went = _year_moves(visible, year, month)
    items = visible.filter(program__kind=ProgramKind.YEAR, program__year=year, planned_month=month)
    if went:
        items = visible.filter(Q(pk__in=items.values("pk")) | Q(pk__in=went))
    rows = item_rows(items.order_by("program__body", "program_id", "title", "pk"))
    return _noted(rows, {**came, **{pk: note for pk, (_month, note) in went.items()}})


@dataclasses.dataclass(frozen=True)
class ItemPage:
    rounds: Sequence[CommentRound]
    appraisals: Sequence[Appraisal]
    coordinators: Sequence[str]
    missing: Sequence[str]
    reschedules: Sequence[RescheduleRequest]  # newest first
    original_month: int  # the plan when the item entered the program
    original_year: int | None = None  # a full-term item: its year before any approved move
    document: Document | None = None  # the resulting document, once approved
    document_tasks: int = 0  # the tasks it assigned in tracking
    term_item: ProgramItem | None = None  # the full-term item this yearly item carries
    carried: Sequence[ProgramItem] = ()  # a full-term item: where it was carried

    @property
    def pending_reschedule(self) -> RescheduleRequest | None:
        return next((r for r in self.reschedules if r.decision == RescheduleDecision.PENDING), None)

    @property
    def open_round(self) -> CommentRound | None:
        return next((r for r in self.rounds if r.closed_on is None), None)


def item_page(user: User, item: ProgramItem, today: dt.date) -> ItemPage:
    """The rounds with their invitations, the appraisals, the coordinators, the rescheduling
    requests (five queries) and the resulting document if the user may read it."""
    invitations = (
        Invitation.objects.select_related("agency")
        .prefetch_related("files")
        .order_by("agency__sort_text")
    )
    rounds = (
        CommentRound.objects.filter(item=item)
        .select_related("version")
        .prefetch_related(Prefetch("invitations", queryset=invitations))
    )
    reschedules = list(
        RescheduleRequest.objects.filter(item=item).select_related("requested_by", "decided_by")
    )
    return ItemPage(
        rounds=list(rounds.order_by("-number")),
        appraisals=list(
            Appraisal.objects.filter(item=item)
            .select_related("version")
            .order_by("-appraised_on", "-pk")
        ),
        coordinators=list(item.coordinating_agencies.values_list("name", flat=True)),
        missing=item.missing_sections(),
        reschedules=reschedules,
        original_month=original_month(item, reschedules),
        original_year=original_year(item, reschedules),
        **_outcome(user, item),
        **_term_links(item),
    )


def _term_links(item: ProgramItem) -> dict[str, Any]:
    """The full-term item a yearly item carries, or the yearly items a full-term item was
    carried into (one query, none for an item of a yearly program not derived from a term)."""
    if item.term_item_id is not None:
        return {
            "term_item": ProgramItem.objects.select_related("program").get(pk=item.term_item_id)
        }
    if item.program.kind == ProgramKind.TERM:
        carried = ProgramItem.objects.filter(term_item=item).select_related("program")
        return {"carried": list(carried.order_by("program__year", "pk"))}
    return {}


def _outcome(user: User, item: ProgramItem) -> dict[str, Any]:
    """The resulting document with the number of its tasks, through tracking's document rule:
    a document classified above the user's clearance since the decision (tracking may raise
    it) is not shown, nor its text offered (one query, none if there is none)."""
    if item.resulting_document_id is None:
        return {}
    visible = documents_visible_to(user).filter(pk=item.resulting_document_id)
    document = visible.annotate(n=Count("tasks")).first()
    if document is None:
        return {}
    return {"document": document, "document_tasks": document.n}


def item_tasks(user: User, item: ProgramItem) -> list[Task]:
    """The tasks the item's approval assigned in tracking (`Task.program_item`) or that were
    assigned since under its resulting document (the office confirming those the assisted
    entry read in the document's text), those the user may see there, by deadline (one query,
    at most `ITEM_TASKS_SHOWN`)."""
    source = Q(program_item=item)
    if item.resulting_document_id is not None:
        source |= Q(document_id=item.resulting_document_id)
    tasks = tasks_visible_to(user).filter(source).select_related("lead_agency")
    return list(tasks.order_by("due_on", "pk")[:ITEM_TASKS_SHOWN])


def original_month(item: ProgramItem, reschedules: Sequence[RescheduleRequest]) -> int:
    """The month planned when the item entered the program: what its first approved move
    moved it from, else its planned month."""
    moves = [
        r
        for r in reschedules
        if r.decision == RescheduleDecision.APPROVED and r.kind in MONTH_MOVES
    ]
    return (
        min(moves, key=lambda r: (r.requested_on, r.pk)).from_month if moves else item.planned_month
    )


def is_late(invitation: Invitation, today: dt.date) -> bool:
    """Unanswered past its round's deadline."""
    return invitation.answered_on is None and today > invitation.round.deadline


DECIDED = frozenset({ItemState.APPROVED})


# What comes next ---------------------------------------------------------------------------

BEFORE_APPRAISAL = frozenset(
    {ItemState.DRAFTING, ItemState.COMMENTING, ItemState.REVISING, ItemState.RETURNED}
)
READY = frozenset({ItemState.APPRAISED, ItemState.SUBMITTED, ItemState.DEFERRED})
# Not coming before a body: decided, or not (yet) in the program.
NOT_COMING = frozenset({ItemState.APPROVED, ItemState.PROPOSED, ItemState.NOT_ADDED})


@dataclasses.dataclass(frozen=True, slots=True)
class Readiness:
    """An item planned in the coming weeks, and how ready it is to go before its body."""

    row: ItemRow
    year: int
    consulted: bool  # a comment round held and closed
    waiting_answers: int  # invited agencies yet to answer the open round
    content_complete: bool
    drafts_attached: bool  # the draft documents (a file of kind "draft") are attached
    appraised: bool  # passed appraisal (appraised or already submitted)
    at_risk: bool  # planned this month or already past, and not yet through appraisal


def _months_ahead(today: dt.date, weeks: int) -> list[tuple[int, int]]:
    """The (year, month) pairs from this month to the month `weeks` weeks ahead."""
    end = today + dt.timedelta(weeks=weeks)
    months, year, month = [], today.year, today.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def items_coming(
    user: User, today: dt.date, weeks: int = 8, bodies: Sequence[str] = ()
) -> list[Readiness]:
    """What comes before the bodies in the next `weeks` weeks (and what slipped past its
    planned month without being submitted), each with its readiness; items at risk first."""
    months = _months_ahead(today, weeks)
    when = Q()
    for year, month in months:
        when |= Q(program__year=year, planned_month=month)
    slipped = Q(program__year=today.year, planned_month__lt=today.month) & Q(
        state__in=BEFORE_APPRAISAL | {ItemState.APPRAISAL, ItemState.APPRAISED, ItemState.DEFERRED}
    )
    items = (
        items_visible_to(user)
        .filter(when | slipped, program__kind=ProgramKind.YEAR)
        .exclude(state__in=NOT_COMING)
    )
    if bodies:
        items = items.filter(program__body__in=bodies)
    empty = Q(problem="") | Q(options="") | Q(resources="") | Q(roadmap="")
    rows = item_rows(items)  # the same items, read by their own query: no list of ids to bind
    items = items.annotate(
        consulted=Exists(CommentRound.objects.filter(item=OuterRef("pk"), closed_on__isnull=False)),
        waiting=Count(
            "rounds__invitations",
            filter=Q(rounds__closed_on__isnull=True, rounds__invitations__answered_on__isnull=True),
        ),
        complete=Case(When(empty | Q(responsibilities=""), then=False), default=True),
        drafts=Exists(ProgramFile.objects.filter(item=OuterRef("pk"), kind=FileKind.DRAFT)),
    ).order_by("program__year", "planned_month", "title", "pk")
    facts = {
        pk: (year, consulted, waiting, complete, drafts)
        for pk, year, consulted, waiting, complete, drafts in items.values_list(
            "pk", "program__year", "consulted", "waiting", "complete", "drafts"
        )
    }
    coming = [_readiness(row, facts[row.pk], today) for row in rows if row.pk in facts]
    return sorted(coming, key=lambda r: (not r.at_risk, r.year, r.row.planned_month, r.row.title))


def _readiness(row: ItemRow, facts: tuple[int, bool, int, bool, bool], today: dt.date) -> Readiness:
    year, consulted, waiting, complete, drafts = facts
    due_now = (year, row.planned_month) <= (today.year, today.month)
    return Readiness(
        row=row,
        year=year,
        consulted=bool(consulted),
        waiting_answers=waiting,
        content_complete=bool(complete),
        drafts_attached=bool(drafts),
        appraised=row.state in READY,
        at_risk=due_now and row.state not in READY,
    )


# The full-term program, rolled up from its yearly items ---------------------------------------


class TermStanding(enum.StrEnum):
    """Where a full-term item stands, from the yearly item it was carried into."""

    APPROVED = "approved"
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    WITHDRAWN = "withdrawn"
    NOT_CARRIED = "not_carried"


TERM_LABELS: dict[TermStanding, Promise] = {
    TermStanding.APPROVED: gettext_lazy("Đã thông qua"),
    TermStanding.SUBMITTED: gettext_lazy("Đã trình, chờ quyết định"),
    TermStanding.IN_PROGRESS: gettext_lazy("Đang chuẩn bị"),
    TermStanding.WITHDRAWN: gettext_lazy("Rút khỏi chương trình năm"),
    TermStanding.NOT_CARRIED: gettext_lazy("Chưa đưa vào chương trình năm"),
}

YEAR_STATE_STANDING = {
    ItemState.APPROVED: TermStanding.APPROVED,
    ItemState.SUBMITTED: TermStanding.SUBMITTED,
    ItemState.WITHDRAWN: TermStanding.WITHDRAWN,
}


def term_standing(year_state: str | None) -> TermStanding:
    if year_state is None:
        return TermStanding.NOT_CARRIED
    return YEAR_STATE_STANDING.get(ItemState(year_state), TermStanding.IN_PROGRESS)


@dataclasses.dataclass(frozen=True, slots=True)
class TermItemRow:
    row: ItemRow
    year: int
    standing: TermStanding
    year_item: int | None  # the yearly item it was carried into
    year_program: int | None

    @property
    def standing_label(self) -> str:
        return str(TERM_LABELS[self.standing])


@dataclasses.dataclass(frozen=True)
class TermYear:
    """A year of the term (or the whole term: `year` 0): its items and their standings."""

    year: int
    items: Sequence[TermItemRow]
    counts: Counter[TermStanding]
    year_program: int | None = None  # the yearly program derived for it

    @property
    def planned(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts[s] for s in TermStanding]

    @property
    def done_share(self) -> float | None:
        """Approved among the planned items not withdrawn."""
        due = self.planned - self.counts[TermStanding.WITHDRAWN]
        return round(100 * self.counts[TermStanding.APPROVED] / due, 1) if due else None


# Proposed for addition, or refused: not (yet) part of the term.
OUTSIDE_TERM = (ItemState.PROPOSED, ItemState.NOT_ADDED)


def term_progress(user: User, program: WorkProgram) -> tuple[list[TermYear], TermYear]:
    """The full-term program's items the user sees, year by year, each with the standing of
    the yearly item it was carried into; the counts per year and for the term (three queries)."""
    visible = items_visible_to(user).filter(program=program).exclude(state__in=OUTSIDE_TERM)
    carried = ProgramItem.objects.filter(term_item=OuterRef("pk")).order_by("-program__year", "-pk")
    facts = {
        pk: (year or program.year, year_item, year_program, state)
        for pk, year, year_item, year_program, state in visible.values_list(
            "pk",
            "planned_year",
            Subquery(carried.values("pk")[:1]),
            Subquery(carried.values("program_id")[:1]),
            Subquery(carried.values("state")[:1]),
        )
    }
    rows = item_rows(visible.order_by("planned_year", "planned_month", "title", "pk"))
    items = [
        TermItemRow(r, facts[r.pk][0], term_standing(facts[r.pk][3]), *facts[r.pk][1:3])
        for r in rows
    ]
    derived = dict(program.year_programs.values_list("year", "pk"))
    years = [
        TermYear(
            year,
            [i for i in items if i.year == year],
            Counter(i.standing for i in items if i.year == year),
            derived.get(year),
        )
        for year in program.years
    ]
    return years, TermYear(0, items, Counter(i.standing for i in items))


def original_year(item: ProgramItem, reschedules: Sequence[RescheduleRequest]) -> int | None:
    """The year the item was planned for when it entered the program: for a full-term item,
    what its first approved year move moved it from, else its planned year; for a yearly item,
    what its first approved move into the next year's program moved it from, else its
    program's year."""
    term = item.program.kind == ProgramKind.TERM
    kinds = {RescheduleKind.MOVE_YEAR} if term else set(MONTH_MOVES)
    moves = [
        r
        for r in reschedules
        if r.decision == RescheduleDecision.APPROVED and r.kind in kinds and r.from_year
    ]
    first = min(moves, key=lambda r: (r.requested_on, r.pk)) if moves else None
    if first is not None:
        return first.from_year
    return item.planned_year if term else item.program.year


# Versions, files and the comment-handling table -------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Versions:
    """The item's versions (newest first, each with its files), the pair compared side by side
    and their diff; the numbers of the version last appraised and of the one submitted."""

    versions: Sequence[ProposalVersion]
    before: ProposalVersion | None
    after: ProposalVersion | None
    diff: Sequence[SectionDiff]
    appraised: int | None
    submitted: int | None

    @property
    def changed(self) -> list[str]:
        return [d.name for d in self.diff if d.changed]

    @property
    def explanations(self) -> list[ProposalVersion]:
        """The versions between the pair, each with what changed and why."""
        if self.before is None or self.after is None:
            return []
        low, high = sorted((self.before.number, self.after.number))
        return [v for v in self.versions if low < v.number <= high and v.changes_note]


def item_versions(item: ProgramItem, a: int | None = None, b: int | None = None) -> Versions:
    """By default the version last appraised beside the latest (what changed after appraisal),
    else the two latest; `a` and `b` pick other numbers. Three queries."""
    files = ProgramFile.objects.order_by("uploaded_at", "pk")
    versions = list(
        ProposalVersion.objects.filter(item=item)
        .select_related("created_by")
        .prefetch_related(Prefetch("files", queryset=files))
        .order_by("-number")
    )
    appraisal = (
        Appraisal.objects.filter(item=item, passed=True, version__isnull=False)
        .order_by("-appraised_on", "-pk")
        .values_list("version__number", flat=True)
        .first()
    )
    submitted = next((v.number for v in versions if v.pk == item.submitted_version_id), None)
    by_number = {v.number: v for v in versions}
    after = by_number.get(b) if b else (versions[0] if versions else None)
    default_before = appraisal if appraisal and after and appraisal < after.number else None
    if default_before is None and len(versions) > 1 and after is not None:
        default_before = max((n for n in by_number if n < after.number), default=None)
    before = by_number.get(a) if a else by_number.get(default_before or 0)
    diff = versions_diff(before, after) if before and after and before != after else []
    return Versions(versions, before, after, diff, appraisal, submitted)


@dataclasses.dataclass(frozen=True)
class HandlingRow:
    invitation: Invitation
    round_number: int
    handling: CommentHandling | None
    files: Sequence[ProgramFile]


def handling_rows(item: ProgramItem) -> list[HandlingRow]:
    """Every comment received (an answered invitation) with how the lead agency handled it,
    round by round, agencies in order (two queries)."""
    invitations = list(
        Invitation.objects.filter(round__item=item, answered_on__isnull=False)
        .select_related("agency", "round", "handling")
        .order_by("round__number", "agency__sort_text", "pk")
    )
    files: dict[int, list[ProgramFile]] = {}
    for kept in ProgramFile.objects.filter(item=item, kind=FileKind.ANSWER).order_by("pk"):
        files.setdefault(kept.invitation_id or 0, []).append(kept)
    return [
        HandlingRow(i, i.round.number, getattr(i, "handling", None), files.get(i.pk, []))
        for i in invitations
    ]
