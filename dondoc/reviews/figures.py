"""The figures of a progress review, as of a day, from dated facts only.

A review counts the tasks of a scope that existed on the period's last day (created on or before
it), each in the status it had *on that day*: a fact dated later — a report, an acceptance, a
cancellation, an extension decided, a lead transferred after a merge — does not count, so the
figures for a past day can be recomputed at any time and come out the same.

`review_figures` returns a plain dict that can be stored as JSON (the archive keeps exactly
what was issued) and from which every output is drawn:

    period, previous            {code, kind, label, start, end}
    scope                       {code, kind, label, phrase}
    as_of, previous_as_of       the days the statuses are for (ISO dates)
    computed_at                 the moment of computing (ISO datetime)
    classification              the highest classification of a task counted
    totals, previous_totals     counts per status, `assigned`, `required` (= assigned - cancelled),
                                `done`, `not_done`, `key_overdue`; `shares` per status (% of
                                required) and `overdue_share` (% of required), `done_share`
    change                      totals - previous_totals, per count and for `overdue_share`
    by_document, by_agency      table rows (see `_row`); the agency is the lead *as of that day*
    overdue                     the tasks overdue and not done, with their days overdue
    obstacles                   obstacles raised by then and not answered by then
    extensions                  extensions approved within the period
    forecast                    {available, rows}: `dondoc.forecast`'s tasks at risk
"""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dondoc.agencies.models import Agency
from dondoc.core.review_sections import ReviewScope, review_sections
from dondoc.forecast.selectors import tasks_at_risk
from dondoc.tracking.models import (
    Decision,
    Document,
    DocumentType,
    Extension,
    LeadTransfer,
    Obstacle,
    ObstacleLevel,
    Task,
)
from dondoc.tracking.selectors import lead_agency_on
from dondoc.tracking.status import TaskStatus, status_expression

from . import as_of
from .periods import Period, Scope

log = logging.getLogger("dondoc.reviews")

# The order in which reports list the statuses: done, then not done, then the rest.
REPORT_ORDER = (
    TaskStatus.DONE_ON_TIME,
    TaskStatus.DONE_LATE,
    TaskStatus.AWAITING_ACCEPTANCE,
    TaskStatus.OPEN_ON_TIME,
    TaskStatus.DUE_SOON,
    TaskStatus.OVERDUE,
    TaskStatus.ONGOING,
    TaskStatus.CANCELLED,
)
NOT_DONE = (
    TaskStatus.AWAITING_ACCEPTANCE,
    TaskStatus.OPEN_ON_TIME,
    TaskStatus.DUE_SOON,
    TaskStatus.OVERDUE,
)
# "Chưa hoàn thành, trong hạn" in the tables: open within the deadline, due soon, or ongoing.
IN_TIME = (TaskStatus.OPEN_ON_TIME, TaskStatus.DUE_SOON, TaskStatus.ONGOING)
OTHER_SOURCES = "Ý kiến chỉ đạo và nhiệm vụ khác"


# Status as of a past day ------------------------------------------------------------------------


def extended_due_on_as_of(day: dt.date) -> Subquery:
    """The deadline of the latest extension approved on or before `day` (None if none was)."""
    approved = Extension.objects.filter(
        task=OuterRef("pk"), decision=Decision.APPROVED, decided_on__lte=day
    ).order_by("-decided_on", "-id")
    return Subquery(approved.values("requested_due_on")[:1], output_field=DateField())


def deadline_as_of(day: dt.date) -> Coalesce:
    """The effective deadline on `day`: the extension in force then, else the original."""
    return Coalesce(extended_due_on_as_of(day), F("due_on"), output_field=DateField())


def status_as_of_expression(day: dt.date) -> Case:
    """`tracking.status.status_expression(day)` with the deadline *as it stood on* `day`:
    from the extensions decided by then, not the task's `extended_due_on`, which holds the
    latest extension whenever it was decided. Every other fact is a date compared with `day`."""
    return status_expression(day, deadline=deadline_as_of(day))


