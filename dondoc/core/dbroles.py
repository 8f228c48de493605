"""The two PostgreSQL roles (docs/operations.md): the owner, which runs migrations, and the
application role, which serves.

`db_roles_grant` runs as the owner (the role that owns the tables, or a superuser) and gives the
application role exactly what serving needs: read and write on every table but the audit log,
only SELECT and INSERT on the audit log, the sequences, and nothing else. It owns nothing and has
no CREATE on the schema or the database, so it cannot create, alter or drop a table, nor disable
or drop the audit log's append-only triggers (only an owner may): an intruder in the application
cannot rewrite history. Default privileges give the same grants on tables that later migrations
create; run the command again after `migrate` anyway, it is idempotent.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _
from psycopg import sql

AUDIT_TABLE = "audit_auditentry"  # the append-only table (dondoc.audit, migration 0003)
DEFAULT_APP_ROLE = "dondoc_app"


class RolesRefused(Exception):  # noqa: N818 - reads as the sentence it is
    """The roles cannot be set up here; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Roles:
    owner: str
    app: str
    created: bool
    tables: int


def _text(query: sql.Composable) -> str:
    return query.as_string(connection.connection)


def _one(query: str, params: list[str] | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    return row[0] if row else None


def db_roles_grant(app_role: str = DEFAULT_APP_ROLE, password: str | None = None) -> Roles:
    """Create the application role if it is missing (with `password`, able to log in) and grant
    it what serving needs; return the owner's name, the role's and how many tables it reaches."""
    if connection.vendor != "postgresql":
        raise RolesRefused(_("chỉ áp dụng cho PostgreSQL (SQLite không có vai trò)"))
    owner = _one("SELECT tableowner FROM pg_tables WHERE tablename = %s", [AUDIT_TABLE])
    if owner is None:
        raise RolesRefused(_("chưa có bảng nhật ký: chạy `dondoc migrate` trước"))
    if owner == app_role:
        raise RolesRefused(_("vai trò ứng dụng không được là chủ sở hữu các bảng"))
    role, owner_id = sql.Identifier(app_role), sql.Identifier(str(owner))
    database = sql.Identifier(str(_one("SELECT current_database()")))
    with transaction.atomic(), connection.cursor() as cursor:
        created = not _one("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role])
        if created:
            cursor.execute(_text(sql.SQL("CREATE ROLE {} LOGIN").format(role)))
        if password:
            query = sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(password))
            cursor.execute(_text(query))
        statements = [
            # nothing created by the application: no schema, no table, no trigger
            "REVOKE CREATE ON DATABASE {db} FROM PUBLIC, {role}",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC, {role}",
            "GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {role}",
            "GRANT USAGE ON SCHEMA public TO {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            # the audit log: read and append, never change or remove
            "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM PUBLIC, {role}",
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            "GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        ]
        for statement in statements:
            query = sql.SQL(statement).format(
                db=database, role=role, owner=owner_id, audit=sql.Identifier(AUDIT_TABLE)
            )
            cursor.execute(_text(query))
        tables = _one(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
            "AND has_table_privilege(%s, c.oid, 'SELECT')",
            [app_role],
        )
    return Roles(str(owner), app_role, created, int(str(tables)))
