"""The dashboards: thin doors onto `selectors`; chart data go to the page with `json_script`."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.accounts import rules
from dondoc.core.access import allow
from dondoc.dashboards import selectors
from dondoc.dashboards.access import scorecard_access


def _trend_chart(points: list[selectors.TrendPoint]) -> dict[str, Any]:
    return {
        "labels": [p.label for p in points],
        "datasets": [
            {"label": _("Đã hoàn thành (lũy kế)"), "data": [p.done for p in points], "style": 0},
            {
                "label": _("Quá hạn chưa hoàn thành"),
                "data": [p.overdue for p in points],
                "style": 1,
            },
        ],
    }


@allow(rules.across_agencies)
def leader(request: rules.SignedInRequest) -> HttpResponse:
    context = selectors.leader_dashboard(request.user, timezone.localdate())
    slices = [s for s in context["slices"] if s.count]
    context["charts"] = {
        "status": {
            "type": "doughnut",
            "labels": [s.label for s in slices],
            "links": [s.url for s in slices],
            "datasets": [{"label": _("Nhiệm vụ"), "data": [s.count for s in slices]}],
        },
        "trend": {"type": "line", **_trend_chart(context["trend"])},
        "strategic": {
            "type": "bar",
            "labels": [row.symbol for row in context["strategic"]],
            "datasets": [
                {"label": _("Hoàn thành đúng hạn"), "data": [r.done_on_time for r in context["strategic"]], "style": 0},
                {"label": _("Hoàn thành quá hạn"), "data": [r.done_late for r in context["strategic"]], "style": 2},
                {"label": _("Quá hạn chưa hoàn thành"), "data": [r.overdue for r in context["strategic"]], "style": 1},
            ],
        },
        "agencies": {
            "type": "bar",
            "horizontal": True,
            "labels": [r["lead_agency__short_name"] or r["lead_agency__name"] for r in context["top_agencies"]],
            "links": [r["url"] for r in context["top_agencies"]],
            "datasets": [
                {"label": _("Quá hạn chưa hoàn thành"), "data": [r["overdue"] for r in context["top_agencies"]], "style": 1}
            ],
        },
    }  # fmt: skip
    return render(request, "dashboards/leader.html", context)


@allow(rules.review_reader)
def scorecard(request: rules.SignedInRequest, code: str) -> HttpResponse:
    agency = scorecard_access(request.user, code)
    today = timezone.localdate()
    card = selectors.agency_scorecard(request.user, agency, today)
    months = card.trend
    chart = {
        "type": "line",
        "labels": [m.point.label for m in months],
        "datasets": [
            {"label": _("Hoàn thành — cơ quan"), "data": [m.point.done for m in months], "style": 0},
            {"label": _("Hoàn thành — trung vị cùng loại"), "data": [m.median_done for m in months], "style": 2},
            {"label": _("Quá hạn — cơ quan"), "data": [m.point.overdue for m in months], "style": 1},
            {"label": _("Quá hạn — trung vị cùng loại"), "data": [m.median_overdue for m in months], "style": 3},
        ],
    }  # fmt: skip
    return render(
        request,
        "dashboards/scorecard.html",
        {"card": card, "agency": agency, "today": today, "charts": {"trend": chart}},
    )
