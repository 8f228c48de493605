"""Statistics over the tasks the caller may see."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router

from dondoc.accounts.models import User
from dondoc.api.auth import caller
from dondoc.api.schemas import AgencyCountsOut, OverviewOut, OverviewQuery
from dondoc.api.tracking import errors
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.figures import figures_cached
from dondoc.tracking.selectors import status_counts_by_lead_agency
from dondoc.tracking.status import TaskStatus
from dondoc.tracking.tallies import tallies_for

router = Router(tags=["stats"])


def overdue_share(counts: dict[str, Any]) -> float:
    """The headline figure: overdue and not done, over all tasks not cancelled (0 to 1)."""
    live = counts["total"] - counts[TaskStatus.CANCELLED]
    return counts[TaskStatus.OVERDUE] / live if live else 0.0


@router.get(
    "/overview", response={200: OverviewOut, **errors()}, summary="Tổng hợp theo trạng thái"
)
def overview(request: HttpRequest, query: Query[OverviewQuery]) -> HttpResponse:
    """Cached as the JSON itself: with thousands of agencies, building the answer again from
    cached objects would cost more than reading the cache."""
    day: dt.date = query.as_of or timezone.localdate()
    user = caller(request)
    body = figures_cached(
        "api-overview", user, day, lambda: overview_figures(user, day).model_dump_json().encode()
    )
    return HttpResponse(body, content_type="application/json")


def overview_figures(user: User, day: dt.date) -> OverviewOut:
    """Counts per lead agency; the totals are their sums (every task has one lead agency)."""
    counts = dict.fromkeys([*TaskStatus.values, "total"], 0)
    by_agency = []
    tallies = tallies_for(user, day)
    for row in status_counts_by_lead_agency(tasks_visible_to(user), day, tallies):
        agency_counts = {status: row[status] for status in TaskStatus.values}
        agency_counts["total"] = row["total"]
        for key, n in agency_counts.items():
            counts[key] += n
        by_agency.append(
            AgencyCountsOut(
                code=row["lead_agency__code"],
                name=row["lead_agency__name"],
                counts=agency_counts,
                overdue_share=overdue_share(agency_counts),
            )
        )
    return OverviewOut(
        as_of=day,
        counts=counts,
        overdue_share=overdue_share(counts),
        by_lead_agency=by_agency,
    )
