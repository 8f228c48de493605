"""Background jobs of tracking."""

from typing import Any

from dondoc.core.jobs import job, job_run
from dondoc.tracking.tallies import tallies_rebuild


@job
def tallies_rebuild_task(self: Any) -> int:
    """Daily, just after midnight: count the tallies again for the new day's window."""
    with job_run("tallies_rebuild", self) as run:
        rows = tallies_rebuild()
        run.detail = f"{rows} tally rows"
    return rows
