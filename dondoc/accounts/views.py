"""Sign-in (a password, then a second factor where needed), profile, user administration."""

import logging
import math
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dondoc.accounts import rules, selectors, services
from dondoc.accounts.forms import (
    NotificationModeForm,
    SignInForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from dondoc.accounts.models import User
from dondoc.accounts.services import TokenCheck
from dondoc.core import ratelimits
from dondoc.core.access import allow, needs_second_factor, public, sign_in_step
from dondoc.core.errors import too_many_requests

security_log = logging.getLogger("dondoc.security")

USERS_PER_PAGE = 50


def _next_url(request: HttpRequest) -> str:
    """The page asked for before signing in, if it is on this site; else ''.

    Signing out is never a next page: it answers only POST, and an expired session's
    "sign out" button leads to the login page with it as `next`.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not allowed or urlsplit(candidate).path == reverse("accounts:logout"):
        return ""
    return candidate


def _with_next(view_name: str, next_url: str) -> str:
    url = reverse(view_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _after_password(needs_code: bool, next_url: str) -> str:
    if needs_code:
        return _with_next("accounts:second_factor", next_url)
    return next_url or resolve_url(settings.LOGIN_REDIRECT_URL)


# Sign-in -----------------------------------------------------------------------------------


@public
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_after_password(needs_second_factor(request.user), next_url))
    if request.method == "POST" and ratelimits.address_blocked(request):
        security_log.warning(
            "sign-in refused: too many failures from ip=%s", services.client_ip(request)
        )
        return too_many_requests(request, ratelimits.retry_after_seconds(request))
    form = SignInForm(request.POST or None)
    if form.is_valid():
        user = services.sign_in_password(
            request, form.cleaned_data["username"], form.cleaned_data["password"]
        )
        if user is not None:
            return redirect(_after_password(user.requires_2fa, next_url))
        ratelimits.address_failed(request)
        # Locked-out attempts also end here; AxesMiddleware then answers with `locked_out`.
        form.add_error(
            None,
            _(
                "Tên đăng nhập hoặc mật khẩu không đúng. "
                "Xin kiểm tra lại (lưu ý chữ hoa, chữ thường)."
            ),
        )
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """The answer to a sign-in while locked out (settings.AXES_LOCKOUT_CALLABLE): HTTP 429.

    django-axes 8 calls this as (request, original_response, credentials) and older
    versions as (request, credentials); either way the credentials are the last dict.
    """
    given = [value for value in (credentials, *args) if isinstance(value, dict)]
    username = given[-1].get("username") if given else request.POST.get("username")
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    security_log.warning(
        "sign-in locked out: username=%r ip=%s", username, services.client_ip(request)
    )
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


TOKEN_ERRORS = {
    TokenCheck.WRONG: gettext_lazy("Mã xác thực không đúng hoặc đã hết hạn."),
    TokenCheck.THROTTLED: gettext_lazy("Nhập sai nhiều lần. Xin đợi một lát rồi nhập mã mới."),
}


@sign_in_step
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enter the code of one's authenticator app, or enrol one first (QR code, then a code)."""
    user = cast(User, request.user)
    next_url = _next_url(request)
    if not needs_second_factor(user):
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    device = selectors.totp_device_confirmed(user)
    enrolling = device is None
    if device is None:
        device = services.second_factor_enrol_start(user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        result = services.second_factor_check(request, device, form.cleaned_data["token"])
        if result is TokenCheck.ACCEPTED:
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        form.add_error("token", str(TOKEN_ERRORS[result]))
    context = {
        "form": form,
        "next": next_url,
        "enrolment": selectors.totp_enrolment(device) if enrolling else None,
    }
    return render(request, "accounts/second_factor.html", context)


@sign_in_step  # also halfway through signing in, before the second factor
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


# One's own profile -------------------------------------------------------------------------


@allow(rules.signed_in)
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    action = request.POST.get("action")
    mode_form = NotificationModeForm(
        request.POST if action == "notifications" else None,
        initial={"notification_mode": user.notification_mode},
    )
    password_form = PasswordChangeForm(user, request.POST if action == "password" else None)
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    if mode_form.is_valid():
        services.user_set_notification_mode(user, mode_form.cleaned_data["notification_mode"])
        messages.success(request, _("Đã lưu cách nhận nhắc việc."))
        return redirect("accounts:profile")
    if password_form.is_valid():
        services.user_change_password(request, user, password_form.cleaned_data["new_password1"])
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("accounts:profile")
    context = {
        "mode_form": mode_form,
        "password_form": password_form,
        "roles": user.roles.all(),
        "has_second_factor": selectors.totp_device_confirmed(user) is not None,
    }
    return render(request, "accounts/profile.html", context)


# User administration ------------------------------------------------------------------------


@allow(rules.administrator)
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET)
    form.is_valid()  # filters that do not validate are left out, the others still apply
    filters = form.cleaned_data
    users = selectors.users_matching(
        q=filters.get("q") or "", agency=filters.get("agency"), role=filters.get("role") or ""
    )
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    services.personal_data_listed(
        cast(User, request.user), list(page.object_list), query=request.GET.urlencode()
    )
    htmx = getattr(request, "htmx", None)  # django_htmx: only the results, for the filter form
    partial = htmx is not None and htmx.target == "user-results"
    template = "accounts/_user_results.html" if partial else "accounts/user_list.html"
    return render(request, template, {"form": form, "page": page})


@allow(rules.administrator)
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if form.is_valid():
        try:
            user = services.user_create(
                actor=cast(User, request.user),
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                **form.user_values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã tạo tài khoản %(name)s.") % {"name": user})
            return redirect("accounts:user_edit", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "edited_user": None})


@allow(rules.administrator)
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("agency"), pk=pk)
    form = UserEditForm(request.POST or None, user=user, initial=UserEditForm.initial_for(user))
    if form.is_valid():
        try:
            services.user_update(user, actor=cast(User, request.user), **form.user_values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["password1"]:
                services.user_set_password(
                    user,
                    form.cleaned_data["password1"],
                    actor=cast(User, request.user),
                    request=request,
                )
            messages.success(request, _("Đã lưu thông tin của %(name)s.") % {"name": user})
            if user.pk == request.user.pk and not rules.administrator(user):
                return redirect(settings.LOGIN_REDIRECT_URL)  # they gave up administration
            return redirect("accounts:user_edit", pk=user.pk)
    services.personal_data_viewed(cast(User, request.user), user)
    context = {
        "form": form,
        "edited_user": user,
        "has_second_factor": selectors.totp_device_confirmed(user) is not None,
    }
    return render(request, "accounts/user_form.html", context)


@allow(rules.administrator)
@require_POST
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    services.user_reset_second_factor(user, actor=cast(User, request.user))
    messages.success(
        request,
        _(
            "Đã hủy thiết bị xác thực của %(name)s. Lần đăng nhập tới, người dùng sẽ đăng ký "
            "lại ứng dụng xác thực."
        )
        % {"name": user},
    )
    return redirect("accounts:user_edit", pk=user.pk)
