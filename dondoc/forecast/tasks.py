"""Background job of the forecasts: weekly retraining and scoring, on record through job_run."""

from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.db import OperationalError

from dondoc.core.jobs import job_run

from .services import forecast_retrain


def _job(function: Callable[..., Any]) -> Any:
    return shared_task(
        bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5
    )(function)


@_job
def forecast_retrain_task(self: Any) -> int:
    """Weekly: train on all history, then score the open tasks."""
    with job_run("forecast_retrain", self) as run:
        record, scored = forecast_retrain()
        run.detail = f"Mô hình {record.pk} ({record.n_samples} mẫu); {scored} nhiệm vụ được dự báo."
    return scored
