"""Signing in while Redis is down (issue #11): the failed sign-ins per address live in the
"shared" cache, here a real Redis client pointed at a closed port. Sign-in and the API keep
working (the address count is skipped), and the outage is logged once, not on every request."""

import logging
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from dondoc.api.services import token_create
from tests.api.conftest import ApiClient
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    settings.LOGIN_ADDRESS_RATE = "2/1d"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
    }


def test_sign_in_and_the_api_work_while_redis_is_down_and_the_outage_is_logged_once(
    redis_down, lead_focal, caplog
):
    client = Client()
    login = reverse("accounts:login")
    _token, secret = token_create(lead_focal)
    with caplog.at_level(logging.WARNING):
        wrong = [client.post(login, {"username": f"ai-do-{n}", "password": "sai"}).status_code
                 for n in range(4)]  # fmt: skip
        bad_token = ApiClient("khong-phai-ma").get("tasks").status_code
        good_token = ApiClient(secret).get("tasks").status_code
        right = client.post(login, {"username": lead_focal.username, "password": PASSWORD})

    assert wrong == [200, 200, 200, 200]  # the form again: past the limit of 2, not counted
    assert (bad_token, good_token) == (401, 200)
    assert right.status_code == 302
    outage = [r.getMessage() for r in caplog.records if r.name == "dondoc.core.sharedcache"]
    assert len(outage) == 1
    assert "unreachable" in outage[0]
