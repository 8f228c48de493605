"""Working days on the Vietnamese calendar: weekends, Tết and the substituted days off from the
`holidays` library, and the office's own exceptional days."""

import datetime as dt

import pytest

from dondoc.programs.models import DayException
from dondoc.programs.workdays import add_working_days, working_days_between

pytestmark = pytest.mark.django_db


def test_five_working_days_skip_the_weekend():
    thursday = dt.date(2026, 11, 26)
    assert add_working_days(thursday, 5) == dt.date(2026, 12, 3)


def test_tet_holidays_are_not_working_days():
    # Tết Bính Ngọ: Monday 16 to Friday 20 February 2026 are all off.
    friday_before = dt.date(2026, 2, 13)
    assert add_working_days(friday_before, 1) == dt.date(2026, 2, 23)
    assert working_days_between(friday_before, dt.date(2026, 2, 23)) == 1


def test_a_substituted_day_off_counts_as_a_holiday():
    # 2026: the day off for National Day is moved to Monday 31 August.
    assert add_working_days(dt.date(2026, 8, 28), 1) == dt.date(2026, 9, 3)


def test_office_exceptions_override_the_calendar():
    DayException.objects.create(day=dt.date(2026, 11, 28), is_working_day=True, note="Làm bù")
    DayException.objects.create(day=dt.date(2026, 11, 27), is_working_day=False, note="Nghỉ bù")
    # Friday 27 off, Saturday 28 worked instead.
    assert add_working_days(dt.date(2026, 11, 26), 1) == dt.date(2026, 11, 28)
