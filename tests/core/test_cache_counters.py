"""Counters in the "shared" cache's table lose no increment under concurrent requests (issue
#11): the failed sign-ins per address and the public comment page's limits live there when
there is no Redis, and Django's own DatabaseCache.incr reads then writes, so two requests at
the same moment count once (core/cache.py)."""

import threading
import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory

from dondoc.core.cache import DatabaseCache
from dondoc.core.ratelimits import _window, address_blocked, address_failed

THREADS = 8
EACH = 25

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: concurrent writers"
)


def in_threads(work, count: int = THREADS) -> list[BaseException]:
    """Run `work` in `count` threads released together; the errors they raised."""
    start, errors = threading.Barrier(count), []

    def run() -> None:
        try:
            start.wait()
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def test_the_shared_cache_is_the_atomic_table():
    assert isinstance(caches["shared"], DatabaseCache)


def test_incr_adds_and_refuses_a_missing_or_expired_key(db):
    cache = caches["shared"]
    key = f"counter-{uuid.uuid4().hex}"
    with pytest.raises(ValueError, match="not found"):
        cache.incr(key)
    assert cache.add(key, 1, 60)
    assert cache.incr(key) == 2
    assert cache.incr(key, 5) == 7
    assert cache.decr(key, 3) == 4
    assert cache.get(key) == 4
    cache.set(key, 10, -1)  # already expired
    with pytest.raises(ValueError, match="not found"):
        cache.incr(key)
    assert cache.add(key, 0, 60)  # an expired row is replaced, as Django's
    assert cache.incr(key) == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_on_postgresql_lose_nothing():
    cache = caches["shared"]
    key = f"counter-{uuid.uuid4().hex}"
    cache.add(key, 0, 600)

    def count() -> None:
        for _ in range(EACH):
            cache.incr(key)

    assert in_threads(count) == []
    assert cache.get(key) == THREADS * EACH  # 200; Django's DatabaseCache loses most of them


@pg_only
@pytest.mark.django_db(transaction=True)
def test_failed_sign_ins_at_the_same_instant_from_one_address_all_count(settings):
    """30 failures from one address, all at once in 30 threads, reach the limit of 30: the next
    attempt from that address is refused, whichever thread created the window's counter."""
    settings.LOGIN_ADDRESS_RATE = "30/15m"
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)

    assert in_threads(lambda: address_failed(request), count=30) == []
    assert address_blocked(request)
    assert caches["shared"].get(_window(request)[0]) == 30  # not one failure lost


def test_culling_a_full_table_removes_expired_rows_and_never_a_live_counter(db):
    """Django's cull, past MAX_ENTRIES, deletes a third of the live rows: a rate limit's counter
    would vanish between its add and its incr (a 500) or start again from zero."""
    cache = DatabaseCache("dondoc_cache", {"OPTIONS": {"MAX_ENTRIES": 3}})
    prefix = uuid.uuid4().hex
    cache.set(f"{prefix}:old", 1, 0)  # stored already expired
    live = [f"{prefix}:{n}" for n in range(8)]
    for key in live:
        assert cache.add(key, 0, 3600)
        assert cache.incr(key) == 1
    assert [cache.get(key) for key in live] == [1] * 8
    assert cache.get(f"{prefix}:old") is None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM dondoc_cache WHERE cache_key LIKE %s", [f"%{prefix}:old"]
        )
        assert cursor.fetchone()[0] == 0  # deleted, not only hidden
