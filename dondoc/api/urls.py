"""The API's URLs, plus JSON answers where Django or ninja would answer in HTML or plain text:
an unknown path under /api/v1/ (404) and a method a path does not take (405)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt

from dondoc.api.api import api
from dondoc.api.errors import HTTP_ERRORS, error_response, not_found


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found()
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            code, message = HTTP_ERRORS[405]
            allowed = response.get("Allow", "")
            response = error_response(405, code, str(message))
            response["Allow"] = allowed
        return response

    return csrf_exempt(wrapped)


@csrf_exempt
def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    return not_found()


def _wrapped(pattern: Any) -> URLPattern:
    return URLPattern(
        pattern.pattern, json_errors(pattern.callback), pattern.default_args, pattern.name
    )


patterns, _app, app_name = api.urls  # namespace "api", as ninja reverses it
urlpatterns = [*(_wrapped(p) for p in patterns), re_path(r"^(?P<rest>.*)$", unknown_path)]
