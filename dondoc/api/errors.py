"""Every API error is JSON: `{"code": "<stable code>", "message": "<Vietnamese>", "fields": {…}}`.

| status | code | when |
|---|---|---|
| 400 | the service's `ValidationError.code` (else `invalid`) | a business rule refused the change |
| 400 | `malformed_body` | the body is not JSON |
| 400 | `bad_request` | Django refused the request as suspicious (e.g. too many parameters) |
| 401 | `unauthenticated` | no token, an unknown, revoked or expired one, or an inactive user |
| 403 | `forbidden` | the caller sees the object but their role may not do this |
| 404 | `not_found` | no such object, or not visible to the caller |
| 405 | `method_not_allowed` | |
| 409 | the refusal's code (`task_cancelled`, `task_closed`, `awaiting_acceptance`, …) | the task's state does not allow this action now (`tracking.access.task_actions`) |
| 409 | `edit_conflict` | the task or document changed since the version the caller sent |
| 409 | `conflict` | a concurrent write won a uniqueness race |
| 413 | `too_large` | the body is over `DATA_UPLOAD_MAX_MEMORY_SIZE` (2,5 MB by default) |
| 422 | `invalid_input` | the request does not match the schema (types, dates, unknown fields…) |
| 500 | `server_error` | a bug: logged with its traceback |
| 503 | `unavailable` | assisted entry is not installed |
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from dondoc.core.access import ActionRefused
from dondoc.core.dbdown import is_outage, note_outage
from dondoc.tracking.services import DocumentEditConflictError, EditConflictError

logger = logging.getLogger(__name__)

# Model field names as the API calls them.
API_FIELD_NAMES = {
    "lead_agency": "lead",
    "coordinating_agencies": "coordinating",
    "issuing_body": "issuing_body",
    "doc_type": "symbol",
    "number": "symbol",
    "issuer_code": "symbol",
}


def error_response(
    status: int, code: str, message: str, fields: Mapping[str, Any] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = dict(fields)
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="dondoc"'
    return response


def not_found() -> HttpResponse:
    return error_response(404, "not_found", _("Không tìm thấy, hoặc bạn không có quyền xem."))


# Django ValidationError from the services --------------------------------------------------


def _messages(errors: Iterable[ValidationError]) -> list[str]:
    return [message for error in errors for message in error.messages]


def business_error(exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {
            API_FIELD_NAMES.get(name, name): _messages(errors)
            for name, errors in exc.error_dict.items()
        }
        codes = {error.code for errors in exc.error_dict.values() for error in errors}
        code = codes.pop() if len(codes) == 1 else None
        message = " ".join(m for messages in fields.values() for m in messages)
        return error_response(400, code or "invalid", message, fields)
    code = next((error.code for error in exc.error_list if error.code), None)
    return error_response(400, code or "invalid", " ".join(exc.messages))


# Schema (pydantic) errors ------------------------------------------------------------------

SCHEMA_MESSAGES = {
    "missing": gettext_lazy("Thiếu trường bắt buộc."),
    "extra_forbidden": gettext_lazy("Trường này không có trong API."),
    "json_invalid": gettext_lazy("Không phải JSON hợp lệ."),
    "model_attributes_type": gettext_lazy("Phải là một đối tượng JSON."),
    "dict_type": gettext_lazy("Phải là một đối tượng JSON."),
    "model_type": gettext_lazy("Phải là một đối tượng JSON."),
    "string_type": gettext_lazy("Phải là chuỗi ký tự."),
    "string_too_short": gettext_lazy("Quá ngắn (tối thiểu {min_length} ký tự)."),
    "string_too_long": gettext_lazy("Quá dài (tối đa {max_length} ký tự)."),
    "int_type": gettext_lazy("Phải là số nguyên."),
    "int_parsing": gettext_lazy("Phải là số nguyên."),
    "int_from_float": gettext_lazy("Phải là số nguyên."),
    "int_parsing_size": gettext_lazy("Số quá lớn."),
    "bool_type": gettext_lazy("Phải là true hoặc false."),
    "bool_parsing": gettext_lazy("Phải là true hoặc false."),
    "list_type": gettext_lazy("Phải là một danh sách."),
    "too_long": gettext_lazy("Danh sách quá dài (tối đa {max_length} phần tử)."),
    "too_short": gettext_lazy("Danh sách quá ngắn (tối thiểu {min_length} phần tử)."),
    "date_type": gettext_lazy("Phải là ngày dạng YYYY-MM-DD."),
    "date_parsing": gettext_lazy("Phải là ngày dạng YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Phải là ngày dạng YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Phải là ngày dạng YYYY-MM-DD, không kèm giờ."),
    "greater_than_equal": gettext_lazy("Phải lớn hơn hoặc bằng {ge}."),
    "greater_than": gettext_lazy("Phải lớn hơn {gt}."),
    "less_than_equal": gettext_lazy("Phải nhỏ hơn hoặc bằng {le}."),
    "less_than": gettext_lazy("Phải nhỏ hơn {lt}."),
    "enum": gettext_lazy("Giá trị không hợp lệ; chọn một trong: {expected}."),
    "literal_error": gettext_lazy("Giá trị không hợp lệ; chọn một trong: {expected}."),
}


def _schema_message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    template = SCHEMA_MESSAGES.get(kind)
    if template is None:
        return _("Giá trị không hợp lệ.")
    try:
        return str(template).format(**context)
    except (KeyError, IndexError, ValueError):
        return str(template)


def _schema_field(location: Sequence[Any]) -> str:
    # ("body", "payload", "title") -> "title"; ("query", "limit") -> "limit"
    parts = [str(part) for part in location[1:]]
    if location and location[0] == "body" and parts:
        parts = parts[1:]
    return ".".join(parts) or str(location[0] if location else "body")


def schema_error(exc: SchemaError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_schema_field(error.get("loc", ())), []).append(_schema_message(error))
    return error_response(
        422,
        "invalid_input",
        _("Dữ liệu gửi lên không đúng định dạng; xem chi tiết trong “fields”."),
        fields,
    )


# Registration -------------------------------------------------------------------------------

HTTP_ERRORS = {
    400: (
        "malformed_body",
        gettext_lazy("Nội dung gửi lên không đọc được; cần một đối tượng JSON hợp lệ."),
    ),
    401: (
        "unauthenticated",
        gettext_lazy("Cần khóa API hợp lệ trong tiêu đề Authorization: Bearer …"),
    ),
    403: ("forbidden", gettext_lazy("Bạn không có quyền thực hiện thao tác này.")),
    404: ("not_found", gettext_lazy("Không tìm thấy, hoặc bạn không có quyền xem.")),
    405: (
        "method_not_allowed",
        gettext_lazy("Phương thức HTTP này không được hỗ trợ ở địa chỉ này."),
    ),
    503: ("unavailable", gettext_lazy("Chức năng này tạm thời chưa sẵn sàng.")),
    429: ("throttled", gettext_lazy("Quá nhiều yêu cầu; vui lòng thử lại sau.")),
}


def http_error(exc: HttpError) -> HttpResponse:
    code, message = HTTP_ERRORS.get(exc.status_code, ("error", _("Yêu cầu không được xử lý.")))
    return error_response(exc.status_code, code, str(message))


def register_error_handlers(api: NinjaAPI) -> None:
    def handle(exc_class: type[Exception], render: Any) -> None:
        api.add_exception_handler(exc_class, lambda request, exc: render(exc))

    handle(SchemaError, schema_error)
    handle(ValidationError, business_error)
    handle(AuthenticationError, http_error)
    handle(HttpError, http_error)
    handle(Http404, lambda exc: not_found())
    handle(
        SuspiciousOperation,
        lambda exc: error_response(400, "bad_request", _("Yêu cầu không hợp lệ.")),
    )
    handle(
        RequestDataTooBig,
        lambda exc: error_response(
            413, "too_large", _("Nội dung gửi lên quá lớn (tối đa %(mb)s MB).") % {"mb": _max_mb()}
        ),
    )
    handle(
        PermissionDenied,
        lambda exc: error_response(403, "forbidden", str(HTTP_ERRORS[403][1])),
    )
    handle(ActionRefused, action_refused)
    handle(
        EditConflictError,
        lambda exc: error_response(
            409,
            "edit_conflict",
            str(exc),
            {"version": [_("Phiên bản hiện tại là %(version)d.") % {"version": exc.task.version}]},
        ),
    )
    handle(
        DocumentEditConflictError,
        lambda exc: error_response(
            409,
            "edit_conflict",
            str(exc),
            {
                "version": [
                    _("Phiên bản hiện tại là %(version)d.") % {"version": exc.document.version}
                ]
            },
        ),
    )
    handle(
        IntegrityError,
        lambda exc: error_response(
            409,
            "conflict",
            _("Dữ liệu vừa được người khác ghi trùng; vui lòng tải lại rồi thử lại."),
        ),
    )
    api.add_exception_handler(Exception, server_error)


def action_refused(exc: ActionRefused) -> HttpResponse:
    """A refusal by role is a 403 like any other; by the object's state (a task's, an item's,
    a congress's, a draft's), a 409 with its code."""
    if exc.by_role:
        return error_response(403, "forbidden", str(HTTP_ERRORS[403][1]))
    return error_response(409, exc.code, str(exc))


def _max_mb() -> str:
    return f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20:.1f}".replace(".", ",")


def server_error(request: HttpRequest, exc: Any) -> HttpResponse:
    if is_outage(exc):  # one line, not a traceback per request: a 17 s restart logged 1,418
        logger.warning("API %s %s: database unavailable (%s)", request.method, request.path, exc)
    else:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    note_outage(request, exc)  # core/dbdown.py answers 503 for an outage's error
    return error_response(500, "server_error", _("Lỗi máy chủ; sự cố đã được ghi lại."))
