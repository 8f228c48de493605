"""One-step account erasure (Decree 13/2023, Art. 16): `dondoc accounts erase USERNAME --by
ADMIN` deactivates the account and replaces its personal fields by a pseudonym; the audit chain
stays whole (nothing rewritten) and records the erasure, never the erased values."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.accounts.models import RoleCode, User
from dondoc.audit.models import AuditEntry
from dondoc.audit.services import audit_record, audit_verify
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving(office_agency) -> User:
    user = make_user("nguyenvana", office_agency, RoleCode.FOCAL)
    user.full_name, user.email, user.position = "Nguyễn Văn A", "a@vptw.vn", "Chuyên viên"
    user.save()
    TOTPDevice.objects.create(user=user, name="app")
    AccessAttempt.objects.create(
        username="nguyenvana", ip_address="10.0.0.1", failures_since_start=1
    )
    audit_record(user, "update", office_agency, {"name": ["A", "B"]})  # something they did
    return user


def test_erase_pseudonymizes_deactivates_and_audits_keeping_the_chain(leaving, admin_user, capsys):
    call_command("accounts", "erase", "nguyenvana", "--by", admin_user.username)

    leaving.refresh_from_db()
    pk = leaving.pk
    assert (leaving.username, leaving.full_name) == (f"da-xoa-{pk}", f"Người dùng {pk} (đã xóa)")
    assert (leaving.email, leaving.position, leaving.is_active) == ("", "", False)
    assert not leaving.has_usable_password()
    assert not TOTPDevice.objects.filter(user=leaving).exists()
    assert not AccessAttempt.objects.filter(username="nguyenvana").exists()
    request = RequestFactory().post("/dang-nhap/")
    assert authenticate(request, username="nguyenvana", password=PASSWORD) is None
    assert f"da-xoa-{pk}" in capsys.readouterr().out

    entry = AuditEntry.objects.get(action="user.erase")
    assert entry.actor_id == admin_user.pk
    assert sorted(entry.changes) == sorted(
        ["username", "full_name", "email", "position", "is_active", "password", "second_factor"]
    )
    assert "Nguyễn Văn A" not in str(entry.changes)
    assert "a@vptw.vn" not in str(entry.changes)
    # what they did stays theirs, by id; the chain is not rewritten and still verifies
    earlier = AuditEntry.objects.get(action="update")
    assert (earlier.actor_id, earlier.actor_label) == (pk, "nguyenvana")
    assert audit_verify().ok


def test_a_second_erasure_changes_and_records_nothing(leaving, admin_user, capsys):
    call_command("accounts", "erase", "nguyenvana", "--by", admin_user.username)
    call_command("accounts", "erase", f"da-xoa-{leaving.pk}", "--by", admin_user.username)
    assert "đã được xóa dữ liệu trước đó" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="user.erase").count() == 1


def test_erase_is_refused_without_an_administrator_or_for_the_last_one(
    leaving, admin_user, office_user
):
    with pytest.raises(CommandError, match="không phải quản trị hệ thống"):
        call_command("accounts", "erase", "nguyenvana", "--by", office_user.username)
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("accounts", "erase", "khongco", "--by", admin_user.username)
    with pytest.raises(CommandError, match="ít nhất một quản trị"):
        call_command("accounts", "erase", admin_user.username, "--by", admin_user.username)
    leaving.refresh_from_db()
    admin_user.refresh_from_db()
    assert leaving.is_active
    assert admin_user.is_active
    assert not AuditEntry.objects.filter(action="user.erase").exists()
