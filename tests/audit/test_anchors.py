"""A keyed chain and anchors outside the database catch an edit, a deletion and a cut tail,
even when the intruder rewrites the hashes and moves the head back (issue #11, item 4)."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command

from dondoc.audit.models import AuditEntry
from dondoc.audit.services import (
    HASHED_FIELDS,
    Problem,
    audit_anchor,
    audit_record,
    audit_verify,
    canonical_json,
)
from dondoc.audit.tasks import audit_anchor_task
from tests.audit.tampering import tamper


@pytest.fixture
def five_anchored(admin_user, office_agency) -> None:
    for number in range(5):
        audit_record(admin_user, "update", office_agency, {"name": ["A", f"B{number}"]})
    audit_anchor()


def _unkeyed_hash(row: dict) -> str:
    """What an intruder without the key computes: the plain sha256 the chain used before."""
    content = {name: row[name] for name in HASHED_FIELDS}
    content["at"] = row["at"].isoformat(timespec="microseconds")
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def _cut_tail_and_move_head_back(keep: int) -> None:
    last = AuditEntry.objects.get(seq=keep)
    tamper("DELETE FROM audit_auditentry WHERE seq > %s", [keep])
    tamper("UPDATE audit_auditchainhead SET seq = %s, hash = %s", [keep, last.hash])


def test_anchor_is_written_outside_the_database_with_the_head(five_anchored, settings):
    lines = settings.AUDIT_ANCHOR_FILE.read_text(encoding="utf-8").splitlines()
    anchor = json.loads(lines[-1])
    assert anchor["seq"] == 5
    assert anchor["hash"] == AuditEntry.objects.get(seq=5).hash
    assert audit_verify().ok


def test_edited_entry_with_a_recomputed_unkeyed_hash_is_caught(five_anchored):
    row = AuditEntry.objects.filter(seq=3).values(*HASHED_FIELDS).get()
    row["object_repr"] = "giả mạo"
    tamper(
        "UPDATE audit_auditentry SET object_repr = %s, hash = %s WHERE seq = 3",
        ["giả mạo", _unkeyed_hash(row)],
    )
    result = audit_verify()
    assert (result.ok, result.problem, result.first_bad_seq) == (False, Problem.EDITED, 3)


def test_deleted_entry_is_caught(five_anchored):
    tamper("DELETE FROM audit_auditentry WHERE seq = 2")
    result = audit_verify()
    assert (result.ok, result.problem, result.first_bad_seq) == (False, Problem.MISSING, 2)


def test_cut_tail_with_the_head_moved_back_is_caught_by_the_anchor(five_anchored):
    _cut_tail_and_move_head_back(keep=3)
    result = audit_verify()
    assert (result.ok, result.problem, result.first_bad_seq) == (False, Problem.ANCHOR_MISMATCH, 4)
    assert "các bản ghi từ số 4 đã bị xóa" in result.reason
    with pytest.raises(CommandError, match="bản ghi hỏng đầu tiên: số 4"):
        call_command("audit", "verify")


def test_tail_replaced_after_the_anchor_is_caught(five_anchored, admin_user, office_agency):
    _cut_tail_and_move_head_back(keep=3)
    # The intruder appends two new entries of their own: the log is as long as the anchor says.
    audit_record(admin_user, "update", office_agency, {"name": ["A", "X"]})
    audit_record(admin_user, "update", office_agency, {"name": ["A", "Y"]})
    result = audit_verify()
    assert (result.problem, result.first_bad_seq) == (Problem.ANCHOR_MISMATCH, 5)


def test_forged_anchor_line_is_refused(five_anchored, settings):
    with settings.AUDIT_ANCHOR_FILE.open("a", encoding="utf-8") as anchors:
        anchors.write(json.dumps({"seq": 2, "hash": "0" * 64, "at": "x", "mac": "f" * 64}) + "\n")
    assert audit_verify().problem == Problem.ANCHOR_FORGED


def test_entries_after_the_anchor_keep_the_chain_valid(five_anchored, admin_user, office_agency):
    audit_record(admin_user, "update", office_agency, {"name": ["A", "later"]})
    assert audit_verify().ok


def test_anchor_command_and_hourly_job_append_an_anchor(five_anchored, settings, capsys):
    call_command("audit", "anchor")
    assert "Đã ghi mốc neo: bản ghi số 5" in capsys.readouterr().out
    assert audit_anchor_task.apply().get() == 5
    assert len(settings.AUDIT_ANCHOR_FILE.read_text(encoding="utf-8").splitlines()) == 3
    assert "audit-anchor-hourly" in settings.CELERY_BEAT_SCHEDULE


def test_a_different_key_breaks_the_chain(five_anchored, settings):
    settings.AUDIT_KEY = "another key"
    assert audit_verify().problem == Problem.ANCHOR_FORGED
    settings.AUDIT_ANCHOR_FILE.unlink()
    assert audit_verify().problem == Problem.EDITED
