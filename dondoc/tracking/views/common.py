"""What the tracking views share: service errors shown on forms (htmx helpers: `core.htmx`)."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from dondoc.tracking.keyset import Key, KeysetPage, keyset_page

PAGE_SIZE = 50


def page_of(
    request: HttpRequest, rows: QuerySet[Any], keys: tuple[Key, ...], mark: str, total: int | None
) -> KeysetPage:
    """The page of `rows` the request's cursor (`after` or `before`) asks for; the first page
    without one, or with one of another list (`mark`: its filters and sort)."""
    return keyset_page(rows, keys, per_page=PAGE_SIZE, mark=mark, total=total,
                       after=request.GET.get("after", ""), before=request.GET.get("before", ""))  # fmt: skip


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
