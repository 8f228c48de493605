from typing import Any

from django.http import HttpRequest

from dondoc.accounts import rules
from dondoc.core.access import needs_second_factor
from dondoc.tracking.queue import queue_user


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which sections the signed-in user may open, so the menu shows only those."""
    user = request.user
    if not user.is_authenticated or needs_second_factor(user):
        return {}  # no menu until sign-in is complete: its links would only lead back here
    return {
        "perms_nav": {
            "dashboard": rules.across_agencies(user),
            "inbox": rules.agency_worker(user),
            "queue": queue_user(user),
            "reviews": rules.review_reader(user),
            "agencies": rules.agency_reader(user),
            "users": rules.administrator(user),
            "audit": rules.administrator(user),
            "congress": rules.congress_reader(user),
        }
    }
