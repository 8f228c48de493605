"""Reading tracked work: counts by status, inboxes, lists."""

import datetime as dt

from django.db.models import Count, QuerySet

from dondoc.tracking.models import Task
from dondoc.tracking.status import TaskStatus, status_filter


def status_counts(tasks: QuerySet[Task], today: dt.date) -> dict[str, int]:
    """How many tasks are in each status, in one query; plus `total`."""
    aggregates = {
        status: Count("pk", filter=status_filter(status, today)) for status in TaskStatus.values
    }
    counts: dict[str, int] = tasks.aggregate(total=Count("pk"), **aggregates)
    return counts


def overdue_by_lead_agency(
    tasks: QuerySet[Task], today: dt.date, limit: int = 10
) -> list[dict[str, object]]:
    """Agencies with the most tasks overdue and not done, most first."""
    rows = (
        tasks.filter(status_filter(TaskStatus.OVERDUE, today))
        .values("lead_agency__code", "lead_agency__name", "lead_agency__short_name")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "lead_agency__code")[:limit]
    )
    return list(rows)


def tasks_due_soon(tasks: QuerySet[Task], today: dt.date, limit: int = 10) -> QuerySet[Task]:
    return (
        tasks.filter(
            status_filter(TaskStatus.DUE_SOON, today) | status_filter(TaskStatus.OVERDUE, today)
        )
        .select_related("lead_agency", "document")
        .order_by("due_on", "id")[:limit]
    )
