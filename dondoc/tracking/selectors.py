"""Reading tracked work: counts by status, inboxes, lists."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import BigIntegerField, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dondoc.core.text import search_key
from dondoc.tracking.models import Coordination, LeadTransfer, Task
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


@dataclass(frozen=True)
class TaskFilters:
    """The filters of the office task list, the export and `GET /api/v1/tasks` alike."""

    status: tuple[str, ...] = ()
    lead: str = ""  # agency code
    coordinator: str = ""  # agency code
    document: int | None = None
    strategic: bool | None = None
    key: bool | None = None
    priority: int | None = None
    topic: int | None = None
    due_after: dt.date | None = None
    due_before: dt.date | None = None
    q: str = ""
    sort: str = "due_on"


SORTS = {
    "due_on": ("due_on", "id"),
    "-due_on": ("-due_on", "-id"),
    "created_on": ("created_on", "id"),
    "-created_on": ("-created_on", "-id"),
    "lead": ("lead_agency__sort_text", "due_on", "id"),
    "progress": ("progress", "id"),
    "-progress": ("-progress", "-id"),
    "title": ("search_text", "id"),
}


def tasks_matching(tasks: QuerySet[Task], filters: TaskFilters, today: dt.date) -> QuerySet[Task]:
    """Apply list filters to tasks the user may see (start from `tasks_visible_to(user)`).

    Text search is diacritic-insensitive: every word of `q` must occur in the stored key.
    A deadline range applies to the effective deadline (after any approved extension).
    """
    if filters.status:
        condition = Q()
        for status in filters.status:
            condition |= status_filter(status, today)
        tasks = tasks.filter(condition)
    tasks = tasks.filter(_field_conditions(filters))
    if filters.coordinator:
        coordinated = Coordination.objects.filter(agency__code=filters.coordinator)
        tasks = tasks.filter(pk__in=coordinated.values("task_id"))
    if filters.due_after or filters.due_before:
        tasks = tasks.alias(deadline=Coalesce(F("extended_due_on"), F("due_on")))
        if filters.due_after:
            tasks = tasks.filter(deadline__gte=filters.due_after)
        if filters.due_before:
            tasks = tasks.filter(deadline__lte=filters.due_before)
    for word in search_key(filters.q).split():
        tasks = tasks.filter(search_text__contains=word)
    return tasks.order_by(*SORTS.get(filters.sort, SORTS["due_on"]))


def _field_conditions(filters: TaskFilters) -> Q:
    wanted = {
        "lead_agency__code": filters.lead or None,
        "document_id": filters.document,
        "document__is_strategic": filters.strategic,
        "is_key": filters.key,
        "priority": filters.priority,
        "topics": filters.topic,
    }
    return Q(**{field: value for field, value in wanted.items() if value is not None})


def task_timeline(task: Task) -> list[dict[str, object]]:
    """Everything that happened to a task, oldest first: reports, extensions, obstacles."""
    events: list[dict[str, object]] = [{"on": task.created_on, "kind": "created", "item": task}]
    for report in task.reports.select_related("agency", "author"):
        events.append({"on": report.reported_on, "kind": "report", "item": report})
    for extension in task.extensions.select_related("requested_by", "decided_by"):
        events.append({"on": extension.requested_on, "kind": "extension", "item": extension})
        if extension.decided_on:
            events.append(
                {"on": extension.decided_on, "kind": "extension_decided", "item": extension}
            )
    for obstacle in task.obstacles.select_related("agency", "answered_by"):
        events.append({"on": obstacle.raised_on, "kind": "obstacle", "item": obstacle})
        if obstacle.answered_on:
            events.append(
                {"on": obstacle.answered_on, "kind": "obstacle_answered", "item": obstacle}
            )
    if task.accepted_on:
        events.append({"on": task.accepted_on, "kind": "accepted", "item": task})
    if task.cancelled_on:
        events.append({"on": task.cancelled_on, "kind": "cancelled", "item": task})
    order = {"created": 0, "report": 1, "extension": 2, "extension_decided": 3, "obstacle": 4,
             "obstacle_answered": 5, "accepted": 6, "cancelled": 7}  # fmt: skip
    return sorted(events, key=lambda e: (e["on"], order[str(e["kind"])]))


def lead_agency_on(day: dt.date) -> Coalesce:
    """The lead agency a task had on `day` (before any later transfer), as a SQL expression:
    reports for a past day group tasks by the agency that led them then."""
    first_later = (
        LeadTransfer.objects.filter(task=OuterRef("pk"), transferred_on__gt=day)
        .order_by("transferred_on", "id")
        .values("from_agency")[:1]
    )
    return Coalesce(Subquery(first_later), F("lead_agency_id"), output_field=BigIntegerField())
