"""Background job of the forecasts: weekly retraining and scoring, on record through job_run."""

from typing import Any

from dondoc.core.jobs import job, job_run

from .services import forecast_retrain


@job
def forecast_retrain_task(self: Any) -> int:
    """Weekly: train on all history, then score the open tasks."""
    with job_run("forecast_retrain", self) as run:
        record, scored = forecast_retrain()
        run.detail = f"Mô hình {record.pk} ({record.n_samples} mẫu); {scored} nhiệm vụ được dự báo."
    return scored
