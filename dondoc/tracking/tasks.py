"""Background jobs of tracking."""

from typing import Any

from dondoc.core.jobs import job, job_run
from dondoc.tracking.events import event_redispatch
from dondoc.tracking.tallies import tallies_rebuild


@job
def tallies_rebuild_task(self: Any) -> int:
    """Daily, just after midnight: count the tallies again for the new day's window."""
    with job_run("tallies_rebuild", self) as run:
        rows = tallies_rebuild()
        run.detail = f"{rows} tally rows"
    return rows


@job
def task_event_redispatch_task(self: Any, handler: str, fields: dict[str, object]) -> None:
    """A task event whose handler found the database gone after the change committed (a
    restart): run it again, retried until the database is back."""
    with job_run("task_event_redispatch", self) as run:
        event_redispatch(handler, fields)
        run.detail = f"{handler} {fields.get('kind')} {fields.get('task_ids')}"
