"""A small world whose dashboard can be counted by hand. Today is 26/11/2026 (due soon: 7 days).

Agencies: BTCTW and BTGTW (central bodies, like the office VPTW of the shared fixtures), HANOI
(a province). Documents: 57-NQ/TW and 66-NQ/TW strategic, 45-CT/TW not.

| task | doc | lead  | facts                                          | 26/11        | 30/09    | 31/10   |
|------|-----|-------|------------------------------------------------|--------------|----------|---------|
| T1   | 57  | BTCTW | due 15/9, reported 10/9, accepted 12/9         | done_on_time | done     | done    |
| T2   | 57  | BTCTW | due 15/9, reported 5/10, accepted 6/10         | done_late 20d| overdue  | done    |
| T3   | 57  | BTGTW | due 20/10                                      | overdue      |          | overdue |
| T4   | 57  | HANOI | due 31/12                                      | open_on_time |          |         |
| T5   | 45  | BTCTW | due 30/11                                      | due_soon     |          |         |
| T6   | 45  | BTGTW | due 20/11, reported 25/11                      | awaiting     |          |         |
| T7   | 45  | BTCTW | ongoing                                        | ongoing      |          |         |
| T8   | 45  | HANOI | due 1/9, cancelled 10/10                       | cancelled    | overdue  |         |
| T9   | 66  | BTCTW | due 1/10                                       | overdue      |          | overdue |
| T10  | —   | BTGTW | due 1/11, assigned 15/10                       | overdue      |          |         |
| T11  | 66  | BTGTW | due 8/12                                       | open_on_time |          |         |
| T12  | 66  | HANOI | due 31/8, reported 10/9, accepted 15/9         | done_late 10d| done     | done    |
| T13  | 45  | BTGTW | due 30/10, reported 20/10, accepted 25/10      | done_on_time |          | done    |

Obstacles: on T3 by BTGTW for the leaders, open; on T9 by BTCTW for the office, open; on T10 by
BTGTW for the leaders, answered.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.tracking.models import (
    DeadlineKind,
    Document,
    DocumentType,
    Obstacle,
    ObstacleLevel,
    Task,
)

NOW = dt.datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TODAY = NOW.date()
CREATED = dt.date(2026, 1, 5)


def d(day: int, month: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class World:
    btctw: Agency
    btgtw: Agency
    hanoi: Agency
    nq57: Document
    nq66: Document
    ct45: Document
    tasks: dict[str, Task]


def make_task(name: str, lead: Agency, document: Document | None, **facts) -> Task:
    facts.setdefault("created_on", CREATED)
    if facts.get("deadline_kind") != DeadlineKind.ONGOING:
        facts.setdefault("deadline_kind", DeadlineKind.DATE)
    return Task.objects.create(title=name, lead_agency=lead, document=document, **facts)


def make_document(issuer: Agency, number: int, doc_type: str, strategic: bool) -> Document:
    return Document.objects.create(
        symbol=f"{number}-{doc_type}/TW", number=number, doc_type=doc_type, issuer_code="TW",
        issuing_body=issuer, term="XIII", issued_on=d(1, number % 12 + 1, 2025),
        title=f"Văn bản số {number}", is_strategic=strategic,
    )  # fmt: skip


@pytest.fixture
def world(lead_agency, other_agency) -> World:
    btctw, hanoi = lead_agency, other_agency
    btgtw = Agency.objects.create(
        code="BTGTW", name="Ban Tuyên giáo Trung ương", short_name="BTGTW",
        kind=AgencyKind.CENTRAL_BODY,
    )  # fmt: skip
    politburo = Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)
    nq57 = make_document(politburo, 57, DocumentType.RESOLUTION, True)
    nq66 = make_document(politburo, 66, DocumentType.RESOLUTION, True)
    ct45 = make_document(politburo, 45, DocumentType.DIRECTIVE, False)
    t = {
        "T1": make_task("T1", btctw, nq57, due_on=d(15, 9), reported_done_on=d(10, 9), accepted_on=d(12, 9)),
        "T2": make_task("T2", btctw, nq57, due_on=d(15, 9), reported_done_on=d(5, 10), accepted_on=d(6, 10)),
        "T3": make_task("T3", btgtw, nq57, due_on=d(20, 10)),
        "T4": make_task("T4", hanoi, nq57, due_on=d(31, 12)),
        "T5": make_task("T5", btctw, ct45, due_on=d(30, 11)),
        "T6": make_task("T6", btgtw, ct45, due_on=d(20, 11), reported_done_on=d(25, 11)),
        "T7": make_task("T7", btctw, ct45, deadline_kind=DeadlineKind.ONGOING),
        "T8": make_task("T8", hanoi, ct45, due_on=d(1, 9), cancelled_on=d(10, 10)),
        "T9": make_task("T9", btctw, nq66, due_on=d(1, 10)),
        "T10": make_task("T10", btgtw, None, due_on=d(1, 11), created_on=d(15, 10)),
        "T11": make_task("T11", btgtw, nq66, due_on=d(8, 12)),
        "T12": make_task("T12", hanoi, nq66, due_on=d(31, 8), reported_done_on=d(10, 9), accepted_on=d(15, 9)),
        "T13": make_task("T13", btgtw, ct45, due_on=d(30, 10), reported_done_on=d(20, 10), accepted_on=d(25, 10)),
    }  # fmt: skip
    Obstacle.objects.create(task=t["T3"], agency=btgtw, raised_on=d(1, 11), text="Chờ ý kiến",
                            level=ObstacleLevel.LEADER)  # fmt: skip
    Obstacle.objects.create(task=t["T9"], agency=btctw, raised_on=d(2, 11), text="Thiếu kinh phí")
    Obstacle.objects.create(task=t["T10"], agency=btgtw, raised_on=d(3, 11), text="Đã trả lời",
                            level=ObstacleLevel.LEADER, answer="Đồng ý", answered_on=d(5, 11))  # fmt: skip
    return World(btctw, btgtw, hanoi, nq57, nq66, ct45, t)
