"""Figures computed once per state of the data, for everyone who sees the same tasks.

Every change a figure counts moves on, in its own transaction, the figures' version of those
who see the changed task (`tallies.tallies_refresh`): for all-agency audiences a version of
every change, for an agency's staff one of the tasks their agency leads or coordinates. A figure
cached under a version stays true until the next such change commits, when the version moves on
and the figure is computed again (from the tallies: a small sum); a change in another agency
keeps an agency's figures. The version is read before the figure is computed, so a cached
figure is never older than its key.

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
from dondoc.tracking.tallies import figures_version

T = TypeVar("T")


def audience(user: User) -> str:
    """Who sees the same tasks as `user`: every agency or one, up to a clearance."""
    agencies = "all" if user.sees_all_agencies else f"agency-{user.agency_id or 0}"
    return f"{agencies}:clearance-{user.clearance}"


def figures_cached(name: str, user: User, day: dt.date, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for the same audience, day, language and data version."""
    if not settings.FIGURES_CACHE:
        return compute()
    key = f"figures:{name}:{audience(user)}:{day.isoformat()}:{get_language()}:{figures_version(user)}"
    found: Any = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=settings.FIGURES_CACHE_SECONDS)
    return found  # type: ignore[no-any-return]
