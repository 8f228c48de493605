"""Ten entrances scanning at once, each badge read several times: every delegate is counted
exactly once per session, and every scan gets an answer (real threads, real transactions).

PostgreSQL only, as in tests/audit/test_concurrency.py: SQLite's test database is a shared-cache
in-memory one where a second writer fails at once instead of waiting; a file database serializes
writers with BEGIN IMMEDIATE (settings)."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from dondoc.congress import services
from dondoc.congress.badges import badge_token
from dondoc.congress.models import CheckIn, Delegate
from dondoc.congress.services import DelegateData
from tests.congress.conftest import profile

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_ten_entrances_scanning_the_same_badges_count_each_delegate_once(secretary):
    today = timezone.localdate()
    congress = services.congress_create(
        secretary, "Hội nghị Trung ương", "plenum", today, today + dt.timedelta(days=1)
    )
    session = services.session_add(secretary, congress, today, 1, "Phiên khai mạc")
    delegation = services.delegation_create(
        secretary, congress, "TW", "Ban Chấp hành Trung ương", 1
    )
    services.delegates_register(
        secretary,
        congress,
        [
            DelegateData(delegation, f"Ủy viên {i:02d}", "elected", "official", profile(i))
            for i in range(40)
        ],
    )
    tokens = [badge_token(d) for d in Delegate.objects.order_by("pk")]

    def entrance(n: int) -> list[bool]:
        try:  # each entrance scans every badge, starting at its own place in the queue
            order = tokens[n * 4 :] + tokens[: n * 4]
            return [services.checkin_record(secretary, congress, session, t).created for t in order]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = [created for scans in pool.map(entrance, range(10)) for created in scans]

    assert len(answers) == 400  # every scan answered, none lost
    assert sum(answers) == 40  # exactly one "new" per delegate
    assert CheckIn.objects.filter(session=session).count() == 40
