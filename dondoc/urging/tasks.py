"""Background jobs of urging. Each only calls a service, inside `job_run` so that every run is
on record. Jobs are `acks_late` (settings): a job whose worker dies is delivered again, and the
services are idempotent (rows claimed by compare-and-set, notifications unique)."""

import datetime as dt
from typing import Any

from django.utils import timezone

from dondoc.core.jobs import job, job_run
from dondoc.urging.services import digests_send, outbox_deliver, reminder_sweep


def _day(day: str | None) -> dt.date:
    return dt.date.fromisoformat(day) if day else timezone.localdate()


@job
def reminder_sweep_task(self: Any, day: str | None = None) -> str:
    """Hourly: send the reminders due today (a rerun the same day sends nothing new)."""
    with job_run("reminder_sweep", self) as run:
        run.detail = reminder_sweep(_day(day)).summary()
    return run.detail


@job
def deliver_outbox_task(self: Any) -> str:
    """After each sweep, and every 5 minutes: send the e-mails waiting in the outbox."""
    with job_run("outbox_deliver", self) as run:
        run.detail = outbox_deliver().summary()
    return run.detail


@job
def daily_digest_task(self: Any, day: str | None = None) -> str:
    """07:00: one digest e-mail per person who chose the daily digest."""
    with job_run("daily_digest", self) as run:
        run.detail = digests_send(_day(day)).summary()
    return run.detail
