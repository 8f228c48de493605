"""What the tracking views share: service errors shown on forms (htmx helpers: `core.htmx`)."""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, QueryDict

PAGE_SIZE = 50


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