def tasks_in_scope(tasks: QuerySet[Task], scope: Scope, day: dt.date) -> QuerySet[Task]:
    """The tasks of `scope` that existed on `day`, with `lead_as_of`: their lead agency then."""
    in_scope = (
        tasks.filter(created_on__lte=day)
        .filter(scope.tasks_filter())
        .alias(lead_as_of=lead_agency_on(day))
    )
    if scope.kind == "agency":
        in_scope = in_scope.filter(lead_as_of=scope.agency_id)
    return in_scope


# Counting -----------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def _totals(counts: Counter[str], key_overdue: int) -> dict[str, Any]:
    totals: dict[str, Any] = {status: counts[status] for status in REPORT_ORDER}
    assigned = sum(counts[status] for status in REPORT_ORDER)
    required = assigned - counts[TaskStatus.CANCELLED]
    done = counts[TaskStatus.DONE_ON_TIME] + counts[TaskStatus.DONE_LATE]
    totals.update(
        assigned=assigned,
        required=required,
        done=done,
        not_done=sum(counts[status] for status in NOT_DONE),
        key_overdue=key_overdue,
        overdue_share=_share(counts[TaskStatus.OVERDUE], required),
        done_share=_share(done, required),
        shares={
            status: _share(counts[status], required)
            for status in REPORT_ORDER
            if status != TaskStatus.CANCELLED
        },
    )
    return totals


def _row(counts: Counter[str]) -> dict[str, Any]:
    """A row of the tables by document and by agency. `total` leaves out cancelled tasks, so
    done on time + done late + in time + awaiting acceptance + overdue = total."""
    total = sum(counts.values()) - counts[TaskStatus.CANCELLED]
    return {
        "total": total,
        "done_on_time": counts[TaskStatus.DONE_ON_TIME],
        "done_late": counts[TaskStatus.DONE_LATE],
        "in_time": sum(counts[status] for status in IN_TIME),
        "awaiting_acceptance": counts[TaskStatus.AWAITING_ACCEPTANCE],
        "overdue": counts[TaskStatus.OVERDUE],
        "overdue_share": _share(counts[TaskStatus.OVERDUE], total),
        "cancelled": counts[TaskStatus.CANCELLED],
    }


# Lists --------------------------------------------------------------------------------------------


def _transferred_from(day: dt.date) -> dict[int, int]:
    """The tasks whose lead changed after `day`, with the agency that led them on `day` (as
    `lead_agency_on`: the one they left by their first later transfer)."""
    later = LeadTransfer.objects.filter(transferred_on__gt=day).order_by("-transferred_on", "-id")
    return dict(later.values_list("task_id", "from_agency_id"))  # the earliest is put last


def _obstacles(tasks: QuerySet[Task], day: dt.date) -> list[dict[str, Any]]:
    waiting = (
        Obstacle.objects.filter(task__in=tasks.values("pk"), raised_on__lte=day)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gt=day))
        .order_by("raised_on", "id")
        .values(
            "pk", "task_id", "task__title", "task__lead_agency_id", "raised_on", "text",
            "proposal", "level",
        )
    )  # fmt: skip
    levels = {level: str(label) for level, label in ObstacleLevel.choices}  # translated once
    return [
        {
            "obstacle_id": row["pk"],
            "task_id": row["task_id"],
            "agency_id": row["task__lead_agency_id"],
            "task": row["task__title"],
            "raised_on": row["raised_on"].isoformat(),
            "days_waiting": (day - row["raised_on"]).days,
            "text": row["text"],
            "proposal": row["proposal"],
            "level": levels.get(row["level"], row["level"]),
        }
        for row in waiting
    ]


def _extensions(tasks: QuerySet[Task], period: Period, day: dt.date) -> list[dict[str, Any]]:
    granted = (
        Extension.objects.filter(
            task__in=tasks.values("pk"),
            decision=Decision.APPROVED,
            decided_on__gte=period.start,
            decided_on__lte=day,
        )
        .order_by("decided_on", "id")
        .values(
            "task_id",
            "task__title",
            "task__lead_agency_id",
            "previous_due_on",
            "requested_due_on",
            "decided_on",
            "reason",
        )
    )
    return [
        {
            "task_id": row["task_id"],
            "agency_id": row["task__lead_agency_id"],
            "task": row["task__title"],
            "previous_due_on": row["previous_due_on"].isoformat(),
            "requested_due_on": row["requested_due_on"].isoformat(),
            "decided_on": str(row["decided_on"]),
            "days_added": (row["requested_due_on"] - row["previous_due_on"]).days,
            "reason": row["reason"],
        }
        for row in granted
    ]


