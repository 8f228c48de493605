"""What the tracking views share: htmx-aware requests, service errors shown on forms."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, QueryDict
from django_htmx.middleware import HtmxDetails

from dondoc.accounts.models import User

PAGE_SIZE = 50


class SignedInRequest(HttpRequest):
    """A request to a view behind `@allow(rules.signed_in)` or a stricter rule: a user is
    signed in (`DenyByDefaultMiddleware` sent anyone else to the sign-in page)."""

    user: User


class HtmxHttpRequest(SignedInRequest):
    htmx: HtmxDetails


def partial(request: HtmxHttpRequest) -> bool:
    """An htmx request for a fragment (not a history restore, which needs the whole page)."""
    return bool(request.htmx and not request.htmx.history_restore_request)


def posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's `ValidationError` on the form: on the field it names, else above the
    form (a service raises a refusal about one input on that input's field)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(field, errors)
        return
    form.add_error(None, error)
