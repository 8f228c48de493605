"""What the dashboards show: every figure is counted inside the database, in a few queries.

Every figure starts from `tasks_visible_to(user)` and is computed for a day with the status
rules of `tracking.status`; a figure for a past day D counts only tasks assigned on or before D
and facts dated on or before D, so last month's numbers stay what they were.

Queries (whatever the number of tasks and agencies): the leaders' dashboard makes 8 (statuses,
trend, strategic documents, top agencies, due soon: 2, leader obstacles: 2) plus the forecast's
own; a scorecard makes 4 (peer agencies, peer task figures, peer obstacles, the agency's
open obstacles).
"""

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from dondoc.accounts.models import User
from dondoc.agencies.models import Agency
from dondoc.forecast.selectors import (
    Freshness,
    FreshnessState,
    forecast_freshness,
    tasks_at_risk,
)
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.figures import figures_cached
from dondoc.tracking.models import Document, Obstacle, ObstacleLevel, Task
from dondoc.tracking.selectors import (
    TaskFilters,
    overdue_by_lead_agency,
    status_counts,
    status_counts_by_lead_agency,
    tasks_matching,
)
from dondoc.tracking.status import TaskStatus, overdue_share, status_filter
from dondoc.tracking.tallies import (
    Tallies,
    done_as_of,
    month_ends,
    tallies_for,
    trend_aggregates,
)

DUE_WITHIN_DAYS = 14
LIST_LIMIT = 10
OPEN_STATUSES = (TaskStatus.OPEN_ON_TIME, TaskStatus.DUE_SOON)


def task_list_url(**params: Any) -> str:
    """The task list (/tasks/) filtered as given: the list behind a figure."""
    query = {key: value for key, value in params.items() if value not in (None, "", ())}
    return f"{reverse('tracking:task_list')}?{urlencode(query, doseq=True)}"


# Trend -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    day: dt.date
    done: int
    overdue: int

    @property
    def label(self) -> str:
        return f"{self.day:%m/%Y}"


def _points(row: dict[str, Any], days: Sequence[dt.date]) -> list[TrendPoint]:
    return [
        TrendPoint(day, int(row.get(f"done_{n}") or 0), int(row.get(f"overdue_{n}") or 0))
        for n, day in enumerate(days)
    ]


def monthly_trend(
    tasks: QuerySet[Task], today: dt.date, tallies: Tallies | None = None
) -> list[TrendPoint]:
    """Done and overdue-not-done at each month end of the last twelve months: one query (two
    small sums from `tallies`)."""
    if tallies is not None:
        points = tallies.trend().get(None, [])
        return [TrendPoint(day, done, overdue) for day, done, overdue in points] or _points(
            {}, month_ends(today)
        )
    days = month_ends(today)
    return _points(tasks.order_by().aggregate(**trend_aggregates(days)), days)


# The leaders' dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class Slice:
    status: str
    label: str
    count: int
    url: str


def status_slices(
    tasks: QuerySet[Task], today: dt.date, tallies: Tallies | None = None
) -> tuple[int, list[Slice]]:
    """The total and one slice per status as of `today`: one query."""
    counts = status_counts(tasks, today) if tallies is None else tallies.status_counts()
    slices = [
        Slice(s.value, str(s.label), counts[s.value], task_list_url(status=s.value))
        for s in TaskStatus
    ]
    return counts["total"], slices


@dataclass(frozen=True)
class StrategicRow:
    document_id: int
    symbol: str
    title: str
    total: int
    done_on_time: int
    done_late: int
    overdue: int

    @property
    def done_share(self) -> float | None:
        done = self.done_on_time + self.done_late
        return 100 * done / self.total if self.total else None

    def url(self, *statuses: str) -> str:
        return task_list_url(document=self.document_id, status=statuses)

    @property
    def total_url(self) -> str:
        return self.url()

    @property
    def on_time_url(self) -> str:
        return self.url(TaskStatus.DONE_ON_TIME)

    @property
    def late_url(self) -> str:
        return self.url(TaskStatus.DONE_LATE)

    @property
    def overdue_url(self) -> str:
        return self.url(TaskStatus.OVERDUE)


