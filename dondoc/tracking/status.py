"""A task's status, derived from stored facts as of a day — never typed in.

The rules, in order (the first that holds wins), for a day D:

1. ``cancelled``: cancelled on or before D.
2. ``done_on_time`` / ``done_late``: accepted by the office on or before D. The completion
   date is the date of the final report; it is on time when that date is on or before the
   effective deadline (the latest approved extension, else the original deadline). A task done
   late stays done late for ever.
3. ``awaiting_acceptance``: a final report was filed on or before D, not yet accepted.
4. ``ongoing``: an ongoing task (thường xuyên, no deadline) that is none of the above.
5. ``overdue``: D is after the effective deadline. The deadline day itself is still in time.
6. ``due_soon``: the effective deadline is at most ``DUE_SOON_DAYS`` days after D.
7. ``open_on_time``: everything else.

`status_of` applies the rules to one task in Python; `status_expression` is the same rules as
one SQL CASE, so lists can filter and count by status inside the database. A test checks that
both agree on every edge.
"""

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Protocol

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    OPEN_ON_TIME = "open_on_time", _("Chưa hoàn thành, trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Chưa hoàn thành, quá hạn")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Chờ xác nhận")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    ONGOING = "ongoing", _("Thường xuyên, không thời hạn")
    CANCELLED = "cancelled", _("Đã hủy, điều chỉnh")


DONE = frozenset({TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE})
NOT_DONE = frozenset(
    {
        TaskStatus.OPEN_ON_TIME,
        TaskStatus.DUE_SOON,
        TaskStatus.OVERDUE,
        TaskStatus.AWAITING_ACCEPTANCE,
    }
)


class TaskFacts(Protocol):
    deadline_kind: str
    due_on: dt.date | None
    extended_due_on: dt.date | None
    reported_done_on: dt.date | None
    accepted_on: dt.date | None
    cancelled_on: dt.date | None


def due_soon_days() -> int:
    return int(settings.DUE_SOON_DAYS)


def _on_or_before(day: dt.date | None, limit: dt.date) -> bool:
    return day is not None and day <= limit


def status_of(task: TaskFacts, today: dt.date) -> TaskStatus:
    deadline = task.extended_due_on or task.due_on
    if _on_or_before(task.cancelled_on, today):
        return TaskStatus.CANCELLED
    if _on_or_before(task.accepted_on, today) and task.reported_done_on:
        late = deadline is not None and task.reported_done_on > deadline
        return TaskStatus.DONE_LATE if late else TaskStatus.DONE_ON_TIME
    if _on_or_before(task.reported_done_on, today):
        return TaskStatus.AWAITING_ACCEPTANCE
    if task.deadline_kind == "ongoing" or deadline is None:
        return TaskStatus.ONGOING
    if today > deadline:
        return TaskStatus.OVERDUE
    if (deadline - today).days <= due_soon_days():
        return TaskStatus.DUE_SOON
    return TaskStatus.OPEN_ON_TIME


def status_expression(
    today: dt.date,
    deadline: Combinable | None = None,
    late: Q | None = None,
    *,
    ranks: Mapping[TaskStatus, int] | None = None,
) -> Case:
    """The rules above as one SQL CASE over the task table (annotate or filter with it).

    `deadline` is the effective deadline: by default the latest approved extension, else the
    original deadline. A report for a past day passes the deadline as it stood on that day.
    `late` says a completion was reported after the deadline (by default, from the dates).
    With `ranks` (a number per status) the CASE gives the status's number instead of its name:
    an order by status in one CASE, not a CASE over this one (9 KB of SQL, 30 ms to compile).
    """
    if deadline is None:
        deadline = Coalesce(F("extended_due_on"), F("due_on"))
    soon = today + dt.timedelta(days=due_soon_days())
    accepted = Q(accepted_on__lte=today, reported_done_on__isnull=False)

    def then(status: TaskStatus) -> Value:
        return Value(status if ranks is None else ranks[status])

    return Case(
        When(cancelled_on__lte=today, then=then(TaskStatus.CANCELLED)),
        When(
            accepted & (GreaterThan(F("reported_done_on"), deadline) if late is None else late),
            then=then(TaskStatus.DONE_LATE),
        ),
        When(accepted, then=then(TaskStatus.DONE_ON_TIME)),
        When(reported_done_on__lte=today, then=then(TaskStatus.AWAITING_ACCEPTANCE)),
        When(Q(deadline_kind="ongoing") | Q(due_on__isnull=True), then=then(TaskStatus.ONGOING)),
        When(LessThan(deadline, today), then=then(TaskStatus.OVERDUE)),
        When(LessThanOrEqual(deadline, soon), then=then(TaskStatus.DUE_SOON)),
        default=then(TaskStatus.OPEN_ON_TIME),
        output_field=models.CharField() if ranks is None else models.IntegerField(),
    )


