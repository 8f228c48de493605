import datetime as dt

import pytest

from dondoc.forecast.features import FEATURES, History, features_as_of, on_time_rate
from dondoc.tracking.models import Obstacle, ProgressReport, Task

DAY = dt.date(2026, 3, 1)


def make_task(agency, created, due, done=None, **extra) -> Task:
    return Task.objects.create(
        title="Xây dựng kế hoạch",
        lead_agency=agency,
        created_on=created,
        due_on=due,
        reported_done_on=done,
        accepted_on=done,
        **extra,
    )


def row(task: Task, day: dt.date) -> dict[str, float]:
    return dict(zip(FEATURES, features_as_of([task.pk], day)[0], strict=True))


def test_on_time_rate_prior_pulls_small_agencies_towards_two_thirds():
    assert on_time_rate(0, 0) == pytest.approx(2 / 3)
    assert on_time_rate(0, 1) == pytest.approx(0.5)
    assert on_time_rate(90, 100) == pytest.approx(92 / 103)


@pytest.mark.django_db
def test_report_after_the_day_does_not_change_features_at_that_day(lead_agency):
    task = make_task(lead_agency, DAY - dt.timedelta(days=40), DAY + dt.timedelta(days=40))
    ProgressReport.objects.create(
        task=task,
        agency=lead_agency,
        reported_on=DAY - dt.timedelta(days=10),
        percent=20,
        narrative="x",
    )
    before = row(task, DAY)
    ProgressReport.objects.create(
        task=task,
        agency=lead_agency,
        reported_on=DAY + dt.timedelta(days=1),
        percent=90,
        narrative="x",
    )
    Obstacle.objects.create(
        task=task, agency=lead_agency, raised_on=DAY + dt.timedelta(days=2), text="x"
    )
    assert row(task, DAY) == before
    assert before["progress"] == pytest.approx(0.2)
    assert before["days_since_report"] == 10
    assert before["elapsed_share"] == pytest.approx(0.5)
    assert before["behind"] == pytest.approx(0.3)
    assert row(task, DAY + dt.timedelta(days=2))["progress"] == pytest.approx(0.9)


@pytest.mark.django_db
def test_agency_rate_counts_only_tasks_finished_by_the_day(lead_agency):
    start = DAY - dt.timedelta(days=200)
    # finished late before DAY, and on time after DAY
    make_task(lead_agency, start, start + dt.timedelta(days=30), start + dt.timedelta(days=50))
    make_task(lead_agency, start, DAY + dt.timedelta(days=5), DAY + dt.timedelta(days=4))
    task = make_task(lead_agency, DAY - dt.timedelta(days=10), DAY + dt.timedelta(days=30))
    assert row(task, DAY)["agency_on_time_rate"] == pytest.approx(on_time_rate(0, 1))
    later = DAY + dt.timedelta(days=10)
    assert row(task, later)["agency_on_time_rate"] == pytest.approx(on_time_rate(1, 2))


@pytest.mark.django_db
def test_dependency_counts_while_the_other_task_is_open(lead_agency):
    other = make_task(lead_agency, DAY - dt.timedelta(days=30), DAY, DAY + dt.timedelta(days=5))
    task = make_task(lead_agency, DAY - dt.timedelta(days=30), DAY + dt.timedelta(days=30))
    task.depends_on.add(other)
    assert row(task, DAY)["open_dependencies"] == 1
    assert row(task, DAY + dt.timedelta(days=5))["open_dependencies"] == 0


@pytest.mark.django_db
def test_outcome_is_unknown_until_done_or_past_deadline(lead_agency):
    task = make_task(lead_agency, DAY - dt.timedelta(days=30), DAY, DAY + dt.timedelta(days=3))
    history = History.load(DAY + dt.timedelta(days=10))
    assert history.outcome(task.pk, DAY) is None
    assert history.outcome(task.pk, DAY + dt.timedelta(days=1)) is True
    assert history.outcome(task.pk, DAY + dt.timedelta(days=3)) is True
    assert History.load(DAY).outcome(task.pk, DAY) is None  # the later report is not loaded
