"""`{{ agency|agency_status }}`: where an agency stands today, as a badge's words."""

from django import template

from dondoc.agencies.models import Agency
from dondoc.agencies.selectors import AgencyStatus, agency_status

register = template.Library()


@register.filter(name="agency_status")
def agency_status_filter(agency: Agency) -> AgencyStatus:
    return agency_status(agency)
