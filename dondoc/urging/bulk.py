"""The sweep's writes by the chunk, in plain SQL that PostgreSQL and SQLite (3.35 and later)
both run: one compare-and-set `UPDATE … FROM (VALUES …) RETURNING` claims a chunk's schedules,
one `INSERT … ON CONFLICT DO NOTHING RETURNING` writes its notifications, one `INSERT` its
e-mails; the refresh inserts new schedules the same way (`schedules_insert`). No model object is built per row; the statements' size is bounded by the chunk, so a
sweep's query count grows with its chunks, not its rows (tests/urging/test_sweep.py).

Only `urging.services` calls these, inside the chunk's transaction."""

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, NamedTuple

from django.db import connection

from dondoc.urging.models import EmailOutbox, Notification, ReminderSchedule

ROWS_PER_STATEMENT = 500  # well under SQLite's 32,766 and PostgreSQL's 65,535 parameters
# PostgreSQL takes a column of values as one array parameter (`unnest`): a statement of any
# number of rows is a few parameters, so psycopg need not parse a new statement of thousands
# of `%s` each time (it caches short statements only: 26 ms a statement of 500 rows, most of a
# national first sweep's CPU; docs/benchmarks.md).
ROWS_PER_ARRAY_STATEMENT = 5000


def _unnest(types: Sequence[str]) -> str:
    return "unnest({})".format(", ".join(f"%s::{sql_type}[]" for sql_type in types))


def _array(values: Sequence[Any], sql_type: str) -> str:
    """`values` as one array literal of `sql_type` in PostgreSQL's text form (`{1,2,NULL}`),
    the parameter of an `unnest`: text always in double quotes with its backslashes and
    quotes escaped, so commas, braces, spaces and the word NULL stay text. Handed a list,
    psycopg writes the literal itself on Django's client-side cursor, element by element
    with a regular expression each: about a third of a national first sweep's Python
    (docs/benchmarks.md); here it is a list comprehension and one `join`."""
    if sql_type == "integer":
        items = ["NULL" if v is None else str(int(v)) for v in values]
    elif sql_type == "date":
        items = ["NULL" if v is None else v.isoformat() for v in values]
    elif sql_type == "boolean":
        items = ["NULL" if v is None else ("t" if v else "f") for v in values]
    elif sql_type == "text":
        items = [
            "NULL" if v is None else '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
            for v in values
        ]
    else:
        raise ValueError(sql_type)
    return "{" + ",".join(items) + "}"


def _columns(rows: Sequence[tuple[Any, ...]], types: Sequence[str]) -> list[str]:
    """The first fields of `rows` (named tuples), one array literal of each of `types`."""
    columns = list(zip(*rows, strict=True))
    return [_array(column, sql_type) for column, sql_type in zip(columns, types, strict=False)]


@dataclass(frozen=True)
class Seen:
    """A schedule as the sweep read it: the claim changes it only if it is still so."""

    next_on: dt.date | None  # None: do not compare (the refresh claims by what it computed from)
    deadline: dt.date | None
    urgent: bool
    rules_revision: int


@dataclass(frozen=True)
class Claim:
    task_id: int
    seen: Seen
    next_on: dt.date | None
    step: str
    deadline: dt.date | None
    urgent: bool | None = None  # None: keep (a parked row keeps what it was computed from)
    rules_revision: int | None = None


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _typed(sql_type: str) -> str:
    """A parameter with its type: PostgreSQL needs it in a VALUES list (a column of NULLs is
    text there), SQLite has no such types and compares the stored ISO dates as text."""
    return f"%s::{sql_type}" if connection.vendor == "postgresql" else "%s"


CLAIM_TYPES = ["integer", "date", "date", "boolean", "integer", "date", "text", "date", "boolean",
               "integer"]  # fmt: skip
CLAIM_COLUMNS = """task_id, seen_next_on, seen_deadline, seen_urgent, seen_revision,
                   next_on, step, deadline, urgent, rules_revision"""


