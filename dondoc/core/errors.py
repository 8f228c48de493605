"""Error answers outside the views: Vietnamese pages for the web, JSON under /api/.

Django calls these for an exception no view handled (`handler400`… in dondoc/urls.py), for a
refused CSRF check (settings.CSRF_FAILURE_VIEW), and dondoc calls `too_many_requests` when an
address has used up its failed sign-ins (dondoc/core/ratelimits.py). The JSON has the API's
shape: `{"code": "<stable code>", "message": "<Vietnamese>"}`.
"""

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/"

# status: (code, title, explanation)
ERRORS: dict[int, tuple[str, Promise, Promise]] = {
    400: (
        "bad_request",
        _("Yêu cầu không hợp lệ"),
        _("Máy chủ không đọc được yêu cầu này. Xin quay lại trang trước và thử lại."),
    ),
    403: (
        "forbidden",
        _("Không có quyền truy cập"),
        _(
            "Vai trò của bạn không được thực hiện thao tác này. Trang chủ liệt kê những việc "
            "bạn làm được; nếu cần quyền này, xin liên hệ Văn phòng."
        ),
    ),
    404: (
        "not_found",
        _("Không tìm thấy trang"),
        _("Không tìm thấy, hoặc bạn không có quyền xem."),
    ),
    414: (
        "uri_too_long",
        _("Địa chỉ quá dài"),
        _("Địa chỉ (URL) của yêu cầu quá dài. Xin bớt điều kiện lọc rồi thử lại."),
    ),
    429: (
        "throttled",
        _("Quá nhiều lần đăng nhập sai"),
        _("Từ địa chỉ mạng này đã có quá nhiều lần đăng nhập sai. Xin thử lại sau ít phút."),
    ),
    500: (
        "server_error",
        _("Lỗi máy chủ"),
        _("Đã có lỗi phía máy chủ; sự cố đã được ghi lại. Xin thử lại sau."),
    ),
}
CSRF_MESSAGE = _(
    "Phiên làm việc của trang đã hết hạn hoặc biểu mẫu đã cũ. Xin tải lại trang rồi gửi lại."
)


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def json_error(status: int, code: str, message: str) -> HttpResponse:
    return JsonResponse(
        {"code": code, "message": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def error_answer(
    request: HttpRequest, status: int, message: str | None = None, code: str | None = None
) -> HttpResponse:
    """JSON under /api/, else the Vietnamese error page.

    The page has the site's header and menu when the request got as far as knowing its user;
    a request refused before that (a bad Host header) gets the bare page.
    """
    default_code, title, explanation = ERRORS[status]
    text = str(message or explanation)
    if is_api(request):
        return json_error(status, code or default_code, text)
    if not hasattr(request, "user"):
        return bare_page(status, title, text)
    context = {"status": status, "title": title, "message": text}
    return render(request, "core/error.html", context, status=status)


def bare_page(status: int, title: object, message: object) -> HttpResponse:
    """An error page that needs neither the database, the session nor the user."""
    html = render_to_string("core/error_bare.html", {"title": title, "message": message})
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_answer(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Why, when an access rule said it (`ActionRefused` carries a Vietnamese message)."""
    from dondoc.core.access import ActionRefused  # errors.py loads with the logging settings

    message = str(exception) if isinstance(exception, ActionRefused) else None
    return error_answer(request, 403, message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_answer(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A bug: the bare page, as the database or the session may be the cause."""
    code, title, explanation = ERRORS[500]
    if is_api(request):
        return json_error(500, code, str(explanation))
    return bare_page(500, title, explanation)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_answer(request, 403, str(CSRF_MESSAGE), code="csrf_failed")


def uri_too_long(request: HttpRequest) -> HttpResponse:
    # Answered before the session or the user are known: the bare page.
    code, title, explanation = ERRORS[414]
    if is_api(request):
        return json_error(414, code, str(explanation))
    return bare_page(414, title, explanation)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = error_answer(request, 429)
    response["Retry-After"] = str(retry_after)
    return response


class SkipClientErrors(logging.Filter):
    """Keep a 4xx in the log as one line, without the traceback Django attaches to some.

    A 4xx (a bad request, a refused permission, a suspicious header) is the client's doing;
    a traceback in the error log should mean a bug of ours.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status: Any = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
