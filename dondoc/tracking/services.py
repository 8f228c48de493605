"""Everything that changes tracked work. Each service checks its rules, writes, and records the
change in the audit log in the same transaction. Views and the API call these and nothing else.

Each service that changes a task first asks the task's access rule
(`access.check_task_action`): an action that the user's role or the task's state does not allow
raises `TaskActionRefused` before anything is read or written. The outermost services run in
`transaction.atomic(durable=True)`, so a caller that wraps one in its own transaction fails
loudly instead of silently extending it; services built from others use the inner `_` steps.

Errors: a broken business rule raises `ValidationError` with a stable `code`
(`error_codes.TrackingErrorCode`) and a Vietnamese message, on the field it is about when it is
about one input; a concurrent edit raises `EditConflictError`.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.accounts.models import Clearance, User
from dondoc.agencies.models import Agency
from dondoc.audit.services import audit_record, diff
from dondoc.tracking import attachments
from dondoc.tracking.access import (
    TaskAction,
    TaskActionRefused,
    check_task_action,
    obstacle_action,
)
from dondoc.tracking.deadlines import RECURRING, next_period_due
from dondoc.tracking.error_codes import TrackingErrorCode as Code
from dondoc.tracking.models import (
    Attachment,
    Coordination,
    DeadlineKind,
    Decision,
    DirectiveOpinion,
    Document,
    Extension,
    Obstacle,
    ObstacleLevel,
    ProgressReport,
    RecurringPeriod,
    Task,
)
from dondoc.tracking.symbols import parse_symbol

TASK_FIELDS = [
    "title", "description", "expected_product", "source_clause", "lead_agency", "responsible_head",
    "deadline_kind", "due_on", "priority", "is_key", "classification", "parent",
]  # fmt: skip


class EditConflictError(Exception):
    """Someone else saved the task after this user opened it."""

    code = Code.EDIT_CONFLICT

    def __init__(self, task: Task) -> None:
        self.task = task
        super().__init__(
            _(
                "Nhiệm vụ đã được người khác cập nhật trong lúc bạn chỉnh sửa. "
                "Vui lòng tải lại để xem thay đổi mới nhất rồi sửa lại."
            )
        )


def _today(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def _agency_of(actor: User) -> Agency:
    """The agency an agency's focal point or head acts for (the access rule let them act)."""
    assert actor.agency is not None
    return actor.agency


def _fail(message: str, code: Code, field: str | None = None, **params: Any) -> ValidationError:
    """A refusal with its code; on `field` when it is about that one input."""
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: error}) if field else error


# Documents ------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def document_register(actor: User, *, symbol: str, issuing_body: Agency, **fields: Any) -> Document:
    """Register a document; its number-symbol is parsed into type, issuer code and number."""
    try:
        parsed = parse_symbol(symbol)
    except ValidationError as error:
        raise ValidationError({"symbol": error}) from error
    document = Document(
        symbol=str(symbol).strip(),
        number=parsed.number,
        doc_type=parsed.doc_type,
        issuer_code=parsed.issuer_code,
        issuing_body=issuing_body,
        **fields,
    )
    _check_clearance(actor, document.classification)
    document.full_clean(exclude=["search_text"], validate_unique=False, validate_constraints=False)
    duplicate = _fail(
        _("Văn bản %(symbol)s của %(issuer)s khóa %(term)s đã được đăng ký."),
        Code.DUPLICATE_DOCUMENT,
        "symbol",
        symbol=symbol,
        issuer=issuing_body.name,
        term=document.term or "—",
    )
    same = Document.objects.filter(
        issuing_body=issuing_body, doc_type=parsed.doc_type, term=document.term,
        number=parsed.number,
    )  # fmt: skip
    if same.exists():
        raise duplicate
    _insert_once(document.save, same, duplicate)
    audit_record(
        actor, "create", document, diff({}, {"symbol": document.symbol, "title": document.title})
    )
    return document


def _insert_once(insert: Callable[[], None], rule: QuerySet[Any], refusal: Exception) -> None:
    """Run `insert` under a savepoint; if the database refuses it because a concurrent request
    inserted first what `rule` (a queryset) finds, answer with the same `refusal` the check
    before it gives. The check serves the common case; the constraint decides the race."""
    try:
        with transaction.atomic():
            insert()
    except IntegrityError:
        if rule.exists():
            raise refusal from None
        raise


