"""Every background job is declared with `core.jobs.job`: the same retry policy for all."""

from django.db import OperationalError

from dondoc.celery import app


def test_every_job_is_retried_with_backoff_while_the_database_is_briefly_away():
    app.loader.import_default_modules()
    jobs = {name: task for name, task in app.tasks.items() if name.startswith("dondoc.")}
    assert set(jobs) >= {
        "dondoc.audit.tasks.audit_verify_task",
        "dondoc.urging.tasks.reminder_sweep_task",
        "dondoc.reviews.tasks.review_generate_task",
        "dondoc.forecast.tasks.forecast_retrain_task",
    }
    for name, task in jobs.items():
        policy = (task.autoretry_for, task.retry_backoff, task.max_retries)
        assert policy == ((OperationalError,), True, 5), name
