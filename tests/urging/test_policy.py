"""The reminder series of one deadline, as pure date arithmetic (no database)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dondoc.urging import policy as p

D = dt.date(2026, 12, 15)
DAY = dt.timedelta(days=1)
NORMAL = p.Policy(days_before=(7, 2), on_due_day=True, overdue_every=3, escalate_after=7)
URGENT = p.Policy(days_before=(14, 7, 2), on_due_day=True, overdue_every=3, escalate_after=3)


def series(policy: p.Policy, until: dt.date) -> list[tuple[int, str]]:
    """Every step up to `until`, as (days relative to the deadline, kind)."""
    steps, day = [], p.first_step(policy, D)
    while day is not None and day <= until:
        steps += [((day - D).days, kind) for kind in sorted(p.kinds_on(policy, D, day))]
        day = p.step_after(policy, D, day)
    return steps


def test_normal_tasks_7_and_2_days_before_on_the_day_then_every_3_days_escalated_after_7():
    assert series(NORMAL, D + 13 * DAY) == [
        (-7, p.DUE_SOON), (-2, p.DUE_SOON), (0, p.DUE_TODAY),
        (1, p.OVERDUE), (4, p.OVERDUE), (7, p.ESCALATION), (7, p.OVERDUE),
        (10, p.OVERDUE), (13, p.OVERDUE),
    ]  # fmt: skip


def test_urgent_tasks_14_days_before_too_and_escalated_after_3():
    assert series(URGENT, D + 7 * DAY) == [
        (-14, p.DUE_SOON), (-7, p.DUE_SOON), (-2, p.DUE_SOON), (0, p.DUE_TODAY),
        (1, p.OVERDUE), (3, p.ESCALATION), (4, p.OVERDUE), (7, p.OVERDUE),
    ]  # fmt: skip


def test_zero_means_once_or_never():
    once = p.Policy(days_before=(), on_due_day=False, overdue_every=0, escalate_after=0)
    assert series(once, D + 100 * DAY) == [(1, p.OVERDUE)]
    assert p.step_after(once, D, D + DAY) is None


def test_a_day_between_steps_owes_nothing_new():
    assert p.reminders_due(NORMAL, D, since=D - 2 * DAY, today=D - 3 * DAY) == []
    assert p.reminders_due(NORMAL, D, since=D + 5 * DAY, today=D + 6 * DAY) == []


def test_catching_up_sends_only_the_latest_step():
    # a new task due in 5 days: one "due soon" (the 7-day step), not every step it missed
    assert p.reminders_due(NORMAL, D, since=p.first_step(NORMAL, D), today=D - 5 * DAY) == [
        (p.DUE_SOON, D - 7 * DAY)
    ]


def test_catching_up_never_skips_the_escalation():
    # a task found 30 days overdue: the latest overdue notice, and the escalation it missed
    assert p.reminders_due(NORMAL, D, since=p.first_step(NORMAL, D), today=D + 30 * DAY) == [
        (p.OVERDUE, D + 28 * DAY),
        (p.ESCALATION, D + 7 * DAY),
    ]
    # …but once past the escalation, it is not sent again
    assert p.reminders_due(NORMAL, D, since=D + 10 * DAY, today=D + 30 * DAY) == [
        (p.OVERDUE, D + 28 * DAY)
    ]


@given(
    st.lists(st.integers(1, 30), max_size=4),
    st.booleans(),
    st.integers(0, 10),
    st.integers(0, 20),
    st.integers(-40, 60),
)
def test_step_after_and_step_until_agree(before, on_day, every, escalate, offset):
    policy = p.Policy(tuple(sorted(set(before), reverse=True)), on_day, every, escalate)
    day = D + offset * DAY
    following = p.step_after(policy, D, day)
    until = p.step_until(policy, D, day)
    if following is not None:
        assert following > day
        assert p.kinds_on(policy, D, following)
        assert p.step_until(policy, D, following - DAY) == until  # nothing in between
    if until is not None:
        assert until <= day
        assert p.kinds_on(policy, D, until)


@pytest.mark.parametrize(
    ("text", "days"), [("7, 2", (7, 2)), ("2,7,7", (7, 2)), ("14; 7 ; 2", (14, 7, 2)), ("", ())]
)
def test_days_are_read_from_what_the_office_types(text, days):
    from dondoc.urging.models import parse_days

    assert parse_days(text) == days
