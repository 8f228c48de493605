"""Access control: every view is denied unless a rule allows it.

A view declares who may open it with `@public` or `@allow(rule)`, where a rule is a predicate
on the user (see `dondoc.core.rules`). `DenyByDefaultMiddleware` refuses any view that
declares nothing, sends anonymous users to the login page, and sends users who must use
two-factor authentication to verify (or enrol) first. Which *objects* a user may see is the
job of each app's `access.py` (`agencies_visible_to`, `agency_access`…), one rule per kind.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

Rule = Callable[[Any], bool]

NOT_ALLOWED = "not_allowed"  # every app's error codes name a refusal by role so


class ActionRefused(PermissionDenied):
    """An object's access rule refused an action; `code` (a member of the app's error-code
    enum) says why. A refusal by role (`by_role`) is a 403 like any other permission; a
    refusal by the object's state is a 409 in the API, with its code."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)

    @property
    def by_role(self) -> bool:
        return self.code == NOT_ALLOWED


View = TypeVar("View", bound=Callable[..., Any])

PUBLIC = "public"
SIGN_IN_STEP = "sign_in_step"  # password done, second factor pending: only the 2FA pages


def public(view: View) -> View:
    """Anyone may open this view, signed in or not (login page, language switch)."""
    view.access_rule = PUBLIC  # type: ignore[attr-defined]
    return view


def sign_in_step(view: View) -> View:
    """A page of the sign-in flow itself: open to a signed-in user before the second factor."""
    view.access_rule = SIGN_IN_STEP  # type: ignore[attr-defined]
    return view


def allow(rule: Rule) -> Callable[[View], View]:
    """Signed-in users for whom `rule(user)` holds may open this view."""

    def decorate(view: View) -> View:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorate


def view_rule(view: Callable[..., Any]) -> Rule | str | None:
    return getattr(view, "access_rule", None) or getattr(
        getattr(view, "view_class", None), "access_rule", None
    )


def needs_second_factor(user: Any) -> bool:
    return bool(user.requires_2fa and not user.is_verified())


class DenyByDefaultMiddleware:
    exempt_prefixes = ("/api/",)  # the API authenticates every call itself (Bearer tokens)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.path_info.startswith(self.exempt_prefixes):
            return None
        rule = view_rule(view)
        if rule == PUBLIC:
            return None
        if rule is None:
            raise PermissionDenied("This view declares no access rule.")
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if rule == SIGN_IN_STEP:
            return None
        if needs_second_factor(user):
            return redirect("accounts:second_factor")
        if not callable(rule) or not rule(user):
            raise PermissionDenied
        return None
