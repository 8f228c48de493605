"""Calendar arithmetic every app uses: the last day of a month or a quarter."""

import calendar
import datetime as dt


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_of(day: dt.date) -> int:
    """1 to 4."""
    return (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> dt.date:
    return month_end(year, 3 * quarter)
