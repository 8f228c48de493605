"""Entries can be added, never changed or removed: by the ORM, nor by raw SQL (triggers)."""

import pytest
from django.db import IntegrityError, connection, transaction

from dondoc.audit.models import AuditEntry, AuditLogIsAppendOnly
from dondoc.audit.services import audit_record
from tests.audit.tampering import audit_triggers


@pytest.fixture
def entry(admin_user, office_agency) -> AuditEntry:
    return audit_record(admin_user, "update", office_agency, {"name": ["A", "B"]})


def test_saving_an_existing_entry_is_refused(entry):
    entry.action = "delete"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    stored = AuditEntry.objects.get(seq=entry.seq)
    with pytest.raises(AuditLogIsAppendOnly):
        stored.save()


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()


def test_queryset_update_and_delete_are_refused(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(seq=entry.seq).update(action="delete")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.get(seq=entry.seq).action == "update"


def test_entries_bypassing_the_chain_are_refused(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.bulk_create([AuditEntry(seq=2)])


def test_append_only_triggers_are_installed(db):
    expected = {
        "postgresql": {"audit_entry_append_only"},
        "sqlite": {"audit_entry_no_update", "audit_entry_no_delete"},
    }[connection.vendor]
    assert set(audit_triggers()) == expected


def raw(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_trigger_refuses_raw_update(entry):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("UPDATE audit_auditentry SET action = 'delete'")
    assert AuditEntry.objects.get(seq=entry.seq).action == "update"


def test_trigger_refuses_raw_delete(entry):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(seq=entry.seq).exists()
