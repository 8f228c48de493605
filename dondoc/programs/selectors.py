"""Everything that reads programs and items, from the visibility rule (`items_visible_to`)."""

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, When
from django.utils.translation import gettext as _

from dondoc.accounts.models import User
from dondoc.programs.access import items_visible_to
from dondoc.programs.models import (
    Appraisal,
    Body,
    CommentRound,
    Invitation,
    ItemKind,
    ItemState,
    ProgramItem,
    RescheduleDecision,
    RescheduleKind,
    RescheduleRequest,
    WorkProgram,
)
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.models import Document, Task

ITEM_TASKS_SHOWN = 50


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
    lead_code: str
    lead_name: str
    program_id: int
    program_label: str


@dataclasses.dataclass(frozen=True)
class Month:
    number: int
    items: Sequence[ItemRow]


ROW_COLUMNS = (
    "pk", "title", "state", "kind", "planned_month", "by_quarter", "lead_agency__code",
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
            lead_code=code, lead_name=short or name, program_id=program_id,
            program_label=f"{bodies[body]} — {program_title}",
        )
        for (pk, title, state, kind, month, by_quarter, code, short, name, program_id,
             program_title, body) in items.values_list(*ROW_COLUMNS)
    ]  # fmt: skip


def program_calendar(user: User, program: WorkProgram) -> tuple[list[Month], Counter[str]]:
    """The program's visible items by planned month (1 to 12), and their count by step."""
    visible = items_visible_to(user).filter(program=program)
    rows = item_rows(visible.order_by("planned_month", "title", "pk"))
    months = [Month(m, [r for r in rows if r.planned_month == m]) for m in range(1, 13)]
    return months, Counter(row.state for row in rows)


def items_in_month(user: User, year: int, month: int) -> list[ItemRow]:
    """What every program of `year` plans for `month`, by body."""
    items = items_visible_to(user).filter(program__year=year, planned_month=month)
    return item_rows(items.order_by("program__body", "program_id", "title", "pk"))


@dataclasses.dataclass(frozen=True)
class ItemPage:
    rounds: Sequence[CommentRound]
    appraisals: Sequence[Appraisal]
    coordinators: Sequence[str]
    missing: Sequence[str]
    reschedules: Sequence[RescheduleRequest]  # newest first
    original_month: int  # the plan when the item entered the program
    document: Document | None = None  # the resulting document, once approved
    document_tasks: int = 0  # the tasks it assigned in tracking

    @property
    def pending_reschedule(self) -> RescheduleRequest | None:
        return next((r for r in self.reschedules if r.decision == RescheduleDecision.PENDING), None)

    @property
    def open_round(self) -> CommentRound | None:
        return next((r for r in self.rounds if r.closed_on is None), None)


def item_page(item: ProgramItem, today: dt.date) -> ItemPage:
    """The rounds with their invitations, the appraisals, the coordinators and the rescheduling
    requests (five queries)."""
    invitations = Invitation.objects.select_related("agency").order_by("agency__sort_text")
    rounds = CommentRound.objects.filter(item=item).prefetch_related(
        Prefetch("invitations", queryset=invitations)
    )
    reschedules = list(
        RescheduleRequest.objects.filter(item=item).select_related("requested_by", "decided_by")
    )
    return ItemPage(
        rounds=list(rounds.order_by("-number")),
        appraisals=list(Appraisal.objects.filter(item=item).order_by("-appraised_on", "-pk")),
        coordinators=list(item.coordinating_agencies.values_list("name", flat=True)),
        missing=item.missing_sections(),
        reschedules=reschedules,
        original_month=original_month(item, reschedules),
        **_outcome(item),
    )


def _outcome(item: ProgramItem) -> dict[str, Any]:
    """The resulting document with the number of its tasks (one query, none if there is none)."""
    if item.resulting_document_id is None:
        return {}
    document = (
        Document.objects.filter(pk=item.resulting_document_id).annotate(n=Count("tasks")).get()
    )
    return {"document": document, "document_tasks": document.n}


def item_tasks(user: User, item: ProgramItem) -> list[Task]:
    """The tasks the item's approval assigned in tracking (`Task.program_item`), those the
    user may see there, by deadline (one query, at most `ITEM_TASKS_SHOWN`)."""
    tasks = tasks_visible_to(user).filter(program_item=item).select_related("lead_agency")
    return list(tasks.order_by("due_on", "pk")[:ITEM_TASKS_SHOWN])


def original_month(item: ProgramItem, reschedules: Sequence[RescheduleRequest]) -> int:
    """The month planned when the item entered the program: what its first approved move
    moved it from, else its planned month."""
    moves = [
        r
        for r in reschedules
        if r.decision == RescheduleDecision.APPROVED
        and r.kind in {RescheduleKind.POSTPONE, RescheduleKind.STRETCH}
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
READY = frozenset({ItemState.APPRAISED, ItemState.SUBMITTED})
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
        state__in=BEFORE_APPRAISAL | {ItemState.APPRAISAL, ItemState.APPRAISED}
    )
    items = items_visible_to(user).filter(when | slipped).exclude(state__in=NOT_COMING)
    if bodies:
        items = items.filter(program__body__in=bodies)
    empty = Q(problem="") | Q(options="") | Q(resources="") | Q(roadmap="")
    items = items.annotate(
        consulted=Exists(CommentRound.objects.filter(item=OuterRef("pk"), closed_on__isnull=False)),
        waiting=Count(
            "rounds__invitations",
            filter=Q(rounds__closed_on__isnull=True, rounds__invitations__answered_on__isnull=True),
        ),
        complete=Case(When(empty | Q(responsibilities=""), then=False), default=True),
    ).order_by("program__year", "planned_month", "title", "pk")
    facts = {
        pk: (year, consulted, waiting, complete)
        for pk, year, consulted, waiting, complete in items.values_list(
            "pk", "program__year", "consulted", "waiting", "complete"
        )
    }
    rows = item_rows(items_visible_to(user).filter(pk__in=list(facts)))
    coming = [_readiness(row, facts[row.pk], today) for row in rows]
    return sorted(coming, key=lambda r: (not r.at_risk, r.year, r.row.planned_month, r.row.title))


def _readiness(row: ItemRow, facts: tuple[int, bool, int, bool], today: dt.date) -> Readiness:
    year, consulted, waiting, complete = facts
    due_now = (year, row.planned_month) <= (today.year, today.month)
    return Readiness(
        row=row,
        year=year,
        consulted=bool(consulted),
        waiting_answers=waiting,
        content_complete=bool(complete),
        appraised=row.state in READY,
        at_risk=due_now and row.state not in READY,
    )
