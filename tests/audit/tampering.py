"""Editing the audit table behind Django's back, as an intruder with database access would.

The append-only triggers refuse that, so `tamper` lifts them for one statement and puts them
back at once: on PostgreSQL with ALTER TABLE ... DISABLE/ENABLE TRIGGER USER, on SQLite by
dropping the triggers and re-creating them from the SQL that sqlite_master kept. Both are DDL
inside the test's transaction, so even a failing test leaves the triggers in place when the
transaction rolls back.
"""

from typing import Any

from django.db import connection

TABLE = "audit_auditentry"


def audit_triggers() -> dict[str, str]:
    """Trigger name -> definition, for the triggers on the audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgenabled <> 'D'",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
        return dict(cursor.fetchall())


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Run one raw statement on the audit table with its append-only triggers lifted."""
    triggers = audit_triggers()
    assert triggers, "the append-only triggers should be installed"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while deferred foreign-key checks are pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for name in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(sql, params)
            for definition in triggers.values():
                cursor.execute(definition)
