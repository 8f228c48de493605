"""The dashboard pages over HTTP: who may open them, what they link to, how many queries."""

import datetime as dt
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.dashboards import selectors
from dondoc.forecast.models import ForecastModel
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.forms import TaskFilterForm
from dondoc.tracking.models import Obstacle, ObstacleLevel
from dondoc.tracking.selectors import tasks_matching
from tests.agencies.conftest import signed_in
from tests.conftest import make_user
from tests.dashboards.conftest import TODAY, d, make_task

LEADER_URL = "/dashboard/"


def scorecard_url(code: str) -> str:
    return reverse("dashboards:scorecard", args=[code])


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="(/tasks/\?[^"]*)"', html)]


def count_behind(user, url: str) -> int:
    """How many tasks the task list shows for a link (its GET parameters through its form)."""
    form = TaskFilterForm(user, QueryDict(urlsplit(url).query))
    return tasks_matching(tasks_visible_to(user), form.filters(), TODAY).count()


# Who may open what ----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["leader", "office_user", "inspector", "admin_user"])
def test_users_who_see_all_agencies_open_the_leaders_dashboard(world, actor, request):
    response = signed_in(request.getfixturevalue(actor)).get(LEADER_URL)
    assert response.status_code == 200
    assert reverse("dashboards:leader") == LEADER_URL


def test_a_focal_point_is_refused_the_leaders_dashboard(world, lead_focal):
    assert signed_in(lead_focal).get(LEADER_URL).status_code == 403


def test_a_focal_point_opens_their_own_agencys_scorecard(world, lead_focal):
    response = signed_in(lead_focal).get(scorecard_url("BTCTW"))
    assert response.status_code == 200
    assert "Ban Tổ chức Trung ương" in response.content.decode()


def test_a_focal_point_of_another_agency_finds_no_scorecard(world, other_focal):
    assert signed_in(other_focal).get(scorecard_url("BTCTW")).status_code == 404


def test_an_unknown_agency_has_no_scorecard(world, leader):
    assert signed_in(leader).get(scorecard_url("KHONGCO")).status_code == 404


def test_a_user_without_an_agency_role_is_refused_scorecards(world, lead_agency):
    member = make_user("thanhvien", lead_agency)
    assert signed_in(member).get(scorecard_url("BTCTW")).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(world, client):
    assert client.get(LEADER_URL).status_code == 302


# What the pages show ----------------------------------------------------------------------------


def test_the_leaders_dashboard_shows_tables_and_chart_data(world, leader):
    html = signed_in(leader).get(LEADER_URL).content.decode()
    assert 'src="/static/vendor/chart-4.umd.min.js"' in html
    assert 'src="/static/dashboards/charts.js"' in html
    assert '<script id="chart-status" type="application/json">' in html
    assert '<script id="chart-trend" type="application/json">' in html
    assert 'id="chart-strategic-table"' in html
    assert 'id="chart-agencies-table"' in html
    assert 'data-testid="total">13<' in html
    assert (
        '<tr data-month="2026-09"><th scope="row">09/2026</th><td class="num">2</td><td class="num">2</td></tr>'
        in html
    )
    assert 'data-testid="overdue-share"><strong>25,00%' in html  # 3 / (13 - 1)
    assert "Chưa có dự báo" in html
    assert "Chờ ý kiến" in html  # the obstacle escalated to the leaders
    assert "Đã trả lời" not in html


def test_every_figure_of_the_leaders_dashboard_links_to_the_tasks_it_counts(world, leader):
    html = signed_in(leader).get(LEADER_URL).content.decode()
    hrefs = links(html)
    assert "/tasks/?status=overdue&lead=BTGTW" in hrefs
    assert f"/tasks/?document={world.nq57.pk}&status=done_late" in hrefs
    assert (
        "/tasks/?status=open_on_time&status=due_soon&due_after=2026-11-26&due_before=2026-12-10"
        in hrefs
    )
    expected = {
        "/tasks/?status=overdue": 3,
        "/tasks/?status=overdue&lead=BTGTW": 2,
        "/tasks/?status=overdue&lead=BTCTW": 1,
        f"/tasks/?document={world.nq57.pk}": 4,
        f"/tasks/?document={world.nq57.pk}&status=done_on_time": 1,
        f"/tasks/?document={world.nq66.pk}&status=overdue": 1,
        "/tasks/?status=open_on_time&status=due_soon&due_after=2026-11-26&due_before=2026-12-10": 2,
    }
    for url, count in expected.items():
        assert url in hrefs
        assert count_behind(leader, url) == count, url
    assert reverse("tracking:task_detail", args=[world.tasks["T5"].pk]) in html
    assert reverse("tracking:task_detail", args=[world.tasks["T3"].pk]) in html  # obstacle
    assert scorecard_url("BTGTW") in html


def test_the_strategic_total_link_counts_the_cancelled_tasks_apart(world, leader):
    """The table's total leaves out cancelled tasks; 57-NQ/TW has none, so both agree."""
    rows = selectors.strategic_documents(leader, tasks_visible_to(leader), TODAY)
    for row in rows:
        assert count_behind(leader, row.total_url) == row.total


