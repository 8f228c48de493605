"""Adherence to the programs: of the items planned for a month, how many went to their body in
that month, late, not yet, or were postponed or withdrawn — as of a day, from facts only (the
day of submission, the rescheduling decisions and their days), so a review of a past month says
the same whenever it is computed again.

Each planned item has one standing as of `day`, decided in this order:
1. withdrawn: a withdrawal approved on or before `day`;
2. postponed: a postponement or stretch approved on or before `day` (whatever happened next);
3. on time: submitted on or before the last day of its planned month (or quarter);
4. late: submitted after it;
5. overdue: not submitted, and its planned month is over;
6. not yet due: not submitted, and its planned month is not over.

The planned month is the plan as first adopted: the month its first approved move moved it
from, else its planned month; its year likewise (an item postponed into the next year's program
is counted once, in the year and month it was first planned: `planned_in_years`,
`planned_in_program`)."""

import calendar
import dataclasses
import datetime as dt
import enum
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dondoc.agencies.models import Agency
from dondoc.core.review_sections import ReviewScope
from dondoc.programs.models import (
    Body,
    ItemState,
    ProgramItem,
    ProgramKind,
    RescheduleDecision,
    RescheduleKind,
    RescheduleRequest,
    WorkProgram,
)

K = TypeVar("K", bound=Hashable)


