"""Floor queries: the best plain SQL for the same answer as a hot path, to compare against."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection

STATUS_CASE = """
CASE
  WHEN t.cancelled_on <= %(day)s THEN 'cancelled'
  WHEN t.accepted_on <= %(day)s AND t.reported_done_on IS NOT NULL
       AND t.reported_done_on > COALESCE(t.extended_due_on, t.due_on) THEN 'done_late'
  WHEN t.accepted_on <= %(day)s AND t.reported_done_on IS NOT NULL THEN 'done_on_time'
  WHEN t.reported_done_on <= %(day)s THEN 'awaiting_acceptance'
  WHEN t.deadline_kind = 'ongoing' OR t.due_on IS NULL THEN 'ongoing'
  WHEN COALESCE(t.extended_due_on, t.due_on) < %(day)s THEN 'overdue'
  WHEN COALESCE(t.extended_due_on, t.due_on) <= %(soon)s THEN 'due_soon'
  ELSE 'open_on_time'
END"""


def _params(day: dt.date, **extra: Any) -> dict[str, Any]:
    return {"day": day, "soon": day + dt.timedelta(days=int(settings.DUE_SOON_DAYS)), **extra}


def overview_floor(day: dt.date, clearance: int) -> list[tuple[Any, ...]]:
    """Counts by lead agency and status, for a user who sees all agencies up to `clearance`."""
    sql = f"""
        SELECT a.code, a.name, s.status, s.n FROM (
          SELECT t.lead_agency_id AS agency_id, {STATUS_CASE} AS status, COUNT(*) AS n
          FROM tracking_task t WHERE t.classification <= %(clearance)s
          GROUP BY 1, 2) s
        JOIN agencies_agency a ON a.id = s.agency_id"""  # noqa: S608 - constant SQL, bound params
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(day, clearance=clearance))
        return list(cursor.fetchall())


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _month_ends(day: dt.date, months: int = 12) -> list[dt.date]:
    ends, year, month = [day], day.year, day.month
    for _ in range(months - 1):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(first_next - dt.timedelta(days=1))
    return ends[::-1]


def dashboard_floor(day: dt.date, clearance: int) -> dict[str, Any]:
    """Every figure of the leaders' dashboard in the fewest plain queries: status counts and the
    twelve-month trend in one pass over the tasks, then strategic documents, the ten most
    overdue agencies, the tasks due within 14 days and the obstacles waiting for the leaders."""
    trend = []
    params: dict[str, Any] = _params(day, clearance=clearance, within=day + dt.timedelta(days=14))
    for n, end in enumerate(_month_ends(day)):
        params[f"m{n}"] = end
        at = STATUS_CASE.replace("%(day)s", f"%(m{n})s")  # done / overdue ignore `soon`
        trend.append(
            f"COUNT(*) FILTER (WHERE t.created_on <= %(m{n})s AND ({at}) IN "
            f"('done_on_time', 'done_late')) AS done_{n}, "
            f"COUNT(*) FILTER (WHERE t.created_on <= %(m{n})s AND ({at}) = 'overdue') "
            f"AS overdue_{n}"
        )
    figures: dict[str, Any] = {}
    by_status = f"""
        SELECT status, COUNT(*) FROM (
          SELECT {STATUS_CASE} AS status FROM tracking_task t
          WHERE t.classification <= %(clearance)s) s GROUP BY status"""  # noqa: S608
    figures["statuses"] = _rows(by_status, params)
    figures["trend"] = _rows(
        f"SELECT {', '.join(trend)} FROM tracking_task t "  # noqa: S608
        "WHERE t.classification <= %(clearance)s",
        params,
    )
    figures["strategic"] = _rows(
        f"""SELECT id, symbol, title, status, COUNT(*) FROM (
              SELECT d.id, d.symbol, d.title, {STATUS_CASE} AS status
              FROM tracking_task t JOIN tracking_document d ON d.id = t.document_id
              WHERE d.is_strategic AND d.classification <= %(clearance)s
                AND t.classification <= %(clearance)s) s
            GROUP BY id, symbol, title, status""",  # noqa: S608
        params,
    )
    overdue = f"({STATUS_CASE}) = 'overdue'"
    figures["top_agencies"] = _rows(
        f"""SELECT a.code, a.name, n FROM (
              SELECT t.lead_agency_id, COUNT(*) AS n FROM tracking_task t
              WHERE t.classification <= %(clearance)s AND {overdue}
              GROUP BY 1 ORDER BY n DESC LIMIT 10) o
            JOIN agencies_agency a ON a.id = o.lead_agency_id ORDER BY n DESC, a.code""",  # noqa: S608
        params,
    )
    due = (
        "t.classification <= %(clearance)s AND t.cancelled_on IS NULL AND t.accepted_on IS NULL"
        " AND t.reported_done_on IS NULL AND t.deadline_kind <> 'ongoing'"
        " AND COALESCE(t.extended_due_on, t.due_on) BETWEEN %(day)s AND %(within)s"
    )
    figures["due_count"] = _rows(f"SELECT COUNT(*) FROM tracking_task t WHERE {due}", params)  # noqa: S608
    figures["due_tasks"] = _rows(
        f"""SELECT t.id, t.title, a.name, d.symbol FROM tracking_task t
            JOIN agencies_agency a ON a.id = t.lead_agency_id
            LEFT JOIN tracking_document d ON d.id = t.document_id
            WHERE {due} ORDER BY COALESCE(t.extended_due_on, t.due_on), t.id LIMIT 10""",  # noqa: S608
        params,
    )
    waiting = (
        "FROM tracking_obstacle o JOIN tracking_task t ON t.id = o.task_id "
        "WHERE o.level = 'leader' AND o.answered_on IS NULL AND t.classification <= %(clearance)s"
    )
    figures["obstacle_count"] = _rows(f"SELECT COUNT(*) {waiting}", params)
    figures["obstacles"] = _rows(
        f"SELECT o.id, o.text, t.title {waiting} ORDER BY o.raised_on, o.id LIMIT 10",
        params,
    )
    return figures


def task_list_floor(
    day: dt.date, filters: dict[str, Any], q: str
) -> tuple[dict[str, int], int, list[tuple[Any, ...]]]:
    """The office task list's figures and first page: counts per status of the filtered tasks
    (any status), how many match the status filter too, and the first 50 by deadline."""
    where = ["t.classification <= %(clearance)s"]
    params = _params(day, clearance=filters.get("clearance", 3))
    if "lead" in filters:
        where.append("t.lead_agency_id = (SELECT id FROM agencies_agency WHERE code = %(lead)s)")
        params["lead"] = filters["lead"]
    if "strategic" in filters:
        where.append(
            "COALESCE((SELECT d.is_strategic FROM tracking_document d "
            "WHERE d.id = t.document_id), FALSE) = %(strategic)s"
        )
        params["strategic"] = filters["strategic"]
    if "priority" in filters:
        where.append("t.priority = %(priority)s")
        params["priority"] = filters["priority"]
    if "key" in filters:
        where.append("t.is_key = %(key)s")
        params["key"] = filters["key"]
    for n, word in enumerate(q.split()):
        where.append(f"t.search_text LIKE %(w{n})s")
        params[f"w{n}"] = f"%{word}%"
    matching = " AND ".join(where)
    counts = dict(
        _rows(
            f"SELECT status, COUNT(*) FROM (SELECT {STATUS_CASE} AS status "  # noqa: S608
            f"FROM tracking_task t WHERE {matching}) s GROUP BY status",
            params,
        )
    )
    chosen = matching
    if "status" in filters:
        chosen += f" AND ({STATUS_CASE}) = %(status)s"
        params["status"] = filters["status"]
    total = int(_rows(f"SELECT COUNT(*) FROM tracking_task t WHERE {chosen}", params)[0][0])  # noqa: S608
    page = _rows(
        f"""SELECT t.id, t.title, t.due_on, t.progress, a.name, d.symbol,
                   (SELECT COUNT(*) FROM tracking_coordination c WHERE c.task_id = t.id)
            FROM tracking_task t JOIN agencies_agency a ON a.id = t.lead_agency_id
            LEFT JOIN tracking_document d ON d.id = t.document_id
            WHERE {chosen} ORDER BY t.due_on, t.id LIMIT 50""",  # noqa: S608
        params,
    )
    return counts, total, page
