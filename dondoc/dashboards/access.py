"""Who may open the dashboards.

The leaders' dashboard is for users who see every agency (leaders, the office, inspectors,
administrators). An agency's scorecard is for them too, and for the focal points and heads of
that agency; for anyone else the agency is not found (404), so nothing is learnt by guessing.
"""

from typing import Any

from django.http import Http404

from dondoc.accounts.models import RoleCode
from dondoc.agencies.models import Agency


def sees_all_agencies(user: Any) -> bool:
    """Rule of the leaders' dashboard (`@allow`)."""
    return bool(user.sees_all_agencies)


def scorecard_reader(user: Any) -> bool:
    """Rule of the scorecard page (`@allow`); which agency is checked by `scorecard_access`."""
    return bool(
        user.sees_all_agencies or (user.agency_id and user.has_role(RoleCode.FOCAL, RoleCode.HEAD))
    )


def scorecard_access(user: Any, code: str) -> Agency:
    """The agency whose scorecard `user` may read; 404 when it does not exist or is not theirs."""
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise Http404
    if user.sees_all_agencies:
        return agency
    if agency.pk == user.agency_id and user.has_role(RoleCode.FOCAL, RoleCode.HEAD):
        return agency
    raise Http404
