"""Background jobs of the audit log."""

from typing import Any

from dondoc.audit.services import audit_anchor, audit_verify
from dondoc.core.jobs import job, job_run


@job
def audit_verify_task(self: Any) -> bool:
    """Nightly: walk the audit chain and record whether it is intact."""
    with job_run("audit_verify", self) as run:
        result = audit_verify()
        run.succeeded = result.ok
        run.detail = f"{result.checked} entries checked. {result.reason}".strip()
    return result.ok


@job
def audit_anchor_task(self: Any) -> int:
    """Hourly: write the chain head outside the database (an anchor for `audit_verify`)."""
    with job_run("audit_anchor", self) as run:
        anchor = audit_anchor()
        run.detail = f"seq={anchor.seq} hash={anchor.hash}"
    return anchor.seq
