"""Running background jobs so that each run is on record, with its outcome."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from dondoc.core.models import JobRun

log = logging.getLogger("dondoc.jobs")


@contextmanager
def job_run(name: str, task: Any = None) -> Iterator[JobRun]:
    """Record a run of `name`; the body sets `run.detail`. A failure is recorded, then re-raised
    so that Celery retries the job (or, after the last retry, it stays recorded as failed)."""
    request = getattr(task, "request", None)
    run = JobRun.objects.create(
        name=name,
        task_id=str(getattr(request, "id", "") or ""),
        attempt=int(getattr(request, "retries", 0) or 0) + 1,
    )
    try:
        yield run
    except Exception as error:
        run.succeeded, run.finished_at = False, timezone.now()
        run.detail = f"{run.detail}\n{type(error).__name__}: {error}".strip()
        run.save(update_fields=["succeeded", "finished_at", "detail"])
        log.exception("job %s failed (attempt %s)", name, run.attempt)
        raise
    if run.succeeded is None:
        run.succeeded = True
    run.finished_at = timezone.now()
    run.save(update_fields=["succeeded", "finished_at", "detail"])
