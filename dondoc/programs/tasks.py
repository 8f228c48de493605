"""Background jobs of programs: each only calls a service inside `job_run`."""

import datetime as dt
from typing import Any

from django.utils import timezone

from dondoc.core.jobs import job, job_run
from dondoc.programs.services import invitations_remind


@job
def remind_invitations_task(self: Any, day: str | None = None) -> str:
    """Daily: remind the agencies that have not answered a comment round (a rerun the same day
    sends nothing new: each invitation is claimed by compare-and-set)."""
    with job_run("programs_remind_invitations", self) as run:
        today = dt.date.fromisoformat(day) if day else timezone.localdate()
        run.detail = f"{invitations_remind(today)} lời mời đã được nhắc"
    return run.detail
