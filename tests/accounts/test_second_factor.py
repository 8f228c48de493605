"""Administrators and leaders need a second factor (TOTP): enrolment, then a code each time."""

import datetime as dt

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import add_device, code_for, sign_in_with_password, wrong_code_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SECOND_FACTOR = "/accounts/2fa/"
MORNING = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # at the start of a 30-second step


def pending_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_leader_with_only_a_password_cannot_reach_home_and_is_sent_to_enrolment(client, leader):
    after_password = sign_in_with_password(client, leader, PASSWORD)
    home = client.get(reverse("home:home"))
    page = client.get(SECOND_FACTOR)

    assert after_password.url == SECOND_FACTOR
    assert home.status_code == 302
    assert home.url == SECOND_FACTOR
    html = page.content.decode()
    assert "Đăng ký xác thực hai lớp" in html
    assert "<svg" in html  # the QR code is inline: no image request, no CDN
    assert "<img" not in html
    secret = page.context["enrolment"].secret
    assert secret.replace(" ", "") in html.replace(" ", "")
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_enrolment_page_shows_the_same_secret_when_reloaded(client, leader):
    sign_in_with_password(client, leader, PASSWORD)

    first = client.get(SECOND_FACTOR).context["enrolment"].secret
    second = client.get(SECOND_FACTOR).context["enrolment"].secret

    assert first == second
    assert TOTPDevice.objects.filter(user=leader).count() == 1


def test_enrolment_with_a_valid_code_confirms_the_device_and_reaches_home(client, leader):
    sign_in_with_password(client, leader, PASSWORD)
    client.get(SECOND_FACTOR)
    device = pending_device(leader)

    response = client.post(SECOND_FACTOR, {"token": code_for(device)})

    assert response.status_code == 302
    assert response.url == reverse("home:home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("home:home")).status_code == 200


def test_enrolment_with_a_wrong_code_is_refused_and_the_device_stays_unconfirmed(client, leader):
    sign_in_with_password(client, leader, PASSWORD)
    client.get(SECOND_FACTOR)
    device = pending_device(leader)

    response = client.post(SECOND_FACTOR, {"token": wrong_code_for(device)})

    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("home:home")).url == SECOND_FACTOR


@pytest.mark.parametrize("token", ["12345", "abcdef", "1234567", ""])
def test_code_that_is_not_six_digits_is_refused_before_checking(client, leader, token):
    sign_in_with_password(client, leader, PASSWORD)

    response = client.post(SECOND_FACTOR, {"token": token})

    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert pending_device(leader).throttling_failure_count == 0


def test_leader_with_a_confirmed_device_signs_in_with_a_code(client, leader):
    device = add_device(leader)

    after_password = sign_in_with_password(client, leader, PASSWORD)
    page = client.get(SECOND_FACTOR)
    after_code = client.post(SECOND_FACTOR, {"token": code_for(device)})

    assert after_password.url == SECOND_FACTOR
    assert "<svg" not in page.content.decode()  # no enrolment for a confirmed device
    assert after_code.url == reverse("home:home")
    assert client.get(reverse("home:home")).status_code == 200
    assert not TOTPDevice.objects.filter(user=leader, confirmed=False).exists()


def test_administrator_must_also_pass_the_second_factor(client, admin_user):
    sign_in_with_password(client, admin_user, PASSWORD)

    assert client.get(reverse("accounts:user_list")).url == SECOND_FACTOR


def test_wrong_code_for_a_confirmed_device_is_refused(client, leader):
    device = add_device(leader)
    sign_in_with_password(client, leader, PASSWORD)

    response = client.post(SECOND_FACTOR, {"token": wrong_code_for(device)})

    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_code_cannot_be_used_twice(client, leader, time_machine):
    time_machine.move_to(MORNING, tick=False)
    device = add_device(leader)
    code = code_for(device)
    sign_in_with_password(client, leader, PASSWORD)
    client.post(SECOND_FACTOR, {"token": code})
    client.post(reverse("accounts:logout"))

    sign_in_with_password(client, leader, PASSWORD)
    replay = client.post(SECOND_FACTOR, {"token": code})

    assert replay.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_right_code_right_after_a_wrong_one_must_wait(client, leader, time_machine):
    time_machine.move_to(MORNING, tick=False)
    device = add_device(leader)
    sign_in_with_password(client, leader, PASSWORD)
    client.post(SECOND_FACTOR, {"token": wrong_code_for(device)})

    too_soon = client.post(SECOND_FACTOR, {"token": code_for(device)})
    time_machine.shift(dt.timedelta(seconds=2))
    later = client.post(SECOND_FACTOR, {"token": code_for(device)})

    assert "Nhập sai nhiều lần" in too_soon.content.decode()
    assert later.status_code == 302


def test_page_asked_for_before_signing_in_opens_after_the_second_factor(client, leader):
    device = add_device(leader)

    after_password = sign_in_with_password(client, leader, PASSWORD, next="/accounts/profile/")
    after_code = client.post(after_password.url, {"token": code_for(device)})

    assert after_password.url == f"{SECOND_FACTOR}?next=%2Faccounts%2Fprofile%2F"
    assert after_code.url == "/accounts/profile/"


def test_session_id_changes_when_the_second_factor_is_passed(client, leader):
    device = add_device(leader)
    sign_in_with_password(client, leader, PASSWORD)
    before = client.session.session_key

    client.post(SECOND_FACTOR, {"token": code_for(device)})

    assert client.session.session_key != before


def test_user_without_second_factor_opening_the_page_goes_home(client, lead_focal):
    client.force_login(lead_focal)

    response = client.get(SECOND_FACTOR)

    assert response.status_code == 302
    assert response.url == reverse("home:home")
    assert not TOTPDevice.objects.filter(user=lead_focal).exists()


def test_anonymous_visitor_of_the_second_factor_page_is_sent_to_login(client):
    response = client.get(SECOND_FACTOR)

    assert response.url.startswith(reverse("accounts:login"))
