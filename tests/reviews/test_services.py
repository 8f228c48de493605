"""Asking for a review and making it: checks, progress, failures on record, retries, idempotence."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError

from dondoc.audit.models import AuditEntry
from dondoc.core.models import JobRun
from dondoc.reviews import services
from dondoc.reviews.models import ReviewReport, ReviewStatus
from dondoc.reviews.tasks import review_generate_task


def ask(actor, **kwargs) -> ReviewReport:
    kwargs.setdefault("period", "2026-10")
    kwargs.setdefault("scope", "all")
    kwargs.setdefault("formats", ["docx", "pdf", "xlsx"])
    return services.review_request(actor, **kwargs)


def test_a_request_is_archived_queued_audited_and_made_after_commit(
    world, office_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = ask(office_user, period="2026-Q3", scope="strategic", formats=["xlsx", "pdf"])
    assert (report.status, report.progress, report.formats) == (ReviewStatus.QUEUED, 0, "pdf,xlsx")
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == (
        "2026-07-01", "2026-09-30",
    )  # fmt: skip
    assert report.title == (
        "Kiểm điểm tiến độ thực hiện nhiệm vụ theo các nghị quyết chiến lược quý III năm 2026"
    )
    assert AuditEntry.objects.filter(action="review_request").count() == 1
    assert len(callbacks) == 1
    callbacks[0]()  # the eager worker runs the job now
    report.refresh_from_db()
    assert (report.status, report.progress) == (ReviewStatus.DONE, 100)
    assert report.pdf
    assert report.xlsx
    assert not report.docx
    assert JobRun.objects.get(name="review_generate").succeeded is True


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"period": "2026-13"}, "bad_period"),
        ({"period": "2099-01"}, "future_period"),
        ({"scope": "agency:KHONGCO"}, "bad_scope"),
        ({"formats": ["doc"]}, "bad_format"),
        ({"formats": []}, "bad_format"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(world, office_user, fields, code):
    with pytest.raises(ValidationError) as refused:
        ask(office_user, **fields)
    assert refused.value.error_list[0].code == code
    assert not ReviewReport.objects.exists()


def test_only_the_office_asks(world, leader, lead_focal):
    for user in (leader, lead_focal):
        with pytest.raises(PermissionDenied):
            ask(user)


def test_progress_is_recorded_step_by_step(world, office_user, monkeypatch):
    report = ask(office_user)
    seen = []
    real_progress = services._progress

    def spy(report, percent, **fields):
        real_progress(report, percent, **fields)
        seen.append(ReviewReport.objects.get(pk=report.pk).progress)

    monkeypatch.setattr(services, "_progress", spy)
    services.review_generate(report.pk)
    assert seen == [40, 70, 100]


def test_a_failure_is_recorded_on_the_review_and_on_the_job(world, office_user, monkeypatch):
    report = ask(office_user)

    def broken(*args, **kwargs):
        raise RuntimeError("hỏng máy")

    monkeypatch.setattr(services, "review_figures", broken)
    result = review_generate_task.apply(args=[report.pk])
    assert result.failed()
    report.refresh_from_db()
    assert report.status == ReviewStatus.FAILED
    assert report.error == "RuntimeError: hỏng máy"
    run = JobRun.objects.get(name="review_generate")
    assert run.succeeded is False
    assert "hỏng máy" in run.detail


def test_a_database_outage_is_retried_and_the_review_then_made(world, office_user, monkeypatch):
    report = ask(office_user, formats=["xlsx"])
    real = services.review_figures
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "review_figures", flaky)
    review_generate_task.apply(args=[report.pk])
    report.refresh_from_db()
    assert (report.status, report.error) == (ReviewStatus.DONE, "")
    assert len(calls) == 2
    assert list(JobRun.objects.order_by("id").values_list("succeeded", flat=True)) == [False, True]


def test_a_job_delivered_twice_makes_the_review_once(world, office_user):
    report = ask(office_user, formats=["xlsx"])
    assert services.review_generate(report.pk) is not None
    report.refresh_from_db()
    name = report.xlsx.name
    assert services.review_generate(report.pk) is None
    report.refresh_from_db()
    assert report.xlsx.name == name


def test_an_unreachable_queue_marks_the_review_failed(
    world, office_user, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(review_generate_task, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(office_user)
    report.refresh_from_db()
    assert report.status == ReviewStatus.FAILED
    assert "Không gửi được yêu cầu tới hàng đợi" in report.error


def test_the_review_counts_what_the_requester_may_see(world, office_user):
    from dondoc.tracking.models import Task

    Task.objects.filter(pk=world.tasks["T3"].pk).update(classification=3)  # above Tối mật
    report = ask(office_user)
    services.review_generate(report.pk)
    report.refresh_from_db()
    assert report.figures["totals"]["overdue"] == 2
    assert report.classification == 0
