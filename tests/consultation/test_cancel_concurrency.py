"""A cancel that lands while a placing chunk is in flight (real threads, real transactions):
the chunk either finishes before the cancel restores the comments, or does nothing; never a
comment placed by the cancelled run after its cancel.

PostgreSQL only, as in tests/consultation/test_one_run_concurrency.py."""

import threading

import pytest
from django.db import connection

from dondoc.consultation import services
from dondoc.consultation.models import ChunkState, RunStage, SynthesisChunk, SynthesisRun

from .test_stuck_and_cancel import placement, themes

pytestmark = pytest.mark.django_db(transaction=True)


def merged(user, draft, monkeypatch) -> list[int]:
    """A new run's merge done by hand: its placing chunks' ids, not yet run."""
    monkeypatch.setattr(services, "_enqueue", lambda run_id: None)  # no broker: jobs by hand
    run = services.synthesis_start(user, draft)
    for chunk in services.synthesis_plan(run.pk):
        services.synthesis_chunk_run(chunk, "worker-1")
    return services.synthesis_merge(run.pk)


def cancel_in_another_thread(user, draft) -> None:
    def cancel() -> None:
        try:
            services.synthesis_cancel(user, draft)
        finally:
            connection.close()

    thread = threading.Thread(target=cancel)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_a_cancel_between_a_chunks_claim_and_its_work_leaves_the_chunk_doing_nothing(
    office_user, themed, monkeypatch
):
    before, themes_before = placement(themed), themes(themed)
    placing = merged(office_user, themed, monkeypatch)
    real = services._run_live

    def cancelled_meanwhile(run_id: int, stage: str) -> bool:
        cancel_in_another_thread(office_user, themed)  # commits before the chunk looks
        return real(run_id, stage)

    monkeypatch.setattr(services, "_run_live", cancelled_meanwhile)
    outcome = services.synthesis_chunk_run(placing[0], "worker-1")
    assert outcome == services.ChunkOutcome()
    assert placement(themed) == before
    assert themes(themed) == themes_before
    assert SynthesisChunk.objects.get(pk=placing[0]).state == ChunkState.FAILED
    assert SynthesisRun.objects.filter(stage=RunStage.FAILED).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_a_cancel_waits_for_a_chunk_in_flight_then_undoes_it(office_user, themed, monkeypatch):
    before, themes_before = placement(themed), themes(themed)
    placing = merged(office_user, themed, monkeypatch)
    placed, go = threading.Event(), threading.Event()
    real = services._place

    def place_then_wait(run, comments) -> None:
        real(run, comments)
        placed.set()
        go.wait(30)

    monkeypatch.setattr(services, "_place", place_then_wait)

    def chunk() -> None:
        try:
            services.synthesis_chunk_run(placing[0], "worker-1")
        finally:
            connection.close()

    worker = threading.Thread(target=chunk)
    worker.start()
    assert placed.wait(30)
    canceller = threading.Thread(target=lambda: cancel_in_another_thread(office_user, themed))
    canceller.start()
    canceller.join(2)
    assert canceller.is_alive()  # waits for the chunk's transaction to end
    go.set()
    worker.join(30)
    canceller.join(30)
    assert placement(themed) == before
    assert themes(themed) == themes_before
