"""Recording entries into the hash chain, and catching any later change to it."""

import datetime as dt
import decimal
import itertools

import pytest
from django.db import transaction

from dondoc.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from dondoc.audit.services import (
    AuditChainError,
    Problem,
    audit_record,
    audit_verify,
    diff,
    entry_hash,
)
from tests.audit.tampering import tamper


@pytest.fixture
def five_entries(admin_user, office_agency) -> list[AuditEntry]:
    return [
        audit_record(
            admin_user,
            "update",
            office_agency,
            {"name": [f"Tên {i}", f"Tên {i + 1}"]},
            agency_id=office_agency.pk,
        )
        for i in range(5)
    ]


def test_entries_are_numbered_from_one_and_each_links_to_the_one_before(five_entries):
    assert [e.seq for e in five_entries] == [1, 2, 3, 4, 5]
    assert five_entries[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(five_entries):
        assert after.prev_hash == before.hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (5, five_entries[-1].hash)


def test_entry_names_the_object_the_actor_and_the_agency(admin_user, office_agency):
    entry = audit_record(admin_user, "update", office_agency, {}, agency_id=office_agency.pk)
    entry = AuditEntry.objects.get(seq=entry.seq)
    assert entry.actor == admin_user
    assert entry.actor_label == "quantri"
    assert entry.object_type == "agencies.agency"
    assert entry.object_id == str(office_agency.pk)
    assert entry.object_repr == "Văn phòng Trung ương Đảng"
    assert entry.agency_id == office_agency.pk
    assert entry.at.tzinfo is not None


def test_system_job_records_without_actor_and_label_names_the_object_kind(db):
    entry = audit_record(None, "reminders.send", "tracking.reminder", {"sent": [0, 12]})
    assert entry.actor is None
    assert entry.actor_label == ""
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("tracking.reminder", "", "")


def test_hash_is_sha256_of_the_canonical_content(five_entries):
    entry = AuditEntry.objects.get(seq=3)
    assert len(entry.hash) == 64
    assert entry.hash == entry_hash(
        seq=3,
        at=entry.at,
        actor_label="quantri",
        action="update",
        object_type="agencies.agency",
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        changes={"name": ["Tên 2", "Tên 3"]},
        agency_id=entry.agency_id,
        prev_hash=entry.prev_hash,
    )


def test_chain_of_several_entries_verifies(five_entries):
    result = audit_verify()
    assert result.ok
    assert result.checked == 5
    assert result.first_bad_seq is None


def test_verification_walks_the_chain_in_small_batches(five_entries):
    assert audit_verify(batch_size=2).checked == 5


def test_empty_log_verifies(db):
    assert audit_verify().ok


def test_values_of_every_kind_survive_the_database_round_trip(admin_user, office_agency):
    changes = diff(
        {
            "deadline": dt.date(2026, 3, 31),
            "amount": decimal.Decimal("12.50"),
            "ratio": 0.1,
            "big": 1e16,
            "parent": None,
            "agencies": [],
            "meta": {"b": 1, "a": "ư"},
        },
        {
            "deadline": dt.date(2026, 4, 30),
            "amount": decimal.Decimal("13.00"),
            "ratio": 0.25,
            "big": 2e16,
            "parent": office_agency,
            "agencies": [office_agency],
            "meta": {"a": "ơ", "b": 2},
        },
    )
    audit_record(admin_user, "update", office_agency, changes)
    assert audit_verify().ok


def test_diff_keeps_changed_fields_only_as_json_strings(office_agency):
    changes = diff(
        {"name": "A", "deadline": dt.date(2026, 3, 31), "amount": decimal.Decimal("1.5")},
        {"name": "A", "deadline": dt.date(2026, 4, 1), "parent": office_agency},
    )
    assert changes == {
        "amount": ["1.5", None],
        "deadline": ["2026-03-31", "2026-04-01"],
        "parent": [None, f"Văn phòng Trung ương Đảng (#{office_agency.pk})"],
    }


def test_changes_must_be_before_after_pairs(admin_user, office_agency):
    with pytest.raises(ValueError, match="pair"):
        audit_record(admin_user, "update", office_agency, {"name": "B"})
    assert not AuditEntry.objects.exists()


def test_deletion_is_recorded_before_the_object_goes(admin_user, lead_agency):
    lead_agency.delete()
    with pytest.raises(ValueError, match="before calling delete"):
        audit_record(admin_user, "delete", lead_agency, {})


def test_rolled_back_change_leaves_no_entry_and_no_gap(admin_user, office_agency):
    def change_that_fails_after_its_entry_is_written():
        with transaction.atomic():
            audit_record(admin_user, "update", office_agency, {"name": ["A", "B"]})
            raise RuntimeError("the audited change fails")

    audit_record(admin_user, "update", office_agency, {})
    with pytest.raises(RuntimeError):
        change_that_fails_after_its_entry_is_written()
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == [1]
    assert AuditChainHead.objects.get().seq == 1
    assert audit_record(admin_user, "update", office_agency, {}).seq == 2
    assert audit_verify().ok


def test_entry_whose_changes_are_edited_in_the_database_is_caught_with_its_seq(five_entries):
    tamper(
        "UPDATE audit_auditentry SET changes = %s WHERE seq = 3",
        ['{"name": ["Tên 2", "Tên khác"]}'],
    )
    result = audit_verify()
    assert not result.ok
    assert result.first_bad_seq == 3
    assert result.problem is Problem.EDITED
    assert result.checked == 2
    assert "số 3" in result.reason


def test_deleted_entry_is_caught(five_entries):
    tamper("DELETE FROM audit_auditentry WHERE seq = 2")
    result = audit_verify()
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 2, Problem.MISSING)