def _lock(task: Task) -> None:
    """Read `task` again with its row locked until commit, before checking a rule on it: of two
    simultaneous requests (a double click) the second waits, then sees what the first wrote.
    SQLite needs no lock: it runs one writing transaction at a time (BEGIN IMMEDIATE)."""
    task.refresh_from_db(from_queryset=Task.objects.select_for_update())


# Tasks ----------------------------------------------------------------------------------------


def _check_task(actor: User, task: Task) -> None:
    task.title = task.title.strip()
    if not task.title:
        raise _fail(_("Cần nêu nội dung nhiệm vụ."), Code.TITLE_REQUIRED, "title")
    _check_deadline(task.deadline_kind, task.due_on)
    _check_clearance(actor, task.classification)
    _check_classification_floor(task)


def _classification_floor(document: Document | None, opinion: DirectiveOpinion | None) -> int:
    return max(
        document.classification if document is not None else 0,
        opinion.session.classification if opinion is not None else 0,
    )


def _check_classification_floor(task: Task) -> None:
    """A task is classified at least as its document and its working session: its page, lists
    and exports show the document's number-symbol and the session, so a lower task would show
    them to users not cleared for them."""
    floor = _classification_floor(
        task.document if task.document_id else None, task.opinion if task.opinion_id else None
    )
    if task.classification < floor:
        raise _fail(
            _(
                "Độ mật của nhiệm vụ không được thấp hơn độ mật của văn bản "
                "hoặc buổi làm việc giao nhiệm vụ (%(level)s)."
            ),
            Code.CLASSIFICATION_BELOW_SOURCE,
            "classification",
            level=Clearance(floor).label,
        )


def _check_clearance(actor: User, classification: int) -> None:
    """Nobody classifies work above their own clearance: they could no longer see it."""
    if classification > actor.clearance:
        raise _fail(
            _(
                "Bạn không được giao, sửa văn bản hoặc nhiệm vụ có độ mật cao hơn mức được tiếp cận."
            ),
            Code.CLASSIFICATION_ABOVE_CLEARANCE,
            "classification",
        )


def _check_deadline(kind: str, due_on: dt.date | None) -> None:
    if kind != DeadlineKind.ONGOING and due_on is None:
        raise _fail(
            _("Nhiệm vụ có thời hạn phải ghi rõ thời hạn."), Code.DEADLINE_REQUIRED, "due_on"
        )


def _task_snapshot(task: Task) -> dict[str, Any]:
    values = {name: getattr(task, name) for name in TASK_FIELDS}
    values["coordinating_agencies"] = (
        sorted(task.coordinations.values_list("agency__code", flat=True)) if task.pk else []
    )
    return values


def _set_coordinators(task: Task, agencies: Iterable[Agency]) -> None:
    wanted = {a.pk for a in agencies if a.pk != task.lead_agency_id}
    task.coordinations.exclude(agency_id__in=wanted).delete()
    existing = set(task.coordinations.values_list("agency_id", flat=True))
    Coordination.objects.bulk_create(
        [Coordination(task=task, agency_id=pk) for pk in wanted - existing]
    )


@transaction.atomic
def task_create(
    actor: User,
    *,
    title: str,
    lead_agency: Agency,
    coordinating_agencies: Iterable[Agency] = (),
    document: Document | None = None,
    opinion: DirectiveOpinion | None = None,
    created_on: dt.date | None = None,
    **fields: Any,
) -> Task:
    """Assign a task to one lead agency, with any coordinating agencies."""
    task = Task(
        title=title,
        lead_agency=lead_agency,
        document=document,
        opinion=opinion,
        created_on=_today(created_on),
        **fields,
    )
    if "classification" not in fields:
        task.classification = _classification_floor(document, opinion)
    _check_task(actor, task)
    task.full_clean(exclude=["search_text"])
    task.save()
    _set_coordinators(task, coordinating_agencies)
    audit_record(actor, "create", task, diff({}, _task_snapshot(task)), agency_id=lead_agency.pk)
    return task


