"""Whether the forecast is there and recent, and the hourly catch-up that trains when it is not
(so that a first start does not wait for the weekly run)."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from dondoc.forecast import services
from dondoc.forecast.models import ForecastModel
from dondoc.forecast.selectors import FreshnessState, forecast_freshness


def trained(tmp_path, days_ago: int, with_file: bool = True) -> ForecastModel:
    path = tmp_path / f"model-{days_ago}.joblib"
    if with_file:
        path.write_bytes(b"model")
    at = timezone.now() - dt.timedelta(days=days_ago)
    return ForecastModel.objects.create(
        trained_at=at, trained_until=at.date(), kind="boosting", path=str(path), n_samples=1,
        n_tasks=1,
    )  # fmt: skip


def test_never_trained_stale_and_fresh(db, tmp_path):
    assert forecast_freshness().state == FreshnessState.NEVER
    trained(tmp_path, 20)
    stale = forecast_freshness()
    assert (stale.state, stale.stale_days) == (FreshnessState.STALE, 8)
    trained(tmp_path, 1)
    assert forecast_freshness().state == FreshnessState.FRESH


def test_a_model_whose_file_is_gone_counts_as_never_trained(db, tmp_path):
    trained(tmp_path, 1, with_file=False)
    assert forecast_freshness().state == FreshnessState.NEVER


@pytest.mark.parametrize(("days_ago", "trains"), [(None, True), (20, True), (1, False)])
def test_the_catch_up_trains_only_when_missing_or_stale(
    db, tmp_path, monkeypatch, days_ago, trains
):
    if days_ago is not None:
        trained(tmp_path, days_ago)
    calls = []

    def retrain(today=None):
        calls.append(today)
        return trained(tmp_path, 0), 3

    monkeypatch.setattr(services, "forecast_retrain", retrain)
    said = services.forecast_catch_up()
    assert bool(calls) == trains
    assert ("3 nhiệm vụ được dự báo" in said) == trains


def test_the_catch_up_waits_while_another_training_runs(db, tmp_path, monkeypatch):
    from django.core.cache import caches

    cache = caches["shared"]  # another worker's lock: the shared cache, not this process's
    monkeypatch.setattr(services, "forecast_retrain", lambda today=None: pytest.fail("trained"))
    cache.add(services.CATCH_UP_LOCK, "1", 60)
    try:
        assert services.forecast_catch_up() == "Một lần huấn luyện khác đang chạy."
    finally:
        cache.delete(services.CATCH_UP_LOCK)


def test_without_enough_history_the_catch_up_says_why_and_tries_next_hour(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    said = services.forecast_catch_up()
    assert said.startswith("Chưa huấn luyện được:")
    assert not ForecastModel.objects.exists()
    assert services.caches["shared"].get(services.CATCH_UP_LOCK) is None  # the lock is freed


def test_the_catch_up_is_scheduled_every_hour():
    entry = django_settings.CELERY_BEAT_SCHEDULE["forecast-catch-up-hourly"]
    assert entry["task"] == "dondoc.forecast.tasks.forecast_catch_up_task"
    assert entry["schedule"].hour == set(range(24))


def test_serve_queues_the_catch_up_at_start_so_a_first_start_does_not_wait_an_hour():
    from celery import current_app

    from dondoc.core.management.commands.serve import jobs_at_start_enqueue
    from dondoc.forecast.tasks import forecast_catch_up_task

    folder = Path(current_app.conf.broker_transport_options["data_folder_out"])
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.iterdir())
    jobs_at_start_enqueue()
    queued = [path for path in folder.iterdir() if path not in before]
    try:
        names = [json.loads(path.read_text())["headers"]["task"] for path in queued]
        assert forecast_catch_up_task.name in names  # the real job, by the name it runs as
        assert len(names) == len(set(names))
    finally:
        for path in queued:
            path.unlink()
