"""Who may open which kind of page: predicates on the signed-in user, used with `@allow`.

Each rule is written once: an object rule (`<app>/access.py`) that needs "is this person of the
office" or "a focal point or head of their agency" calls the rule here instead of asking the
roles again.
"""

from django.contrib.auth.models import AnonymousUser

from dondoc.accounts.models import RoleCode, User
from dondoc.core.htmx import HtmxHttpRequest

AnyUser = User | AnonymousUser
"""What `request.user` is; an anonymous user passes no rule but `signed_in`'s answer, False."""


class SignedInRequest(HtmxHttpRequest):
    """The request of a view behind `@allow(rule)`: `DenyByDefaultMiddleware` sent anonymous
    users to the sign-in page before it, so its user is a `User` (the type a selector takes)."""

    user: User


def signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated)


def administrator(user: AnyUser) -> bool:
    return isinstance(user, User) and user.has_role(RoleCode.ADMIN)


def office(user: AnyUser) -> bool:
    """Office specialists and administrators: they register, assign and decide."""
    return isinstance(user, User) and user.has_role(RoleCode.ADMIN, RoleCode.OFFICE)


def across_agencies(user: AnyUser) -> bool:
    """Office specialists, leaders, inspectors and administrators: every agency's work."""
    return isinstance(user, User) and user.sees_all_agencies


def agency_reader(user: AnyUser) -> bool:
    """May read agency pages: anyone working across agencies, and members of an agency (own only)."""
    return isinstance(user, User) and bool(user.sees_all_agencies or user.agency_id)


def agency_worker(user: AnyUser) -> bool:
    """Focal points and heads of an agency: they work the agency's own inbox."""
    return (
        isinstance(user, User)
        and user.agency_id is not None
        and user.has_role(RoleCode.FOCAL, RoleCode.HEAD)
    )


def review_reader(user: AnyUser) -> bool:
    """May open an agency's figures (progress reviews, scorecards): anyone working across
    agencies, and the focal points and heads of an agency (their own agency only, see
    `reviews/access.py` and `dashboards/access.py`)."""
    return isinstance(user, User) and (user.sees_all_agencies or agency_worker(user))


def congress_staff(user: AnyUser) -> bool:
    """The congress secretariat (thư ký, tổ giúp việc) and administrators: they keep the
    delegates, the hall, the seating, the badges and the check-in."""
    return isinstance(user, User) and user.has_role(RoleCode.ADMIN, RoleCode.SECRETARIAT)


def congress_reader(user: AnyUser) -> bool:
    """May open the congress pages: the secretariat, and anyone working across agencies (the
    office, leaders, inspectors). Members of a sub-committee see their own congress only
    (`congress/access.py`)."""
    return isinstance(user, User) and (congress_staff(user) or user.sees_all_agencies)
