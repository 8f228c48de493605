"""Every background job is declared with `core.jobs.job`: the same retry policy for all, and
it outlasts a database restart (scripts/drill_pg_restart.py lost a job to a 27 s one before)."""

from celery.utils.time import get_exponential_backoff_interval
from django.db import OperationalError

from dondoc.celery import app

OUTAGE_SECONDS = 300  # a PostgreSQL restart, a failover, a slow start after a crash


def _jobs() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith("dondoc.")}


def _waits(task) -> list[int]:
    """The waits before each retry, as Celery computes them for this task."""
    factor, most, jitter = int(task.retry_backoff), task.retry_backoff_max, task.retry_jitter
    return [
        get_exponential_backoff_interval(factor, n, most, full_jitter=jitter)
        for n in range(task.max_retries)
    ]


def test_every_job_is_retried_with_backoff_while_the_database_is_away():
    jobs = _jobs()
    assert set(jobs) >= {
        "dondoc.audit.tasks.audit_verify_task",
        "dondoc.urging.tasks.reminder_sweep_task",
        "dondoc.reviews.tasks.review_generate_task",
        "dondoc.forecast.tasks.forecast_retrain_task",
    }
    for name, task in jobs.items():
        assert task.autoretry_for == (OperationalError,), name
        assert task.retry_backoff, name


def test_every_job_outlasts_a_five_minute_database_outage_whatever_the_dice():
    """With jitter Celery waits a random time from 0 to each step: five retries could be spent
    in a second. Without it the waits are 1, 2, 4 … 60 s, every time."""
    for name, task in _jobs().items():
        first, second = _waits(task), _waits(task)
        assert first == second, name  # no dice
        assert sum(first) >= OUTAGE_SECONDS, (name, first)
        assert max(first) <= 60, name  # and back within a minute of the database
