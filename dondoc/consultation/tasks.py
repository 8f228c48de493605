"""Background jobs of the synthesis: one over the whole draft (campaigns, sections), then one
per section (themes), fanned out so that several workers share the sections."""

from collections.abc import Callable
from typing import Any

from django.db import transaction

from dondoc.consultation import services
from dondoc.core.jobs import job, job_run


@job
def synthesis_task(self: Any, run_id: int) -> int:
    with job_run("consultation_synthesis", self) as run:
        sections = services.synthesis_prepare(run_id)
        run.detail = f"{len(sections)} sections"
    for section_id in sections:
        transaction.on_commit(_fan_out(run_id, section_id))
    return len(sections)


def _fan_out(run_id: int, section_id: int | None) -> Callable[[], None]:
    def send() -> None:
        section_themes_task.delay(run_id, section_id)

    return send


@job
def section_themes_task(self: Any, run_id: int, section_id: int | None) -> int:
    with job_run("consultation_section_themes", self) as run:
        count = services.section_themes(run_id, section_id)
        run.detail = f"section {section_id}: {count} themes"
    return count


@job
def comment_import_task(self: Any, import_id: int) -> int:
    with job_run("consultation_comment_import", self) as run:
        done = services.comment_import_run(import_id)
        run.detail = f"import {import_id}: {done.state}, row {done.rows_done}"
    return done.rows_done
