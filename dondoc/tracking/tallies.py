"""Tallies: counts of tasks kept by the services, from which the figures are small sums.

Counting statuses from the tasks reads every task the user sees (1.6 s at a million tasks), and
a cache of that answer lasts only until the next change: with thousands of people reporting,
a few seconds. So the services keep, in the same transaction as each change, how many tasks
each lead agency has with the same facts (`TaskTally`): classification, key task, strategic
resolution, the effective deadline, and the dates of the completion report, the acceptance,
the cancellation and the assignment. Dates are kept, not statuses (a status changes with the
day, a date does not), so the same SQL that derives a task's status (`status_expression`)
derives a tally row's, and the counts as of a day are a sum over a few rows per agency.

The rows are exact for the days of a window (`TallyWindow`, from the day of the last rebuild
to the end of its month): a date before the window compares with every day of it the way its
first day does, a date after it the way the day after does, so all dates outside collapse to
two values and an agency has a few rows, not one per task. The rebuild (`tallies_rebuild`, a
daily job and `dondoc tallies rebuild`) moves the window on; a day outside it (an overview as of
last year, the day after a month ends before the rebuild ran) is counted from the tasks.
`MonthTally` keeps the trend's past month ends the same way, counted from the current facts.

Who may read them: the rows count every task of a lead agency within a classification, so they
answer only for users who see every agency (the office, leaders, inspectors), filtered by their
clearance, and for the peer medians of a scorecard (every task within the clearance). An
agency's staff see the tasks their agency leads or coordinates: a few hundred, counted from the
tasks themselves.

Maintenance (`tallies_refresh`): a change counts its agencies' tasks again (a grouped read of one
agency's tasks by index, a few rows written) and moves on the figures' version of everyone who
sees the changed tasks: all-agency audiences and the agencies that lead or coordinate them, so a
change elsewhere keeps an agency's cached figures. A test applies random changes through the
services and finds the tallies equal to a rebuild from the tasks.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from dondoc.accounts.models import User
from dondoc.audit.services import chain_head_hold
from dondoc.core.dates import month_end
from dondoc.tracking.models import (
    AgencyTally,
    Coordination,
    DeadlineKind,
    MonthTally,
    TallyWindow,
    Task,
    TaskTally,
)
from dondoc.tracking.status import DONE, TaskStatus, due_soon_days, status_expression, status_filter

TREND_MONTHS = 12
DAY = dt.timedelta(days=1)


def month_ends(today: dt.date, months: int = TREND_MONTHS) -> list[dt.date]:
    """The last day of each of the `months - 1` months before today's, then today itself."""
    days = [today]
    year, month = today.year, today.month
    for _month in range(months - 1):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        days.append(month_end(year, month))
    return days[::-1]


def done_as_of(day: dt.date) -> Q:
    """Accepted as done (on time or late) on or before `day`, among tasks assigned by then."""
    return Q(created_on__lte=day) & (
        status_filter(TaskStatus.DONE_ON_TIME, day) | status_filter(TaskStatus.DONE_LATE, day)
    )


def overdue_as_of(day: dt.date) -> Q:
    """Overdue and not done on `day` (only tasks already assigned then)."""
    return Q(created_on__lte=day) & status_filter(TaskStatus.OVERDUE, day)


# The window -------------------------------------------------------------------------------------


def window_for(day: dt.date) -> tuple[dt.date, dt.date]:
    """The days tallies built on `day` hold for: that day to the end of its month (the trend's
    past month ends change with the month)."""
    return day, month_end(day.year, day.month)


def _covering(day: dt.date) -> TallyWindow | None:
    window = TallyWindow.objects.first()
    if window is None or not window.from_day <= day <= window.until_day:
        return None
    return window if window.due_soon_days == due_soon_days() else None


def _fact(day: dt.date | None, window: TallyWindow) -> dt.date | None:
    """A fact's date as every day of the window compares with it (`fact <= day`)."""
    if day is None:
        return None
    return min(max(day, window.from_day), window.until_day + DAY)