def test_forecast_rows_link_to_their_tasks(world, leader, monkeypatch):
    at_risk = type("AtRisk", (), {})()
    at_risk.task, at_risk.probability, at_risk.reasons = world.tasks["T5"], 0.8, ["Chưa báo cáo"]
    monkeypatch.setattr(selectors, "tasks_at_risk", lambda tasks, limit: [at_risk])
    html = signed_in(leader).get(LEADER_URL).content.decode()
    assert "Chưa có dự báo" not in html
    assert "80%" in html
    assert "Chưa báo cáo" in html
    assert reverse("tracking:task_detail", args=[world.tasks["T5"].pk]) in html


def test_the_scorecard_shows_figures_beside_the_median(world, lead_focal):
    html = signed_in(lead_focal).get(scorecard_url("BTCTW")).content.decode()
    row = re.search(r'<tr data-metric="on_time_rate">.*?</tr>', html, re.S)
    assert row is not None
    assert "50,0 %" in row.group(0)
    assert "75,0 %" in row.group(0)
    assert "Kém hơn" in row.group(0)
    assert "/tasks/?lead=BTCTW&amp;status=done_on_time&amp;status=done_late" in html
    assert '<script id="chart-trend" type="application/json">' in html
    assert 'id="chart-trend-table"' in html
    assert "Thiếu kinh phí" in html
    assert "BTGTW" not in html  # peers only enter as medians


# Query counts -----------------------------------------------------------------------------------


def grow(first: int, last: int) -> None:
    """`n` more agencies of each kind in play, each leading tasks in several statuses with
    obstacles."""
    for i in range(first, last):
        agency = Agency.objects.create(
            code=f"X{i}", name=f"Cơ quan {i}", kind=AgencyKind.CENTRAL_BODY
        )
        late = make_task(f"late {i}", agency, None, due_on=d(1, 9), reported_done_on=d(5, 9),
                         accepted_on=d(6, 9))  # fmt: skip
        make_task(f"overdue {i}", agency, None, due_on=d(1, 11))
        make_task(f"soon {i}", agency, None, due_on=d(1, 12))
        Obstacle.objects.create(task=late, agency=agency, raised_on=d(2, 9), text="x",
                                level=ObstacleLevel.LEADER)  # fmt: skip


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("actor", "url", "most"),
    [("leader", LEADER_URL, 15), ("leader", "/dashboard/agencies/BTCTW/", 11),
     ("lead_focal", "/dashboard/agencies/BTCTW/", 10)],
)  # fmt: skip
def test_query_count_does_not_grow_with_agencies_and_tasks(
    world, actor, url, most, request, django_assert_max_num_queries
):
    user = request.getfixturevalue(actor)
    client = signed_in(user)
    client.get(url)  # warm the session and the caches
    grow(0, 5)
    with django_assert_max_num_queries(most):
        few = queries(client, url)
    grow(5, 50)  # 50 agencies, 150 tasks more
    many = queries(client, url)
    assert few == many


# The forecast's freshness -----------------------------------------------------------------------


def trained(tmp_path, at) -> ForecastModel:
    path = tmp_path / "model.joblib"
    path.write_bytes(b"model")
    return ForecastModel.objects.create(
        trained_at=at, trained_until=at.date(), kind="boosting", path=str(path), n_samples=10,
        n_tasks=5,
    )  # fmt: skip


def test_a_forecast_never_trained_says_so_and_promises_a_first_training(world, leader):
    html = signed_in(leader).get(LEADER_URL).content.decode()
    assert "Chưa có dự báo: mô hình dự báo chưa được huấn luyện lần nào." in html
    assert "không có nhiệm vụ" not in html.lower()


def test_a_stale_forecast_says_since_when(world, leader, tmp_path):
    trained(tmp_path, timezone.now() - dt.timedelta(days=20))
    html = signed_in(leader).get(LEADER_URL).content.decode()
    stale = re.search(r'data-testid="stale-forecast">(.*?)</p>', html, re.S)
    assert stale is not None
    day = timezone.localtime(timezone.now() - dt.timedelta(days=20)).strftime("%d/%m/%Y")
    assert f"mô hình được huấn luyện ngày {day}, đã quá 8 ngày" in stale.group(1)


def test_no_task_at_risk_is_never_said_beside_overdue_tasks(world, leader, tmp_path):
    trained(tmp_path, timezone.now())
    html = signed_in(leader).get(LEADER_URL).content.decode()
    assert "Chưa có dự báo" not in html
    assert 'data-testid="stale-forecast"' not in html
    said = re.search(r'data-testid="forecast-overdue">(.*?)</p>', html, re.S)
    assert said is not None  # the world has overdue tasks: they are named first, with their link
    overdue = selectors.leader_figures(leader, TODAY)["overdue_count"]
    assert overdue > 0
    assert f"{overdue} nhiệm vụ đã quá hạn</a>: đã chậm" in said.group(1)
    assert 'data-testid="no-risk"' not in html
