"""Who may open which kind of page: predicates on the signed-in user, used with `@allow`."""

from typing import Any

from dondoc.accounts.models import RoleCode


def signed_in(user: Any) -> bool:
    return bool(user.is_authenticated)


def administrator(user: Any) -> bool:
    return bool(user.has_role(RoleCode.ADMIN))


def office(user: Any) -> bool:
    return bool(user.has_role(RoleCode.ADMIN, RoleCode.OFFICE))


def agency_reader(user: Any) -> bool:
    """May read agency pages: anyone working across agencies, and members of an agency (own only)."""
    return bool(user.sees_all_agencies or user.agency_id)


def agency_worker(user: Any) -> bool:
    """Focal points and heads of an agency: they work the agency's own inbox."""
    return bool(user.agency_id and user.has_role(RoleCode.FOCAL, RoleCode.HEAD))


def review_reader(user: Any) -> bool:
    """May open the progress reviews: anyone working across agencies, and focal points and heads
    of an agency (their agency's reviews only, see `reviews/access.py`)."""
    return bool(user.sees_all_agencies or agency_worker(user))
