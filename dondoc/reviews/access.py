"""Who may see which progress reviews.

The office, leaders, inspectors and administrators see every review (not classified above their
clearance); the focal points and heads of an agency see the reviews of their own agency (scope
`agency:<code>`); nobody else sees any. A review is classified as its most classified task.
"""

from django.db.models import QuerySet
from django.http import Http404

from dondoc.accounts import rules
from dondoc.accounts.models import User

from .models import ReviewReport


def reviews_visible_to(user: User) -> QuerySet[ReviewReport]:
    reports = ReviewReport.objects.filter(classification__lte=user.clearance)
    if user.sees_all_agencies:
        return reports
    if user.agency_id is not None and rules.agency_worker(user):
        return reports.filter(agency_id=user.agency_id)
    return reports.none()


def review_access(user: User, pk: int) -> ReviewReport:
    """The review if `user` may see it; 404 otherwise, so nothing is found by guessing."""
    try:
        return reviews_visible_to(user).select_related("requested_by", "agency").get(pk=pk)
    except (ReviewReport.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
