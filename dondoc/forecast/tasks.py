"""Background jobs of the forecasts, on record through job_run: weekly retraining and scoring,
and the hourly catch-up that trains when the model is missing or stale."""

from typing import Any

from dondoc.core.jobs import job, job_run

from .services import forecast_catch_up, forecast_retrain


@job
def forecast_retrain_task(self: Any) -> int:
    """Weekly: train on all history, then score the open tasks."""
    with job_run("forecast_retrain", self) as run:
        record, scored = forecast_retrain()
        run.detail = f"Mô hình {record.pk} ({record.n_samples} mẫu); {scored} nhiệm vụ được dự báo."
    return scored


@job
def forecast_catch_up_task(self: Any) -> None:
    """Hourly: train now if there is no model yet or it is stale (`forecast_catch_up`)."""
    with job_run("forecast_catch_up", self) as run:
        run.detail = forecast_catch_up()
