"""What every app's views share about htmx: the request type and "is this a fragment?"."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Every request, once `django_htmx.middleware.HtmxMiddleware` has run."""

    htmx: HtmxDetails


def partial(request: HtmxHttpRequest) -> bool:
    """An htmx request for a fragment (not a history restore, which needs the whole page)."""
    return bool(request.htmx and not request.htmx.history_restore_request)
