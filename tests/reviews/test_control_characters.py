"""One control character typed by any agency user no longer stops the monthly review (issue #11,
item 1): text is cleaned where it is stored, and every writer cleans what was stored before."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse

from dondoc.accounts.models import RoleCode
from dondoc.api.services import token_create
from dondoc.reviews.models import ReviewStatus
from dondoc.tracking.models import Extension, Obstacle, ProgressReport, Task
from dondoc.tracking.xlsx import tasks_to_xlsx
from dondoc.urging.letters import urging_letter_docx
from dondoc.urging.models import EmailOutbox, Notification, NotificationKind
from dondoc.urging.services import outbox_deliver
from tests.agencies.conftest import signed_in
from tests.api.conftest import ApiClient
from tests.conftest import make_user
from tests.reviews.test_services import ask

OCTOBER_15 = dt.datetime(2026, 10, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
DIRTY = "Chưa\u0001 thống nhất\u000bphương án"
CLEAN = "Chưa thống nhất\nphương án"


def _make_review(office_user, callbacks_capture):
    with callbacks_capture(execute=True):
        report = ask(office_user)
    report.refresh_from_db()
    return report


def _sheet_texts(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [
        cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        if isinstance(cell, str)
    ]  # fmt: skip


def test_reports_obstacles_and_extensions_with_control_characters_still_make_the_review(
    world, office_user, django_capture_on_commit_callbacks
):
    hanoi = make_user("daumoi.hanoi", world.hanoi, RoleCode.FOCAL)
    btctw = make_user("daumoi.btctw", world.btctw, RoleCode.FOCAL)
    t = world.tasks
    with time_machine.travel(OCTOBER_15, tick=False):
        api = ApiClient(token_create(hanoi, name="tests")[1])
        for path, body in [
            (f"tasks/{t['T3'].pk}/reports", {"percent": 40, "narrative": DIRTY}),
            (f"tasks/{t['T3'].pk}/obstacles", {"text": DIRTY, "proposal": DIRTY}),
            (
                f"tasks/{t['T11'].pk}/extensions",
                {"requested_due_on": "2026-11-30", "reason": DIRTY},
            ),
        ]:
            assert api.post(path, body).status_code == 201, path
        form = signed_in(btctw)
        for name, pk, data in [
            ("task_report", t["T9"].pk, {"percent": 30, "narrative": DIRTY}),
            ("obstacle_raise", t["T9"].pk, {"text": DIRTY, "proposal": DIRTY}),
            ("extension_request", t["T9"].pk, {"requested_due_on": "2026-12-15", "reason": DIRTY}),
        ]:
            assert form.post(reverse(f"tracking:{name}", args=[pk]), data).status_code < 400, name

    reports = ProgressReport.objects.filter(task__in=[t["T3"], t["T9"]])
    assert sorted(reports.values_list("narrative", flat=True)) == [CLEAN, CLEAN]
    obstacles = Obstacle.objects.filter(raised_on=OCTOBER_15.date())
    assert list(obstacles.values_list("text", "proposal")) == [(CLEAN, CLEAN)] * 2
    extensions = Extension.objects.filter(requested_on=OCTOBER_15.date())
    assert list(extensions.values_list("reason", flat=True)) == [CLEAN, CLEAN]

    review = _make_review(office_user, django_capture_on_commit_callbacks)
    assert (review.status, review.error) == (ReviewStatus.DONE, "")
    assert review.docx
    assert review.pdf
    assert f"{CLEAN} Kiến nghị: {CLEAN}" in _sheet_texts(review.xlsx.read())


def _store_raw(table: str, column: str, pk: int, value: str) -> None:
    """Write past the model, as rows stored before the columns cleaned their text."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


@pytest.fixture
def dirty_world(world):
    """The world with control characters in text stored before this fix."""
    _store_raw("tracking_obstacle", "text", world.obstacles["O1"].pk, DIRTY)
    _store_raw("tracking_task", "title", world.tasks["T3"].pk, DIRTY)
    _store_raw("tracking_document", "title", world.nq57.pk, f"Về\u0002 {DIRTY}")
    _store_raw("agencies_agency", "name", world.hanoi.pk, "Thành ủy\u0007 Hà Nội")
    return world


def test_text_stored_before_the_fix_does_not_stop_the_review(
    dirty_world, office_user, django_capture_on_commit_callbacks
):
    review = _make_review(office_user, django_capture_on_commit_callbacks)
    assert (review.status, review.error) == (ReviewStatus.DONE, "")
    texts = _sheet_texts(review.xlsx.read())
    assert f"{CLEAN} Kiến nghị: Họp liên ngành." in texts
    assert not any("\u0001" in text or "\u000b" in text for text in texts)


def test_text_stored_before_the_fix_does_not_stop_letters_exports_or_e_mails(
    dirty_world, office_user
):
    letter = urging_letter_docx(Agency_of(dirty_world), OCTOBER_15.date(), signer_name="A\u0003B")
    assert letter.startswith(b"PK")
    export = tasks_to_xlsx(Task.objects.all(), today=OCTOBER_15.date())
    assert CLEAN in _sheet_texts(export)

    notification = Notification.objects.create(
        recipient=office_user, task=dirty_world.tasks["T3"], kind=NotificationKind.OVERDUE,
        ref_on=OCTOBER_15.date(),
    )  # fmt: skip
    row = EmailOutbox.objects.create(
        notification=notification, to="chuyenvien@example.vn", subject="x", body="x"
    )
    _store_raw("urging_emailoutbox", "subject", row.pk, f"Quá hạn: {DIRTY}")
    _store_raw("urging_emailoutbox", "body", row.pk, f"Nhiệm vụ {DIRTY}\r\n")
    assert outbox_deliver().sent == 1
    [sent] = mail.outbox
    assert sent.subject == "Quá hạn: Chưa thống nhất phương án"  # one line
    assert sent.body == f"Nhiệm vụ {CLEAN}\n"


def Agency_of(world):  # noqa: N802 - reads as the phrase
    world.hanoi.refresh_from_db()
    return world.hanoi
