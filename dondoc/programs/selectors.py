"""Everything that reads programs and items, from the visibility rule (`items_visible_to`)."""

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.db.models import Count, Prefetch, QuerySet

from dondoc.accounts.models import User
from dondoc.programs.access import items_visible_to
from dondoc.programs.models import (
    Appraisal,
    CommentRound,
    Invitation,
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


@dataclasses.dataclass(frozen=True)
class Month:
    number: int
    items: Sequence[ProgramItem]


def _rows(items: QuerySet[ProgramItem]) -> QuerySet[ProgramItem]:
    return items.select_related("lead_agency", "program").order_by("planned_month", "title", "pk")


def program_calendar(user: User, program: WorkProgram) -> tuple[list[Month], Counter[str]]:
    """The program's visible items by planned month (1 to 12), and their count by step."""
    items = list(_rows(items_visible_to(user).filter(program=program)))
    months = [Month(m, [i for i in items if i.planned_month == m]) for m in range(1, 13)]
    return months, Counter(item.state for item in items)


def items_in_month(user: User, year: int, month: int) -> list[ProgramItem]:
    """What every program of `year` plans for `month`, by body."""
    items = items_visible_to(user).filter(program__year=year, planned_month=month)
    return list(_rows(items).order_by("program__body", "title", "pk"))


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
