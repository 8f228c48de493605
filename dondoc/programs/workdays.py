"""Working days on the Vietnamese calendar: Saturdays, Sundays and public holidays (the
`holidays` library knows Tết and the substituted days off) are not working days; the office's
`DayException` table adds the days off or make-up working days announced each year."""

import datetime as dt
import functools

import holidays

from dondoc.programs.models import DayException

DAY = dt.timedelta(days=1)


@functools.cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def _exceptions(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    rows = DayException.objects.filter(day__range=(start, end)).values_list("day", "is_working_day")
    return dict(rows)


def _is_working(day: dt.date, exceptions: dict[dt.date, bool]) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day `days` working days after `start` (start itself not counted)."""
    exceptions = _exceptions(start, start + (days * 3 + 30) * DAY)  # Tết fits in the margin
    day, left = start, days
    while left > 0:
        day += DAY
        left -= _is_working(day, exceptions)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days follow `start` up to and including `end`."""
    exceptions = _exceptions(start, end)
    count, day = 0, start
    while day < end:
        day += DAY
        count += _is_working(day, exceptions)
    return count