@transaction.atomic(durable=True)
def task_update(
    actor: User,
    task: Task,
    *,
    version: int,
    coordinating_agencies: Iterable[Agency] | None = None,
    **changes: Any,
) -> Task:
    """Edit a task the user opened at `version`; refuse if someone saved it since."""
    check_task_action(actor, task, TaskAction.EDIT)
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise _fail(
            _("Không sửa được trường %(fields)s."),
            Code.UNKNOWN_FIELD,
            fields=", ".join(sorted(unknown)),
        )
    claimed = Task.objects.filter(pk=task.pk, version=version).update(version=F("version") + 1)
    if claimed != 1:
        raise EditConflictError(task)
    task.refresh_from_db()
    before = _task_snapshot(task)
    for name, value in changes.items():
        setattr(task, name, value)
    _check_task(actor, task)
    task.full_clean(exclude=["search_text"])
    task.save()
    if coordinating_agencies is not None:
        _set_coordinators(task, coordinating_agencies)
    audit_record(
        actor, "update", task, diff(before, _task_snapshot(task)), agency_id=task.lead_agency_id
    )
    return task


@transaction.atomic(durable=True)
def task_cancel(actor: User, task: Task, *, reason: str, day: dt.date | None = None) -> Task:
    if not reason.strip():
        raise _fail(
            _("Cần nêu lý do hủy hoặc điều chỉnh nhiệm vụ."), Code.REASON_REQUIRED, "reason"
        )
    _lock(task)
    check_task_action(actor, task, TaskAction.EDIT, _today(day))
    task.cancelled_on = _today(day)
    task.version = F("version") + 1
    task.save(update_fields=["cancelled_on", "version", "updated_at"])
    task.refresh_from_db()
    audit_record(
        actor,
        "cancel",
        task,
        {"cancelled_on": [None, task.cancelled_on], "reason": [None, reason]},
        agency_id=task.lead_agency_id,
    )
    return task


def task_dependency_add(actor: User, task: Task, waits_for: Task) -> None:
    """`task` waits for `waits_for` (chờ nhau made visible); cycles are refused."""
    check_task_action(actor, task, TaskAction.EDIT)
    if waits_for.pk == task.pk or _depends_on(waits_for, task.pk):
        raise _fail(
            _("Không thể tạo quan hệ chờ vòng tròn giữa các nhiệm vụ."),
            Code.DEPENDENCY_CYCLE,
            "waits_for",
        )
    with transaction.atomic(durable=True):
        task.depends_on.add(waits_for)
        audit_record(
            actor,
            "depend",
            task,
            {"depends_on": [None, waits_for.pk]},
            agency_id=task.lead_agency_id,
        )


def _depends_on(task: Task, target_pk: int) -> bool:
    seen: set[int] = set()
    frontier = {task.pk}
    through = Task.depends_on.through
    while frontier:
        if target_pk in frontier:
            return True
        seen |= frontier
        frontier = (
            set(
                through.objects.filter(from_task_id__in=frontier).values_list(
                    "to_task_id", flat=True
                )
            )
            - seen
        )
    return False


# Progress -------------------------------------------------------------------------------------


def check_task_report(
    actor: User,
    task: Task,
    *,
    percent: int,
    narrative: str,
    is_final: bool = False,
    product: str = "",
    day: dt.date | None = None,
) -> None:
    """Would this progress report be accepted now? Raises the refusal if not."""
    check_task_action(
        actor, task, TaskAction.FINAL_REPORT if is_final else TaskAction.REPORT, _today(day)
    )
    if not 0 <= percent <= 100:
        raise _fail(_("Tiến độ phải từ 0 đến 100%."), Code.PERCENT_OUT_OF_RANGE, "percent")
    if not narrative.strip():
        raise _fail(_("Cần nêu kết quả thực hiện."), Code.NARRATIVE_REQUIRED, "narrative")
    if is_final and not product.strip():
        raise _fail(
            _("Báo cáo hoàn thành phải nêu hoặc đính kèm sản phẩm đầu ra."),
            Code.PRODUCT_REQUIRED,
            "product",
        )


@transaction.atomic(durable=True)
def task_report_progress(
    actor: User,
    task: Task,
    *,
    percent: int,
    narrative: str,
    is_final: bool = False,
    product: str = "",
    period: str = "",
    day: dt.date | None = None,
) -> ProgressReport:
    """A progress report by the lead agency, or a contribution by a coordinating agency.

    A final report needs the expected product attached or described; it dates the completion
    and waits for the office's acceptance.
    """
    return _report_progress(
        actor, task, percent=percent, narrative=narrative, is_final=is_final, product=product,
        period=period, day=day,
    )  # fmt: skip