def test_deleted_last_entries_are_caught_by_the_head(five_entries):
    tamper("DELETE FROM audit_auditentry WHERE seq >= 4")
    result = audit_verify()
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 4, Problem.MISSING)


def test_reordered_entries_are_caught(five_entries):
    tamper("UPDATE audit_auditentry SET seq = 1000 WHERE seq = 2")
    tamper("UPDATE audit_auditentry SET seq = 2 WHERE seq = 3")
    tamper("UPDATE audit_auditentry SET seq = 3 WHERE seq = 1000")
    result = audit_verify()
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 2, Problem.EDITED)


def test_edit_with_a_recomputed_hash_breaks_the_link_to_the_next_entry(five_entries):
    forged = five_entries[1]
    forged_hash = entry_hash(
        seq=2,
        at=forged.at,
        actor_label="someone.else",
        action=forged.action,
        object_type=forged.object_type,
        object_id=forged.object_id,
        object_repr=forged.object_repr,
        changes=forged.changes,
        agency_id=forged.agency_id,
        prev_hash=forged.prev_hash,
    )
    tamper(
        "UPDATE audit_auditentry SET actor_label = %s, hash = %s WHERE seq = 2",
        ["someone.else", forged_hash],
    )
    result = audit_verify()
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 3, Problem.BROKEN_LINK)


def test_head_that_does_not_match_the_last_entry_is_caught(five_entries):
    AuditChainHead.objects.update(hash="f" * 64)
    result = audit_verify()
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 5, Problem.HEAD_MISMATCH)


def test_entry_appended_behind_the_heads_back_is_caught(five_entries):
    AuditChainHead.objects.update(seq=4, hash=five_entries[3].hash)
    result = audit_verify()
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 5, Problem.HEAD_MISMATCH)


def test_missing_head_is_caught(five_entries):
    AuditChainHead.objects.all().delete()
    result = audit_verify()
    assert (result.ok, result.problem) == (False, Problem.HEAD_MISSING)


def test_missing_head_of_an_empty_log_is_recreated(admin_user, office_agency):
    AuditChainHead.objects.all().delete()  # what a test database flush does
    assert audit_record(admin_user, "update", office_agency, {}).seq == 1
    assert audit_verify().ok


def test_missing_head_of_a_non_empty_log_stops_recording(five_entries, admin_user, office_agency):
    AuditChainHead.objects.all().delete()
    with pytest.raises(AuditChainError):
        audit_record(admin_user, "update", office_agency, {})
