"""`dondoc token create|list|revoke`."""

import io

import pytest
from django.core.management import CommandError, call_command

from dondoc.api.models import ApiToken
from dondoc.audit.models import AuditEntry
from tests.api.conftest import ApiClient


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_a_working_secret_once_and_stores_only_its_hash(leader):
    output = run("create", leader.username, "--name", "Bảng điều khiển")
    secret = output.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.user == leader
    assert token.name == "Bảng điều khiển"
    assert secret.startswith(f"dondoc_{token.prefix}_")
    assert token.key_hash != secret
    assert secret not in token.key_hash
    # a leader, who signs in to the pages with a second factor, uses the token directly
    assert ApiClient(secret).get("stats/overview").status_code == 200
    assert AuditEntry.objects.filter(action="api_token_create").count() == 1


def test_create_with_expiry(office_user):
    run("create", office_user.username, "--expires-in-days", "30")
    token = ApiToken.objects.get()
    assert token.expires_at is not None
    assert 29 <= (token.expires_at - token.created_at).days <= 30


@pytest.mark.parametrize(
    "args",
    [
        ("create", "khongco"),
        ("create", "chuyenvien", "--expires-in-days", "0"),
        ("revoke", "ffffffff"),
        ("revoke", "999999"),
        ("list", "khongco"),
    ],
)
def test_bad_arguments_are_refused(office_user, args):
    with pytest.raises(CommandError):
        run(*args)


def test_create_for_an_inactive_user_is_refused(office_user):
    office_user.is_active = False
    office_user.save()
    with pytest.raises(CommandError, match="khóa"):
        run("create", office_user.username)


def test_list_shows_prefixes_never_secrets(office_user, lead_focal):
    office_secret = run("create", office_user.username, "--name", "Văn phòng").splitlines()[-1]
    run("create", lead_focal.username, "--name", "Ban Tổ chức")
    everything = run("list")
    assert office_secret not in everything
    for token in ApiToken.objects.all():
        assert token.prefix in everything
    only_office = run("list", office_user.username)
    assert "Văn phòng" in only_office
    assert "Ban Tổ chức" not in only_office
    assert "hiệu lực" in only_office


@pytest.mark.parametrize("by", ["prefix", "id", "secret"])
def test_revoke_by_prefix_id_or_whole_token(office_user, by):
    secret = run("create", office_user.username).splitlines()[-1]
    token = ApiToken.objects.get()
    reference = {"prefix": token.prefix, "id": str(token.pk), "secret": secret}[by]
    assert "Đã thu hồi" in run("revoke", reference)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(secret).get("tasks").status_code == 401
    assert "đã thu hồi" in run("list")
    with pytest.raises(CommandError, match="trước đó"):
        run("revoke", token.prefix)
    assert AuditEntry.objects.filter(action="api_token_revoke").count() == 1