def _report_progress(
    actor: User,
    task: Task,
    *,
    percent: int,
    narrative: str,
    is_final: bool,
    product: str,
    period: str,
    day: dt.date | None,
) -> ProgressReport:
    # Two reports at once are stored one after the other: the task's progress is always that of
    # the last report stored.
    _lock(task)
    check_task_report(
        actor, task, percent=percent, narrative=narrative, is_final=is_final, product=product,
        day=day,
    )  # fmt: skip
    reported_on = _today(day)
    agency = _agency_of(actor)
    if is_final:
        percent = 100
    report = ProgressReport.objects.create(
        task=task,
        agency=agency,
        author=actor,
        reported_on=reported_on,
        period=period,
        percent=percent,
        narrative=narrative,
        is_final=is_final,
        product=product,
    )
    if agency.pk == task.lead_agency_id:
        before = {"progress": task.progress, "reported_done_on": task.reported_done_on,
                  "due_on": task.due_on}  # fmt: skip
        task.progress = percent
        task.last_report_on = reported_on
        if is_final:
            task.reported_done_on = reported_on
        elif task.deadline_kind in RECURRING and task.due_on is not None:
            _close_recurring_period(task, report)
        task.save(
            update_fields=["progress", "last_report_on", "reported_done_on", "due_on",
                           "extended_due_on", "updated_at"]
        )  # fmt: skip
        after = {"progress": percent, "reported_done_on": task.reported_done_on,
                 "due_on": task.due_on}  # fmt: skip
        audit_record(actor, "report", task, diff(before, after), agency_id=task.lead_agency_id)
    else:
        audit_record(
            actor,
            "contribute",
            task,
            {"contribution": [None, f"{percent}%"]},
            agency_id=agency.pk,
        )
    return report


@transaction.atomic(durable=True)
def task_accept(actor: User, task: Task, *, day: dt.date | None = None) -> Task:
    """The office accepts the final report: the task counts as done (on time or late)."""
    _lock(task)
    check_task_action(actor, task, TaskAction.ACCEPT, _today(day))
    assert task.reported_done_on is not None  # awaiting acceptance
    task.accepted_on = max(_today(day), task.reported_done_on)
    task.save(update_fields=["accepted_on", "updated_at"])
    audit_record(
        actor,
        "accept",
        task,
        {"accepted_on": [None, task.accepted_on]},
        agency_id=task.lead_agency_id,
    )
    return task


@transaction.atomic(durable=True)
def task_return(actor: User, task: Task, *, reason: str) -> Task:
    """The office does not accept the final report: the task is open again, with the reason."""
    _lock(task)
    check_task_action(actor, task, TaskAction.ACCEPT)
    if not reason.strip():
        raise _fail(_("Cần nêu lý do chưa xác nhận hoàn thành."), Code.REASON_REQUIRED, "reason")
    before = task.reported_done_on
    task.reported_done_on = None
    task.save(update_fields=["reported_done_on", "updated_at"])
    audit_record(
        actor,
        "return",
        task,
        {"reported_done_on": [before, None], "reason": [None, reason]},
        agency_id=task.lead_agency_id,
    )
    return task


def _close_recurring_period(task: Task, report: ProgressReport) -> None:
    """A lead report on a recurring task closes its current period and opens the next one."""
    assert task.due_on is not None
    RecurringPeriod.objects.create(
        task=task, due_on=task.due_on, extended_due_on=task.extended_due_on,
        reported_on=report.reported_on, report=report,
    )  # fmt: skip
    task.due_on = next_period_due(task.deadline_kind, task.due_on)
    task.extended_due_on = None


