"""The dashboard figures equal hand counts on the world of `conftest.py`."""

import datetime as dt
from types import SimpleNamespace

import pytest

from dondoc.dashboards import selectors
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.models import TallyWindow, TaskTally
from dondoc.tracking.tallies import tallies_for, tallies_rebuild
from tests.dashboards.conftest import TODAY, d


@pytest.fixture
def tasks(world, leader):
    return tasks_visible_to(leader)


def test_status_donut_counts_each_status_as_of_today(tasks):
    total, slices = selectors.status_slices(tasks, TODAY)
    assert total == 13
    assert {s.status: s.count for s in slices} == {
        "open_on_time": 2, "due_soon": 1, "overdue": 3, "awaiting_acceptance": 1,
        "done_on_time": 2, "done_late": 2, "ongoing": 1, "cancelled": 1,
    }  # fmt: skip
    assert next(s for s in slices if s.status == "overdue").url == "/tasks/?status=overdue"


def test_month_ends_are_the_last_eleven_month_ends_then_today():
    days = selectors.month_ends(TODAY)
    assert len(days) == 12
    assert days[0] == d(31, 12, 2025)
    assert days[-3:] == [d(30, 9), d(31, 10), TODAY]


def test_trend_counts_done_and_overdue_as_they_stood_at_each_month_end(tasks):
    trend = {p.day: p for p in selectors.monthly_trend(tasks, TODAY)}
    # 30/09: T1 and T12 accepted; T2 (reported only in October) and T8 (cancelled only in
    # October) overdue.
    assert (trend[d(30, 9)].done, trend[d(30, 9)].overdue) == (2, 2)
    # 31/10: T2 and T13 accepted too; T3 and T9 overdue (T10 is due 1/11).
    assert (trend[d(31, 10)].done, trend[d(31, 10)].overdue) == (4, 2)
    assert (trend[TODAY].done, trend[TODAY].overdue) == (4, 3)
    assert (trend[d(31, 8)].done, trend[d(31, 8)].overdue) == (0, 0)


def test_trend_for_a_past_day_ignores_tasks_assigned_later(tasks, world):
    world.tasks["T10"].due_on = d(1, 10)  # overdue on 31/10, but assigned only on 15/10
    world.tasks["T10"].created_on = d(1, 11)
    world.tasks["T10"].save()
    assert selectors.monthly_trend(tasks, TODAY)[-2].overdue == 2


def test_strategic_table_counts_each_strategic_document(world, leader, tasks):
    rows = {r.symbol: r for r in selectors.strategic_documents(leader, tasks, TODAY)}
    assert set(rows) == {"57-NQ/TW", "66-NQ/TW"}
    nq57, nq66 = rows["57-NQ/TW"], rows["66-NQ/TW"]
    assert (nq57.total, nq57.done_on_time, nq57.done_late, nq57.overdue) == (4, 1, 1, 1)
    assert nq57.done_share == 50
    assert (nq66.total, nq66.done_on_time, nq66.done_late, nq66.overdue) == (3, 0, 1, 1)
    assert nq66.done_share == pytest.approx(100 / 3)
    assert nq57.overdue_url == f"/tasks/?document={world.nq57.pk}&status=overdue"


def test_strategic_table_leaves_out_documents_above_the_users_clearance(world, inspector, tasks):
    world.nq66.classification = 3
    world.nq66.save()
    rows = selectors.strategic_documents(inspector, tasks_visible_to(inspector), TODAY)
    assert [r.symbol for r in rows] == ["57-NQ/TW"]


def test_top_overdue_agencies_most_first_with_links(tasks):
    rows = selectors.top_overdue_agencies(tasks, TODAY)
    assert [(r["lead_agency__code"], r["overdue"]) for r in rows] == [("BTGTW", 2), ("BTCTW", 1)]
    assert rows[0]["url"] == "/tasks/?status=overdue&lead=BTGTW"
    assert rows[0]["scorecard_url"] == "/dashboard/agencies/BTGTW/"


def test_due_within_fourteen_days_counts_open_tasks_by_effective_deadline(tasks):
    due = selectors.due_within(tasks, TODAY)
    assert due.count == 2
    assert [t.title for t in due.tasks] == ["T5", "T11"]
    assert due.url == (
        "/tasks/?status=open_on_time&status=due_soon&due_after=2026-11-26&due_before=2026-12-10"
    )


