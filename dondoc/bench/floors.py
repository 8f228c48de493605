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


def task_count_floor(day: dt.date, status: str, lead: str, strategic: bool, q: str) -> int:
    """How many tasks match the office list's filters (status, lead, strategic, text)."""
    sql = f"""
        SELECT COUNT(*) FROM tracking_task t
        JOIN agencies_agency a ON a.id = t.lead_agency_id
        LEFT JOIN tracking_document d ON d.id = t.document_id
        WHERE a.code = %(lead)s AND COALESCE(d.is_strategic, FALSE) = %(strategic)s
          AND t.search_text LIKE %(q)s AND {STATUS_CASE} = %(status)s"""  # noqa: S608
    with connection.cursor() as cursor:
        params = _params(day, lead=lead, strategic=strategic, q=f"%{q}%", status=status)
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])
