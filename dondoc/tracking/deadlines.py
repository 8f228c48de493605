"""Deadline arithmetic: the next period of a recurring task (month and quarter ends: `core.dates`)."""

import datetime as dt

from dondoc.core.dates import month_end
from dondoc.tracking.models import DeadlineKind

RECURRING = frozenset({DeadlineKind.MONTHLY, DeadlineKind.QUARTERLY})


def next_period_due(kind: str, due_on: dt.date) -> dt.date:
    """The due date of the period after the one due on `due_on` (its last day)."""
    months = 1 if kind == DeadlineKind.MONTHLY else 3
    month_index = due_on.year * 12 + due_on.month - 1 + months
    return month_end(month_index // 12, month_index % 12 + 1)
