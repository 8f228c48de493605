"""Signing in with a password: lockout, redirects, session lifetime, signing out, logging."""

import datetime as dt
import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from dondoc.accounts.views import locked_out
from tests.accounts.conftest import sign_in_with_password
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "khong-phai-mat-khau"
LOCKED_MESSAGE = "Tài khoản tạm bị khóa do đăng nhập sai nhiều lần"
WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng"
MORNING = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_login_page_is_in_vietnamese_and_uses_the_login_box(client):
    response = client.get(reverse("accounts:login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="login-box"' in html
    assert 'class="stack"' in html
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html


def test_anonymous_visitor_is_sent_to_login_with_the_page_asked_for(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/accounts/profile/"


def test_focal_point_signs_in_with_password_alone_and_lands_on_home(client, lead_focal):
    response = sign_in_with_password(client, lead_focal, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home:home")
    assert signed_in_user_id(client) == str(lead_focal.pk)
    assert client.get(reverse("home:home")).status_code == 200


@pytest.mark.parametrize(
    ("username", "password"),
    [("daumoi.btctw", WRONG), ("khong-co-ai", PASSWORD), ("khong-co-ai", WRONG)],
)
def test_wrong_credentials_get_one_message_that_does_not_say_which_part_was_wrong(
    client, lead_focal, username, password
):
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in response.content.decode()
    assert signed_in_user_id(client) is None


def test_deactivated_user_cannot_sign_in_and_sees_the_same_message(client, lead_focal):
    lead_focal.is_active = False
    lead_focal.save()

    response = sign_in_with_password(client, lead_focal, PASSWORD)

    assert WRONG_CREDENTIALS in response.content.decode()
    assert signed_in_user_id(client) is None


def test_next_page_on_this_site_is_opened_after_signing_in(client, lead_focal):
    response = sign_in_with_password(client, lead_focal, PASSWORD, next="/accounts/profile/")

    assert response.url == "/accounts/profile/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_next_page_on_another_site_is_ignored(client, lead_focal, target):
    response = sign_in_with_password(client, lead_focal, PASSWORD, next=target)

    assert response.url == reverse("home:home")


def test_login_page_keeps_the_next_page_in_the_form(client):
    response = client.get(reverse("accounts:login"), {"next": "/accounts/profile/"})

    assert 'name="next" value="/accounts/profile/"' in response.content.decode()


def test_signed_in_user_opening_the_login_page_goes_home(client, lead_focal):
    client.force_login(lead_focal)

    response = client.get(reverse("accounts:login"))

    assert response.status_code == 302
    assert response.url == reverse("home:home")


def test_five_wrong_passwords_lock_the_account_even_against_the_right_password(client, lead_focal):
    for _ in range(4):
        assert sign_in_with_password(client, lead_focal, WRONG).status_code == 200

    fifth = sign_in_with_password(client, lead_focal, WRONG)
    right = sign_in_with_password(client, lead_focal, PASSWORD)

    assert fifth.status_code == 429
    assert right.status_code == 429
    html = right.content.decode()
    assert LOCKED_MESSAGE in html
    assert "15 phút" in html
    assert right["Retry-After"] == "900"
    assert signed_in_user_id(client) is None


def test_lockout_ends_after_the_cool_off_period(client, lead_focal, time_machine):
    time_machine.move_to(MORNING, tick=False)
    for _ in range(5):
        sign_in_with_password(client, lead_focal, WRONG)

    time_machine.shift(dt.timedelta(minutes=14))
    still_locked = sign_in_with_password(client, lead_focal, PASSWORD)
    # Trying during the lockout starts the 15 minutes again (axes' default).
    time_machine.shift(dt.timedelta(minutes=15, seconds=1))
    unlocked = sign_in_with_password(client, lead_focal, PASSWORD)

    assert still_locked.status_code == 429
    assert unlocked.status_code == 302
    assert signed_in_user_id(client) == str(lead_focal.pk)


def test_lockout_of_one_username_leaves_others_able_to_sign_in(client, lead_focal, other_focal):
    for _ in range(5):
        sign_in_with_password(client, lead_focal, WRONG)

    response = sign_in_with_password(client, other_focal, PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(other_focal.pk)


def test_successful_sign_in_clears_earlier_failures(client, lead_focal):
    for _ in range(4):
        sign_in_with_password(client, lead_focal, WRONG)
    sign_in_with_password(client, lead_focal, PASSWORD)
    client.post(reverse("accounts:logout"))

    for _ in range(4):
        assert sign_in_with_password(client, lead_focal, WRONG).status_code == 200
    assert sign_in_with_password(client, lead_focal, PASSWORD).status_code == 302


@pytest.mark.parametrize("axes_8_call", [True, False])
def test_lockout_page_accepts_both_ways_axes_calls_it(rf: RequestFactory, axes_8_call):
    request = rf.post("/accounts/login/", {"username": "ai-do"})
    request.user = AnonymousUser()
    credentials = {"username": "ai-do"}
    args = (HttpResponse(), credentials) if axes_8_call else (credentials,)

    response = locked_out(request, *args)

    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()


def test_session_cookie_ends_with_the_browser_and_the_session_after_its_age(
    client, lead_focal, settings, time_machine
):
    time_machine.move_to(MORNING, tick=False)
    response = sign_in_with_password(client, lead_focal, PASSWORD)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert cookie["expires"] == ""  # no Expires / Max-Age: the browser drops it on closing
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    session = client.session
    assert session.get_expire_at_browser_close()
    stored = Session.objects.get(session_key=session.session_key)
    assert stored.expire_date == MORNING + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)

    time_machine.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
    assert client.get(reverse("home:home")).status_code == 200
    time_machine.shift(dt.timedelta(seconds=61))
    expired = client.get(reverse("home:home"))
    assert expired.status_code == 302
    assert expired.url.startswith(reverse("accounts:login"))


def test_logout_refuses_get_and_signs_out_on_post(client, lead_focal):
    client.force_login(lead_focal)

    by_get = client.get(reverse("accounts:logout"))
    assert by_get.status_code == 405
    assert signed_in_user_id(client) == str(lead_focal.pk)

    by_post = client.post(reverse("accounts:logout"))
    assert by_post.status_code == 302
    assert by_post.url == reverse("accounts:login")
    assert signed_in_user_id(client) is None


def test_sign_ins_and_failures_go_to_the_security_log_without_passwords(client, lead_focal, caplog):
    caplog.set_level(logging.INFO, logger="dondoc.security")

    sign_in_with_password(client, lead_focal, WRONG)
    sign_in_with_password(client, lead_focal, PASSWORD)

    records = [r for r in caplog.records if r.name == "dondoc.security"]
    messages = [r.getMessage() for r in records]
    assert any("sign-in refused" in m and "daumoi.btctw" in m for m in messages)
    assert any("sign-in password accepted" in m and f"user={lead_focal.pk}" in m for m in messages)
    assert not any(WRONG in m or PASSWORD in m for m in messages)


def test_leader_halfway_through_signing_in_can_sign_out(client, leader):
    sign_in_with_password(client, leader, PASSWORD)

    response = client.post(reverse("accounts:logout"))

    assert response.url == reverse("accounts:login")
    assert signed_in_user_id(client) is None


def test_sign_out_after_the_session_expired_does_not_come_back_after_signing_in(client, lead_focal):
    expired = client.post(reverse("accounts:logout"))
    again = client.post(
        expired.url,
        {"username": lead_focal.username, "password": PASSWORD, "next": "/accounts/logout/"},
    )

    assert expired.url.startswith(reverse("accounts:login"))
    assert again.url == reverse("home:home")
