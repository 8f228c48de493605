"""Deadline phrases in folded text, and the date each one means for a document's date.

Forms understood (matched on folded text, so "hằng"/"hàng", "quý"/"qúy" are the same):

| phrase | kind | due_on |
|---|---|---|
| trước ngày 15/12/2025, chậm nhất ngày 30/6/2026, ngày 15 tháng 12 năm 2025 | date | that day |
| trước 31/12, ngày 5/1 (no year) | date | the next such day on or after the document's date |
| trong tháng 12/2025, tháng 3 năm 2026 | month | last day of the month |
| trong tháng 12 (no year) | month | that month this year, next year if already past |
| trước tháng 12/2025 | month | last day of the month before |
| trong quý I/2026, quý IV năm 2025, quý 2/2026, quý I (no year) | quarter | last day of the quarter |
| 6 tháng đầu năm 2026, nửa đầu năm 2026 / 6 tháng cuối năm, cuối năm 2025 | date | 30/6, 31/12 |
| năm 2026, trong năm 2026, đến hết năm 2026 | date | 31/12/2026 |
| trong (thời hạn) 30 ngày (làm việc) kể từ ngày ký, trong 3 tháng, sau 6 tháng, 2 tuần | date | counted from the document's date (working days skip weekends; at most 20 years) |
| hằng tháng, hàng tháng, định kỳ hằng tháng, (trước) ngày 25 hằng tháng | monthly | end of the first whole month after the document's date (the first such day) |
| hằng quý, định kỳ hằng quý | quarterly | end of the first whole quarter after the document's date |
| thường xuyên | ongoing | none |

Dates that are part of a reference to another document ("Kết luận số 121-KL/TW ngày
24/01/2025", "Tờ trình ... ngày 05/11/2025") and fixed dates before the document's own date
are not deadlines. "Giai đoạn 2026 - 2030", "từ năm 2026", "tầm nhìn đến năm 2045", "định kỳ
6 tháng", "hằng năm" give no deadline.

When a text holds several deadlines, the last fixed one (date, month, quarter, relative)
wins; failing that, the last recurring one; failing that, "thường xuyên".
"""

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from dondoc.core.dates import month_end, quarter_end
from dondoc.tracking.models import DeadlineKind

__all__ = ["Deadline", "DeadlineFound", "choose_deadline", "find_deadlines"]


@dataclass(frozen=True)
class Deadline:
    kind: str  # a DeadlineKind value
    due_on: dt.date | None
    text: str  # the phrase it came from


@dataclass(frozen=True)
class DeadlineFound:
    """A deadline and where it is in the folded text (to quote it and cut it from titles)."""

    kind: str
    due_on: dt.date | None
    start: int
    end: int


_BY = (
    r"(?:(?:truoc|cham nhat(?: la)?(?: vao)?(?: trong| ngay)?|han chot(?: la)?|den(?: het)?"
    r"|trong|vao|tu nay den)\s+)"
)
_DEADLINE_WORD = re.compile(_BY)
_SEP = r"\s*[/.-]\s*"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_NUMBERS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
    "muoi lam": 15,
    "hai muoi": 20,
    "ba muoi": 30,
    "sau muoi": 60,
    "chin muoi": 90,
}
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + ")"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        # "thực hiện cơ bản xong trong hai năm 2012 - 2013": the span's last year
        "years_within",
        re.compile(
            rf"\btrong\s+(?:(?:{_NUMBER}|cac)\s+)?nam\s+(?:19|20)\d\d\s*-\s*(?P<y>(?:19|20)\d\d)\b"
        ),
    ),
    (
        "full_date",
        re.compile(
            rf"\b{_BY}?(?:ngay\s+)?(?P<d>\d{{1,2}}){_SEP}(?P<m>\d{{1,2}}){_SEP}{_YEAR}(?![\d/])"
        ),
    ),
    (
        "words_date",
        re.compile(
            rf"\b{_BY}?ngay\s+(?P<d>\d{{1,2}})\s+thang\s+(?P<m>\d{{1,2}})(?:\s+nam\s+{_YEAR})?\b"
        ),
    ),
    (
        "monthly_day",
        re.compile(r"\b(?:truoc\s+|cham nhat\s+)?ngay\s+(?P<d>\d{1,2})\s+(?:hang|moi)\s+thang\b"),
    ),
    (
        "day_month",
        re.compile(
            rf"\b(?:{_BY}(?:ngay\s+)?|ngay\s+)(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})(?![\d/]|\s*/\s*\d)"
        ),
    ),
    (
        "half_year",
        re.compile(
            rf"\b{_BY}?(?:(?:6|sau) thang|nua) (?P<half>dau|cuoi) nam(?:\s+(?:nay|{_YEAR}))?\b"
        ),
    ),
    ("year_end", re.compile(rf"\b{_BY}?cuoi nam(?:\s+(?:nay|{_YEAR}))?\b")),
    (
        "before_month",
        re.compile(
            rf"\btruoc\s+thang\s+(?P<m>\d{{1,2}})(?:\s*(?:/|-|nam)\s*{_YEAR})?(?!\s*/\s*\d)"
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b{_BY}?thang\s+(?P<m>\d{{1,2}})(?:\s*(?:/|-|nam)\s*{_YEAR})?(?![\d/]|\s*/\s*\d)"
        ),
    ),
    (
        "quarter",
        re.compile(
            rf"\b{_BY}?quy\s+(?P<q>iv|iii|ii|i|[1-4])\b(?:\s*(?:/|-|nam)\s*{_YEAR})?(?![\d/])"
        ),
    ),
    (
        "relative",
        re.compile(
            rf"\b(?P<how>trong(?: thoi han| vong| khoang)?|sau|chau nhat)\s+{_NUMBER}\s+"
            r"(?P<unit>ngay lam viec|ngay|tuan|thang|nam)\b"
            r"(?:\s*,?\s*(?:ke tu|tinh tu)\s+ngay(?:\s+(?:ky|ban hanh|nhan duoc"
            r"|(?:[a-z]+\s+){0,3}co hieu luc))?)?"
        ),
    ),
    ("year", re.compile(rf"\b(?:{_BY}|het\s+)?nam\s+{_YEAR}(?!\s*-\s*\d)\b")),
    ("monthly", re.compile(r"\b(?:dinh ky\s+)?(?:hang|moi)\s+thang\b")),
    ("quarterly", re.compile(r"\b(?:dinh ky\s+)?(?:hang|moi)\s+quy\b")),
    ("ongoing", re.compile(r"\bthuong xuyen\b")),
]

