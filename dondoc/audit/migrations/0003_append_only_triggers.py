"""Database triggers that refuse UPDATE and DELETE on audit entries, whoever sends them.

PostgreSQL raises SQLSTATE 23001 (restrict_violation), SQLite RAISE(ABORT): Django reports
both as IntegrityError. TRUNCATE is not blocked, so that a test database can be flushed; a
truncated log still fails `dondoc audit verify`, since the head remembers how long it was.

On SQLite, a later migration that rebuilds audit_auditentry (most column changes do) drops
these triggers with the old table: such a migration must run INSTALL["sqlite"] again.
tests/audit/test_append_only.py checks that the triggers exist.
"""

from django.db import migrations

INSTALL = {
    "postgresql": [
        """
        CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING
                MESSAGE = 'audit log is append-only: ' || TG_OP || ' refused',
                ERRCODE = 'restrict_violation';
        END;
        $$
        """,
        """
        CREATE TRIGGER audit_entry_append_only
        BEFORE UPDATE OR DELETE ON audit_auditentry
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
        """,
    ],
    "sqlite": [
        """
        CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_auditentry
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused'); END
        """,
        """
        CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_auditentry
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only: DELETE refused'); END
        """,
    ],
}

UNINSTALL = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
        "DROP FUNCTION IF EXISTS audit_entry_append_only()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_entry_no_update",
        "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    ],
}


def install(apps, schema_editor):
    for sql in INSTALL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, None)


def uninstall(apps, schema_editor):
    for sql in UNINSTALL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head")]
    operations = [migrations.RunPython(install, uninstall)]