def _deadline_between(after: dt.date | None, until: dt.date | None) -> Q:
    """The effective deadline lies in (after, until]; either bound may be open."""
    extended, original = Q(extended_due_on__isnull=False), Q(extended_due_on__isnull=True)
    if after is not None:
        extended &= Q(extended_due_on__gt=after)
        original &= Q(due_on__gt=after)
    if until is not None:
        extended &= Q(extended_due_on__lte=until)
        original &= Q(due_on__lte=until)
    return extended | original


def status_filter(status: str, today: dt.date) -> Q:
    """A WHERE clause for one status, written so that the date indexes can serve it."""
    soon = today + dt.timedelta(days=due_soon_days())
    live = Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=today)
    not_accepted = Q(accepted_on__isnull=True) | Q(accepted_on__gt=today)
    not_reported = Q(reported_done_on__isnull=True) | Q(reported_done_on__gt=today)
    pending = live & not_accepted & not_reported
    dated = ~Q(deadline_kind="ongoing") & Q(due_on__isnull=False)
    done = live & Q(accepted_on__lte=today, reported_done_on__isnull=False)
    deadline = Coalesce(F("extended_due_on"), F("due_on"))
    late = Q(reported_done_on__gt=deadline)
    on_time = Q(due_on__isnull=True, extended_due_on__isnull=True) | Q(
        reported_done_on__lte=deadline
    )
    filters: dict[str, Q] = {
        TaskStatus.CANCELLED: Q(cancelled_on__lte=today),
        TaskStatus.DONE_LATE: done & late,
        TaskStatus.DONE_ON_TIME: done & on_time,
        TaskStatus.AWAITING_ACCEPTANCE: live & not_accepted & Q(reported_done_on__lte=today),
        TaskStatus.ONGOING: pending & (Q(deadline_kind="ongoing") | Q(due_on__isnull=True)),
        TaskStatus.OVERDUE: pending & dated & _deadline_between(None, today - dt.timedelta(days=1)),
        TaskStatus.DUE_SOON: pending
        & dated
        & _deadline_between(today - dt.timedelta(days=1), soon),
        TaskStatus.OPEN_ON_TIME: pending & dated & _deadline_between(soon, None),
    }
    return filters[status]


@dataclasses.dataclass(frozen=True)
class OverdueShare:
    """The headline figure of every report: the share of tasks overdue and not done.

    Defined once, here: `overdue` tasks over `base`, every task except the cancelled ones
    (đã hủy, điều chỉnh), which no longer count. Every page shows the caption on the same
    base ("2,29% — 68 / 2.963 nhiệm vụ, không tính nhiệm vụ đã hủy")."""

    overdue: int
    base: int

    @property
    def percent(self) -> float:
        return 100 * self.overdue / self.base if self.base else 0.0


def overdue_share(counts: Mapping[str, int]) -> OverdueShare:
    """From status counts keyed by status (and `total`, ignored): see `OverdueShare`."""
    statuses = [status.value for status in TaskStatus]
    base = sum(counts.get(s, 0) for s in statuses) - counts.get(TaskStatus.CANCELLED, 0)
    return OverdueShare(overdue=counts.get(TaskStatus.OVERDUE, 0), base=base)
