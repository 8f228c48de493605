"""The tasks of a scope as they stood on a day, counted or listed in one pass over the tasks.

A task's lead on a past day is the agency it came from by its first later transfer, and its
deadline the latest extension approved by then (`tracking.selectors.lead_agency_on`,
`figures.deadline_as_of`). As correlated subqueries they run once per task and per use: at
1,000,000 tasks PostgreSQL probed the extensions' index 1.3 million times and the groups took
13.6 s. Here each is one join against the extensions or transfers numbered per task, and the
status is `tracking.status.status_expression` itself, compiled over those columns, so the rules
stay in one place. Measured at `national` (`docs/benchmarks.md`).
"""

import datetime as dt
from typing import Any

from django.db import connections
from django.db.models import DateField, QuerySet
from django.db.models.expressions import RawSQL

from dondoc.tracking.models import Decision, Task
from dondoc.tracking.status import TaskStatus, status_expression

from .periods import Scope

# Columns named as on the task table, plus `lead` and `deadline` as they stood on the day; the
# outer queries read it under the task table's name, so compiled expressions apply unchanged.
AS_OF = """
  SELECT t.id, t.title, t.document_id, t.is_key, t.classification, t.deadline_kind, t.due_on,
         t.reported_done_on, t.accepted_on, t.cancelled_on,
         COALESCE(lt.from_agency_id, t.lead_agency_id) AS lead,
         COALESCE(ex.requested_due_on, t.due_on) AS deadline
  FROM tracking_task t
  LEFT JOIN (SELECT task_id, requested_due_on,
                    ROW_NUMBER() OVER (PARTITION BY task_id ORDER BY decided_on DESC, id DESC) AS n
             FROM tracking_extension WHERE decision = %s AND decided_on <= %s) ex
         ON ex.task_id = t.id AND ex.n = 1
  LEFT JOIN (SELECT task_id, from_agency_id,
                    ROW_NUMBER() OVER (PARTITION BY task_id ORDER BY transferred_on, id) AS n
             FROM tracking_leadtransfer WHERE transferred_on > %s) lt
         ON lt.task_id = t.id AND lt.n = 1
  WHERE t.created_on <= %s"""


def _as_of(
    tasks: QuerySet[Task] | None, scope: Scope, day: dt.date, using: str
) -> tuple[str, list[Any], str, list[Any]]:
    """`WITH as_of AS (...)` for the tasks of `scope` within `tasks` (all when None), and the
    WHERE clause of the outer query that keeps the scope's lead agency on `day`.

    SQLite is told to compute it once: inlined into a query that reads it once, it ran the
    numbered extensions once per task (small, 10,000 tasks: the overdue list 0.29 to 0.45 s;
    0.03 s materialized). PostgreSQL joins it well inlined and is left to choose."""
    sql, params = AS_OF, [Decision.APPROVED, day, day, day]
    if tasks is not None or scope.tasks_filter():
        within = (tasks if tasks is not None else Task.objects.all()).filter(scope.tasks_filter())
        subquery, subparams = within.order_by().values("pk").query.sql_with_params()
        sql, params = f"{sql} AND t.id IN ({subquery})", [*params, *subparams]
    materialized = "MATERIALIZED " if connections[using].vendor == "sqlite" else ""
    cte = f"WITH as_of AS {materialized}({sql})"
    if scope.kind == "agency":
        return cte, params, "tracking_task.lead = %s", [scope.agency_id]
    return cte, params, "1 = 1", []


def _status_sql(day: dt.date, using: str) -> tuple[str, list[Any]]:
    """The status on `day` as SQL over `as_of` read as `tracking_task`."""
    deadline = RawSQL("tracking_task.deadline", (), output_field=DateField())
    query = Task.objects.all().query
    expression = status_expression(day, deadline=deadline).resolve_expression(query)
    sql, params = query.get_compiler(using=using).compile(expression)
    return sql, list(params)


def _fetch(using: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _statuses(
    tasks: QuerySet[Task] | None, scope: Scope, day: dt.date, using: str
) -> tuple[str, list[Any]]:
    """`WITH as_of AS (...), statuses AS (...)`: each task of the scope with its status on `day`.
    Used twice in a statement, both databases compute it once."""
    cte, params, where, where_params = _as_of(tasks, scope, day, using)
    status, status_params = _status_sql(day, using)
    sql = f"""{cte},
      statuses AS (
        SELECT tracking_task.document_id, tracking_task.lead, tracking_task.is_key,
               tracking_task.classification, {status} AS status
        FROM as_of tracking_task WHERE {where})"""  # noqa: S608 - no value is spliced in
    return sql, [*params, *status_params, *where_params]


def status_groups(
    tasks: QuerySet[Task] | None, scope: Scope, day: dt.date, using: str = "default"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """How many tasks per (document, status) and per (lead agency on `day`, key, status), with
    the highest classification of each group: one statement, the statuses computed once."""
    statuses, params = _statuses(tasks, scope, day, using)
    sql = f"""{statuses}
      SELECT 'document', document_id, NULL, status, COUNT(*), MAX(classification)
      FROM statuses GROUP BY document_id, status
      UNION ALL
      SELECT 'lead', lead, is_key, status, COUNT(*), MAX(classification)
      FROM statuses GROUP BY lead, is_key, status"""  # noqa: S608 - no value is spliced in
    by_document, by_lead = [], []
    for kind, key, is_key, state, n, top in _fetch(using, sql, params):
        if kind == "document":
            by_document.append({"document_id": key, "status": state, "n": n, "top": top})
        else:
            by_lead.append(
                {"lead": key, "is_key": bool(is_key), "status": state, "n": n, "top": top}
            )
    return by_document, by_lead


def key_status_counts(
    tasks: QuerySet[Task] | None, scope: Scope, day: dt.date, using: str = "default"
) -> list[dict[str, Any]]:
    """How many tasks per (key, status) on `day`: the totals alone, for the previous period."""
    statuses, params = _statuses(tasks, scope, day, using)
    sql = f"{statuses} SELECT is_key, status, COUNT(*) FROM statuses GROUP BY is_key, status"  # noqa: S608
    return [
        {"is_key": bool(is_key), "status": state, "n": n}
        for is_key, state, n in _fetch(using, sql, params)
    ]


def overdue(
    tasks: QuerySet[Task] | None, scope: Scope, day: dt.date, using: str = "default"
) -> list[dict[str, Any]]:
    """The tasks overdue on `day`, nearest deadline first, with their document's symbol."""
    cte, params, where, where_params = _as_of(tasks, scope, day, using)
    status, status_params = _status_sql(day, using)
    sql = f"""{cte}
      SELECT tracking_task.id, tracking_task.title, tracking_task.is_key, d.symbol,
             tracking_task.lead, tracking_task.deadline
      FROM as_of tracking_task LEFT JOIN tracking_document d ON d.id = tracking_task.document_id
      WHERE {status} = %s AND {where}
      ORDER BY tracking_task.deadline, tracking_task.id"""  # noqa: S608 - no value is spliced in
    rows = _fetch(using, sql, [*params, *status_params, TaskStatus.OVERDUE, *where_params])
    return [
        {
            "task_id": pk,
            "title": title,
            "is_key": bool(is_key),
            "document": symbol or "",
            "agency_id": lead,
            "deadline": _date(deadline).isoformat(),
            "days_overdue": (day - _date(deadline)).days,
        }
        for pk, title, is_key, symbol, lead, deadline in rows
    ]


def _date(value: Any) -> dt.date:
    """A date column as a date (SQLite returns a computed one as text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
