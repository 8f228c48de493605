"""One-of rules held by the database, not only by a check before the insert (issue #11, item 2):
a double click or twenty simultaneous requests store one row; the others get the same clear
error as the check gives. The races themselves need PostgreSQL (see tests/audit/test_concurrency.py
for why SQLite is not raced here); the constraint and the loser's answer are tested on both."""

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.audit.models import AuditEntry
from dondoc.tracking import services
from dondoc.tracking.access import TaskActionRefused
from dondoc.tracking.models import Decision, Document, Extension, ProgressReport, Task

TODAY = dt.date(2026, 11, 26)
LATER = dt.date(2027, 1, 31)
RACERS = 20
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: concurrent writers"
)


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


def _code(error: ValidationError | TaskActionRefused) -> str:
    """The refusal's code, whether it is about the whole request or one of its fields."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return str(next(iter(error.error_dict.values()))[0].code)
    return str(error.code)


def _race(action: Callable[[int], Any], racers: int = RACERS) -> Counter[str]:
    """Run `action(n)` in `racers` threads released together; count the outcomes by code."""
    start = threading.Barrier(racers)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            start.wait()
            action(n)
            outcome = "stored"
        except (ValidationError, TaskActionRefused) as error:
            outcome = _code(error)
        except BaseException as error:  # counted, and shown by the assertion
            outcome = f"{type(error).__name__}: {error}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


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
