"""What the tracking views share: htmx-aware requests, service errors shown on forms."""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, QueryDict
from django_htmx.middleware import HtmxDetails

PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def partial(request: HtmxHttpRequest) -> bool:
    """An htmx request for a fragment (not a history restore, which needs the whole page)."""
    return bool(request.htmx and not request.htmx.history_restore_request)


def posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def add_service_error(
    form: forms.Form, error: ValidationError, fields_by_code: Mapping[str, str] | None = None
) -> None:
    """Show a service's `ValidationError` on the form: on the field it names (or the field its
    code points to), else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(field, errors)
        return
    for single in error.error_list:
        field = (fields_by_code or {}).get(single.code or "")
        form.add_error(field if field in form.fields else None, single)
