"""Status is derived from dates, reports and acceptance — in Python and in SQL alike."""

import datetime as dt
import itertools

import pytest

from dondoc.tracking.models import DeadlineKind, Task
from dondoc.tracking.status import TaskStatus, status_expression, status_filter, status_of

TODAY = dt.date(2026, 11, 26)
DAY = dt.timedelta(days=1)


def facts(**kwargs) -> Task:
    values = {
        "deadline_kind": DeadlineKind.DATE,
        "due_on": TODAY + 30 * DAY,
        "extended_due_on": None,
        "reported_done_on": None,
        "accepted_on": None,
        "cancelled_on": None,
    }
    return Task(**{**values, **kwargs})


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        (facts(due_on=TODAY), TaskStatus.DUE_SOON),
        (facts(due_on=TODAY - DAY), TaskStatus.OVERDUE),
        (facts(due_on=TODAY + 7 * DAY), TaskStatus.DUE_SOON),
        (facts(due_on=TODAY + 8 * DAY), TaskStatus.OPEN_ON_TIME),
        (facts(due_on=TODAY - DAY, extended_due_on=TODAY + 20 * DAY), TaskStatus.OPEN_ON_TIME),
        (
            facts(due_on=TODAY - 9 * DAY, reported_done_on=TODAY - DAY),
            TaskStatus.AWAITING_ACCEPTANCE,
        ),
        (
            facts(due_on=TODAY - 9 * DAY, reported_done_on=TODAY - 9 * DAY, accepted_on=TODAY),
            TaskStatus.DONE_ON_TIME,
        ),
        (
            facts(due_on=TODAY - 9 * DAY, reported_done_on=TODAY - 8 * DAY, accepted_on=TODAY),
            TaskStatus.DONE_LATE,
        ),
        (facts(deadline_kind=DeadlineKind.ONGOING, due_on=None), TaskStatus.ONGOING),
        (facts(cancelled_on=TODAY, reported_done_on=TODAY), TaskStatus.CANCELLED),
        (facts(cancelled_on=TODAY + DAY, due_on=TODAY - DAY), TaskStatus.OVERDUE),
    ],
    ids=[
        "deadline-day-itself-is-in-time",
        "day-after-deadline-is-overdue",
        "seven-days-ahead-is-due-soon",
        "eight-days-ahead-is-open",
        "approved-extension-moves-the-deadline",
        "final-report-awaits-acceptance",
        "done-on-deadline-day-is-on-time",
        "done-a-day-late-is-late",
        "ongoing-has-no-deadline",
        "cancelled-wins",
        "future-cancellation-not-yet-applied",
    ],
)
def test_status_rules_at_their_edges(task, expected):
    assert status_of(task, TODAY) == expected


def test_task_done_late_stays_late_when_asked_again_a_year_later():
    task = facts(due_on=TODAY - 9 * DAY, reported_done_on=TODAY - 2 * DAY, accepted_on=TODAY)
    assert status_of(task, TODAY + 365 * DAY) == TaskStatus.DONE_LATE


def test_done_after_original_deadline_within_extension_is_on_time():
    task = facts(
        due_on=TODAY - 20 * DAY,
        extended_due_on=TODAY - 5 * DAY,
        reported_done_on=TODAY - 6 * DAY,
        accepted_on=TODAY,
    )
    assert status_of(task, TODAY) == TaskStatus.DONE_ON_TIME


def test_report_filed_after_the_asked_day_does_not_count_yet():
    task = facts(due_on=TODAY - DAY, reported_done_on=TODAY + DAY, accepted_on=TODAY + 2 * DAY)
    assert status_of(task, TODAY) == TaskStatus.OVERDUE


@pytest.mark.django_db
def test_sql_case_and_sql_filters_agree_with_python_rules(lead_agency):
    """Every combination of facts around the edges gives one status, the same in all three."""
    day = lambda n: None if n is None else TODAY + n * DAY  # noqa: E731
    tasks = []
    for due, ext, reported, accepted, cancelled in itertools.product(
        [-9, -1, 0, 7, 8, None], [None, -1, 8], [None, -1, 0, 1], [None, 0, 1], [None, 0]
    ):
        tasks.append(
            Task(
                title="t",
                lead_agency=lead_agency,
                created_on=TODAY - 60 * DAY,
                deadline_kind=DeadlineKind.ONGOING if due is None else DeadlineKind.DATE,
                due_on=day(due),
                extended_due_on=day(ext),
                reported_done_on=day(reported),
                accepted_on=day(accepted) if reported is not None else None,
                cancelled_on=day(cancelled),
            )
        )
    Task.objects.bulk_create(tasks)
    expected = {t.pk: status_of(t, TODAY) for t in Task.objects.all()}
    annotated = dict(Task.objects.annotate(s=status_expression(TODAY)).values_list("pk", "s"))
    assert annotated == expected
    for status in TaskStatus.values:
        filtered = set(
            Task.objects.filter(status_filter(status, TODAY)).values_list("pk", flat=True)
        )
        assert filtered == {pk for pk, s in expected.items() if s == status}, status
    assert set(expected.values()) == set(TaskStatus.values)
