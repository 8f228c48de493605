"""One-of rules held by the database, not only by a check before the insert (issue #11, item 2):
a double click or twenty simultaneous requests store one row; the others get the same clear
error as the check gives. The races themselves need PostgreSQL (see tests/audit/test_concurrency.py
for why SQLite is not raced here); the constraint and the loser's answer are tested on both."""

import datetime as dt
import hashlib
from collections import Counter
from typing import Any
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.audit.models import AuditEntry
from dondoc.tracking import services
from dondoc.tracking.access import TaskActionRefused
from dondoc.tracking.models import (
    Decision,
    Document,
    Extension,
    Obstacle,
    ObstacleLevel,
    ProgressReport,
    Task,
    TaskSource,
    TaskSubmission,
)
from tests.races import RACERS, needs_postgresql, race
from tests.races import refusal_code as _code

TODAY = dt.date(2026, 11, 26)
LATER = dt.date(2027, 1, 31)
_race = race


@pytest.fixture
def leadership(db) -> Agency:
    return Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)


@pytest.fixture
def task(office_user, lead_agency) -> Task:
    return services.task_create(
        office_user, title="Xây dựng kế hoạch", lead_agency=lead_agency,
        due_on=TODAY + dt.timedelta(days=10), created_on=TODAY - dt.timedelta(days=30),
    )  # fmt: skip


def _request(actor: Any, task_id: int) -> Extension:
    return services.extension_request(
        actor, Task.objects.get(pk=task_id), requested_due_on=LATER, reason="Chờ ý kiến."
    )


# Extensions: one pending request per task ------------------------------------------------------