# Extensions -----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def extension_request(
    actor: User, task: Task, *, requested_due_on: dt.date, reason: str, day: dt.date | None = None
) -> Extension:
    check_task_action(actor, task, TaskAction.REQUEST_EXTENSION, _today(day))
    current = task.extended_due_on or task.due_on
    assert current is not None  # the access rule asks an extension only of a dated task
    if requested_due_on <= current:
        raise _fail(
            _("Thời hạn đề nghị phải sau thời hạn hiện tại (%(due)s)."),
            Code.NOT_LATER,
            "requested_due_on",
            due=f"{current:%d/%m/%Y}",
        )
    if not reason.strip():
        raise _fail(_("Cần nêu lý do đề nghị gia hạn."), Code.REASON_REQUIRED, "reason")
    pending = task.extensions.filter(decision=Decision.PENDING)
    refusal = TaskActionRefused(TaskAction.REQUEST_EXTENSION, Code.EXTENSION_PENDING, task)
    extension = Extension(
        task=task,
        requested_by=actor,
        requested_on=_today(day),
        previous_due_on=current,
        requested_due_on=requested_due_on,
        reason=reason,
    )
    _insert_once(extension.save, pending, refusal)  # constraint extension_one_pending_per_task
    audit_record(
        actor,
        "extension_request",
        task,
        {"requested_due_on": [None, requested_due_on]},
        agency_id=task.lead_agency_id,
    )
    return extension


@transaction.atomic(durable=True)
def extension_decide(
    actor: User, extension: Extension, *, approve: bool, reason: str, day: dt.date | None = None
) -> Extension:
    """Approve or refuse; the original deadline stays on the task, the new one beside it."""
    check_task_action(actor, extension.task, TaskAction.DECIDE_EXTENSION, _today(day))
    if not approve and not reason.strip():
        raise _fail(_("Cần nêu lý do không đồng ý gia hạn."), Code.REASON_REQUIRED, "reason")
    claimed = Extension.objects.filter(pk=extension.pk, decision=Decision.PENDING).update(
        decision=Decision.APPROVED if approve else Decision.REFUSED,
        decided_by=actor,
        decided_on=_today(day),
        decision_reason=reason,
    )
    if claimed != 1:
        raise _fail(_("Đề nghị gia hạn này đã được quyết định."), Code.ALREADY_DECIDED)
    extension.refresh_from_db()
    task = extension.task
    if approve:
        before = task.extended_due_on
        task.extended_due_on = extension.requested_due_on
        task.save(update_fields=["extended_due_on", "updated_at"])
        audit_record(
            actor,
            "extension_approve",
            task,
            {"extended_due_on": [before, task.extended_due_on]},
            agency_id=task.lead_agency_id,
        )
    else:
        audit_record(
            actor,
            "extension_refuse",
            task,
            {"reason": [None, reason]},
            agency_id=task.lead_agency_id,
        )
    return extension


# Obstacles ------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def obstacle_raise(
    actor: User,
    task: Task,
    *,
    text: str,
    proposal: str = "",
    beyond_authority: bool = False,
    day: dt.date | None = None,
) -> Obstacle:
    """An obstacle and proposal; one beyond the office's authority goes to the leader."""
    check_task_action(actor, task, TaskAction.RAISE_OBSTACLE, _today(day))
    if not text.strip():
        raise _fail(_("Cần nêu nội dung vướng mắc."), Code.TEXT_REQUIRED, "text")
    obstacle = Obstacle.objects.create(
        task=task,
        agency=_agency_of(actor),
        raised_by=actor,
        raised_on=_today(day),
        text=text,
        proposal=proposal,
        level=ObstacleLevel.LEADER if beyond_authority else ObstacleLevel.OFFICE,
    )
    audit_record(
        actor,
        "obstacle_raise",
        obstacle,
        {"text": [None, text], "level": [None, obstacle.level]},
        agency_id=task.lead_agency_id,
    )
    return obstacle


@transaction.atomic(durable=True)
def obstacle_escalate(actor: User, obstacle: Obstacle) -> Obstacle:
    """The office finds the matter beyond its authority and reports it to the leader."""
    check_task_action(actor, obstacle.task, TaskAction.ANSWER_OBSTACLE)
    claimed = Obstacle.objects.filter(
        pk=obstacle.pk, answered_on__isnull=True, level=ObstacleLevel.OFFICE
    ).update(level=ObstacleLevel.LEADER)
    if claimed != 1:
        raise _fail(_("Vướng mắc đã được trả lời hoặc đã báo cáo lãnh đạo."), Code.CANNOT_ESCALATE)
    obstacle.level = ObstacleLevel.LEADER
    audit_record(
        actor,
        "obstacle_escalate",
        obstacle,
        {"level": [ObstacleLevel.OFFICE, ObstacleLevel.LEADER]},
        agency_id=obstacle.task.lead_agency_id,
    )
    return obstacle


