"""Deadline arithmetic: the last day of a month or quarter, and the next period of a recurring task."""

import calendar
import datetime as dt

from dondoc.tracking.models import DeadlineKind

RECURRING = frozenset({DeadlineKind.MONTHLY, DeadlineKind.QUARTERLY})


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(day: dt.date) -> dt.date:
    return month_end(day.year, 3 * ((day.month - 1) // 3 + 1))


def next_period_due(kind: str, due_on: dt.date) -> dt.date:
    """The due date of the period after the one due on `due_on` (its last day)."""
    months = 1 if kind == DeadlineKind.MONTHLY else 3
    month_index = due_on.year * 12 + due_on.month - 1 + months
    return month_end(month_index // 12, month_index % 12 + 1)