# Forecast -----------------------------------------------------------------------------------------

FORECAST_LIMIT = 20
FORECAST_MIN_PROBABILITY = 0.5  # "at risk": more likely late than not


def _at_risk_row(item: Any) -> dict[str, Any]:
    """A row from `dondoc.forecast.selectors.tasks_at_risk` (task, probability, reasons)."""
    task = item.task
    deadline = task.extended_due_on or task.due_on
    return {
        "task_id": task.pk,
        "title": task.title,
        "agency": task.lead_agency.name,
        "deadline": deadline.isoformat() if deadline else None,
        "probability": float(item.probability),
        "reasons": [str(r) for r in item.reasons],
    }


def _at_risk_rows(tasks: QuerySet[Task], day: dt.date) -> list[dict[str, Any]]:
    """The forecast's answer to "which of these tasks are at risk?" (its latest predictions)."""
    return [_at_risk_row(item) for item in tasks_at_risk(tasks, limit=FORECAST_LIMIT)]


def forecast_section(tasks: QuerySet[Task], day: dt.date) -> dict[str, Any]:
    """Tasks at risk of being late, from `dondoc.forecast` when that app is there.

    The forecast is given the scope's tasks open and not yet overdue on `day` and returns rows with
    `task_id`, `title`, `agency`, `deadline` (ISO date), `probability` (0 to 1) and `reasons`,
    riskiest first; rows under `FORECAST_MIN_PROBABILITY` are left out. The forecast is the
    one part of a review made at the moment of computing (a model predicts from what it knows
    now), which the report says. Without predictions, or if the forecast fails
    (logged: the review is still issued), section VII says "Chưa có dự báo".
    """
    unavailable: dict[str, Any] = {"available": False, "rows": []}
    open_tasks = tasks.annotate(status=status_as_of_expression(day)).filter(
        status__in=[TaskStatus.OPEN_ON_TIME, TaskStatus.DUE_SOON]
    )
    try:
        with transaction.atomic():  # a failed query of the forecast must not spoil the caller's
            rows = _at_risk_rows(open_tasks, day)
    except Exception:
        log.exception("the forecast failed; the review is issued without a forecast")
        return unavailable
    if not rows:
        return unavailable
    at_risk = [r for r in rows if float(r.get("probability", 0)) >= FORECAST_MIN_PROBABILITY]
    return {"available": True, "rows": at_risk, "min_probability": FORECAST_MIN_PROBABILITY}


# The figures --------------------------------------------------------------------------------------


