"""Background jobs of the progress reviews. Each only calls a service, inside `job_run` so that
every run is on record; a job delivered twice does the work once (the review is claimed by
compare-and-set), and one that met a database outage is retried with backoff."""

from typing import Any

from dondoc.core.jobs import job, job_run

from .services import review_generate


@job
def review_generate_task(self: Any, report_id: int) -> str:
    """Make a requested review: figures, then the files (see `services.review_generate`)."""
    with job_run("review_generate", self) as run:
        report = review_generate(report_id)
        run.detail = f"Báo cáo {report_id}: " + ("đã lập xong." if report else "bỏ qua.")
    return report.status if report else "skipped"
