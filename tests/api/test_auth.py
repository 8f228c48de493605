"""Bearer tokens: the only way in. A session cookie is not enough."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.utils import timezone

from dondoc.api.models import ApiToken
from dondoc.api.services import token_authenticate, token_create, token_revoke
from tests.api.conftest import ApiClient


def assert_unauthenticated(response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "Bearer" in body["message"]


def test_missing_token_is_refused(anonymous, task):
    assert_unauthenticated(anonymous.get("tasks"))
    assert_unauthenticated(anonymous.get(f"tasks/{task.pk}"))
    assert_unauthenticated(anonymous.post("tasks", {"title": "x", "lead": "BTCTW"}))


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Token abc", "Bearer", "Bearer dondoc_00000000_wrong", "Bearer x" * 50],
)
def test_malformed_or_unknown_token_is_refused(header, office_user):
    client = ApiClient()
    client.headers = {"Authorization": header}
    assert_unauthenticated(client.get("tasks"))


def test_revoked_token_is_refused(office_user):
    token, secret = token_create(office_user, name="ci")
    client = ApiClient(secret)
    assert client.get("tasks").status_code == 200
    token_revoke(token)
    assert_unauthenticated(client.get("tasks"))


def test_expired_token_is_refused(office_user):
    now = timezone.now()
    _token, secret = token_create(office_user, expires_at=now + dt.timedelta(days=1))
    client = ApiClient(secret)
    assert client.get("tasks").status_code == 200
    with time_machine.travel(now + dt.timedelta(days=1, seconds=1), tick=False):
        assert_unauthenticated(client.get("tasks"))


def test_inactive_user_is_refused(office_user):
    _token, secret = token_create(office_user)
    office_user.is_active = False
    office_user.save()
    assert_unauthenticated(ApiClient(secret).get("tasks"))


def test_a_signed_in_session_is_not_accepted(client, office_user):
    client.force_login(office_user)
    assert_unauthenticated(client.get("/api/v1/tasks", HTTP_HOST="testserver"))


def test_the_token_speaks_for_its_user_whatever_session_comes_along(
    client, office_user, lead_focal, task, other_agency
):
    client.force_login(office_user)  # an office session cookie…
    _token, secret = token_create(lead_focal)  # …and a focal point's token
    response = client.patch(
        f"/api/v1/tasks/{task.pk}",
        '{"version": 1, "title": "Không được sửa"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 403


def test_writes_need_no_csrf_token(api, office_user, lead_agency):
    client = api(office_user)  # enforce_csrf_checks=True
    response = client.post(
        "tasks", {"title": "Nhiệm vụ mới", "lead": "BTCTW", "deadline_kind": "ongoing"}
    )
    assert response.status_code == 201


def test_only_a_hash_of_the_secret_is_stored(office_user):
    token, secret = token_create(office_user, name="báo cáo")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret.startswith(f"dondoc_{token.prefix}_")
    assert stored["key_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in str(value) for value in stored.values())
    assert secret not in str(token)


def test_last_use_is_written_at_most_once_a_minute(office_user, django_assert_num_queries):
    token, secret = token_create(office_user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert token_authenticate(secret) == office_user
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + dt.timedelta(seconds=59)
    with time_machine.travel(later, tick=False), django_assert_num_queries(1):  # lookup, no write
        token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at == start + dt.timedelta(seconds=61)


def test_tokens_cannot_be_issued_to_inactive_users(office_user):
    from django.core.exceptions import ValidationError

    office_user.is_active = False
    office_user.save()
    with pytest.raises(ValidationError) as error:
        token_create(office_user)
    assert error.value.code == "user_inactive"
