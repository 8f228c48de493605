"""While the database is unreachable, pages and the API answer 503 with Retry-After, not 500.

Whatever failed (a view, a middleware loading the session, the API's own error handler), the
response is a 500: this outermost middleware then asks the database itself. If it does not
answer, the user is told the system is briefly unavailable and when to try again, and a
monitor or client sees a retryable status. Django drops the broken connection at the end of
the request, so the next request after the database is back just works, without restarting.
"""

from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (OperationalError, InterfaceError):
        return False
    return True


def database_down_response(request: HttpRequest) -> HttpResponse:
    message = _(
        "Hệ thống đang tạm thời không truy cập được cơ sở dữ liệu; vui lòng thử lại sau ít phút."
    )
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": "database_unavailable", "message": message},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:  # rendered without the request: context processors would ask the database again
        page = render_to_string("core/database_down.html", {"message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseDownMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and not database_reachable():
            return database_down_response(request)
        return response
