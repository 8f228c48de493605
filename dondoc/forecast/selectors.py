"""Reading the forecasts: the tasks most at risk of being late, within a user's own scope."""

from dataclasses import dataclass

from django.db.models import QuerySet

from dondoc.tracking.models import Task

from .models import Prediction


@dataclass(frozen=True)
class AtRisk:
    task: Task
    probability: float
    reasons: list[str]


def tasks_at_risk(tasks: QuerySet[Task], limit: int = 20) -> list[AtRisk]:
    """The still-open tasks of `tasks` (already scoped to the user, e.g. `tasks_visible_to`)
    with the highest predicted probability of lateness, highest first. One query."""
    predictions = (
        Prediction.objects.filter(
            task_id__in=tasks.values("pk"),
            task__reported_done_on__isnull=True,
            task__cancelled_on__isnull=True,
        )
        .select_related("task", "task__lead_agency")
        .order_by("-probability", "task_id")[:limit]
    )
    return [AtRisk(p.task, p.probability, list(p.reasons)) for p in predictions]
