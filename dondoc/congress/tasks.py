"""Background jobs of the congress app."""

from typing import Any

from dondoc.congress import services
from dondoc.core.jobs import job, job_run


@job
def personal_data_erase_due_task(self: Any) -> int:
    """Daily (settings.CELERY_BEAT_SCHEDULE): the retention of congresses' personal data."""
    with job_run("congress_personal_data_erase", self) as run:
        erased = services.personal_data_erase_due()
        run.detail = f"{len(erased)} congresses: {erased}"[:500]
    return len(erased)
