"""Background jobs of the synthesis, fanned out so that several workers (on one Redis and
PostgreSQL, on several machines) share it: chunk jobs sign the comments, one job finds the
campaigns and learns the sections, chunk jobs place the comments, one job per section finds
its themes. Each chunk is claimed by compare-and-set (`services.synthesis_chunk_run`): a failed
chunk is sent again up to `services.MAX_ATTEMPTS` times, then reported on the run; a chunk
whose message or worker was lost is sent again by `synthesis_reap_task`."""

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction

from dondoc.consultation import services
from dondoc.core.jobs import job, job_run


def _after_commit(send: Callable[[], Any]) -> None:
    transaction.on_commit(send)


def _send_chunks(chunk_ids: Sequence[int]) -> None:
    for chunk_id in chunk_ids:
        _after_commit(functools.partial(synthesis_chunk_task.delay, chunk_id))


def _send_sections(run_id: int, sections: Sequence[int | None]) -> None:
    for section_id in sections:
        _after_commit(functools.partial(section_themes_task.delay, run_id, section_id))


@job
def synthesis_task(self: Any, run_id: int) -> int:
    with job_run("consultation_synthesis", self) as run:
        chunks = services.synthesis_plan(run_id)
        run.detail = f"{len(chunks)} chunks"
    if chunks:
        _send_chunks(chunks)
    elif services.synthesis_start_merge(run_id):
        _after_commit(lambda: synthesis_merge_task.delay(run_id))
    return len(chunks)


@job
def synthesis_chunk_task(self: Any, chunk_id: int) -> str:
    with job_run("consultation_synthesis_chunk", self) as run:
        task_id = str(getattr(self.request, "id", "") or "")
        outcome = services.synthesis_chunk_run(chunk_id, task_id or f"inline-{chunk_id}")
        run.detail = f"chunk {chunk_id}: {outcome}"
    if outcome.retry:
        _after_commit(functools.partial(synthesis_chunk_task.delay, chunk_id))
    if outcome.merge:
        from dondoc.consultation.models import SynthesisChunk

        run_id = SynthesisChunk.objects.values_list("run_id", flat=True).get(pk=chunk_id)
        _after_commit(lambda: synthesis_merge_task.delay(run_id))
    if outcome.sections is not None:
        from dondoc.consultation.models import SynthesisChunk

        run_id = SynthesisChunk.objects.values_list("run_id", flat=True).get(pk=chunk_id)
        _send_sections(run_id, outcome.sections)
    return str(outcome)


@job
def synthesis_merge_task(self: Any, run_id: int) -> int:
    with job_run("consultation_synthesis_merge", self) as run:
        chunks = services.synthesis_merge(run_id)
        run.detail = f"{len(chunks)} placing chunks"
    _send_chunks(chunks)
    return len(chunks)


@job
def section_themes_task(self: Any, run_id: int, section_id: int | None) -> int:
    with job_run("consultation_section_themes", self) as run:
        count = services.section_themes(run_id, section_id)
        run.detail = f"section {section_id}: {count} themes"
    return count


@job
def synthesis_reap_task(self: Any) -> int:
    with job_run("consultation_synthesis_reap", self) as run:
        stale = services.synthesis_reap()
        run.detail = f"{len(stale)} chunks sent again"
    _send_chunks(stale)
    return len(stale)


@job
def comments_absorb_task(self: Any, draft_id: int) -> int:
    with job_run("consultation_comments_absorb", self) as run:
        count = services.comments_absorb(draft_id)
        run.detail = f"draft {draft_id}: {count} comments absorbed"
    return count


@job
def comments_absorb_due_task(self: Any) -> int:
    with job_run("consultation_comments_absorb_due", self) as run:
        absorbed = services.comments_absorb_due()
        run.detail = f"{absorbed}"[:500]
    return sum(absorbed.values())


@job
def comment_import_task(self: Any, import_id: int) -> int:
    with job_run("consultation_comment_import", self) as run:
        done = services.comment_import_run(import_id)
        run.detail = f"import {import_id}: {done.state}, row {done.rows_done}"
    return done.rows_done


@job
def identities_erase_due_task(self: Any) -> int:
    with job_run("consultation_identities_erase", self) as run:
        erased = services.identities_erase_due()
        run.detail = f"{len(erased)} drafts: {erased}"[:500]
    return len(erased)
