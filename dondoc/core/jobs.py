"""Background jobs: one way to declare them (`job`) and to put each run on record (`job_run`)."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from dondoc.core.models import JobRun

log = logging.getLogger("dondoc.jobs")

P = ParamSpec("P")
R = TypeVar("R", covariant=True)


class Job(Protocol[P, R]):
    """A Celery task as its callers use it (celery ships no types)."""

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

    def delay(self, *args: P.args, **kwargs: P.kwargs) -> Any: ...

    def apply(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any: ...


# While the database is unavailable a job is retried after 1, 2, 4 … 60, 60 … seconds: the
# retries cover an outage of RETRY_COVERS_SECONDS (7 min) before the job is given up. Without
# jitter: with Celery's default (a random wait from 0 to the step) five retries were spent in
# under 27 s, and a job enqueued during a 27 s PostgreSQL restart was lost
# (scripts/drill_pg_restart.py, docs/reliability.md).
RETRY_BACKOFF_MAX = 60
RETRY_MAX = 12
RETRY_COVERS_SECONDS = sum(min(2**n, RETRY_BACKOFF_MAX) for n in range(RETRY_MAX))


def job(function: Callable[Concatenate[Any, P], R]) -> Job[P, R]:
    """Declare a background job: a Celery task given its own request as `self` (for `job_run`),
    retried with backoff while the database is unavailable (above). The retry policy of every
    job is this one."""
    task: Job[P, R] = shared_task(
        bind=True,
        autoretry_for=(OperationalError,),
        retry_backoff=True,
        retry_backoff_max=RETRY_BACKOFF_MAX,
        retry_jitter=False,
        max_retries=RETRY_MAX,
    )(function)
    return task


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