def _claim_sql(rows: int) -> str:
    """The compare-and-set of `rows` claims: on PostgreSQL one array per column (`unnest`,
    ten parameters whatever the rows), elsewhere a `VALUES` list."""
    t = ReminderSchedule._meta.db_table
    if connection.vendor == "postgresql":
        claims = f"SELECT * FROM {_unnest(CLAIM_TYPES)} AS c ({CLAIM_COLUMNS})"  # noqa: S608
    else:
        one = "({})".format(", ".join(["%s"] * len(CLAIM_TYPES)))
        claims = f"VALUES {', '.join([one] * rows)}"
    return f"""
        WITH claim ({CLAIM_COLUMNS}) AS ({claims})
        UPDATE {t} SET
            next_on = claim.next_on,
            step = claim.step,
            deadline = claim.deadline,
            urgent = COALESCE(claim.urgent, {t}.urgent),
            rules_revision = COALESCE(claim.rules_revision, {t}.rules_revision),
            updated_at = %s
        FROM claim
        WHERE {t}.task_id = claim.task_id
          AND (claim.seen_next_on IS NULL OR {t}.next_on = claim.seen_next_on)
          AND ({t}.deadline = claim.seen_deadline
               OR ({t}.deadline IS NULL AND claim.seen_deadline IS NULL))
          AND {t}.urgent = claim.seen_urgent
          AND {t}.rules_revision = claim.seen_revision
        RETURNING {t}.task_id
    """  # noqa: S608 (names from the model, values as parameters)


def schedules_claim(claims: Sequence[Claim], now: dt.datetime) -> set[int]:
    """Write each claim whose schedule is still as it was seen; return the task ids written.
    Another worker that claimed a row first changed it, so the comparison fails for us."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    won: set[int] = set()
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for part in _batched(
            claims, ROWS_PER_ARRAY_STATEMENT if postgresql else ROWS_PER_STATEMENT
        ):
            rows = [
                (c.task_id, c.seen.next_on, c.seen.deadline, c.seen.urgent, c.seen.rules_revision,
                 c.next_on, c.step, c.deadline, c.urgent, c.rules_revision)
                for c in part
            ]  # fmt: skip
            params = _columns(rows, CLAIM_TYPES) if postgresql else [v for r in rows for v in r]
            cursor.execute(_claim_sql(len(part)), [*params, stamp])
            won.update(task_id for (task_id,) in cursor.fetchall())
    return won


class NewSchedule(NamedTuple):  # a tuple, not a frozen dataclass: ~370,000 of them at national
    task_id: int
    next_on: dt.date | None
    step: str
    deadline: dt.date
    urgent: bool
    rules_revision: int


def schedules_insert(rows: Sequence[NewSchedule], now: dt.datetime) -> None:
    """Insert the schedules of tasks that had none, leaving out any another worker inserted
    meanwhile (one per task: the primary key). A national first sweep inserts ~370,000: as
    model objects through `bulk_create` that was most of its CPU (docs/benchmarks.md)."""
    t = ReminderSchedule._meta.db_table
    stamp = connection.ops.adapt_datetimefield_value(now)
    columns = "task_id, next_on, step, deadline, urgent, rules_revision, updated_at"
    conflict = "ON CONFLICT (task_id) DO NOTHING"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ["integer", "date", "text", "date", "boolean", "integer"]
            for part in _batched(rows, ROWS_PER_ARRAY_STATEMENT):
                cursor.execute(
                    f"INSERT INTO {t} ({columns}) SELECT *, %s FROM {_unnest(arrays)} {conflict}",  # noqa: S608
                    [stamp, *_columns(part, arrays)],
                )
            return
        one = "(%s, %s, %s, %s, %s, %s, %s)"
        for part in _batched(rows, ROWS_PER_STATEMENT):
            params: list[Any] = []
            for r in part:
                params += [r.task_id, r.next_on, r.step, r.deadline, r.urgent, r.rules_revision]
                params.append(stamp)
            values = ", ".join([one] * len(part))
            cursor.execute(f"INSERT INTO {t} ({columns}) VALUES {values} {conflict}", params)  # noqa: S608


def _analyze(*models: Any) -> None:
    """Take the tables' statistics again (PostgreSQL; SQLite plans without them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def schedules_analyze() -> None:
    _analyze(ReminderSchedule)


