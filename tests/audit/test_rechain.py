"""`dondoc audit rechain`: a log written before the chain was keyed is keyed once, the log says
who did it and how many entries it covered, and tampering afterwards is still caught (#11)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from dondoc.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from dondoc.audit.rechain import RECHAIN_ACTION
from dondoc.audit.services import (
    HASHED_FIELDS,
    Problem,
    audit_anchor,
    audit_record,
    audit_verify,
    legacy_entry_hash,
)
from tests.audit.tampering import audit_triggers, tamper


def _write(actor, agency, count: int) -> None:
    for number in range(count):
        audit_record(actor, "update", agency, {"name": ["A", f"B{number}"]})


def _make_legacy() -> None:
    """Turn the whole log into what a deployment wrote before the key: plain sha256 links."""
    prev_hash = GENESIS_HASH
    for row in AuditEntry.objects.order_by("seq").values(*HASHED_FIELDS):
        row["prev_hash"] = prev_hash
        prev_hash = legacy_entry_hash(**row)
        tamper(
            "UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE seq = %s",
            [row["prev_hash"], prev_hash, row["seq"]],
        )
    tamper("UPDATE audit_auditchainhead SET hash = %s", [prev_hash])


@pytest.fixture
def legacy_log(admin_user, office_agency) -> None:
    _write(admin_user, office_agency, 4)
    _make_legacy()


def test_a_legacy_log_fails_verify_from_entry_1_until_rechained(legacy_log, admin_user, capsys):
    result = audit_verify()
    assert (result.ok, result.problem, result.first_bad_seq) == (False, Problem.EDITED, 1)

    call_command("audit", "rechain", "--by", admin_user.username, "--yes")

    out = capsys.readouterr().out
    assert "Đã nối lại chuỗi nhật ký: 4 bản ghi (4 chưa có khóa)" in out
    assert "ghi nhận ở bản ghi số 5" in out
    result = audit_verify()
    assert (result.ok, result.checked) == (True, 5)
    record = AuditEntry.objects.get(seq=5)
    assert record.action == RECHAIN_ACTION
    assert record.actor == admin_user
    assert record.changes["operator"] == [None, admin_user.username]
    assert record.changes["entries"] == [None, 4]
    assert record.changes["legacy_entries"] == [None, 4]
    # the contents are untouched, only the links are keyed
    assert list(AuditEntry.objects.order_by("seq").values_list("changes", flat=True))[:4] == [
        {"name": ["A", f"B{number}"]} for number in range(4)
    ]


def test_a_log_keyed_after_a_legacy_prefix_is_rechained_whole(
    legacy_log, admin_user, office_agency, settings
):
    _write(admin_user, office_agency, 3)  # the upgrade kept writing, keyed, on the old head
    audit_anchor()
    assert audit_verify().first_bad_seq == 1

    call_command("audit", "rechain", "--by", "ops", "--yes")

    result = audit_verify()
    assert (result.ok, result.checked) == (True, 8)
    record = AuditEntry.objects.get(seq=8)
    assert record.actor is None
    assert record.changes["operator"] == [None, "ops"]
    assert record.changes["entries"] == [None, 7]
    assert record.changes["legacy_entries"] == [None, 4]
    anchors = settings.AUDIT_ANCHOR_FILE.read_text(encoding="utf-8").splitlines()
    assert len(anchors) == 2
    assert '"seq":8' in anchors[-1]  # a new anchor at the record


def test_tampering_after_the_rechain_is_still_caught(legacy_log):
    call_command("audit", "rechain", "--yes")
    tamper("UPDATE audit_auditentry SET object_repr = 'khác' WHERE seq = 2")
    result = audit_verify()
    assert (result.ok, result.problem, result.first_bad_seq) == (False, Problem.EDITED, 2)


def test_a_tail_cut_after_the_rechain_is_caught_by_its_anchor(legacy_log):
    call_command("audit", "rechain", "--yes")
    last = AuditEntry.objects.get(seq=3)
    tamper("DELETE FROM audit_auditentry WHERE seq > 3")
    tamper("UPDATE audit_auditchainhead SET seq = 3, hash = %s", [last.hash])
    result = audit_verify()
    assert (result.ok, result.problem) == (False, Problem.ANCHOR_MISMATCH)


def test_rechain_runs_once(legacy_log):
    call_command("audit", "rechain", "--yes")
    with pytest.raises(CommandError, match="đã được khóa bằng khóa bí mật") as refused:
        call_command("audit", "rechain", "--yes")
    assert refused.value.returncode == 1
    assert AuditEntry.objects.filter(action=RECHAIN_ACTION).count() == 1


def test_without_yes_it_only_reports_what_it_would_do(legacy_log, capsys):
    before = list(AuditEntry.objects.values_list("seq", "hash"))
    call_command("audit", "rechain")
    assert "4 bản ghi chưa có khóa, 0 bản ghi có khóa" in capsys.readouterr().out
    assert list(AuditEntry.objects.values_list("seq", "hash")) == before


def test_an_edited_legacy_entry_is_refused_and_nothing_changes(legacy_log):
    tamper("UPDATE audit_auditentry SET object_repr = 'khác' WHERE seq = 3")
    before = list(AuditEntry.objects.values_list("seq", "hash"))
    with pytest.raises(CommandError, match="bản ghi số 3 không khớp mã băm"):
        call_command("audit", "rechain", "--yes")
    assert list(AuditEntry.objects.values_list("seq", "hash")) == before
    assert not AuditEntry.objects.filter(action=RECHAIN_ACTION).exists()


def test_a_keyed_log_rewritten_with_plain_hashes_is_not_laundered(admin_user, office_agency):
    """An intruder without the key rewrites an anchored log as a 'legacy' one to have it keyed
    by the next re-chain: the anchor's entry no longer matches, so the re-chain refuses."""
    _write(admin_user, office_agency, 4)
    audit_anchor()
    tamper("UPDATE audit_auditentry SET object_repr = 'giả mạo' WHERE seq = 2")
    _make_legacy()
    with pytest.raises(CommandError, match="không khớp mốc neo"):
        call_command("audit", "rechain", "--yes")
    assert AuditChainHead.objects.get().seq == 4


def test_the_append_only_triggers_are_back_after_the_rechain(legacy_log):
    before = audit_triggers()
    call_command("audit", "rechain", "--yes")
    assert audit_triggers() == before
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET object_repr = 'x' WHERE seq = 1")
