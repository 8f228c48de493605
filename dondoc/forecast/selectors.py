"""Reading the forecasts: the tasks most at risk of being late, within a user's own scope, and
whether the forecast is there and recent enough to trust."""

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from dondoc.tracking.models import Task

from .models import ForecastModel, Prediction


class FreshnessState(enum.StrEnum):
    NEVER = "never"  # no model trained yet (or its file is gone)
    STALE = "stale"  # trained longer ago than FORECAST_STALE_DAYS
    FRESH = "fresh"


@dataclass(frozen=True)
class Freshness:
    state: FreshnessState
    trained_at: dt.datetime | None = None
    stale_days: int = 0

    @property
    def usable(self) -> bool:
        return self.state != FreshnessState.NEVER


def stale_days() -> int:
    return int(settings.FORECAST_STALE_DAYS)


def forecast_freshness(now: dt.datetime | None = None) -> Freshness:
    """Is there a model, and was it trained within `FORECAST_STALE_DAYS`? One query."""
    record = ForecastModel.objects.only("trained_at", "path").first()
    days = stale_days()
    if record is None or not Path(record.path).exists():
        return Freshness(FreshnessState.NEVER, stale_days=days)
    age = (now or timezone.now()) - record.trained_at
    state = FreshnessState.STALE if age > dt.timedelta(days=days) else FreshnessState.FRESH
    return Freshness(state, record.trained_at, days)


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
