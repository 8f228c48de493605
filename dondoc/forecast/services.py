"""Training the lateness model and scoring the open tasks (everything here writes)."""

import datetime as dt
from pathlib import Path

import joblib
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from dondoc.core.sharedcache import fail_open

from .features import History
from .model import DEFAULT_KIND, backtest, fit_with_medians, predict, reasons, training_set
from .models import ForecastModel, Prediction
from .selectors import FreshnessState, forecast_freshness

BACKTEST_DAYS = 120


def model_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "forecast"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def forecast_train(today: dt.date | None = None, kind: str = DEFAULT_KIND) -> ForecastModel:
    """Train on every outcome known today; keep the model file and a row with its backtest."""
    today = today or timezone.localdate()
    history = History.load(today)
    x, y, n_tasks = training_set(history, today)
    model = fit_with_medians(x, y, kind)
    metrics: dict[str, object] = {"late_share": float(y.mean())}
    try:
        metrics["backtest"] = backtest(
            history, today - dt.timedelta(days=BACKTEST_DAYS), (kind,)
        ).as_dict()
    except ValueError as error:
        metrics["backtest"] = {"error": str(error)}
    now = timezone.now()
    path = model_folder() / f"model-{now:%Y%m%dT%H%M%S%f}.joblib"
    joblib.dump(model, path)
    created = [t.created_on for t in history.tasks.values()]
    return ForecastModel.objects.create(
        trained_at=now,
        trained_until=today,
        trained_from=min(created) if created else None,
        kind=kind,
        path=str(path),
        n_samples=len(y),
        n_tasks=n_tasks,
        metrics=metrics,
    )


def forecast_score(record: ForecastModel | None = None, today: dt.date | None = None) -> int:
    """Replace the predictions with fresh ones for the tasks open today whose deadline has not
    passed (overdue tasks are late already: their status says so). Returns how many."""
    record = record or ForecastModel.objects.first()
    if record is None:
        return 0
    today = today or timezone.localdate()
    model = joblib.load(record.path)
    history = History.load(today)
    ids = [t for t in history.tasks if history.is_forecastable(t, today)]
    x = history.matrix([(t, today) for t in ids])
    probabilities, why = predict(model, x), reasons(model, x)
    now = timezone.now()
    rows = [
        Prediction(task_id=task_id, model=record, probability=float(p), reasons=r, computed_at=now)
        for task_id, p, r in zip(ids, probabilities, why, strict=True)
    ]
    with transaction.atomic():
        Prediction.objects.all().delete()
        Prediction.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def forecast_retrain(today: dt.date | None = None) -> tuple[ForecastModel, int]:
    record = forecast_train(today)
    return record, forecast_score(record, today)


CATCH_UP_LOCK = "forecast-catch-up"
CATCH_UP_LOCK_SECONDS = 6 * 60 * 60  # longer than any training; freed when one ends


def forecast_catch_up(today: dt.date | None = None) -> str:
    """Train and score now if the model is missing or stale (a first start, a failed weekly
    run), so that nobody waits for Monday; else nothing. One run at a time across workers (a
    lock in the shared cache). Says what it did, for the job's record."""
    freshness = forecast_freshness()
    if freshness.state == FreshnessState.FRESH:
        return "Mô hình còn mới; không huấn luyện lại."
    shared = caches["shared"]  # every worker's, not this process's: one training at a time
    if not fail_open(lambda: shared.add(CATCH_UP_LOCK, "1", CATCH_UP_LOCK_SECONDS), True):
        return "Một lần huấn luyện khác đang chạy."
    try:
        record, scored = forecast_retrain(today)
    except ValueError as error:  # not enough history yet: tried again next hour
        return f"Chưa huấn luyện được: {error}"
    finally:
        fail_open(lambda: shared.delete(CATCH_UP_LOCK), False)
    return f"Mô hình {record.pk} ({record.n_samples} mẫu); {scored} nhiệm vụ được dự báo."
