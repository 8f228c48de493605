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
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import DateField, QuerySet
from django.db.models.expressions import RawSQL

from dondoc.tracking.models import Decision, Task
from dondoc.tracking.status import TaskStatus, status_expression

from .periods import Scope

# Columns named as on the task table, plus `lead` and `deadline` as they stood on the day and
# `previous_lead`, `previous_deadline` as they stood on the previous period's day; the outer
# queries read it under the task table's name, so compiled expressions apply unchanged.
NUMBERED_EXTENSIONS = """(SELECT task_id, requested_due_on,
                    ROW_NUMBER() OVER (PARTITION BY task_id ORDER BY decided_on DESC, id DESC) AS n
             FROM tracking_extension WHERE decision = %s AND decided_on <= %s)"""
NUMBERED_TRANSFERS = """(SELECT task_id, from_agency_id,
                    ROW_NUMBER() OVER (PARTITION BY task_id ORDER BY transferred_on, id) AS n
             FROM tracking_leadtransfer WHERE transferred_on > %s)"""
AS_OF = f"""
  SELECT t.id, t.title, t.document_id, t.is_key, t.classification, t.deadline_kind, t.due_on,
         t.reported_done_on, t.accepted_on, t.cancelled_on, t.created_on,
         COALESCE(lt.from_agency_id, t.lead_agency_id) AS lead,
         COALESCE(ex.requested_due_on, t.due_on) AS deadline,
         COALESCE(plt.from_agency_id, t.lead_agency_id) AS previous_lead,
         COALESCE(pex.requested_due_on, t.due_on) AS previous_deadline
  FROM tracking_task t
  LEFT JOIN {NUMBERED_EXTENSIONS} ex ON ex.task_id = t.id AND ex.n = 1
  LEFT JOIN {NUMBERED_TRANSFERS} lt ON lt.task_id = t.id AND lt.n = 1
  LEFT JOIN {NUMBERED_EXTENSIONS} pex ON pex.task_id = t.id AND pex.n = 1
  LEFT JOIN {NUMBERED_TRANSFERS} plt ON plt.task_id = t.id AND plt.n = 1
  WHERE t.created_on <= %s"""  # noqa: S608 - no value is spliced in


def _as_of(
    tasks: QuerySet[Task] | None, scope: Scope, day: dt.date, previous_day: dt.date, using: str
) -> tuple[str, list[Any]]:
    """`WITH as_of AS (...)` for the tasks of `scope` within `tasks` (all when None) that
    existed on `day`, with their lead and deadline on `day` and on `previous_day`.

    SQLite is told to compute it once: inlined into a query that reads it once, it ran the
    numbered extensions once per task (small, 10,000 tasks: the overdue list 0.29 to 0.45 s;
    0.03 s materialized). PostgreSQL joins it well inlined and is left to choose."""
    approved = Decision.APPROVED
    sql, params = AS_OF, [approved, day, day, approved, previous_day, previous_day, day]
    if tasks is not None or scope.tasks_filter():
        within = (tasks if tasks is not None else Task.objects.all()).filter(scope.tasks_filter())
        subquery, subparams = within.order_by().values("pk").query.sql_with_params()
        sql, params = f"{sql} AND t.id IN ({subquery})", [*params, *subparams]
    materialized = "MATERIALIZED " if connections[using].vendor == "sqlite" else ""
    return f"WITH as_of AS {materialized}({sql})", params


STATUSES = tuple(TaskStatus)  # a status travels as its place here: narrower rows, cheaper filters


def _status_sql(day: dt.date, previous: bool, using: str) -> tuple[str, list[Any]]:
    """The status on `day` as SQL over `as_of` read as `tracking_task` — its place in
    `STATUSES` — with the deadline as it stood on the review's day, or on the previous
    period's (`previous`)."""
    column = "tracking_task.previous_deadline" if previous else "tracking_task.deadline"
    deadline = RawSQL(column, (), output_field=DateField())  # noqa: S611 - one of two literals
    query = Task.objects.all().query
    ranks = {status: n for n, status in enumerate(STATUSES)}
    expression = status_expression(day, deadline=deadline, ranks=ranks)
    sql, params = query.get_compiler(using=using).compile(expression.resolve_expression(query))
    return sql, list(params)


