"""Brute force: django-axes locks a username tried from one address; a per-address limit
(core/ratelimits.py, 30 failures per 15 minutes) stops password spraying and token guessing."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from dondoc.api.services import token_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "khong-phai-mat-khau"
OFFICE_ADDRESS = "10.1.1.10"
ATTACKER = "203.0.113.66"
MORNING = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def sign_in(client: Client, username: str, password: str, address: str):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def api_get(token: str, address: str):
    return Client().get(
        "/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}, REMOTE_ADDR=address
    )


def test_failures_from_another_address_do_not_lock_the_user_out_of_their_own(admin_user):
    for _ in range(6):
        sign_in(Client(), admin_user.username, WRONG, ATTACKER)

    locked = sign_in(Client(), admin_user.username, PASSWORD, ATTACKER)
    own = sign_in(Client(), admin_user.username, PASSWORD, OFFICE_ADDRESS)

    assert locked.status_code == 429
    assert own.status_code == 302


def test_spraying_many_usernames_from_one_address_is_refused_after_thirty_failures(
    lead_focal, other_focal
):
    for number in range(30):
        response = sign_in(Client(), f"nguoidung{number}", WRONG, ATTACKER)
        assert response.status_code == 200, number

    refused = sign_in(Client(), lead_focal.username, PASSWORD, ATTACKER)
    elsewhere = sign_in(Client(), other_focal.username, PASSWORD, OFFICE_ADDRESS)

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "quá nhiều lần đăng nhập sai" in html
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    assert elsewhere.status_code == 302


def test_the_address_may_try_again_after_fifteen_minutes(lead_focal, time_machine):
    time_machine.move_to(MORNING, tick=False)
    for number in range(30):
        sign_in(Client(), f"nguoidung{number}", WRONG, ATTACKER)
    assert sign_in(Client(), lead_focal.username, PASSWORD, ATTACKER).status_code == 429

    time_machine.shift(dt.timedelta(minutes=15, seconds=5))

    assert sign_in(Client(), lead_focal.username, PASSWORD, ATTACKER).status_code == 302


def test_guessing_api_tokens_is_refused_with_a_json_429_even_for_a_real_token(lead_focal):
    _token, secret = token_create(lead_focal, name="tests")
    for number in range(30):
        assert api_get(f"dd_guess{number}", ATTACKER).status_code == 401

    refused = api_get(secret, ATTACKER)
    elsewhere = api_get(secret, OFFICE_ADDRESS)

    assert refused.status_code == 429
    body = json.loads(refused.content)
    assert body["code"] == "throttled"
    assert "thử lại" in body["message"]
    assert elsewhere.status_code == 200


def test_wrong_passwords_and_wrong_tokens_share_one_count_per_address(lead_focal):
    _token, secret = token_create(lead_focal, name="tests")
    for number in range(15):
        sign_in(Client(), f"nguoidung{number}", WRONG, ATTACKER)
        api_get(f"dd_guess{number}", ATTACKER)

    assert api_get(secret, ATTACKER).status_code == 429
    assert sign_in(Client(), lead_focal.username, PASSWORD, ATTACKER).status_code == 429
