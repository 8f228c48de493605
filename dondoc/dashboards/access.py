"""Which agency's scorecard a user may open.

The leaders' dashboard is for users who see every agency (`rules.across_agencies`: leaders,
the office, inspectors, administrators). An agency's scorecard is for them too, and for the
focal points and heads of that agency (`rules.review_reader`); for anyone else the agency is
not found (404), so nothing is learnt by guessing.
"""

from django.http import Http404

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.agencies.models import Agency


def scorecard_access(user: User, code: str) -> Agency:
    """The agency whose scorecard `user` may read; 404 when it does not exist or is not theirs."""
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise Http404
    if user.sees_all_agencies:
        return agency
    if agency.pk == user.agency_id and rules.agency_worker(user):
        return agency
    raise Http404