@transaction.atomic(durable=True)
def obstacle_answer(
    actor: User, obstacle: Obstacle, *, answer: str, day: dt.date | None = None
) -> Obstacle:
    """Answer an obstacle: the office those within its authority, a leader those escalated."""
    check_task_action(actor, obstacle.task, obstacle_action(obstacle), _today(day))
    if not answer.strip():
        raise _fail(_("Cần nêu nội dung trả lời."), Code.ANSWER_REQUIRED, "answer")
    claimed = Obstacle.objects.filter(pk=obstacle.pk, answered_on__isnull=True).update(
        answer=answer, answered_by=actor, answered_on=_today(day)
    )
    if claimed != 1:
        raise _fail(_("Vướng mắc này đã được trả lời."), Code.ALREADY_ANSWERED)
    obstacle.refresh_from_db()
    audit_record(
        actor,
        "obstacle_answer",
        obstacle,
        {"answer": [None, answer]},
        agency_id=obstacle.task.lead_agency_id,
    )
    return obstacle


__all__ = [
    "EditConflictError",
    "IntegrityError",
    "check_task_report",
    "document_register",
    "extension_decide",
    "extension_request",
    "obstacle_answer",
    "obstacle_escalate",
    "obstacle_raise",
    "task_accept",
    "task_cancel",
    "task_create",
    "task_dependency_add",
    "task_report_progress",
    "task_return",
    "task_update",
]  # fmt: skip


# Attachments ----------------------------------------------------------------------------------


def attachment_add(
    actor: User,
    *,
    file: "File[Any]",
    document: Document | None = None,
    report: ProgressReport | None = None,
) -> Attachment:
    """Keep a file with a document (the office's) or as evidence of a progress report.

    Its type is read from its content (`attachments.check_file`) and it is stored under a
    random name before the transaction that writes its row and audit entry, so that no lock is
    held while a large file is read. The file store is not transactional: a failure here
    removes the file, so in a larger transaction call this last.
    """
    kinds: Sequence[attachments.Kind]
    if document is not None and report is None:
        classification, kinds = document.classification, attachments.DOCUMENT_KINDS
        agency_id = None
    elif report is not None and document is None:
        classification, kinds = report.task.classification, attachments.EVIDENCE_KINDS
        agency_id = report.task.lead_agency_id
    else:
        raise ValueError("An attachment belongs to exactly one document or progress report.")
    if classification >= Clearance.TOP_SECRET:
        raise _fail(
            _("Nội dung Tuyệt mật không lưu trên hệ thống: không đính kèm tệp."),
            Code.TOP_SECRET_FILE,
        )
    checked = attachments.check_file(file, kinds)
    attachment = Attachment(
        document=document,
        report=report,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    attachment.file.save(checked.name, file, save=False)
    try:
        with transaction.atomic():
            attachment.save()
            _audit_attachment(actor, attachment, checked, agency_id)
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


def _audit_attachment(
    actor: User, attachment: Attachment, checked: attachments.CheckedFile, agency_id: int | None
) -> None:
    audit_record(
        actor,
        "attach",
        attachment,
        diff(
            {},
            {
                "name": checked.name,
                "content_type": checked.kind.content_type,
                "size": checked.size,
                "sha256": checked.sha256,
                "document": attachment.document,
                "report": attachment.report,
            },
        ),
        agency_id=agency_id,
    )


@transaction.atomic(durable=True)
def task_report_with_evidence(
    actor: User,
    task: Task,
    *,
    evidence: "File[Any] | None" = None,
    percent: int,
    narrative: str,
    is_final: bool = False,
    product: str = "",
    period: str = "",
    day: dt.date | None = None,
) -> ProgressReport:
    """A progress report (`task_report_progress`) with its evidence file: both or neither.
    A refused file is refused on the `evidence` field."""
    progress = _report_progress(
        actor, task, percent=percent, narrative=narrative, is_final=is_final, product=product,
        period=period, day=day,
    )  # fmt: skip
    if evidence is not None:
        try:
            attachment_add(actor, file=evidence, report=progress)
        except ValidationError as error:
            raise ValidationError({"evidence": error}) from error
    return progress


__all__ += ["attachment_add", "task_report_with_evidence"]
