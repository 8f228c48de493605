"""Tests switch jobs inline through the Django setting; no test may pin Celery's own copy.

A fixture that set `celery_app.conf.task_always_eager` and "restored" it left the value pinned
for the rest of the run: every later test's `settings.CELERY_TASK_ALWAYS_EAGER = True` was
ignored and its jobs went to a broker nobody read (the consultation runs stopped at "sign")."""

from dondoc.celery import app as celery_app


def test_the_django_setting_decides_whether_jobs_run_inline(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert celery_app.conf.task_always_eager is False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert celery_app.conf.task_always_eager is True