class Standing(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    POSTPONED = "postponed"
    WITHDRAWN = "withdrawn"
    PENDING = "pending"


# The columns as the page and the review print them, in order.
LABELS: dict[Standing, Promise] = {
    Standing.ON_TIME: _("Trình đúng tháng"),
    Standing.LATE: _("Trình muộn"),
    Standing.OVERDUE: _("Quá tháng, chưa trình"),
    Standing.POSTPONED: _("Lùi, giãn"),
    Standing.WITHDRAWN: _("Rút"),
    Standing.PENDING: _("Chưa đến hạn"),
}


@dataclasses.dataclass(frozen=True, slots=True)
class ItemFacts:
    body: str
    year: int
    month: int  # as first planned
    lead_agency_id: int
    submitted_on: dt.date | None
    moved_on: dt.date | None  # the first postponement or stretch approved
    withdrawn_on: dt.date | None  # the withdrawal approved
    added: bool = False  # entered the program by an approved addition (bổ sung)

    @property
    def period_end(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def standing(self, day: dt.date) -> Standing:
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return Standing.WITHDRAWN
        if self.moved_on is not None and self.moved_on <= day:
            return Standing.POSTPONED
        if self.submitted_on is not None and self.submitted_on <= day:
            return Standing.ON_TIME if self.submitted_on <= self.period_end else Standing.LATE
        return Standing.OVERDUE if day > self.period_end else Standing.PENDING


@dataclasses.dataclass(frozen=True)
class AdherenceRow:
    key: Hashable
    label: str
    counts: Counter[Standing]
    added: int = 0  # of the planned, how many entered by an approved addition

    @property
    def planned(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts[s] for s in Standing]

    @property
    def on_time_share(self) -> float | None:
        """On time among the items whose month is over or that were decided otherwise."""
        due = self.planned - self.counts[Standing.PENDING]
        return round(100 * self.counts[Standing.ON_TIME] / due, 1) if due else None


def _approved(kinds: Sequence[str]) -> QuerySet[RescheduleRequest]:
    return RescheduleRequest.objects.filter(
        item=OuterRef("pk"), decision=RescheduleDecision.APPROVED, kind__in=kinds
    )


# Proposed for addition and not (yet) approved: not part of the program.
NOT_IN_PROGRAM = (ItemState.PROPOSED, ItemState.NOT_ADDED)


def adherence_facts(items: QuerySet[ProgramItem]) -> list[ItemFacts]:
    """The facts of each item, in one query."""
    first_move = _approved(MOVES).order_by("requested_on", "pk").values("from_month")[:1]
    # The first move into the next year's program names the year the item was first planned.
    first_year = (
        _approved(MOVES)
        .filter(from_year__isnull=False)
        .order_by("requested_on", "pk")
        .values("from_year")[:1]
    )
    moved = _approved(MOVES).order_by().values("item").annotate(on=Min("decided_on"))
    withdrawn = (
        _approved([RescheduleKind.WITHDRAW])
        .order_by()
        .values("item")
        .annotate(on=Min("decided_on"))
    )
    rows = (
        items.exclude(state__in=NOT_IN_PROGRAM)
        .filter(program__kind=ProgramKind.YEAR)  # a full-term item counts as carried into a year
        .order_by()
        .values_list("program__body", "lead_agency_id", "submitted_on")
        .annotate(
            year=Coalesce(Subquery(first_year), "program__year"),
            month=Coalesce(Subquery(first_move), "planned_month"),
            moved_on=Subquery(moved.values_list("on")[:1]),
            withdrawn_on=Subquery(withdrawn.values_list("on")[:1]),
            added=Exists(_approved([RescheduleKind.ADD])),
        )
    )
    return [
        ItemFacts(body, year, month, lead, submitted_on, moved_on, withdrawn_on, added)
        for body, lead, submitted_on, year, month, moved_on, withdrawn_on, added in rows
    ]


MOVES = (RescheduleKind.POSTPONE, RescheduleKind.STRETCH, RescheduleKind.DEFER)


def _moved_from(years: Q) -> Exists:
    """Moved, by an approved request, out of a program of one of `years` into a later one."""
    return Exists(
        RescheduleRequest.objects.filter(
            Q(item=OuterRef("pk"), decision=RescheduleDecision.APPROVED, kind__in=MOVES) & years
        )
    )


def planned_in_years(items: QuerySet[ProgramItem], first: int, last: int) -> QuerySet[ProgramItem]:
    """The items of the programs of years `first` to `last`, and those first planned there and
    since moved into a later year's program (their facts carry the year first planned)."""
    return items.filter(
        Q(program__year__range=(first, last)) | _moved_from(Q(from_year__range=(first, last)))
    )


def planned_in_program(items: QuerySet[ProgramItem], program: WorkProgram) -> QuerySet[ProgramItem]:
    """The items first planned in `program`: its own (less those moved in from the year before,
    whose facts name that year) and those moved out of it into the next year's program; filter
    the facts by `year == program.year`."""
    return items.filter(program__body=program.body, program__kind=program.kind).filter(
        Q(program=program) | _moved_from(Q(from_year=program.year))
    )


def program_facts(items: QuerySet[ProgramItem], program: WorkProgram) -> list[ItemFacts]:
    """The facts of `items` first planned in `program` (a postponed item counts once, in the
    program that first planned it)."""
    facts = adherence_facts(planned_in_program(items, program))
    return [f for f in facts if f.year == program.year]


def adherence_by(
    facts: Iterable[ItemFacts],
    day: dt.date,
    key: Callable[[ItemFacts], K],
    label: Callable[[K], str],
) -> tuple[list[AdherenceRow], AdherenceRow]:
    """Rows grouped by `key` (sorted by it), and the total row."""
    groups: dict[K, Counter[Standing]] = {}
    added: Counter[K] = Counter()
    total: Counter[Standing] = Counter()
    for fact in facts:
        standing = fact.standing(day)
        groups.setdefault(key(fact), Counter())[standing] += 1
        total[standing] += 1
        added[key(fact)] += fact.added
    rows = [AdherenceRow(k, label(k), groups[k], added[k]) for k in sorted(groups, key=str)]
    return rows, AdherenceRow("total", str(_("Tổng số")), total, added.total())


def by_month(facts: Iterable[ItemFacts], day: dt.date) -> tuple[list[AdherenceRow], AdherenceRow]:
    """Per planned month (one program: one body and year)."""
    rows, total = adherence_by(
        facts,
        day,
        lambda f: f"{f.year}-{f.month:02d}",
        lambda k: str(_("Tháng %(m)d") % {"m": int(k[5:])}),
    )
    return rows, total


BODY_ORDER = {body.value: n for n, body in enumerate(Body)}


def by_body(facts: Iterable[ItemFacts], day: dt.date) -> tuple[list[AdherenceRow], AdherenceRow]:
    rows, total = adherence_by(facts, day, lambda f: f.body, lambda k: str(Body(k).label))
    return sorted(rows, key=lambda r: BODY_ORDER[str(r.key)]), total


def by_lead(facts: Iterable[ItemFacts], day: dt.date) -> list[AdherenceRow]:
    """Per lead agency, the most items first (one query for the names)."""
    facts = list(facts)
    names = dict(
        Agency.objects.filter(pk__in={f.lead_agency_id for f in facts}).values_list("pk", "name")
    )
    rows, _total = adherence_by(facts, day, lambda f: f.lead_agency_id, lambda k: names.get(k, ""))
    return sorted(rows, key=lambda r: (-r.planned, r.label))


GROUPINGS = ("body", "lead", "month")


def adherence_table(
    facts: Sequence[ItemFacts], day: dt.date, group: str
) -> tuple[list[AdherenceRow], AdherenceRow]:
    """The rows by body, lead agency or planned month (`GROUPINGS`), and the total row."""
    if group == "lead":
        rows = by_lead(facts, day)
        return rows, adherence_by(facts, day, lambda f: 0, str)[1]
    return by_body(facts, day) if group == "body" else by_month(facts, day)


def in_period(facts: Iterable[ItemFacts], start: dt.date, end: dt.date) -> list[ItemFacts]:
    """The items planned (as first adopted) for a month within [start, end]."""
    first, last = (start.year, start.month), (end.year, end.month)
    return [f for f in facts if first <= (f.year, f.month) <= last]


def review_section(scope: ReviewScope) -> dict[str, Any] | None:
    """The monthly review's section on the programs (`core.review_sections`): the items planned
    for the review's period, by body, as of its day; for an agency's review, the items it
    leads. None when nothing was planned then, or for a review of one document or issuer."""
    if scope.kind not in {"all", "agency"}:
        return None
    items = planned_in_years(ProgramItem.objects.all(), scope.start.year, scope.end.year)
    if scope.kind == "agency":
        items = items.filter(lead_agency_id=scope.agency_id)
    facts = in_period(adherence_facts(items), scope.start, scope.end)
    if not facts:
        return None
    with translation.override("vi"):
        rows, total = by_body(facts, scope.day)
        section = {
            "title": "Thực hiện Chương trình công tác",
            "note": (
                f"Các đề án, báo cáo dự kiến trình trong kỳ theo chương trình công tác "
                f"(tháng dự kiến khi đưa vào chương trình), tình hình tính đến ngày "
                f"{scope.day:%d/%m/%Y}: {total.planned} nội dung, đúng tháng "
                f"{total.counts[Standing.ON_TIME]}, muộn {total.counts[Standing.LATE]}, "
                f"quá tháng chưa trình {total.counts[Standing.OVERDUE]}, lùi hoặc giãn "
                f"{total.counts[Standing.POSTPONED]}, rút {total.counts[Standing.WITHDRAWN]}."
            ),
            "sheet": "Chương trình công tác",
            "caption": "Thực hiện chương trình công tác theo cơ quan xem xét",
            "columns": _review_columns("Cơ quan xem xét"),
            "rows": [_review_row(r) for r in rows],
            "total": _review_row(total),
        }
        if scope.kind == "all":  # an agency's review: the items it leads, one row
            section["tables"] = [
                {
                    "sheet": "CTCT theo cơ quan chủ trì",
                    "caption": "Thực hiện chương trình công tác theo cơ quan chủ trì",
                    "columns": _review_columns("Cơ quan chủ trì"),
                    "rows": [_review_row(r) for r in by_lead(facts, scope.day)],
                    "total": _review_row(total),
                }
            ]
        return section


def _review_columns(first: str) -> list[list[Any]]:
    return [
        [first, "text", 2.4],
        ["Kế hoạch", "int", 1.0],
        *([str(LABELS[s]), "int", 1.0] for s in Standing),
        ["Trong đó bổ sung", "int", 1.0],
        ["Đúng hạn (%)", "pct", 1.1],
    ]


def _review_row(row: AdherenceRow) -> list[Any]:
    return [row.label, row.planned, *row.cells, row.added, row.on_time_share]