# Text just before a date that makes it a reference to another document, not a deadline.
_REFERENCE = re.compile(
    r"(?:\d+\s*[-/]\s*[a-z0-9]+(?:\s*[-/]\s*[a-z0-9]+)*|\bso\s+\d[\w/.-]*|"
    r"\b(?:ky|ban hanh|thong qua)\b)\s*,?\s*$"
)
# Text just before a year that makes it a start, a span or a horizon, not a deadline.
_NOT_A_DEADLINE_YEAR = re.compile(
    r"(?:\btu|giai doan|nhiem ky|khoa|tam nhin(?: den)?|phan dau(?: den)?|muc tieu(?: den)?|"
    r"\bdau|giua|ke hoach|chuong trinh|"
    r"\d+\s*[-/]\s*[a-z0-9]+)\s*$"
)
# "đến năm 2030" naming a plan's horizon: "định hướng đến năm 2045", "quy hoạch hạ tầng đến năm
# 2030", "chiến lược phát triển ngành đến năm 2030" (the name of what is planned, no due date).
_HORIZON = re.compile(
    r"(?:\bdinh huong|\b(?:quy hoach|chien luoc|tam nhin)\b(?:\s+[a-z]+){0,8})\s+$"
)
# Words that make a bare year the time of completion ("hoàn thành năm 2026", "xong năm 2026").
_AFTER_DONE = re.compile(r"\b(?:hoan thanh|xong|thuc hien)\s*,?\s*$")
_RELATIVE_MONTHS_MAX = 240  # "trong 999 năm" is a typo, not a deadline
_FIXED = frozenset({DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER})
_RECURRING = frozenset({DeadlineKind.MONTHLY, DeadlineKind.QUARTERLY})


def find_deadlines(folded: str, issued_on: dt.date) -> list[DeadlineFound]:
    """Every deadline phrase in `folded`, left to right, without overlaps (earlier patterns
    of `_PATTERNS` win over later ones on the same words)."""
    taken = bytearray(len(folded))
    found: list[DeadlineFound] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            if any(taken[match.start() : match.end()]):
                continue
            deadline = _interpret(name, match, folded, issued_on)
            if deadline is not None:
                found.append(deadline)
            if deadline is not None or _consumes(name):
                taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return sorted(found, key=lambda deadline: deadline.start)


def choose_deadline(found: list[DeadlineFound]) -> DeadlineFound | None:
    """The task's deadline among several: the last fixed one, else recurring, else ongoing."""
    for kinds in (_FIXED, _RECURRING, frozenset({DeadlineKind.ONGOING})):
        candidates = [deadline for deadline in found if deadline.kind in kinds]
        if candidates:
            return candidates[-1]
    return None


def _consumes(name: str) -> bool:
    """Patterns whose words are never another deadline even when they give none themselves
    (a reference date must not be read again as "ngày 24" or "tháng 1")."""
    return name in {"full_date", "words_date", "half_year", "relative"}


def _interpret(
    name: str, match: re.Match[str], folded: str, issued_on: dt.date
) -> DeadlineFound | None:
    try:
        result = _INTERPRETERS[name](match, folded, issued_on)
    except (ValueError, OverflowError, KeyError):
        return None
    if result is None:
        return None
    kind, due_on = result
    return DeadlineFound(kind, due_on, match.start(), match.end())


Result = tuple[str, dt.date | None] | None


