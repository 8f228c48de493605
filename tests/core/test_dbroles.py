"""`dondoc db roles`: on PostgreSQL the application serves with a role that cannot change or
remove audit entries, nor run DDL (lift the append-only triggers, drop a table) — and the
application still works under it (issue #11, item 4: the two roles of docs/operations.md).

The test creates the role inside the test's transaction (CREATE ROLE and GRANT are
transactional in PostgreSQL) under a name of its own, switches the connection to it with
SET ROLE, and rolls everything back at the end.
"""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from dondoc.agencies.services import AgencyFields, agency_update
from dondoc.audit.models import AuditEntry
from dondoc.audit.services import audit_record, audit_verify
from tests.audit.conftest import signed_in_client


def _vendor() -> str:
    return connection.vendor


@pytest.fixture
def app_role(db, capsys) -> str:
    if _vendor() != "postgresql":
        pytest.skip("roles and privileges are PostgreSQL's; SQLite has none (see the test below)")
    name = f"dondoc_app_test_{uuid.uuid4().hex[:8]}"
    call_command("db", "roles", "--app-role", name)
    assert f"Vai trò ứng dụng {name} (mới tạo)" in capsys.readouterr().out
    return name  # SET ROLE below ends with the test's transaction, rolled back


def _as(role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')


def _refused(statement: str) -> str:
    with (
        pytest.raises(DatabaseError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    return str(refused.value)


def test_the_app_role_cannot_change_or_remove_audit_entries_or_run_ddl(
    app_role, admin_user, office_agency
):
    audit_record(admin_user, "update", office_agency, {"name": ["A", "B"]})
    _as(app_role)
    assert "permission denied" in _refused("UPDATE audit_auditentry SET object_repr = 'x'")
    assert "permission denied" in _refused("DELETE FROM audit_auditentry")
    assert "permission denied" in _refused("TRUNCATE audit_auditentry")
    assert "must be owner" in _refused("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
    assert "must be owner" in _refused("DROP TRIGGER audit_entry_append_only ON audit_auditentry")
    assert "must be owner" in _refused("DROP TABLE audit_auditchainhead")
    assert "permission denied" in _refused("CREATE TABLE intruder (id int)")
    assert "permission denied" in _refused("CREATE SCHEMA intruder")


def test_the_app_works_under_the_app_role(app_role, admin_user, office_user, office_agency):
    _as(app_role)
    fields = AgencyFields(code="VPTW", name="Văn phòng Trung ương", kind=office_agency.kind)
    agency_update(admin_user, office_agency, fields)  # a write, audited: insert + head moved
    audit_record(admin_user, "update", office_agency, {"name": ["B", "C"]})
    web: Client = signed_in_client(office_user)
    assert web.get("/").status_code == 200
    assert web.get("/healthz").json()["database"]["status"] == "ok"
    assert AuditEntry.objects.count() == 2
    assert audit_verify().ok
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role  # it all ran as the app role


def test_roles_are_refused_on_sqlite(db):
    if _vendor() == "postgresql":
        pytest.skip("SQLite only: PostgreSQL is checked above")
    with pytest.raises(CommandError, match="chỉ áp dụng cho PostgreSQL"):
        call_command("db", "roles")
