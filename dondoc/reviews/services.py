"""Making progress reviews: the request (from the page), the generation (by a background job),
and the files, which the command line makes the same way without the archive."""

import datetime as dt
import logging
from collections.abc import Iterable
from contextlib import suppress
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.audit.services import audit_record
from dondoc.tracking.access import tasks_visible_to

from .content import ReviewContent, review_content, review_title
from .docx import review_docx
from .figures import review_figures
from .models import FORMATS, ReviewReport, ReviewStatus
from .periods import Period, Scope, period_parse, scope_parse

log = logging.getLogger("dondoc.reviews")


def formats_check(formats: Iterable[str]) -> list[str]:
    """The wanted formats in the usual order; ValidationError for an unknown or missing one."""
    wanted = {f.strip().lower() for f in formats if f.strip()}
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        raise ValidationError(
            "Định dạng không hợp lệ: %(bad)s; chọn một hoặc nhiều trong docx, pdf, xlsx.",
            code="bad_format",
            params={"bad": ", ".join(sorted(unknown)) or "(trống)"},
        )
    return [f for f in FORMATS if f in wanted]


def review_check(period: str, scope: str, *, today: dt.date | None = None) -> tuple[Period, Scope]:
    """The period and scope parsed; ValidationError (in Vietnamese) for either, or for a period
    that has not begun."""
    parsed = period_parse(period)
    if parsed.start > (today or timezone.localdate()):
        raise ValidationError(
            "Kỳ báo cáo %(period)s chưa bắt đầu.", code="future_period", params={"period": period}
        )
    return parsed, scope_parse(scope)


def review_render_one(
    fmt: str, content: ReviewContent, images: dict[str, bytes] | None = None
) -> bytes:
    """One file of the review; DOCX and PDF need the charts (`charts.review_charts`). The PDF
    and XLSX writers are imported here: fpdf2 and openpyxl would cost every process ~1 s to
    load (docs/benchmarks.md, "Process start")."""
    if fmt == "docx":
        return review_docx(content, images or {})
    if fmt == "pdf":
        from .pdf import review_pdf

        return review_pdf(content, images or {})
    from .xlsx import review_xlsx

    return review_xlsx(content)


def review_charts(figures: dict[str, Any]) -> dict[str, bytes]:
    """The charts as PNG images; matplotlib (~1 s to load) is imported only here."""
    from .charts import review_charts as draw

    return draw(figures)


def review_render(figures: dict[str, Any], formats: Iterable[str]) -> dict[str, bytes]:
    """The files for `formats`, all drawn from the same figures."""
    wanted = list(formats)
    content = review_content(figures)
    images = review_charts(figures) if {"docx", "pdf"} & set(wanted) else {}
    return {fmt: review_render_one(fmt, content, images) for fmt in wanted}


def review_request(
    actor: User, *, period: str, scope: str, formats: Iterable[str], today: dt.date | None = None
) -> ReviewReport:
    """The office asks for a review: it is archived as queued and made by a background job once
    this transaction commits. ValidationError for a bad period, scope or format."""
    if not rules.office(actor):
        raise PermissionDenied
    parsed_period, parsed_scope = review_check(period, scope, today=today)
    wanted = formats_check(formats)
    with transaction.atomic():
        report = ReviewReport.objects.create(
            title=review_title(parsed_scope.phrase, parsed_period.label),
            period=parsed_period.code,
            period_start=parsed_period.start,
            period_end=parsed_period.end,
            scope=parsed_scope.code,
            agency_id=parsed_scope.agency_id if parsed_scope.kind == "agency" else None,
            formats=",".join(wanted),
            requested_by=actor,
        )
        audit_record(
            actor,
            "review_request",
            report,
            {
                "period": [None, report.period],
                "scope": [None, report.scope],
                "formats": [None, report.formats],
            },
            agency_id=report.agency_id,
        )
        transaction.on_commit(lambda: review_enqueue(report.pk))
    return report


def review_enqueue(report_id: int) -> None:
    """After commit: hand the job to a worker. If the broker cannot be reached the review is
    marked failed, with the reason, so that nobody waits for it."""
    from .tasks import review_generate_task  # the task module imports this one

    try:
        review_generate_task.delay(report_id)
    except Exception as error:
        log.warning("could not enqueue review %s", report_id, exc_info=True)
        _record_failure(report_id, f"Không gửi được yêu cầu tới hàng đợi: {error}")


def _record_failure(report_id: int, error: str) -> None:
    with suppress(DatabaseError):  # the database may be why it failed; the retry will tell
        ReviewReport.objects.filter(pk=report_id).update(
            status=ReviewStatus.FAILED, error=error[:2000]
        )


def _progress(report: ReviewReport, percent: int, **fields: Any) -> None:
    report.progress = percent
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=["progress", *fields])


def _store(report: ReviewReport, files: dict[str, bytes]) -> None:
    for fmt, data in files.items():
        field = getattr(report, fmt)
        if field:
            field.delete(save=False)  # a retried job replaces what a failed one left
        field.save(report.file_name(fmt), ContentFile(data), save=False)


def review_generate(report_id: int) -> ReviewReport | None:
    """Compute the figures and write the files of a queued review, updating its progress
    (10, 40, 70, 100) and status. Claimed by compare-and-set, so a job delivered twice does the
    work once; a failed one may run again (Celery retries on OperationalError). A failure is
    recorded on the review (status failed, error) and re-raised."""
    claimed = (
        ReviewReport.objects.filter(pk=report_id)
        .exclude(status=ReviewStatus.DONE)
        .update(status=ReviewStatus.RUNNING, progress=10, error="")
    )
    if claimed != 1:
        return None
    report = ReviewReport.objects.select_related("requested_by").get(pk=report_id)
    try:
        _generate(report)
    except Exception as error:
        _record_failure(report_id, f"{type(error).__name__}: {error}")
        raise
    return report


def _generate(report: ReviewReport) -> None:
    period, scope = period_parse(report.period), scope_parse(report.scope)
    requester = report.requested_by
    tasks = tasks_visible_to(requester) if requester is not None else None
    figures = review_figures(period, scope, tasks=tasks)
    _progress(
        report,
        40,
        figures=figures,
        computed_as_of=dt.datetime.fromisoformat(figures["computed_at"]),
        classification=figures["classification"],
    )
    formats = report.format_list
    printed = [f for f in formats if f != "xlsx"]
    content = review_content(figures)
    images = review_charts(figures) if printed else {}
    _store(report, {f: review_render_one(f, content, images) for f in printed})
    _progress(report, 70, docx=report.docx, pdf=report.pdf)
    _store(report, {f: review_render_one(f, content) for f in formats if f == "xlsx"})
    _progress(report, 100, xlsx=report.xlsx, status=ReviewStatus.DONE)
