"""Eight clicks on "Tổng hợp lại" at the same instant (real threads, real transactions): one
run starts, every other click gets the clear refusal, and the draft holds one active run.

PostgreSQL only, as in tests/congress/test_checkin_concurrency.py: SQLite's test database is a
shared-cache in-memory one where a second writer fails at once instead of waiting."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dondoc.audit.models import AuditEntry
from dondoc.consultation import services
from dondoc.consultation.models import ACTIVE, SynthesisRun

from .conftest import web

pytestmark = pytest.mark.django_db(transaction=True)
CLICKS = 8


@pytest.fixture
def no_broker(monkeypatch):
    """The jobs are not sent (the broker is outside): the run that starts stays going."""
    sent: list[int] = []
    monkeypatch.setattr(services, "_enqueue", sent.append)
    return sent


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_eight_simultaneous_starts_give_one_run_and_seven_clear_refusals(
    office_user, draft, open_round, no_broker
):
    clients = [web(office_user) for _ in range(CLICKS)]
    ready = threading.Barrier(CLICKS)

    def click(n: int) -> tuple[int, str]:
        try:
            ready.wait()
            answer = clients[n].post(f"/consultation/{draft.pk}/synthesis/")
            return answer.status_code, answer.content.decode()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CLICKS) as pool:
        answers = list(pool.map(click, range(CLICKS)))

    assert sorted(status for status, _ in answers) == [302] + [409] * (CLICKS - 1)
    for status, page in answers:
        if status == 409:
            assert "Dự thảo đang có một lượt tổng hợp chưa xong" in page
    run = SynthesisRun.objects.get(draft=draft)
    assert SynthesisRun.objects.filter(ACTIVE, draft=draft).get() == run
    assert no_broker == [run.pk]  # one run's jobs sent
    assert AuditEntry.objects.filter(action="synthesis_start").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_simultaneous_starts_through_the_service_refuse_with_run_active(
    office_user, draft, open_round, no_broker
):
    ready = threading.Barrier(CLICKS)

    def start(_n: int) -> str:
        try:
            ready.wait()
            services.synthesis_start(office_user, draft)
        except ValidationError as refused:
            return str(refused.code)
        finally:
            connection.close()
        return "started"

    with ThreadPoolExecutor(max_workers=CLICKS) as pool:
        outcomes = sorted(pool.map(start, range(CLICKS)))

    assert outcomes == ["run_active"] * (CLICKS - 1) + ["started"]
    assert SynthesisRun.objects.filter(draft=draft).count() == 1
