"""Counting in the "shared" cache without depending on it: when Redis is down, skip the count.

Failed sign-ins per address (core/ratelimits.py) and the public comment page's limits
(consultation/intake.py) are counted in the "shared" cache (settings.CACHES), Redis when
REDIS_URL is set. A Redis outage must not stop a sign-in or lose a citizen's comment, so every
such count goes through `fail_open`: if Redis does not answer, the caller gets its default
(not blocked, allowed) and the request goes on.

An outage is logged twice per process, when it starts and when Redis answers again (how long,
how many counts were skipped), not once per request. While it lasts Redis is tried again at
most every `RETRY_SECONDS`, so that a host that drops packets does not cost every request the
connect timeout (settings: 2 s). A new CACHES setting (tests) starts with a clean slate.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.signals import setting_changed
from django.dispatch import receiver
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_SECONDS = 5.0


@dataclass
class Outage:
    since: float | None = None  # time.time() of the first failure; None: Redis answers
    tried: float = 0.0  # the last failed call
    skipped: int = 0  # counts not made since `since`


_lock = threading.Lock()
_outage = Outage()


def fail_open(call: Callable[[], T], default: T) -> T:
    """`call()` against the shared cache, or `default` while the cache is unreachable."""
    if _outage.since is not None and _waiting():
        return default
    try:
        result = call()
    except (RedisError, OSError) as error:
        _failed(error)
        return default
    if _outage.since is not None:
        _answered()
    return result


def outage() -> Outage:
    """A copy of this process's view of the outage (for /healthz-like reports and tests)."""
    with _lock:
        return Outage(_outage.since, _outage.tried, _outage.skipped)


def _waiting() -> bool:
    with _lock:
        if _outage.since is None or time.time() - _outage.tried >= RETRY_SECONDS:
            return False
        _outage.skipped += 1
        return True


def _failed(error: Exception) -> None:
    with _lock:
        now = time.time()
        first = _outage.since is None
        if first:
            _outage.since, _outage.skipped = now, 0
        _outage.tried = now
        _outage.skipped += 1
    if first:
        log.warning(
            "shared cache (Redis) unreachable: %s; sign-in and public comment limits are not "
            "counted until it answers again (retried every %.0f s)",
            error, RETRY_SECONDS,
        )  # fmt: skip


def _answered() -> None:
    with _lock:
        if _outage.since is None:  # another thread saw it first
            return
        lasted, skipped = time.time() - _outage.since, _outage.skipped
        _outage.since, _outage.tried, _outage.skipped = None, 0.0, 0
    log.warning(
        "shared cache (Redis) answers again after %.0f s; %d counts were skipped meanwhile",
        lasted, skipped,
    )  # fmt: skip


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "CACHES":
        with _lock:
            _outage.since, _outage.tried, _outage.skipped = None, 0.0, 0
