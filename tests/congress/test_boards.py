"""Preparation boards on the tracking core: each assignment of a sub-committee is a tracking
task (lead agency, deadline, product) linked back to its board; the boards page shows every
board's tasks with their status today and what is done, late and due this week."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.congress import selectors, services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.models import BoardKind, BoardTask
from dondoc.congress.services import BoardTaskData
from dondoc.tracking.models import Task
from dondoc.tracking.status import TaskStatus
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


def _assign(secretary, congress, title, lead, due, kind=BoardKind.DOCUMENTS):
    board = congress.boards.get(kind=kind)
    return services.board_task_assign(
        secretary, board, BoardTaskData(title, lead, due, "Dự thảo Báo cáo chính trị")
    )


@time_machine.travel(BEFORE, tick=False)
def test_the_secretariat_assigns_a_board_task_that_is_a_tracking_task(
    congress, secretary, lead_agency
):
    page_url = reverse("congress:boards", args=[congress.pk])
    board = congress.boards.get(kind=BoardKind.DOCUMENTS)
    body = {
        "board": board.pk,
        "title": "Hoàn thiện dự thảo Báo cáo chính trị",
        "lead_agency": "BTCTW",
        "due_on": "2026-01-15",
        "expected_product": "Dự thảo lần 5",
        "phase": "before",
    }
    response = client_for(secretary).post(page_url, body)
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.title, task.lead_agency, task.due_on, task.expected_product) == (
        "Hoàn thiện dự thảo Báo cáo chính trị",
        lead_agency,
        dt.date(2026, 1, 15),
        "Dự thảo lần 5",
    )
    assert task.source_clause == "Tiểu ban Văn kiện"
    assert BoardTask.objects.get().board == board
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "create",
        "board_task_assign",
    }
    page = client_for(secretary).get(page_url).content.decode()
    assert reverse("tracking:task_detail", args=[task.pk]) in page
    assert "Đã xong 0/1 · quá hạn 0 · đến hạn trong 7 ngày 1" in page
    detail = client_for(secretary).get(reverse("congress:detail", args=[congress.pk]))
    assert "Đã xong 0/1 · quá hạn 0 · đến hạn trong 7 ngày 1" in detail.content.decode()


def test_status_comes_from_tracking_late_done_and_cancelled(
    congress, secretary, lead_agency, office_user
):
    with time_machine.travel(BEFORE, tick=False):
        soon = _assign(
            secretary, congress, "Gửi dự thảo xin ý kiến", lead_agency, dt.date(2026, 1, 12)
        )
        later = _assign(secretary, congress, "In tài liệu", lead_agency, dt.date(2026, 1, 30))
        dropped = _assign(secretary, congress, "Bỏ", lead_agency, dt.date(2026, 1, 30))
        from dondoc.tracking import services as tracking

        tracking.task_cancel(office_user, dropped.task, reason="Gộp vào việc khác")
    with time_machine.travel(dt.datetime(2026, 1, 14, 9, tzinfo=dt.UTC), tick=False):
        progress = {
            p.board.kind: p for p in selectors.board_progress(congress, dt.date(2026, 1, 14))
        }
    documents = progress[BoardKind.DOCUMENTS]
    statuses = {r.task.title: r.status for r in documents.rows}
    assert statuses["Gửi dự thảo xin ý kiến"] == TaskStatus.OVERDUE
    assert statuses["Bỏ"] == TaskStatus.CANCELLED
    assert (documents.total, documents.done, documents.late) == (2, 0, 1)
    assert progress[BoardKind.CREDENTIALS].rows == []
    overall = selectors.boards_overall(list(progress.values()))
    assert (overall.total, overall.done, overall.late) == (2, 0, 1)
    with time_machine.travel(dt.datetime(2026, 1, 14, 9, tzinfo=dt.UTC), tick=False):
        for name in ("congress:boards", "congress:detail"):
            page = client_for(secretary).get(reverse(name, args=[congress.pk])).content.decode()
            assert "Tất cả các tiểu ban" in page
            assert "Đã xong 0/2 · quá hạn 1" in page
    assert soon.task.pk != later.task.pk


@time_machine.travel(BEFORE, tick=False)
def test_bad_assignments_are_refused_in_vietnamese_and_nothing_is_created(
    congress, secretary, lead_agency
):
    page_url = reverse("congress:boards", args=[congress.pk])
    board = congress.boards.get(kind=BoardKind.DOCUMENTS)
    good = {
        "board": board.pk,
        "title": "Việc",
        "lead_agency": "BTCTW",
        "due_on": "2026-01-15",
        "phase": "before",
    }
    cases = [
        (good | {"lead_agency": "KHONGCO"}, "Không có cơ quan nào khớp"),
        (good | {"due_on": ""}, "Thời hạn"),
        (good | {"title": ""}, "Nhiệm vụ"),
    ]
    for body, message in cases:
        page = client_for(secretary).post(page_url, body).content.decode()
        assert message in page, message
    assert Task.objects.count() == 0
    assert BoardTask.objects.count() == 0


@time_machine.travel(BEFORE, tick=False)
def test_only_the_secretariat_assigns_board_members_read_others_see_nothing(
    congress, secretary, documents_member, other_focal, lead_agency
):
    page_url = reverse("congress:boards", args=[congress.pk])
    board = congress.boards.get(kind=BoardKind.DOCUMENTS)
    with pytest.raises(CongressActionRefused) as refused:
        services.board_task_assign(
            documents_member, board, BoardTaskData("Việc", lead_agency, dt.date(2026, 1, 15))
        )
    assert refused.value.code == Code.NOT_ALLOWED
    member = client_for(documents_member)
    page = member.get(page_url)
    assert page.status_code == 200
    assert "Giao nhiệm vụ cho tiểu ban" not in page.content.decode()
    body = {"board": board.pk, "title": "Việc", "lead_agency": "BTCTW", "due_on": "2026-01-15",
            "phase": "before"}  # fmt: skip
    assert member.post(page_url, body).status_code == 403
    assert client_for(other_focal).get(page_url).status_code == 404
    assert Task.objects.count() == 0


@time_machine.travel(BEFORE, tick=False)
def test_the_boards_page_takes_the_same_queries_whatever_the_number_of_tasks(
    congress, secretary, lead_agency
):
    page_url = reverse("congress:boards", args=[congress.pk])
    client = client_for(secretary)
    _assign(secretary, congress, "Một", lead_agency, dt.date(2026, 1, 15))
    client.get(page_url)
    with CaptureQueriesContext(connection) as few:
        client.get(page_url)
    for i in range(6):
        _assign(secretary, congress, f"Việc {i}", lead_agency, dt.date(2026, 1, 15 + i),
                BoardKind.CREDENTIALS if i % 2 else BoardKind.DOCUMENTS)  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        client.get(page_url)
    assert len(many) == len(few)
    assert len(few) <= 20