def strategic_documents(
    user: User, tasks: QuerySet[Task], today: dt.date, tallies: Tallies | None = None
) -> list[StrategicRow]:
    """Per strategic document (that the user may see): tasks not cancelled, done on time, done
    late, overdue. One grouped query (two from `tallies`)."""
    if tallies is not None:
        return _strategic_tallied(tallies)
    rows = (
        tasks.filter(document__is_strategic=True, document__classification__lte=user.clearance)
        .order_by()
        .values("document_id", "document__symbol", "document__title", "document__issued_on")
        .annotate(
            total=Count("pk", filter=~status_filter(TaskStatus.CANCELLED, today)),
            done_on_time=Count("pk", filter=status_filter(TaskStatus.DONE_ON_TIME, today)),
            done_late=Count("pk", filter=status_filter(TaskStatus.DONE_LATE, today)),
            overdue=Count("pk", filter=status_filter(TaskStatus.OVERDUE, today)),
        )
        .order_by("document__issued_on", "document_id")
    )
    return [
        StrategicRow(
            document_id=row["document_id"],
            symbol=row["document__symbol"],
            title=row["document__title"],
            total=row["total"],
            done_on_time=row["done_on_time"],
            done_late=row["done_late"],
            overdue=row["overdue"],
        )
        for row in rows
    ]


def _strategic_tallied(tallies: Tallies) -> list[StrategicRow]:
    counts = tallies.strategic_counts()
    documents = Document.objects.filter(pk__in=counts).order_by("issued_on", "pk")
    return [
        StrategicRow(
            document_id=pk,
            symbol=symbol,
            title=title,
            total=sum(counts[pk].values()) - counts[pk][TaskStatus.CANCELLED],
            done_on_time=counts[pk][TaskStatus.DONE_ON_TIME],
            done_late=counts[pk][TaskStatus.DONE_LATE],
            overdue=counts[pk][TaskStatus.OVERDUE],
        )
        for pk, symbol, title in documents.values_list("pk", "symbol", "title")
    ]


def top_overdue_agencies(
    tasks: QuerySet[Task], today: dt.date, tallies: Tallies | None = None
) -> list[dict[str, Any]]:
    """The ten lead agencies with most overdue tasks, each with the link to those tasks."""
    if tallies is None:
        rows = overdue_by_lead_agency(tasks, today, limit=LIST_LIMIT)
    else:
        rows = [
            {key: row[key] for key in ("lead_agency__code", "lead_agency__name",
                                       "lead_agency__short_name")}
            | {"overdue": row[TaskStatus.OVERDUE]}
            for row in status_counts_by_lead_agency(tasks, today, tallies)[:LIST_LIMIT]
            if row[TaskStatus.OVERDUE]
        ]  # fmt: skip
    for row in rows:
        code = row["lead_agency__code"]
        row["url"] = task_list_url(status=TaskStatus.OVERDUE, lead=code)
        row["scorecard_url"] = reverse("dashboards:scorecard", args=[code])
    return rows


@dataclass(frozen=True)
class TaskShortList:
    """A count, the first tasks, and the link to the whole list."""

    count: int
    tasks: list[Task]
    url: str


def due_within(tasks: QuerySet[Task], today: dt.date, days: int = DUE_WITHIN_DAYS) -> TaskShortList:
    """Open tasks whose effective deadline falls in the next `days` days: two queries."""
    filters = TaskFilters(
        status=OPEN_STATUSES, due_after=today, due_before=today + dt.timedelta(days=days)
    )
    matching = tasks_matching(tasks, filters, today)
    return TaskShortList(
        count=matching.count(),
        tasks=list(
            matching.select_related("lead_agency", "document").order_by(
                Coalesce("extended_due_on", "due_on"), "id"
            )[:LIST_LIMIT]
        ),
        url=task_list_url(
            status=filters.status,
            due_after=today.isoformat(),
            due_before=(today + dt.timedelta(days=days)).isoformat(),
        ),
    )


@dataclass(frozen=True)
class ObstacleList:
    count: int
    obstacles: list[Obstacle]


def obstacles_for_leaders(tasks: QuerySet[Task]) -> ObstacleList:
    """Obstacles escalated to the leaders and not answered yet, oldest first: two queries."""
    waiting = Obstacle.objects.filter(
        level=ObstacleLevel.LEADER, answered_on__isnull=True, task__in=tasks.values("pk")
    )
    return ObstacleList(
        count=waiting.count(),
        obstacles=list(
            waiting.select_related("task", "agency").order_by("raised_on", "id")[:LIST_LIMIT]
        ),
    )


AT_RISK_MIN_PROBABILITY = 0.5  # "at risk": more likely late than not (as in the review)
NO_MODEL = Freshness(FreshnessState.NEVER)