def _period_dict(period: Period) -> dict[str, str]:
    return {
        "code": period.code,
        "kind": period.kind,
        "label": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def _document_rows(sums: dict[int | None, Counter[str]]) -> list[dict[str, Any]]:
    ids = [pk for pk in sums if pk is not None]
    documents = {
        pk: (symbol, title, doc_type, issued_on)
        for pk, symbol, title, doc_type, issued_on in _by_id(
            Document.objects.all(), ids
        ).values_list("pk", "symbol", "title", "doc_type", "issued_on")
    }
    # `get_doc_type_display` hashes every lazy label per call: 8 s for 20,000 documents.
    kinds = {kind: str(label) for kind, label in DocumentType.choices}
    ordered = sorted(ids, key=lambda pk: (documents[pk][3], pk), reverse=True)
    rows = []
    for pk in ordered:
        symbol, title, doc_type, _issued = documents[pk]
        label = f"{kinds.get(doc_type, doc_type)} số {symbol}"
        rows.append(
            {"document_id": pk, "symbol": symbol, "title": title, "label": label, **_row(sums[pk])}
        )
    if None in sums:
        rows.append(
            {
                "document_id": None,
                "symbol": "",
                "title": OTHER_SOURCES,
                "label": OTHER_SOURCES,
                **_row(sums[None]),
            }
        )
    return rows


BY_ID_LIMIT = 1000


def _by_id(objects: QuerySet[Any], ids: Collection[int]) -> QuerySet[Any]:
    """`objects` with one of `ids`; past `BY_ID_LIMIT` ids every row, for the caller to pick
    from: a national review names 20,000 documents and 5,000 agencies, and a list of that
    many parameters cost more to build and send (0.5 s) than reading the whole table."""
    return objects.filter(pk__in=ids) if len(ids) <= BY_ID_LIMIT else objects.all()


def _agency_rows(
    sums: dict[int, Counter[str]], agencies: dict[int, Agency]
) -> list[dict[str, Any]]:
    rows = [
        {
            "agency_id": pk,
            "code": agencies[pk].code,
            "name": agencies[pk].name,
            "short_name": agencies[pk].short_name or agencies[pk].name,
            **_row(counts),
        }
        for pk, counts in sums.items()
    ]
    rows.sort(
        key=lambda r: (-r["overdue"], -r["overdue_share"], agencies[r["agency_id"]].sort_text)
    )
    return rows


def _change(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    keys = [*REPORT_ORDER, "assigned", "required", "done", "not_done", "key_overdue"]
    change: dict[str, Any] = {key: now[key] - before[key] for key in keys}
    change["overdue_share"] = round(now["overdue_share"] - before["overdue_share"], 2)
    change["done_share"] = round(now["done_share"] - before["done_share"], 2)
    return change


def review_figures(
    period: Period,
    scope: Scope,
    *,
    tasks: QuerySet[Task] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Everything a review reports, for `scope` within `tasks` (all tasks by default; a request
    passes `tasks_visible_to(requester)`), as of the period's last day — or as of today while
    the period is still running. About ten queries whatever the number of tasks; the counts of
    both days and the overdue list in one statement, one pass over the tasks (`as_of`)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day = min(period.end, today)
    previous = period.previous()
    previous_day = min(previous.end, today)
    base = tasks if tasks is not None else Task.objects.all()
    current = tasks_in_scope(base, scope, day)
    counted = as_of.review_counts(tasks, scope, day, previous_day, using=base.db)
    overdue = counted.overdue
    obstacles = _obstacles(current, day)
    extensions = _extensions(current, period, day)
    transferred_from = _transferred_from(day)
    for row in [*obstacles, *extensions]:
        row["agency_id"] = transferred_from.get(row["task_id"], row["agency_id"])
    agency_ids = set(counted.by_lead) | {
        r["agency_id"] for r in [*overdue, *obstacles, *extensions]
    }
    agencies = {a.pk: a for a in _by_id(Agency.objects.all(), agency_ids) if a.pk in agency_ids}
    for row in [*overdue, *obstacles, *extensions]:
        agency = agencies.get(row["agency_id"])
        row["agency"] = agency.name if agency else ""
    totals = _totals(counted.total, counted.key_overdue)
    previous_totals = _totals(counted.previous, counted.previous_key_overdue)
    return {
        "version": 1,
        "period": _period_dict(period),
        "previous": _period_dict(previous),
        "scope": {
            "code": scope.code,
            "kind": scope.kind,
            "label": scope.label,
            "phrase": scope.phrase,
        },
        "as_of": day.isoformat(),
        "previous_as_of": previous_day.isoformat(),
        "computed_at": now.isoformat(),
        "classification": counted.classification,
        "totals": totals,
        "previous_totals": previous_totals,
        "change": _change(totals, previous_totals),
        "by_document": _document_rows(counted.by_document),
        "by_agency": _agency_rows(counted.by_lead, agencies),
        "overdue": overdue,
        "obstacles": obstacles,
        "extensions": extensions,
        "forecast": forecast_section(current, day),
        "sections": review_sections(
            ReviewScope(period.start, period.end, day, scope.kind, scope.agency_id)
        ),  # added by other apps (programs' adherence)
    }
