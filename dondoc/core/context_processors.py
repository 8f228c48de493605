from typing import Any

from django.http import HttpRequest

from dondoc.core import rules


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Which sections the signed-in user may open, so the menu shows only those."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "perms_nav": {
            "agencies": rules.agency_reader(user),
            "users": rules.administrator(user),
            "audit": rules.administrator(user),
        }
    }