def _deadline(day: dt.date, window: TallyWindow) -> dt.date:
    """A deadline as every day of the window sees it: passed (before the first day), or too far
    to be due soon on the last day."""
    far = window.until_day + dt.timedelta(days=window.due_soon_days + 1)
    return min(max(day, window.from_day - DAY), far)


# Counting the tasks into tallies -----------------------------------------------------------

_FIELDS = ("lead_agency_id", "classification", "is_key", "document_id", "document__is_strategic",
           "deadline_kind", "due_on", "extended_due_on", "created_on", "reported_done_on",
           "accepted_on", "cancelled_on")  # fmt: skip


def _tally_key(row: Sequence[Any], window: TallyWindow) -> tuple[Any, ...]:
    (agency, classification, key, document, strategic, kind, due, extended, created, reported,
     accepted, cancelled) = row  # fmt: skip
    deadline = extended or due
    late = bool(reported and deadline and reported > deadline)
    return (
        agency,
        classification,
        key,
        document if strategic else None,
        DeadlineKind.ONGOING if kind == DeadlineKind.ONGOING else DeadlineKind.DATE,
        None if due is None else _deadline(deadline, window),
        late,
        _fact(created, window),
        _fact(reported, window),
        _fact(accepted, window),
        _fact(cancelled, window),
    ), ((reported - deadline).days if late else 0)


def _task_tallies(tasks: QuerySet[Task], window: TallyWindow) -> Iterator[TaskTally]:
    counted: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
    for row in tasks.order_by().values_list(*_FIELDS).iterator(chunk_size=20000):
        key, late_days = _tally_key(row, window)
        totals = counted[key]
        totals[0] += 1
        totals[1] += late_days
    for key, (n, late_days) in counted.items():
        (agency, classification, is_key, document, kind, due, late, created, reported, accepted,
         cancelled) = key  # fmt: skip
        yield TaskTally(
            lead_agency_id=agency, classification=classification, is_key=is_key,
            strategic_document_id=document, deadline_kind=kind, due_on=due, late=late,
            created_on=created, reported_done_on=reported, accepted_on=accepted,
            cancelled_on=cancelled, tasks=n, late_days=late_days,
        )  # fmt: skip


def trend_aggregates(days: Sequence[dt.date]) -> dict[str, Count]:
    """`done_<n>` and `overdue_<n>` as of each of `days`, to aggregate tasks with."""
    aggregates: dict[str, Count] = {}
    for n, day in enumerate(days):
        aggregates[f"done_{n}"] = Count("pk", filter=done_as_of(day))
        aggregates[f"overdue_{n}"] = Count("pk", filter=overdue_as_of(day))
    return aggregates


def _month_tallies(tasks: QuerySet[Task], window: TallyWindow) -> Iterator[MonthTally]:
    days = month_ends(window.from_day)[:-1]
    rows = (
        tasks.order_by()
        .values("lead_agency_id", "classification")
        .annotate(**trend_aggregates(days))
    )
    for row in rows:
        for n, day in enumerate(days):
            done, overdue = row[f"done_{n}"], row[f"overdue_{n}"]
            if done or overdue:
                yield MonthTally(
                    lead_agency_id=row["lead_agency_id"],
                    classification=row["classification"],
                    day=day,
                    done=done,
                    overdue=overdue,
                )


def _count_into(tasks: QuerySet[Task], window: TallyWindow) -> None:
    TaskTally.objects.bulk_create(_task_tallies(tasks, window), batch_size=5000)
    MonthTally.objects.bulk_create(_month_tallies(tasks, window), batch_size=5000)