def _full_date(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    if _is_reference(folded, match) or day < issued_on:
        return None
    return DeadlineKind.DATE, day


def _words_date(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    if match["y"]:
        return _full_date(match, folded, issued_on)
    return _day_month(match, folded, issued_on)


def _day_month(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    if _is_reference(folded, match):
        return None
    day = dt.date(issued_on.year, int(match["m"]), int(match["d"]))
    if day < issued_on:
        day = day.replace(year=issued_on.year + 1)
    return DeadlineKind.DATE, day


def _monthly_day(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    wanted = int(match["d"])
    if not 1 <= wanted <= 31:
        return None
    year, month = issued_on.year, issued_on.month
    while True:
        day = dt.date(year, month, min(wanted, month_end(year, month).day))
        if day > issued_on:
            return DeadlineKind.MONTHLY, day
        year, month = _next_month(year, month)


def _half_year(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    year = int(match["y"]) if match["y"] else issued_on.year
    day = dt.date(year, 6, 30) if match["half"] == "dau" else dt.date(year, 12, 31)
    if day < issued_on:
        return None if match["y"] else (DeadlineKind.DATE, day.replace(year=year + 1))
    return DeadlineKind.DATE, day


def _year_end(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    year = int(match["y"]) if match["y"] else issued_on.year
    day = dt.date(year, 12, 31)
    return None if day < issued_on else (DeadlineKind.DATE, day)


def _before_month(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    result = _month(match, folded, issued_on)
    if result is None or result[1] is None:
        return None
    first = result[1].replace(day=1)
    previous = first - dt.timedelta(days=1)
    return (DeadlineKind.MONTH, previous) if previous >= issued_on else None


def _month(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    month = int(match["m"])
    if not 1 <= month <= 12:
        return None
    if match["y"]:
        end = month_end(int(match["y"]), month)
        return None if end < issued_on else (DeadlineKind.MONTH, end)
    year = issued_on.year + (month < issued_on.month)
    return DeadlineKind.MONTH, month_end(year, month)


def _quarter(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    quarter = _ROMAN[match["q"]]
    if match["y"]:
        end = quarter_end(int(match["y"]), quarter)
        return None if end < issued_on else (DeadlineKind.QUARTER, end)
    year = issued_on.year + (quarter < (issued_on.month + 2) // 3)
    return DeadlineKind.QUARTER, quarter_end(year, quarter)


def _relative(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    count = int(match["n"]) if match["n"].isdigit() else _NUMBERS[match["n"]]
    unit = match["unit"]
    if count * (7 if unit == "tuan" else 1) > _RELATIVE_MONTHS_MAX * 31 and unit != "thang":
        return None
    if unit == "ngay lam viec":
        return DeadlineKind.DATE, _add_working_days(issued_on, count)
    if unit in ("ngay", "tuan"):
        return DeadlineKind.DATE, issued_on + dt.timedelta(
            days=count * (7 if unit == "tuan" else 1)
        )
    months = count * (12 if unit == "nam" else 1)
    if months > _RELATIVE_MONTHS_MAX:
        return None
    return DeadlineKind.DATE, _add_months(issued_on, months)


def _year(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    if _NOT_A_DEADLINE_YEAR.search(folded, max(0, match.start() - 40), match.start()):
        return None
    if match[0].startswith("den nam") and _HORIZON.search(
        folded, max(0, match.start() - 80), match.start()
    ):
        return None
    if (
        match[0].startswith("nam")
        and int(match["y"]) <= issued_on.year
        and not _AFTER_DONE.search(folded, max(0, match.start() - 20), match.start())
    ):
        return None  # "kế hoạch đầu tư công năm 2019" in 2019: the name of the year's work
    return _year_end(match, folded, issued_on)


def _monthly(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    year, month = _next_month(issued_on.year, issued_on.month)
    return DeadlineKind.MONTHLY, month_end(year, month)


def _quarterly(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    quarter = (issued_on.month + 2) // 3 + 1
    year = issued_on.year + (quarter > 4)
    return DeadlineKind.QUARTERLY, quarter_end(year, (quarter - 1) % 4 + 1)


def _ongoing(match: re.Match[str], folded: str, issued_on: dt.date) -> Result:
    return DeadlineKind.ONGOING, None


_INTERPRETERS: dict[str, Callable[[re.Match[str], str, dt.date], Result]] = {
    "years_within": _year_end,
    "full_date": _full_date,
    "words_date": _words_date,
    "monthly_day": _monthly_day,
    "day_month": _day_month,
    "half_year": _half_year,
    "year_end": _year_end,
    "before_month": _before_month,
    "month": _month,
    "quarter": _quarter,
    "relative": _relative,
    "year": _year,
    "monthly": _monthly,
    "quarterly": _quarterly,
    "ongoing": _ongoing,
}


def _is_reference(folded: str, match: re.Match[str]) -> bool:
    if _DEADLINE_WORD.match(match[0]):  # "trước ngày ...", "chậm nhất ngày ..."
        return False
    return _REFERENCE.search(folded, max(0, match.start() - 60), match.start()) is not None


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _add_working_days(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day
