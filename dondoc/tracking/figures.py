"""Figures computed once per state of the data, for everyone who sees the same tasks.

Every change to the data writes an audit entry in its own transaction (`dondoc.audit`), so the
newest entry's number is a version of the whole database: a figure cached under it stays true
until the next change commits, when the version moves on and the figure is computed again. The
version is read before the figure is computed, so a cached figure is never older than its key.

The key also holds what decides which tasks a user sees (`tracking.access.tasks_visible_to`:
all agencies or one, and the clearance), the day the statuses are for and the language of the
labels, so no user is ever shown a figure computed for someone who sees more.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from dondoc.accounts.models import User
from dondoc.audit.selectors import data_version

T = TypeVar("T")


def audience(user: User) -> str:
    """Who sees the same tasks as `user`: every agency or one, up to a clearance."""
    agencies = "all" if user.sees_all_agencies else f"agency-{user.agency_id or 0}"
    return f"{agencies}:clearance-{user.clearance}"


def figures_cached(name: str, user: User, day: dt.date, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for the same audience, day, language and data version."""
    if not settings.FIGURES_CACHE:
        return compute()
    key = f"figures:{name}:{audience(user)}:{day.isoformat()}:{get_language()}:{data_version()}"
    found: Any = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=settings.FIGURES_CACHE_SECONDS)
    return found  # type: ignore[no-any-return]
