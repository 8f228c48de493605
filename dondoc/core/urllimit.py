"""Refuse URLs longer than settings.MAX_URL_LENGTH with a 414, before any other work.

Nothing in dondoc needs a long URL; a huge query string only costs parsing, and a database
query built from it. The answer is JSON under /api/ and a short Vietnamese page elsewhere.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from dondoc.core.errors import uri_too_long


def url_length(request: HttpRequest) -> int:
    query = request.META.get("QUERY_STRING", "")
    return len(request.path) + (len(query) + 1 if query else 0)


class UrlLengthLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if url_length(request) > settings.MAX_URL_LENGTH:
            return uri_too_long(request)
        return self.get_response(request)