def _fetch(using: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of `sql`; on PostgreSQL without JIT compilation (the statement is costed high
    enough to be compiled: ~0.2 s of a national review, for no faster pass) and with room
    for the pass's rows in memory instead of temporary files, both for this statement only."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return list(cursor.fetchall())
        cursor.execute(
            "SELECT current_setting('jit'), current_setting('work_mem'), "
            "set_config('jit', 'off', false), set_config('work_mem', %s, false)",
            [REVIEW_WORK_MEM],
        )  # the settings as they were, read before they are set (left to right)
        jit, work_mem, _jit, _work_mem = cursor.fetchone()
        restore = "SELECT set_config('jit', %s, false), set_config('work_mem', %s, false)"
        try:
            cursor.execute(sql, params)
            rows = list(cursor.fetchall())
        except Exception:
            if not connection.in_atomic_block:  # autocommit: the settings were committed
                cursor.execute(restore, [jit, work_mem])
            raise  # within a transaction, its rollback puts them back
        cursor.execute(restore, [jit, work_mem])
        return rows


REVIEW_WORK_MEM = "128MB"  # the pass's ~1,000,000 rows of ids, dates and ranks at national


Counts = Counter[str]  # by status (`TaskStatus` values)


@dataclass
class Counted:
    """What `review_counts` finds, as `reviews.figures` uses it: counts per status."""

    by_document: dict[int | None, Counts] = field(default_factory=dict)
    by_lead: dict[int, Counts] = field(default_factory=dict)
    total: Counts = field(default_factory=Counter)
    key_overdue: int = 0
    classification: int = 0  # the highest of a task counted
    previous: Counts = field(default_factory=Counter)
    previous_key_overdue: int = 0
    overdue: list[dict[str, Any]] = field(default_factory=list)  # nearest deadline first


def review_counts(
    tasks: QuerySet[Task] | None,
    scope: Scope,
    day: dt.date,
    previous_day: dt.date,
    using: str = "default",
) -> Counted:
    """In one statement, one pass over the tasks: how many tasks of the scope in each status
    per document and per lead agency on `day` (a column per status: one row per document,
    not one per document and status), with the highest classification and the key tasks
    overdue; the same on `previous_day` for the whole scope; and the list of those overdue on
    `day`. Each task's two statuses are computed once (docs/benchmarks.md, "Review
    figures")."""
    cte, params = _as_of(tasks, scope, day, previous_day, using)
    status, status_params = _status_sql(day, False, using)
    previous, previous_params = _status_sql(previous_day, True, using)
    now_in, previous_in, scope_params = "1 = 1", "1 = 1", []
    if scope.kind == "agency":
        now_in, previous_in = "tracking_task.lead = %s", "tracking_task.previous_lead = %s"
        scope_params = [scope.agency_id]
    overdue = STATUSES.index(TaskStatus.OVERDUE)

    def columns(name: str) -> str:
        counts = ", ".join(f"COUNT(*) FILTER (WHERE {name} = {n})" for n in range(len(STATUSES)))
        return f"{counts}, COUNT(*) FILTER (WHERE {name} = {overdue} AND is_key)"

    blank = ", ".join(["NULL"] * (len(STATUSES) - 1))
    sql = f"""{cte},
      statuses AS (
        SELECT tracking_task.id, tracking_task.document_id,
               tracking_task.lead, tracking_task.is_key, tracking_task.classification,
               tracking_task.deadline,
               CASE WHEN {now_in} THEN {status} END AS status,
               CASE WHEN tracking_task.created_on <= %s AND {previous_in} THEN {previous} END
                 AS previous
        FROM as_of tracking_task)
      SELECT 'document', document_id, {columns("status")}, NULL, NULL, NULL, CAST(NULL AS DATE)
      FROM statuses WHERE status IS NOT NULL GROUP BY document_id
      UNION ALL
      SELECT 'lead', lead, {columns("status")}, MAX(classification), NULL, NULL, NULL
      FROM statuses WHERE status IS NOT NULL GROUP BY lead
      UNION ALL
      SELECT 'previous', NULL, {columns("previous")}, NULL, NULL, NULL, NULL
      FROM statuses WHERE previous IS NOT NULL
      UNION ALL
      SELECT 'overdue', s.lead, s.id, CASE WHEN s.is_key THEN 1 ELSE 0 END, {blank}, NULL, t.title,
             d.symbol, s.deadline
      FROM statuses s JOIN tracking_task t ON t.id = s.id
      LEFT JOIN tracking_document d ON d.id = s.document_id
      WHERE s.status = {overdue}"""  # noqa: S608 - no value is spliced in
    all_params = [
        *params, *scope_params, *status_params, previous_day, *scope_params, *previous_params,
    ]  # fmt: skip
    size = len(STATUSES)
    counted = Counted()
    for kind, key, *numbers, top, title, symbol, deadline in _fetch(using, sql, all_params):
        if kind == "overdue":
            deadline = _date(deadline)
            counted.overdue.append(
                {
                    "task_id": numbers[0],
                    "title": title,
                    "is_key": bool(numbers[1]),
                    "document": symbol or "",
                    "agency_id": key,
                    "deadline": deadline.isoformat(),
                    "days_overdue": (day - deadline).days,
                }
            )
            continue
        counts: Counts = Counter({s: n for s, n in zip(STATUSES, numbers[:size], strict=True) if n})
        if kind == "document":
            counted.by_document[key] = counts
        elif kind == "lead":
            counted.by_lead[key] = counts
            counted.total.update(counts)
            counted.key_overdue += numbers[size]
            counted.classification = max(counted.classification, top or 0)
        else:
            counted.previous, counted.previous_key_overdue = counts, numbers[size]
    counted.overdue.sort(key=lambda row: (row["deadline"], row["task_id"]))
    return counted


def _date(value: Any) -> dt.date:
    """A date column as a date (SQLite returns a computed one as text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
