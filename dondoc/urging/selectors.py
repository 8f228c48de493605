"""Reading urging data: the rules in force, a person's notifications, what a letter lists."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from dondoc.accounts.models import Clearance, User
from dondoc.agencies.models import Agency
from dondoc.tracking.models import Priority, Task
from dondoc.tracking.status import TaskStatus, status_filter
from dondoc.urging.models import (
    DEFAULT_RULES,
    Notification,
    ReminderRuleSet,
    RuleSetKind,
)
from dondoc.urging.policy import Policy

URGENT = Q(priority=Priority.URGENT) | Q(is_key=True)
NOT_URGENT = Q(priority__lt=Priority.URGENT, is_key=False)


def is_urgent(task: Task) -> bool:
    """Urgent rules apply to tasks of priority "Khẩn" and to key tasks (trọng tâm)."""
    return bool(task.priority == Priority.URGENT or task.is_key)


def reminder_policies() -> dict[bool, Policy]:
    """The rules in force, keyed by `urgent`; a missing row counts as the default rules."""
    rows = {r.kind: r for r in ReminderRuleSet.objects.all()}
    policies = {}
    for kind, urgent in ((RuleSetKind.NORMAL, False), (RuleSetKind.URGENT, True)):
        row = rows.get(kind) or ReminderRuleSet(kind=kind, revision=0, **DEFAULT_RULES[kind])
        policies[urgent] = row.policy()
    return policies


def rule_sets() -> list[ReminderRuleSet]:
    return list(ReminderRuleSet.objects.order_by("kind"))


# Notifications ---------------------------------------------------------------------------------


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """A person's own notifications, newest first. Nobody else's are reachable."""
    notifications = Notification.objects.filter(
        Q(task__isnull=True) | Q(task__classification__lte=user.clearance), recipient_id=user.pk
    )
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.select_related("task", "task__lead_agency", "task__document").order_by(
        "-created_at", "-id"
    )


def notifications_unread_count(user: User) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notifications_unread_exist(user: User) -> bool:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).exists()


# Letters ---------------------------------------------------------------------------------------

URGED = (TaskStatus.OVERDUE, TaskStatus.DUE_SOON)


def _urged(day: dt.date) -> Q:
    return status_filter(TaskStatus.OVERDUE, day) | status_filter(TaskStatus.DUE_SOON, day)


def tasks_to_urge(
    agency: Agency, day: dt.date, max_classification: int = Clearance.NORMAL
) -> QuerySet[Task]:
    """The agency's tasks (as lead) that are overdue or due soon on `day`, most overdue first.

    A letter is an ordinary document: by default only unclassified tasks are listed."""
    return (
        Task.objects.filter(_urged(day), lead_agency=agency, classification__lte=max_classification)
        .select_related("document", "opinion__session")
        .annotate(effective_due=Coalesce(F("extended_due_on"), F("due_on")))
        .order_by("effective_due", "id")
    )


@dataclass(frozen=True)
class AgencyToUrge:
    agency: Agency
    overdue: int
    due_soon: int


def agencies_to_urge(day: dt.date, limit: int = 500) -> list[AgencyToUrge]:
    """Agencies leading overdue or due-soon tasks, most overdue first (one grouped query)."""
    rows = (
        Task.objects.filter(_urged(day), classification__lte=Clearance.NORMAL)
        .values("lead_agency_id")
        .annotate(
            overdue=Count("pk", filter=status_filter(TaskStatus.OVERDUE, day)),
            due_soon=Count("pk", filter=status_filter(TaskStatus.DUE_SOON, day)),
        )
        .order_by("-overdue", "-due_soon", "lead_agency_id")[:limit]
    )
    counts = {r["lead_agency_id"]: r for r in rows}
    agencies = Agency.objects.in_bulk(list(counts))
    return [
        AgencyToUrge(agencies[pk], counts[pk]["overdue"], counts[pk]["due_soon"])
        for pk in counts
        if pk in agencies
    ]