@dataclass(frozen=True)
class Forecast:
    available: bool
    rows: list[Any] = field(default_factory=list)
    freshness: Freshness = NO_MODEL


def at_risk(tasks: QuerySet[Task], today: dt.date, limit: int = LIST_LIMIT) -> Forecast:
    """Open tasks not yet overdue that are more likely late than not, from `dondoc.forecast`'s
    latest predictions, and whether that forecast exists and is recent (`forecast_freshness`):
    the page says when it was never trained or is stale. Two queries."""
    open_tasks = tasks.filter(
        status_filter(OPEN_STATUSES[0], today) | status_filter(OPEN_STATUSES[1], today)
    )
    freshness = forecast_freshness()
    rows = [r for r in tasks_at_risk(open_tasks, limit)
            if r.probability >= AT_RISK_MIN_PROBABILITY]  # fmt: skip
    return Forecast(available=freshness.usable or bool(rows), rows=rows, freshness=freshness)


def leader_dashboard(user: User, today: dt.date) -> dict[str, Any]:
    """Every figure of the leaders' dashboard; all but the forecast's (which its own job
    refreshes) are cached until the data changes (`tracking.figures`)."""
    tasks = tasks_visible_to(user)
    figures = figures_cached("leader-dashboard", user, today, lambda: leader_figures(user, today))
    return {**figures, "forecast": at_risk(tasks, today)}


def leader_figures(user: User, today: dt.date) -> dict[str, Any]:
    tasks = tasks_visible_to(user)
    tallies = tallies_for(user, today)
    total, slices = status_slices(tasks, today, tallies)
    share = overdue_share({s.status: s.count for s in slices})
    return {
        "today": today,
        "total": total,
        "slices": slices,
        "overdue_count": share.overdue,
        "overdue_share": share.percent,
        "overdue_base": share.base,
        "overdue_url": task_list_url(status=TaskStatus.OVERDUE),
        "trend": monthly_trend(tasks, today, tallies),
        "strategic": strategic_documents(user, tasks, today, tallies),
        "top_agencies": top_overdue_agencies(tasks, today, tallies),
        "due_soon": due_within(tasks, today),
        "due_days": DUE_WITHIN_DAYS,
        "obstacles": obstacles_for_leaders(tasks),
    }


# Agency scorecard --------------------------------------------------------------------------


