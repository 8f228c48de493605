"""Failed sign-ins per client address (django-ratelimit), against password spraying.

django-axes locks a username tried from one address; this counts every failure from an
address, whatever the username, and refuses further attempts from it with a 429 for the rest
of the window (settings.LOGIN_ADDRESS_RATE, 30 per 15 minutes by default). The web sign-in and
the API's bearer tokens share one counter per address. Counts live in the "shared" cache
(settings.CACHES: Redis, or a database table), so every web process counts the same failures;
if Redis is down, sign-in still works (fail open; django-axes still counts, in the database).
"""

import logging

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

GROUP = "dondoc.sign-in-failures"


def _address(group: str, request: HttpRequest) -> str:
    # The address as django-axes resolved it (proxy-aware), else the socket peer.
    return str(getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", ""))


def _usage(request: HttpRequest, increment: bool) -> dict[str, int] | None:
    try:
        usage: dict[str, int] | None = get_usage(
            request,
            group=GROUP,
            key=_address,
            rate=settings.LOGIN_ADDRESS_RATE,
            increment=increment,
        )
    except (RedisError, OSError) as error:
        log.warning("sign-in rate limit not counted, shared cache unreachable: %s", error)
        return None
    return usage


def address_blocked(request: HttpRequest) -> bool:
    """Whether this address has used up its failed sign-ins for the current window."""
    usage = _usage(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def address_failed(request: HttpRequest) -> None:
    """Count one failed sign-in (wrong password, unknown or revoked token) for this address."""
    _usage(request, increment=True)


def retry_after_seconds(request: HttpRequest) -> int:
    usage = _usage(request, increment=False)
    return max(1, usage["time_left"]) if usage else 60