def test_obstacles_for_leaders_are_the_unanswered_escalated_ones(tasks):
    waiting = selectors.obstacles_for_leaders(tasks)
    assert waiting.count == 1
    assert [o.task.title for o in waiting.obstacles] == ["T3"]


def test_before_the_forecast_has_run_there_is_no_forecast(tasks):
    forecast = selectors.at_risk(tasks, TODAY)
    assert (forecast.available, forecast.rows) == (False, [])
    assert forecast.freshness.state == "never"


def test_the_forecast_is_asked_about_open_tasks_only(tasks, monkeypatch):
    seen: list[str] = []
    likely, unlikely = SimpleNamespace(probability=0.7), SimpleNamespace(probability=0.2)

    def fake(open_tasks, limit):
        seen.extend(sorted(t.title for t in open_tasks))
        return [likely, unlikely]

    monkeypatch.setattr(selectors, "tasks_at_risk", fake)
    forecast = selectors.at_risk(tasks, TODAY)
    assert (forecast.available, forecast.rows) == (True, [likely])
    assert seen == ["T11", "T4", "T5"]


def test_scorecard_compares_with_the_median_of_agencies_of_the_same_kind(world, leader):
    # Same kind (central bodies): BTCTW, BTGTW and the office VPTW (no tasks).
    card = selectors.agency_scorecard(leader, world.btctw, TODAY)
    assert card.peer_count == 3
    metrics = {m.key: m for m in card.metrics}
    assert (metrics["on_time_rate"].value, metrics["on_time_rate"].median) == (50, 75)
    assert metrics["on_time_rate"].better is False
    assert (metrics["average_delay"].value, metrics["average_delay"].median) == (20, 20)
    assert (metrics["open_obstacles"].value, metrics["open_obstacles"].median) == (1, 1)
    assert metrics["on_time_rate"].url == "/tasks/?lead=BTCTW&status=done_on_time&status=done_late"
    september = next(m for m in card.trend if m.point.day == d(30, 9))
    assert (september.point.done, september.point.overdue) == (1, 1)  # T1 done, T2 overdue
    assert (september.median_done, september.median_overdue) == (0, 0)
    october = next(m for m in card.trend if m.point.day == d(31, 10))
    assert (october.point.done, october.median_done) == (2, 1)  # BTCTW 2, BTGTW 1, VPTW 0
    assert [o.text for o in card.obstacles] == ["Thiếu kinh phí"]


def test_average_delay_of_a_province_counts_its_late_tasks(world, leader):
    card = selectors.agency_scorecard(leader, world.hanoi, TODAY)
    metrics = {m.key: m for m in card.metrics}
    assert card.peer_count == 1
    assert metrics["average_delay"].value == pytest.approx(10)
    assert metrics["on_time_rate"].value == 0


def test_a_task_finished_within_an_extension_is_not_late(world, leader):
    world.tasks["T2"].extended_due_on = d(10, 10)
    world.tasks["T2"].save()
    card = selectors.agency_scorecard(leader, world.btctw, TODAY)
    metrics = {m.key: m for m in card.metrics}
    assert metrics["on_time_rate"].value == 100
    assert metrics["average_delay"].value is None


def test_months_before_today_use_month_ends():
    assert selectors.month_ends(dt.date(2026, 1, 15), 3) == [
        d(30, 11, 2025),
        d(31, 12, 2025),
        d(15, 1),
    ]


# Counted from the tallies (`tracking.tallies`): the same figures ---------------------------


@pytest.mark.parametrize("who", ["leader", "inspector"])
def test_the_tallies_give_the_dashboard_the_same_figures(world, who, request):
    user = request.getfixturevalue(who)
    counted = selectors.leader_figures(user, TODAY)
    tallies_rebuild(TODAY)
    assert tallies_for(user, TODAY) is not None
    assert selectors.leader_figures(user, TODAY) == counted


@pytest.mark.parametrize("agency", ["btctw", "btgtw", "hanoi"])
def test_the_tallies_give_the_scorecards_the_same_figures(world, leader, lead_focal, agency):
    for user in (leader, lead_focal):
        counted = selectors.agency_scorecard(user, getattr(world, agency), TODAY)
        tallies_rebuild(TODAY)
        assert selectors.agency_scorecard(user, getattr(world, agency), TODAY) == counted
        TaskTally.objects.all().delete()
        TallyWindow.objects.update(from_day=d(1, 1, 2000), until_day=d(1, 1, 2000))