def test_the_database_refuses_a_second_pending_extension_request(lead_focal, office_user, task):
    first = _request(lead_focal, task.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Extension.objects.create(
            task=task, requested_on=TODAY, previous_due_on=first.previous_due_on,
            requested_due_on=LATER, reason="Bấm hai lần.",
        )  # fmt: skip
    decided = services.extension_decide(
        office_user, first, approve=False, reason="Chưa đủ căn cứ.", day=TODAY
    )
    assert decided.decision == Decision.REFUSED
    assert _request(lead_focal, task.pk).decision == Decision.PENDING  # a new one, once decided


def test_the_request_that_loses_the_race_gets_the_same_error_as_the_check(lead_focal, task):
    """The double click's first request is stored after the second one's check passed (here in
    the same transaction, which the refusal then rolls back; the PostgreSQL race below has it
    committed by another connection)."""
    real_check = services.check_task_action

    def check_then_lose(*args: Any, **kwargs: Any) -> None:
        real_check(*args, **kwargs)
        Extension.objects.bulk_create([Extension(
            task=task, requested_on=TODAY, previous_due_on=task.due_on,
            requested_due_on=LATER, reason="Lần bấm thứ nhất.",
        )])  # fmt: skip

    with (
        patch.object(services, "check_task_action", check_then_lose),
        pytest.raises(TaskActionRefused) as lost,
    ):
        _request(lead_focal, task.pk)
    assert lost.value.code == "extension_pending"
    assert str(lost.value) == "Nhiệm vụ đang có một đề nghị gia hạn chờ quyết định."


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_extension_requests_store_exactly_one(lead_focal, task):
    outcomes = _race(lambda n: _request(lead_focal, task.pk))
    assert outcomes == Counter({"stored": 1, "extension_pending": RACERS - 1})
    assert Extension.objects.filter(task=task, decision=Decision.PENDING).count() == 1
    assert AuditEntry.objects.filter(action="extension_request").count() == 1


# Documents: one number per issuer, type and term -----------------------------------------------


def _register(actor: Any, issuer: Agency) -> Document:
    return services.document_register(
        actor, symbol="57-NQ/TW", issuing_body=issuer, issued_on=dt.date(2024, 12, 22),
        title="Về đột phá phát triển khoa học, công nghệ", term="XIII",
    )  # fmt: skip


def test_a_document_registered_twice_at_once_answers_the_loser_as_a_duplicate(
    office_user, leadership
):
    real_exists, raced = QuerySet.exists, []

    def check_then_lose(queryset: QuerySet[Any]) -> bool:
        if queryset.model is Document and not raced:
            raced.append(True)
            Document.objects.bulk_create([Document(
                symbol="57-NQ/TW", number=57, doc_type="NQ", issuer_code="TW", term="XIII",
                issuing_body=leadership, issued_on=dt.date(2024, 12, 22), title="Lần thứ nhất",
            )])  # fmt: skip
            return False
        return real_exists(queryset)

    with patch.object(QuerySet, "exists", check_then_lose), pytest.raises(ValidationError) as lost:
        _register(office_user, leadership)
    assert _code(lost.value) == "duplicate_document"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_registrations_of_one_number_store_exactly_one(office_user, leadership):
    outcomes = _race(lambda n: _register(office_user, leadership))
    assert outcomes == Counter({"stored": 1, "duplicate_document": RACERS - 1})
    assert AuditEntry.objects.filter(object_type="tracking.document").count() == 1


# Acceptance, return and cancellation: decided once ---------------------------------------------


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_completion_accepted_by_two_clicks_at_once_is_accepted_once(
    office_user, lead_focal, task
):
    services.task_report_progress(
        lead_focal, task, percent=100, narrative="Xong", is_final=True, product="Kế hoạch",
        day=TODAY,
    )  # fmt: skip
    outcomes = _race(lambda n: services.task_accept(office_user, Task.objects.get(pk=task.pk)))
    assert outcomes == Counter({"stored": 1, "task_closed": RACERS - 1})
    assert AuditEntry.objects.filter(action="accept").count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_task_cancelled_by_two_clicks_at_once_is_cancelled_once(office_user, task):
    outcomes = _race(
        lambda n: services.task_cancel(office_user, Task.objects.get(pk=task.pk), reason="Trùng")
    )
    assert outcomes == Counter({"stored": 1, "task_cancelled": RACERS - 1})
    assert AuditEntry.objects.filter(action="cancel").count() == 1


# Progress: always the last stored report's ------------------------------------------------------


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_leave_the_task_at_the_last_stored_reports_percent(lead_focal, task):
    def report(n: int) -> None:
        services.task_report_progress(
            lead_focal, Task.objects.get(pk=task.pk), percent=n * 5, narrative=f"Lần {n}",
            day=TODAY,
        )  # fmt: skip

    assert _race(report) == Counter({"stored": RACERS})
    task.refresh_from_db()
    last = ProgressReport.objects.filter(task=task).latest("id")
    assert task.progress == last.percent
    audited = AuditEntry.objects.filter(action="report").order_by("seq")
    progress_changes = [e.changes["progress"][1] for e in audited if "progress" in e.changes]
    assert progress_changes[-1] == last.percent  # the report that moved it last is the last one


# Extensions: decided once ----------------------------------------------------------------------


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_extension_approved_by_twenty_clicks_at_once_is_decided_once(
    office_user, lead_focal, task
):
    extension = _request(lead_focal, task.pk)
    outcomes = _race(
        lambda n: services.extension_decide(
            office_user, Extension.objects.get(pk=extension.pk), approve=True, reason="", day=TODAY
        )
    )
    assert outcomes == Counter({"stored": 1, "no_pending_extension": RACERS - 1})
    assert AuditEntry.objects.filter(action="extension_approve").count() == 1
    with pytest.raises(TaskActionRefused) as later:  # a click after it: the same refusal
        services.extension_decide(office_user, extension, approve=False, reason="Muộn", day=TODAY)
    assert later.value.code == "no_pending_extension"
    task.refresh_from_db()
    assert task.extended_due_on == LATER


# Obstacles awaiting an answer: answered once, escalated once ----------------------------------


@pytest.fixture
def obstacle(lead_focal, task) -> Obstacle:
    return services.obstacle_raise(
        lead_focal, task, text="Chưa có hướng dẫn liên ngành.", proposal="Đề nghị chủ trì họp.",
        day=TODAY,
    )  # fmt: skip


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_obstacle_answered_by_twenty_specialists_at_once_keeps_one_answer(office_user, obstacle):
    outcomes = _race(
        lambda n: services.obstacle_answer(
            office_user, Obstacle.objects.get(pk=obstacle.pk), answer=f"Trả lời {n}", day=TODAY
        )
    )
    assert outcomes == Counter({"stored": 1, "no_open_obstacle": RACERS - 1})
    answers = AuditEntry.objects.filter(action="obstacle_answer")
    assert answers.count() == 1
    obstacle.refresh_from_db()
    assert [obstacle.answer] == [answers.get().changes["answer"][1]]  # the audited one is kept


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_obstacle_escalated_by_twenty_clicks_at_once_is_escalated_once(office_user, obstacle):
    outcomes = _race(
        lambda n: services.obstacle_escalate(office_user, Obstacle.objects.get(pk=obstacle.pk))
    )
    assert outcomes == Counter({"stored": 1, "no_open_obstacle": RACERS - 1})
    assert AuditEntry.objects.filter(action="obstacle_escalate").count() == 1
    assert Obstacle.objects.get(pk=obstacle.pk).level == ObstacleLevel.LEADER
    with pytest.raises(TaskActionRefused) as later:  # a click after it: the same refusal
        services.obstacle_escalate(office_user, Obstacle.objects.get(pk=obstacle.pk))
    assert later.value.code == "no_open_obstacle"


def _escalate_refusal(office_user: Any, obstacle: Obstacle) -> str:
    try:
        services.obstacle_escalate(office_user, Obstacle.objects.get(pk=obstacle.pk))
    except (TaskActionRefused, ValidationError) as error:
        return _code(error)
    return "stored"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_escalation_lost_to_another_click_is_refused_as_a_later_click_is_while_another_obstacle_waits(
    office_user, lead_focal, task, obstacle
):
    """The task has a second obstacle awaiting the office: the losers of the race on the first
    are told what a click after it is told, and what they are told on a task with no other
    obstacle (the refusal is about this obstacle, not the task's others)."""
    services.obstacle_raise(lead_focal, task, text="Thiếu kinh phí.", day=TODAY)
    outcomes = _race(
        lambda n: services.obstacle_escalate(office_user, Obstacle.objects.get(pk=obstacle.pk))
    )
    assert outcomes == Counter({"stored": 1, "no_open_obstacle": RACERS - 1})
    assert AuditEntry.objects.filter(action="obstacle_escalate").count() == 1
    assert _escalate_refusal(office_user, obstacle) == "no_open_obstacle"  # a click after it


def test_escalating_an_obstacle_escalated_or_answered_already_is_refused_alike_whatever_else_waits(
    office_user, lead_focal, task, obstacle
):
    other = services.obstacle_raise(lead_focal, task, text="Thiếu kinh phí.", day=TODAY)
    services.obstacle_escalate(office_user, obstacle)
    assert _escalate_refusal(office_user, obstacle) == "no_open_obstacle"  # another one waits
    services.obstacle_answer(office_user, other, answer="Đã bố trí.", day=TODAY)
    assert _escalate_refusal(office_user, other) == "no_open_obstacle"  # answered
    assert _escalate_refusal(office_user, obstacle) == "no_open_obstacle"  # none waits now


# Pending acceptance: a final report returned once ---------------------------------------------


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_final_report_returned_by_twenty_clicks_at_once_is_returned_once(
    office_user, lead_focal, task
):
    services.task_report_progress(
        lead_focal, task, percent=100, narrative="Xong", is_final=True, product="Kế hoạch",
        day=TODAY,
    )  # fmt: skip
    outcomes = _race(
        lambda n: services.task_return(
            office_user, Task.objects.get(pk=task.pk), reason="Thiếu sản phẩm."
        )
    )
    assert outcomes == Counter({"stored": 1, "not_awaiting_acceptance": RACERS - 1})
    assert AuditEntry.objects.filter(action="return").count() == 1


# Submissions (the task form, an imported file, assisted entry): created once -------------------


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("source", "key"),
    [
        (TaskSource.IMPORT, "import:" + hashlib.sha256(b"nhiem-vu.xlsx").hexdigest()),
        (TaskSource.ASSIST, "assist:0b6f6a7e-3f41-4c55-9a55-6c1d6f0f7a10"),
        (TaskSource.FORM, "form:5a1c2c8e-1d0e-4a53-8c4b-2f7f7f5e9d21"),
    ],
)
def test_one_submission_sent_twenty_times_at_once_creates_its_tasks_once(
    office_user, lead_agency, source, key
):
    rows = [services.NewTask(f"Việc {n}", lead_agency.pk, due_on=LATER) for n in range(5)]
    outcomes = _race(
        lambda n: services.tasks_create_many(office_user, rows, source=source, key=key)
    )
    assert outcomes == Counter({"stored": 1, "already_submitted": RACERS - 1})
    assert Task.objects.count() == 5
    assert TaskSubmission.objects.get().created == 5
    assert AuditEntry.objects.filter(action="create", object_type="tracking.task").count() == 5
