"""A small world whose October 2026 review can be counted by hand.

Two documents (57-NQ/TW, strategic, by the Politburo; 45-CT/TW by the Secretariat), two lead
agencies (BTCTW, HANOI) and twelve tasks. As of 31/10/2026 (the previous day: 30/09/2026):

| task | doc | lead   | facts                                                 | 31/10        | 30/09       |
|------|-----|--------|-------------------------------------------------------|--------------|-------------|
| T1   | 57  | BTCTW  | due 15/9, reported 10/9, accepted 12/9                | done_on_time | done_on_time|
| T2   | 57  | BTCTW  | due 15/9, reported 5/10, accepted 6/10                | done_late    | overdue     |
| T3   | 57  | HANOI  | due 20/10                                             | overdue (11) | open        |
| T4   | 57  | HANOI  | due 20/10, extension to 30/11 approved 15/10          | open         | open        |
| T5   | 45  | BTCTW  | due 20/10, extension to 5/11 approved 25/9            | due_soon     | open        |
| T6   | 45  | HANOI  | due 25/10, reported 30/10, not accepted               | awaiting     | open        |
| T7   | 45  | BTCTW  | ongoing                                               | ongoing      | ongoing     |
| T8   | 45  | HANOI  | due 1/9, cancelled 10/10                              | cancelled    | overdue     |
| T9   | —   | BTCTW  | due 1/10, key task                                    | overdue (30) | due_soon    |
| T10  | 57  | BTCTW  | created 3/11 (after the day)                          | —            | —           |
| T11  | 57  | HANOI  | due 31/10 (the day itself)                            | due_soon     | open        |
| T12  | 45  | BTCTW  | due 20/9, extension refused 18/9                      | overdue (41) | overdue     |

Obstacles: on T3 raised 10/10 (unanswered), on T5 raised 5/10 answered 20/10, on T4 raised
25/10 answered 2/11, on T6 raised 1/11. Extensions approved within October: T4's only.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.tracking.models import (
    DeadlineKind,
    Decision,
    Document,
    Extension,
    Obstacle,
    Task,
)

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
CREATED = dt.date(2026, 8, 1)


def d(day: int, month: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture(autouse=True)
def _fixed_now_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class World:
    politburo: Agency
    secretariat: Agency
    btctw: Agency
    hanoi: Agency
    nq57: Document
    ct45: Document
    tasks: dict[str, Task]
    obstacles: dict[str, Obstacle]


def _task(title: str, lead: Agency, document: Document | None, **facts) -> Task:
    facts.setdefault("created_on", CREATED)
    facts.setdefault("deadline_kind", DeadlineKind.DATE)
    return Task.objects.create(title=title, lead_agency=lead, document=document, **facts)


def _extension(task: Task, to: dt.date, decided: dt.date, *, approved: bool = True) -> None:
    Extension.objects.create(
        task=task,
        requested_on=decided - dt.timedelta(days=2),
        previous_due_on=task.due_on,
        requested_due_on=to,
        reason="Cần thêm thời gian lấy ý kiến.",
        decision=Decision.APPROVED if approved else Decision.REFUSED,
        decided_on=decided,
    )
    if approved:
        task.extended_due_on = to
        task.save(update_fields=["extended_due_on"])


@pytest.fixture
def world(office_agency, lead_agency, other_agency) -> World:
    politburo = Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)
    secretariat = Agency.objects.create(code="BBT", name="Ban Bí thư", kind=AgencyKind.LEADERSHIP)
    nq57 = Document.objects.create(
        symbol="57-NQ/TW", number=57, doc_type="NQ", issuer_code="TW", issuing_body=politburo,
        term="XIII", issued_on=d(22, 12, 2024), is_strategic=True,
        title="Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    )  # fmt: skip
    ct45 = Document.objects.create(
        symbol="45-CT/TW", number=45, doc_type="CT", issuer_code="TW", issuing_body=secretariat,
        term="XIII", issued_on=d(14, 4, 2025),
        title="Về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV",
    )  # fmt: skip
    btctw, hanoi = lead_agency, other_agency
    t = {
        "T1": _task("T1 Xây dựng kế hoạch", btctw, nq57, due_on=d(15, 9),
                    reported_done_on=d(10, 9), accepted_on=d(12, 9)),
        "T2": _task("T2 Tổ chức quán triệt", btctw, nq57, due_on=d(15, 9),
                    reported_done_on=d(5, 10), accepted_on=d(6, 10)),
        "T3": _task("T3 Rà soát quy định về chuyển đổi số", hanoi, nq57, due_on=d(20, 10)),
        "T4": _task("T4 Xây dựng đề án", hanoi, nq57, due_on=d(20, 10)),
        "T5": _task("T5 Hướng dẫn đại hội", btctw, ct45, due_on=d(20, 10)),
        "T6": _task("T6 Báo cáo sơ kết", hanoi, ct45, due_on=d(25, 10),
                    reported_done_on=d(30, 10)),
        "T7": _task("T7 Theo dõi thường xuyên", btctw, ct45,
                    deadline_kind=DeadlineKind.ONGOING, due_on=None),
        "T8": _task("T8 Nhiệm vụ đã hủy", hanoi, ct45, due_on=d(1, 9), cancelled_on=d(10, 10)),
        "T9": _task("T9 Chuẩn bị nội dung làm việc", btctw, None, due_on=d(1, 10), is_key=True),
        "T10": _task("T10 Giao sau kỳ", btctw, nq57, due_on=d(30, 12), created_on=d(3, 11)),
        "T11": _task("T11 Hạn đúng ngày cuối kỳ", hanoi, nq57, due_on=d(31, 10)),
        "T12": _task("T12 Tổng kết", btctw, ct45, due_on=d(20, 9)),
    }  # fmt: skip
    _extension(t["T4"], d(30, 11), d(15, 10))
    _extension(t["T5"], d(5, 11), d(25, 9))
    _extension(t["T12"], d(20, 10), d(18, 9), approved=False)
    for task in t.values():
        task.refresh_from_db()
    o = {
        "O1": Obstacle.objects.create(task=t["T3"], agency=hanoi, raised_on=d(10, 10),
                                      text="Chưa thống nhất phương án.", proposal="Họp liên ngành."),
        "O2": Obstacle.objects.create(task=t["T5"], agency=btctw, raised_on=d(5, 10),
                                      text="Thiếu số liệu.", answered_on=d(20, 10), answer="Đã có."),
        "O3": Obstacle.objects.create(task=t["T4"], agency=hanoi, raised_on=d(25, 10),
                                      text="Thiếu kinh phí.", answered_on=d(2, 11), answer="Bố trí."),
        "O4": Obstacle.objects.create(task=t["T6"], agency=hanoi, raised_on=d(1, 11),
                                      text="Nêu sau kỳ."),
    }  # fmt: skip
    return World(politburo, secretariat, btctw, hanoi, nq57, ct45, t, o)