def _median(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(statistics.median(known)) if known else None


def _days(value: dt.timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 86400


@dataclass(frozen=True)
class AgencyFigures:
    done: int = 0
    on_time: int = 0
    average_delay: float | None = None  # days, of tasks done late
    open_obstacles: int = 0
    trend: list[TrendPoint] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return 100 * self.on_time / self.done if self.done else None


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: float | None
    median: float | None
    unit: str
    higher_is_better: bool
    url: str = ""

    @property
    def better(self) -> bool | None:
        if self.value is None or self.median is None or self.value == self.median:
            return None
        return (self.value > self.median) == self.higher_is_better


@dataclass(frozen=True)
class MonthComparison:
    point: TrendPoint
    median_done: float | None
    median_overdue: float | None


@dataclass(frozen=True)
class Scorecard:
    agency: Agency
    peer_count: int
    metrics: list[Metric]
    trend: list[MonthComparison]
    obstacles: list[Obstacle]


def comparison_scope(user: User) -> QuerySet[Task]:
    """The tasks a scorecard counts. For users who see all agencies: `tasks_visible_to(user)`.
    For an agency's focal point or head, their own agency's figures are the same either way (it
    leads those tasks); the peers' figures enter the page only as medians, never one by one, and
    are counted over the tasks within the user's clearance."""
    if user.sees_all_agencies:
        return tasks_visible_to(user)
    return Task.objects.filter(classification__lte=user.clearance)


def _open_obstacles(tasks: QuerySet[Task], peers: QuerySet[Agency]) -> dict[int, int]:
    return dict(
        Obstacle.objects.filter(
            answered_on__isnull=True, agency__in=peers.values("pk"), task__in=tasks.values("pk")
        )
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )


def _peer_figures_tallied(
    tallies: Tallies, peer_ids: list[int], obstacles: dict[int, int]
) -> dict[int, AgencyFigures]:
    done = tallies.done_by_agency(peer_ids)
    trends = tallies.trend(peer_ids)
    empty = _points({}, month_ends(tallies.day))
    figures: dict[int, AgencyFigures] = {}
    for agency_id in {*done, *obstacles, *(pk for pk in trends if pk is not None)}:
        n, late, late_days = done.get(agency_id, (0, 0, 0))
        figures[agency_id] = AgencyFigures(
            done=n,
            on_time=n - late,
            average_delay=late_days / late if late else None,
            open_obstacles=obstacles.get(agency_id, 0),
            trend=[TrendPoint(*point) for point in trends[agency_id]]
            if agency_id in trends
            else empty,
        )
    return figures


def peer_figures(
    tasks: QuerySet[Task],
    peers: QuerySet[Agency],
    today: dt.date,
    tallies: Tallies | None = None,
) -> dict[int, AgencyFigures]:
    """Figures of every agency in `peers` (grouped: one query for tasks, one for obstacles;
    from `tallies`, three small sums and the obstacles)."""
    if tallies is not None:
        peer_ids = list(peers.values_list("pk", flat=True))
        return _peer_figures_tallied(tallies, peer_ids, _open_obstacles(tasks, peers))
    days = month_ends(today)
    done = done_as_of(today)
    late = Q(created_on__lte=today) & status_filter(TaskStatus.DONE_LATE, today)
    delay = ExpressionWrapper(
        F("reported_done_on") - Coalesce(F("extended_due_on"), F("due_on")),
        output_field=DurationField(),
    )
    rows = (
        tasks.filter(lead_agency__in=peers.values("pk"))
        .order_by()
        .values("lead_agency_id")
        .annotate(
            done=Count("pk", filter=done),
            on_time=Count("pk", filter=done & ~late),
            average_delay=Avg(delay, filter=late),
            **trend_aggregates(days),
        )
    )
    obstacles = _open_obstacles(tasks, peers)
    figures: dict[int, AgencyFigures] = {}
    for row in rows:
        agency_id = row["lead_agency_id"]
        figures[agency_id] = AgencyFigures(
            done=row["done"],
            on_time=row["on_time"],
            average_delay=_days(row["average_delay"]),
            open_obstacles=obstacles.pop(agency_id, 0),
            trend=_points(row, days),
        )
    for agency_id, count in obstacles.items():
        figures[agency_id] = AgencyFigures(open_obstacles=count, trend=_points({}, days))
    return figures


def agency_scorecard(user: User, agency: Agency, today: dt.date) -> Scorecard:
    """An agency's on-time rate, average delay, open obstacles and monthly trend, each beside
    the median of the agencies of the same kind (those in operation, and this one)."""
    peers = Agency.objects.filter(
        Q(kind=agency.kind) & (Q(valid_to__isnull=True) | Q(pk=agency.pk))
    )
    peer_ids = list(peers.values_list("pk", flat=True))
    tasks = comparison_scope(user)
    figures = peer_figures(tasks, peers, today, tallies_for(user, today, every_agency=True))
    empty = AgencyFigures(trend=_points({}, month_ends(today)))
    every = [figures.get(pk, empty) for pk in peer_ids]
    own = figures.get(agency.pk, empty)
    code = agency.code
    metrics = [
        Metric("on_time_rate", _("Tỷ lệ hoàn thành đúng hạn"), own.on_time_rate,
               _median([f.on_time_rate for f in every]), "%", True,
               task_list_url(lead=code, status=[TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE])),
        Metric("average_delay", _("Số ngày chậm bình quân của nhiệm vụ hoàn thành quá hạn"),
               own.average_delay, _median([f.average_delay for f in every]), _("ngày"), False,
               task_list_url(lead=code, status=TaskStatus.DONE_LATE)),
        Metric("open_obstacles", _("Vướng mắc chưa được trả lời"), float(own.open_obstacles),
               _median([float(f.open_obstacles) for f in every]), "", False, "#vuong-mac"),
    ]  # fmt: skip
    trend = [
        MonthComparison(
            point=point,
            median_done=_median([float(f.trend[n].done) for f in every]),
            median_overdue=_median([float(f.trend[n].overdue) for f in every]),
        )
        for n, point in enumerate(own.trend)
    ]
    obstacles = list(
        Obstacle.objects.filter(
            agency=agency, answered_on__isnull=True, task__in=tasks.values("pk")
        )
        .select_related("task")
        .order_by("raised_on", "id")[:LIST_LIMIT]
    )
    return Scorecard(agency, len(peer_ids), metrics, trend, obstacles)