def tallies_refresh(agency_ids: Iterable[int | None], *, seen_by: Iterable[int] = ()) -> None:
    """Count again the tasks `agency_ids` lead (their tallies) and move on the figures' version
    of all-agency audiences and of `agency_ids` and `seen_by` (the agencies coordinating the
    changed tasks, or that did before the change).

    Every service that changes what a figure counts (a task's dates, lead agency, coordinators,
    classification, key flag; an obstacle) calls it in its transaction: it takes the audit
    chain head's lock first (held already when the service audited before), then the window's
    row, then the agencies' rows in order, so writers never wait on each other in a circle
    (two writers once deadlocked on PostgreSQL when one refreshed before it audited). It runs in the caller's transaction (the services' own)."""
    leads = sorted({pk for pk in agency_ids if pk is not None})
    every = sorted({*leads, *seen_by})
    chain_head_hold()  # the order of locks is the audit head's first, even if no entry came yet
    if not TallyWindow.objects.update(version=F("version") + 1):
        never = dt.date(2000, 1, 1)  # a window covering no day: figures from the tasks
        TallyWindow.objects.create(from_day=never, until_day=never, due_soon_days=0, version=1)
    bumped = AgencyTally.objects.filter(pk__in=every).update(version=F("version") + 1)
    if bumped < len(every):
        AgencyTally.objects.bulk_create(
            [AgencyTally(agency_id=pk, version=1) for pk in every], ignore_conflicts=True
        )
    window = _covering(_today())
    if window is None or not leads:
        return  # no tallies to keep: the next rebuild counts everything
    TaskTally.objects.filter(lead_agency_id__in=leads).delete()
    MonthTally.objects.filter(lead_agency_id__in=leads).delete()
    _count_into(Task.objects.filter(lead_agency_id__in=leads), window)


def task_tallies_refresh(task: Task, *previous_agencies: int | None, recount: bool = True) -> None:
    """`tallies_refresh` after a change to `task`: its lead agency (and `previous_agencies`, the
    lead or coordinators it had before), its coordinators. Without `recount` (an obstacle: the
    tallies count tasks, not obstacles) only the figures' versions move on."""
    coordinators = Coordination.objects.filter(task=task).values_list("agency_id", flat=True)
    agencies = [task.lead_agency_id, *previous_agencies]
    seen_by = [*coordinators, *(pk for pk in agencies if pk)]
    tallies_refresh(agencies if recount else (), seen_by=seen_by)


def tallies_rebuild(day: dt.date | None = None) -> int:
    """Count every task again, for the window starting on `day` (today): the daily job, and
    after data loaded around the services. Writers wait for it (it holds the window's row)."""
    day = day or _today()
    from_day, until_day = window_for(day)
    with transaction.atomic():
        window = TallyWindow.objects.select_for_update().first()
        if window is None:
            window = TallyWindow(version=0)
        window.from_day, window.until_day = from_day, until_day
        window.due_soon_days = due_soon_days()
        window.version += 1
        window.save()
        TaskTally.objects.all().delete()
        MonthTally.objects.all().delete()
        _count_into(Task.objects.all(), window)
        return TaskTally.objects.count()


def _today() -> dt.date:
    return timezone.localdate()


# The figures' versions -------------------------------------------------------------------------


def figures_version(user: User) -> int:
    """What changes whenever a figure `user` may see could: for all-agency audiences every
    counted change, for an agency's staff only changes to tasks their agency leads or
    coordinates."""
    if user.sees_all_agencies:
        found = TallyWindow.objects.values_list("version", flat=True).first()
    else:
        found = (
            AgencyTally.objects.filter(pk=user.agency_id).values_list("version", flat=True).first()
        )
    return found or 0


# Reading: small sums ------------------------------------------------------------------------


def _sum_by(
    rows: QuerySet[Any], columns: Sequence[str], measures: Sequence[str]
) -> list[tuple[Any, ...]]:
    """(*columns, *sums of measures) for each combination of `columns` of `rows` (a
    `.values(...)` queryset): computed columns (the status CASE) are computed once per row in a
    subquery and grouped outside it, as `selectors.count_by` does."""
    sql, params = rows.order_by().query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    sums = ", ".join(f"SUM({quote(m)})" for m in measures)
    grouped = f"SELECT {names}, {sums} FROM ({sql}) AS summed GROUP BY {names}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        return [
            (*row[: len(columns)], *(int(v or 0) for v in row[len(columns) :]))
            for row in cursor.fetchall()
        ]