def notifications_analyze() -> None:
    _analyze(Notification, EmailOutbox)


class NewNotification(NamedTuple):
    recipient_id: int
    task_id: int
    kind: str
    ref_on: dt.date
    deadline: dt.date | None
    digest_pending: bool


NOTIFICATION_COLUMNS = [
    "recipient_id", "task_id", "kind", "ref_on", "deadline", "digest_pending",
    "created_at", "message", "link",
]  # fmt: skip


def notifications_insert(
    rows: Sequence[NewNotification], now: dt.datetime
) -> dict[tuple[int, int, str, dt.date], int]:
    """Insert `rows`, leaving out those the unique key (recipient, task, kind, reference date)
    refuses: sent before, by an earlier run, a retry or another worker. Returns the id of each
    one inserted by that key."""
    t = Notification._meta.db_table
    stamp = connection.ops.adapt_datetimefield_value(now)
    one = f"(%s, %s, %s, {_typed('date')}, {_typed('date')}, %s, %s, '', '')"
    created: dict[tuple[int, int, str, dt.date], int] = {}
    insert = f"INSERT INTO {t} ({', '.join(NOTIFICATION_COLUMNS)})"
    returning = "ON CONFLICT DO NOTHING RETURNING id, recipient_id, task_id, kind, ref_on"
    arrays = ["integer", "integer", "text", "date", "date", "boolean"]
    with connection.cursor() as cursor:
        for part in _batched(rows, ROWS_PER_STATEMENT):
            if connection.vendor == "postgresql":
                sql = f"{insert} SELECT *, %s, '', '' FROM {_unnest(arrays)} {returning}"  # noqa: S608
                params: list[Any] = [stamp, *_columns(part, arrays)]
            else:
                params = []
                for n in part:
                    params += [n.recipient_id, n.task_id, n.kind, n.ref_on, n.deadline]
                    params += [n.digest_pending, stamp]
                sql = f"{insert} VALUES {', '.join([one] * len(part))} {returning}"
            cursor.execute(sql, params)
            for pk, recipient_id, task_id, kind, ref_on in cursor.fetchall():
                if isinstance(ref_on, str):  # SQLite gives the stored text back
                    ref_on = dt.date.fromisoformat(ref_on)
                created[(recipient_id, task_id, kind, ref_on)] = pk
    return created


class NewEmail(NamedTuple):
    notification_id: int
    to: str
    subject: str
    body: str


def emails_insert(rows: Sequence[NewEmail], now: dt.datetime) -> int:
    """Queue `rows` in the outbox, due at once."""
    t = EmailOutbox._meta.db_table
    to = connection.ops.quote_name("to")
    stamp = connection.ops.adapt_datetimefield_value(now)
    columns = f"notification_id, {to}, subject, body, created_at, next_attempt_at, attempts, "
    columns += "last_error"
    one = "(%s, %s, %s, %s, %s, %s, 0, '')"
    with connection.cursor() as cursor:
        for part in _batched(rows, ROWS_PER_STATEMENT):
            if connection.vendor == "postgresql":
                arrays = ["integer", "text", "text", "text"]
                sql = f"INSERT INTO {t} ({columns}) SELECT *, %s, %s, 0, '' FROM {_unnest(arrays)}"  # noqa: S608
                params: list[Any] = [stamp, stamp, *_columns(part, arrays)]
            else:
                params = []
                for e in part:
                    params += [e.notification_id, e.to, e.subject, e.body, stamp, stamp]
                sql = f"INSERT INTO {t} ({columns}) VALUES {', '.join([one] * len(part))}"  # noqa: S608
            cursor.execute(sql, params)
    return len(rows)
