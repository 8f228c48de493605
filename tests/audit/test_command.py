"""`dondoc audit verify` reports in Vietnamese and exits 1 on a broken chain."""

import pytest
from django.core.management import CommandError, call_command

from dondoc.audit.services import audit_record
from tests.audit.tampering import tamper


@pytest.fixture
def three_entries(admin_user, office_agency) -> None:
    for action in ("create", "update", "merge"):
        audit_record(admin_user, action, office_agency, {"name": ["A", action]})


def test_intact_chain_is_reported_with_its_length(three_entries, capsys):
    call_command("audit", "verify")
    assert "Chuỗi nhật ký toàn vẹn: 3 bản ghi" in capsys.readouterr().out


def test_broken_chain_names_the_first_bad_entry_and_exits_1(three_entries):
    tamper("UPDATE audit_auditentry SET object_repr = 'khác' WHERE seq = 2")
    with pytest.raises(CommandError) as broken:
        call_command("audit", "verify", "--batch-size", "1")
    assert broken.value.returncode == 1
    message = str(broken.value)
    assert message.startswith("Chuỗi nhật ký bị phá vỡ: nội dung bản ghi số 2")
    assert "đã bị sửa" in message
    assert "(1 bản ghi đầu hợp lệ; bản ghi hỏng đầu tiên: số 2)" in message
