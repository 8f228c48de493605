"""While the database is unreachable, pages and the API answer 503 with Retry-After, not 500.

Whatever failed (a view, a middleware loading the session, the API's own error handler), the
response is a 500: this outermost middleware then asks the database itself. If it does not
answer, the user is told the system is briefly unavailable and when to try again, and a
monitor or client sees a retryable status. Django drops the broken connection at the end of
the request, so the next request after the database is back just works, without restarting.

A request that met a PostgreSQL connection error (SQLSTATE class 08, or class 57: the server
shutting down, ending the backend with pg_terminate_backend, cancelling the statement, or no
SQLSTATE at all: the socket closed) is answered 503 too, even when the database answers again
by the time this middleware asks: the failure was the outage's, not a bug
(scripts/drill_outages.py found such a request answered 500).
"""

import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
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


OUTAGE_SQLSTATE_CLASSES = {"08", "57"}  # connection exception; operator intervention


def is_outage(error: BaseException) -> bool:
    """Whether a database error is an outage's (PostgreSQL: SQLSTATE class 08 or 57, or none at
    all, as when connecting fails or the socket closes), not a bug's."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    if connection.vendor != "postgresql":
        return False  # SQLite: the reachability check decides
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate[:2] in OUTAGE_SQLSTATE_CLASSES


def note_outage(request: HttpRequest, error: BaseException | None) -> None:
    """Mark the request as failed by an outage (called where an exception becomes a 500)."""
    if error is not None and is_outage(error):
        request.database_outage = True  # type: ignore[attr-defined]


def _noted_by_django(sender: object, request: HttpRequest | None = None, **_: object) -> None:
    if request is not None:
        note_outage(request, sys.exc_info()[1])


got_request_exception.connect(_noted_by_django, dispatch_uid="dondoc.core.dbdown")


class OutageSeen:
    """An execute wrapper that notes whether a query failed the way an outage fails."""

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, execute: Callable[..., Any], *args: Any) -> Any:
        try:
            return execute(*args)
        except (OperationalError, InterfaceError) as error:
            self.seen |= is_outage(error)
            raise


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
        outage = OutageSeen()
        with connection.execute_wrapper(outage):
            response = self.get_response(request)
        noted = getattr(request, "database_outage", False)
        if response.status_code == 500 and (noted or outage.seen or not database_reachable()):
            return database_down_response(request)
        return response
