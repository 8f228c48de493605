"""What each role sees on its home page."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from dondoc.accounts.models import RoleCode, User
from dondoc.congress.access import congresses_visible_to
from dondoc.congress.models import Credentials
from dondoc.congress.selectors import congress_readiness
from dondoc.tracking import selectors as tracking
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.models import Decision, Extension, Obstacle
from dondoc.tracking.status import TaskStatus, overdue_share, status_filter
from dondoc.urging.models import Notification, NotificationKind

SHOWN = 5  # rows of each list on a home page; the figure links to the rest


def home_for(user: User) -> dict[str, Any]:
    today = timezone.localdate()
    tasks = tasks_visible_to(user)
    counts = tracking.status_counts(tasks, today)
    context: dict[str, Any] = {
        "today": today,
        "counts": counts,
        "statuses": [(s, s.label, counts[s.value]) for s in TaskStatus],
        "overdue": overdue_share(counts),
        "role_view": _role_view(user),
        "tasks_url": reverse("tracking:task_list"),
    }
    if user.sees_all_agencies:
        context["overdue_agencies"] = tracking.overdue_by_lead_agency(tasks, today)
    else:
        context["lead_count"] = tasks.filter(lead_agency_id=user.agency_id).count()
        context["coordinating_count"] = counts["total"] - context["lead_count"]
    context["due_soon"] = tracking.tasks_due_soon(tasks, today)  # already scoped to the user
    if context["role_view"] == RoleCode.HEAD:
        context |= _head(user, tasks, today)
    elif context["role_view"] == RoleCode.SECRETARIAT:
        context["congresses"] = _congresses(user, today)
    return context


def _head(user: User, tasks: Any, today: Any) -> dict[str, Any]:
    """What the head of an agency needs: the work it leads that is late or waiting, the
    reminders escalated to them, the agency's obstacles and extension requests not yet
    answered, and a way to its scorecard."""
    led = tasks.filter(lead_agency_id=user.agency_id)
    figures = led.aggregate(
        overdue=Count("pk", filter=status_filter(TaskStatus.OVERDUE, today)),
        due_soon=Count("pk", filter=status_filter(TaskStatus.DUE_SOON, today)),
        awaiting=Count("pk", filter=status_filter(TaskStatus.AWAITING_ACCEPTANCE, today)),
    )
    escalations = Notification.objects.filter(
        Q(task__isnull=True) | Q(task__classification__lte=user.clearance),
        recipient_id=user.pk, kind=NotificationKind.ESCALATION, read_at__isnull=True,
    ).select_related("task")  # fmt: skip
    obstacles = Obstacle.objects.filter(
        task__in=tasks, agency_id=user.agency_id or 0, answered_on__isnull=True,
        task__cancelled_on__isnull=True,
    ).select_related("task")  # fmt: skip
    extensions = Extension.objects.filter(
        task__in=led, decision=Decision.PENDING, task__cancelled_on__isnull=True
    ).select_related("task")
    return {
        "head": figures,
        "agency_code": user.agency.code if user.agency else "",
        "escalations": list(escalations.order_by("-created_at", "-id")[:SHOWN]),
        "escalation_count": escalations.count(),
        "open_obstacles": list(obstacles.order_by("created_at", "id")[:SHOWN]),
        "open_obstacle_count": obstacles.count(),
        "pending_extensions": list(extensions.order_by("created_at", "id")[:SHOWN]),
        "led_overdue": tracking.tasks_due_soon(
            led.filter(status_filter(TaskStatus.OVERDUE, today)), today, limit=SHOWN
        ),
    }


def _congresses(user: User, today: Any) -> list[dict[str, Any]]:
    """The congresses the secretariat works on, with the figures that say how ready each is."""
    rows = []
    for congress in congresses_visible_to(user).filter(closes_on__gte=today)[:3]:
        readiness = congress_readiness(congress, today)
        rows.append({
            "congress": congress, "readiness": readiness,
            "pending": readiness.credentials.get(Credentials.PENDING, 0),
            "questioned": readiness.credentials.get(Credentials.QUESTIONED, 0),
        })  # fmt: skip
    return rows


def _role_view(user: User) -> str:
    for role in (
        RoleCode.LEADER,
        RoleCode.INSPECTOR,
        RoleCode.OFFICE,
        RoleCode.ADMIN,
        RoleCode.HEAD,
        RoleCode.FOCAL,
        RoleCode.SECRETARIAT,
    ):
        if user.has_role(role):
            return str(role)
    return "member"