@dataclass(frozen=True)
class Tallies:
    """The tallies of the tasks within `clearance`, read for `day` (a day of the window)."""

    day: dt.date
    clearance: int

    def rows(self) -> QuerySet[TaskTally]:
        return TaskTally.objects.filter(classification__lte=self.clearance)

    def _statuses(self, rows: QuerySet[TaskTally], *columns: str) -> list[tuple[Any, ...]]:
        status = status_expression(self.day, deadline=F("due_on"), late=Q(late=True))
        annotated = rows.annotate(status=status).values(*columns, "status", "tasks", "late_days")
        return _sum_by(annotated, [*columns, "status"], ["tasks", "late_days"])

    def status_counts(self, rows: QuerySet[TaskTally] | None = None) -> dict[str, int]:
        """As `selectors.status_counts`; `rows` narrows them (a lead agency, key tasks …)."""
        counts = dict.fromkeys(TaskStatus.values, 0)
        for status, n, _late_days in self._statuses(self.rows() if rows is None else rows):
            counts[status] = n
        return {**counts, "total": sum(counts.values())}

    def counted_by_agency(self) -> list[tuple[int, str, int]]:
        """(lead agency id, status, tasks) for each agency and status with tasks."""
        rows = self._statuses(self.rows(), "lead_agency_id")
        return [(agency_id, status, n) for agency_id, status, n, _late_days in rows]

    def strategic_counts(self) -> dict[int, dict[str, int]]:
        """{strategic document id: status counts} of the documents within the clearance."""
        rows = self.rows().filter(strategic_document__classification__lte=self.clearance)
        documents: dict[int, dict[str, int]] = {}
        for document_id, status, n, _late_days in self._statuses(rows, "strategic_document_id"):
            documents.setdefault(document_id, dict.fromkeys(TaskStatus.values, 0))[status] += n
        return documents

    def trend(
        self, agency_ids: Sequence[int] | None = None
    ) -> dict[int | None, list[tuple[dt.date, int, int]]]:
        """(month end, done, overdue) for each month end of the trend and `day`: in total (key
        None) or, given `agency_ids`, per agency."""
        days = month_ends(self.day)
        per_agency = agency_ids is not None
        points: dict[int | None, dict[dt.date, list[int]]] = defaultdict(
            lambda: {day: [0, 0] for day in days}
        )
        months = MonthTally.objects.filter(classification__lte=self.clearance)
        rows = self.rows().filter(created_on__lte=self.day)
        if per_agency:
            months = months.filter(lead_agency_id__in=agency_ids)
            rows = rows.filter(lead_agency_id__in=agency_ids)
        columns = ["lead_agency_id"] if per_agency else []
        for row in _sum_by(months.values(*columns, "day", "done", "overdue"), [*columns, "day"],
                           ["done", "overdue"]):  # fmt: skip
            agency, (day, done, overdue) = (row[0], row[1:]) if per_agency else (None, row)
            points[agency][day] = [done, overdue]
        for row in self._statuses(rows, *columns):
            agency, (status, n, _late_days) = (row[0], row[1:]) if per_agency else (None, row)
            point = points[agency][self.day]
            if status in DONE:
                point[0] += n
            elif status == TaskStatus.OVERDUE:
                point[1] += n
        return {
            agency: [(day, by_day[day][0], by_day[day][1]) for day in days]
            for agency, by_day in points.items()
        }

    def done_by_agency(self, agency_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
        """{agency: (done, done late, days late summed)} as of `day`, tasks assigned by then."""
        rows = self.rows().filter(lead_agency_id__in=agency_ids, created_on__lte=self.day)
        done: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for agency_id, status, n, late_days in self._statuses(rows, "lead_agency_id"):
            if status in DONE:
                done[agency_id][0] += n
            if status == TaskStatus.DONE_LATE:
                done[agency_id][1] += n
                done[agency_id][2] += late_days
        return {agency: (a, b, c) for agency, (a, b, c) in done.items()}


def tallies_for(user: User, day: dt.date, *, every_agency: bool = False) -> Tallies | None:
    """The tallies answering for `user` on `day`, or None: the figures are counted from the
    tasks. They answer for users who see every agency, and with `every_agency` (peer medians
    over every agency's tasks within the clearance) for anyone; only for a day of the window."""
    if not (user.sees_all_agencies or every_agency) or _covering(day) is None:
        return None
    return Tallies(day=day, clearance=user.clearance)
