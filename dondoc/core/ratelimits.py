"""Failed sign-ins per client address, against password spraying.

django-axes locks a username tried from one address; this counts every failure from an
address, whatever the username, and refuses further attempts from it with a 429 for the rest
of the window (settings.LOGIN_ADDRESS_RATE, 30 per 15 minutes by default). The web sign-in and
the API's bearer tokens share one counter per address and fixed window. Counts live in the
"shared" cache (settings.CACHES: Redis, or a database table), so every web process counts the
same failures; if Redis is down, sign-in still works (fail open; django-axes still counts, in
the database).

Every API request asks whether its address is blocked, so that question is one read of the
cache and writes nothing; only a failure writes.
"""

import re
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from dondoc.core.sharedcache import fail_open

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate() -> tuple[int, int]:
    """(failures allowed, window in seconds) from "30/15m", "100/h", "5/30s"."""
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", settings.LOGIN_ADDRESS_RATE)
    if found is None:
        raise ValueError(f"LOGIN_ADDRESS_RATE: {settings.LOGIN_ADDRESS_RATE!r} (e.g. 30/15m)")
    limit, count, unit = found.groups()
    return int(limit), int(count or 1) * UNITS[unit]


def _address(request: HttpRequest) -> str:
    # The address as django-axes resolved it (proxy-aware), else the socket peer.
    return str(getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", ""))


def _window(request: HttpRequest) -> tuple[str, int, int]:
    """(cache key, limit, seconds left) of this address's current window."""
    limit, period = _rate()
    now = int(time.time())
    start = now - now % period
    return f"sign-in-failures:{_address(request)}:{start}", limit, start + period - now


def address_blocked(request: HttpRequest) -> bool:
    """Whether this address has used up its failed sign-ins for the current window."""
    key, limit, _ = _window(request)
    return fail_open(lambda: int(caches["shared"].get(key, 0)) >= limit, False)


def address_failed(request: HttpRequest) -> None:
    """Count one failed sign-in (wrong password, unknown or revoked token) for this address."""
    key, _, left = _window(request)
    cache = caches["shared"]

    def count() -> None:
        if cache.add(key, 1, left + 60):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls: a new window
            cache.add(key, 1, left + 60)

    fail_open(count, None)


def retry_after_seconds(request: HttpRequest) -> int:
    return max(1, _window(request)[2])
