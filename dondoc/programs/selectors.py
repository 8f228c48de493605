"""Everything that reads programs and items, from the visibility rule (`items_visible_to`)."""

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.db.models import Count, Prefetch, QuerySet
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
    WorkProgram,
)


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

    @property
    def open_round(self) -> CommentRound | None:
        return next((r for r in self.rounds if r.closed_on is None), None)


def item_page(item: ProgramItem, today: dt.date) -> ItemPage:
    """The rounds with their invitations, the appraisals and the coordinators (four queries)."""
    invitations = Invitation.objects.select_related("agency").order_by("agency__sort_text")
    rounds = CommentRound.objects.filter(item=item).prefetch_related(
        Prefetch("invitations", queryset=invitations)
    )
    return ItemPage(
        rounds=list(rounds.order_by("-number")),
        appraisals=list(Appraisal.objects.filter(item=item).order_by("-appraised_on", "-pk")),
        coordinators=list(item.coordinating_agencies.values_list("name", flat=True)),
        missing=item.missing_sections(),
    )


def is_late(invitation: Invitation, today: dt.date) -> bool:
    """Unanswered past its round's deadline."""
    return invitation.answered_on is None and today > invitation.round.deadline


DECIDED = frozenset({ItemState.APPROVED})
