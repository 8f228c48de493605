"""Background jobs of tracking."""

from typing import Any

from dondoc.core.jobs import job, job_run
from dondoc.tracking.events import event_dispatch, events_redispatch_stale
from dondoc.tracking.tallies import tallies_rebuild


@job
def tallies_rebuild_task(self: Any) -> int:
    """Daily, just after midnight: count the tallies again for the new day's window."""
    with job_run("tallies_rebuild", self) as run:
        rows = tallies_rebuild()
        run.detail = f"{rows} tally rows"
    return rows


@job
def task_event_redispatch_task(self: Any, row_id: int) -> None:
    """A task event whose handlers found the database gone after the change committed (a
    restart): dispatch its outbox row again, retried until the database is back (a row the
    sweep dispatched meanwhile is left alone)."""
    with job_run("task_event_redispatch", self) as run:
        done = event_dispatch(row_id)
        run.detail = f"event {row_id}: {'dispatched' if done else 'dispatched already'}"


@job
def task_events_sweep_task(self: Any) -> str:
    """Every 5 minutes: dispatch the task events left unsent (their process died after the
    change's commit), and delete those dispatched a week ago."""
    with job_run("task_events_sweep", self) as run:
        dispatched, deleted = events_redispatch_stale()
        run.detail = f"{dispatched} events dispatched, {deleted} old ones deleted"
    return run.detail
