"""What each role sees on its home page."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from dondoc.accounts.models import RoleCode, User
from dondoc.tracking import selectors as tracking
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.status import TaskStatus, overdue_share


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
    return context


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
