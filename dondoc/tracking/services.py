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
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dondoc.accounts.models import Clearance, RoleCode, User
from dondoc.agencies.models import Agency
from dondoc.audit.services import Change, audit_record, audit_record_many, diff
from dondoc.core.services import durable_service
from dondoc.core.text import search_key
from dondoc.tracking import attachments
from dondoc.tracking.access import (
    TaskAction,
    TaskActionRefused,
    check_task_action,
    obstacle_action,
)
from dondoc.tracking.deadlines import RECURRING, next_period_due
from dondoc.tracking.error_codes import TrackingErrorCode as Code
from dondoc.tracking.events import EventKind, TaskEvent, publish
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
    Priority,
    ProgressReport,
    QueueVisit,
    RecurringPeriod,
    Task,
    TaskSource,
    TaskSubmission,
)
from dondoc.tracking.symbols import parse_symbol
from dondoc.tracking.tallies import tallies_refresh, task_tallies_refresh

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


@durable_service
def document_register(actor: User, *, symbol: str, issuing_body: Agency, **fields: Any) -> Document:
    """Register a document; its number-symbol is parsed into type, issuer code and number.
    `document_register.step` does it inside a caller's transaction."""
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
    _check_top_secret_text(document)
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
    SQLite needs no lock: it runs one writing transaction at a time (BEGIN IMMEDIATE).
    FOR NO KEY UPDATE, not FOR UPDATE: rows that point at the task (tallies, reports) may still
    be written by others meanwhile; with FOR UPDATE a tally recount waited on a locked task while
    that task's writer waited on the recount's audit lock (a deadlock, seen on PostgreSQL)."""
    task.refresh_from_db(from_queryset=Task.objects.select_for_update(no_key=True))


# Tasks: one write path ---------------------------------------------------------------------
#
# Every door that creates tasks (the task form, the XLSX import, assisted entry, the API) hands
# `tasks_create_many` the same `NewTask` rows; each row is checked by `_task_problems`, the one
# set of rules, and every problem of every row comes back at once (`TaskRowsError`).

WRITE_BATCH_SIZE = 1000
TEXT_LIMITS = (("title", 500), ("source_clause", 200), ("expected_product", 300),
               ("responsible_head", 200))  # fmt: skip


@dataclass(frozen=True, slots=True)
class NewTask:
    """One task to create. `row` is how the caller numbers it in messages: the Excel row of
    an import, the proposal's place in assisted entry, 1 for a form or the API."""

    title: str
    lead_agency_id: int
    coordinating_agency_ids: tuple[int, ...] = ()
    document_id: int | None = None
    opinion_id: int | None = None
    parent_id: int | None = None
    description: str = ""
    expected_product: str = ""
    source_clause: str = ""
    responsible_head: str = ""
    deadline_kind: str = DeadlineKind.DATE
    due_on: dt.date | None = None
    priority: int = Priority.NORMAL
    is_key: bool = False
    classification: int | None = None  # None: the document's
    created_on: dt.date | None = None  # None: today
    row: int = 1


def new_task(
    *,
    lead_agency: Agency,
    coordinating_agencies: Iterable[Agency] = (),
    document: Document | None = None,
    opinion: DirectiveOpinion | None = None,
    parent: Task | None = None,
    **fields: Any,
) -> NewTask:
    """A `NewTask` from the objects a form or the API has already fetched."""
    return NewTask(
        lead_agency_id=lead_agency.pk,
        coordinating_agency_ids=tuple(agency.pk for agency in coordinating_agencies),
        document_id=document.pk if document else None,
        opinion_id=opinion.pk if opinion else None,
        parent_id=parent.pk if parent else None,
        **fields,
    )


@dataclass(frozen=True)
class TaskProblem:
    """A broken rule: the row, the `NewTask` field it is about, a stable code, the message."""

    row: int
    field: str
    code: Code
    message: str


class TaskRowsError(ValidationError):
    """Rows that break the rules; nothing was written. Also a `ValidationError` by field, so
    that a form or the API shows a one-row refusal like any other."""

    def __init__(self, problems: list[TaskProblem]) -> None:
        self.problems = problems
        by_field: dict[str, list[ValidationError]] = {}
        for problem in problems:
            error = ValidationError(problem.message, code=problem.code)
            by_field.setdefault(problem.field, []).append(error)
        super().__init__(by_field)
        self.code = problems[0].code if problems else None


class DuplicateSubmissionError(Exception):
    """The page or file was already submitted and its tasks created: nothing is created again."""

    code = Code.ALREADY_SUBMITTED

    def __init__(self, submission: TaskSubmission) -> None:
        self.submission = submission
        at = timezone.localtime(submission.submitted_at)
        super().__init__(
            _(
                "Các nhiệm vụ này đã được tạo lúc %(time)s ngày %(day)s (%(count)s nhiệm vụ); "
                "không tạo lại lần nữa."
            )
            % {"time": f"{at:%H:%M}", "day": f"{at:%d/%m/%Y}", "count": submission.created}
        )


@dataclass(frozen=True)
class _Refs:
    """What the rules and the audit entries read of the rows' agencies, documents, directive
    opinions and parents, fetched once for all rows."""

    agencies: dict[int, Agency]
    documents: dict[int, Document]
    opinions: dict[int, DirectiveOpinion]
    parents: dict[int, Task]

    @classmethod
    def of(cls, rows: Sequence[NewTask]) -> "_Refs":
        agency_ids = {row.lead_agency_id for row in rows}
        agency_ids.update(pk for row in rows for pk in row.coordinating_agency_ids)
        documents = {row.document_id for row in rows if row.document_id is not None}
        opinions = {row.opinion_id for row in rows if row.opinion_id is not None}
        parents = {row.parent_id for row in rows if row.parent_id is not None}
        return cls(
            Agency.objects.only("id", "code", "name", "valid_to").in_bulk(agency_ids),
            Document.objects.only(
                "id", "symbol", "issued_on", "classification", "follower_id"
            ).in_bulk(documents),
            DirectiveOpinion.objects.select_related("session").in_bulk(opinions)
            if opinions
            else {},
            Task.objects.only("id", "title").in_bulk(parents),
        )

    def floor(self, row: NewTask) -> int:
        """The lowest classification the row may have: its document's and its session's."""
        document = self.documents.get(row.document_id or 0)
        opinion = self.opinions.get(row.opinion_id or 0)
        return max(
            document.classification if document else Clearance.NORMAL,
            opinion.session.classification if opinion else Clearance.NORMAL,
        )

    def classification(self, row: NewTask) -> int:
        return row.classification if row.classification is not None else self.floor(row)

    def document_follower(self, row: NewTask) -> int | None:
        """A new task names no follower: its document's follows it."""
        document = self.documents.get(row.document_id or 0)
        return document.follower_id if document else None


def _task_problems(
    actor: User, row: NewTask, refs: _Refs, *, kept_agencies: frozenset[int] = frozenset()
) -> list[TaskProblem]:
    """Every rule a task must meet, for one row. `kept_agencies`: on an edit, the agencies the
    task already has, which stay allowed after they end (their tasks pass to a successor)."""
    problems = [
        *_text_problems(row),
        *_deadline_problems(row, refs),
        *_agency_problems(row, refs, kept_agencies),
    ]
    return problems + _classification_problems(actor, row, refs)


def _classification_problems(actor: User, row: NewTask, refs: _Refs) -> list[TaskProblem]:
    """Nobody classifies work above their own clearance (they could no longer see it), and a
    task is classified at least as its document and session: its page, lists and exports show
    the document's number-symbol and the session to whoever may see the task."""
    classification, floor = refs.classification(row), refs.floor(row)
    if classification > actor.clearance:
        return [_problem(row, "classification", Code.CLASSIFICATION_ABOVE_CLEARANCE,
                         _CLEARANCE_MESSAGE)]  # fmt: skip
    if classification < floor:
        return [_problem(
            row, "classification", Code.CLASSIFICATION_BELOW_SOURCE,
            _("Độ mật của nhiệm vụ không được thấp hơn độ mật của văn bản "
              "hoặc buổi làm việc giao nhiệm vụ (%(level)s)."),
            level=Clearance(floor).label,
        )]  # fmt: skip
    return []


def _problem(row: NewTask, field: str, code: Code, message: Any, **params: Any) -> TaskProblem:
    return TaskProblem(row.row, field, code, str(message) % params if params else str(message))


def _text_problems(row: NewTask) -> list[TaskProblem]:
    problems = []
    if not row.title.strip():
        problems.append(
            _problem(row, "title", Code.TITLE_REQUIRED, _("Cần nêu nội dung nhiệm vụ."))
        )
    for name, limit in TEXT_LIMITS:
        length = len(getattr(row, name))
        if length > limit:
            problems.append(_problem(
                row, name, Code.TOO_LONG, _("Dài %(length)s ký tự, quá mức %(limit)s ký tự."),
                length=length, limit=limit,
            ))  # fmt: skip
    if row.priority not in Priority.values:
        problems.append(
            _problem(row, "priority", Code.INVALID_CHOICE, _("Mức ưu tiên không hợp lệ."))
        )
    return problems


def _deadline_problems(row: NewTask, refs: _Refs) -> list[TaskProblem]:
    if row.deadline_kind not in DeadlineKind.values:
        return [
            _problem(row, "deadline_kind", Code.INVALID_CHOICE, _("Loại thời hạn không hợp lệ."))
        ]
    if row.deadline_kind != DeadlineKind.ONGOING and row.due_on is None:
        return [_problem(row, "due_on", Code.DEADLINE_REQUIRED,
                         _("Nhiệm vụ có thời hạn phải ghi rõ thời hạn."))]  # fmt: skip
    document = refs.documents.get(row.document_id or 0)
    if document is not None and row.due_on is not None and row.due_on < document.issued_on:
        return [_problem(
            row, "due_on", Code.DEADLINE_BEFORE_DOCUMENT,
            _("Thời hạn %(due)s trước ngày ban hành văn bản %(symbol)s (%(issued)s)."),
            due=f"{row.due_on:%d/%m/%Y}", symbol=document.symbol,
            issued=f"{document.issued_on:%d/%m/%Y}",
        )]  # fmt: skip
    return []


def _agency_problems(row: NewTask, refs: _Refs, kept: frozenset[int]) -> list[TaskProblem]:
    problems = []
    for field, pk in [("lead_agency", row.lead_agency_id),
                      *(("coordinating_agencies", pk) for pk in row.coordinating_agency_ids)]:  # fmt: skip
        agency = refs.agencies.get(pk)
        if agency is None:
            problems.append(_problem(row, field, Code.UNKNOWN_AGENCY,
                                     _("Không có cơ quan số %(pk)s."), pk=pk))  # fmt: skip
        elif agency.valid_to is not None and pk not in kept:
            problems.append(_problem(
                row, field, Code.AGENCY_ENDED,
                _("Cơ quan “%(name)s” đã thôi hoạt động từ %(day)s; hãy giao cho cơ quan kế thừa."),
                name=agency.name, day=f"{agency.valid_to:%d/%m/%Y}",
            ))  # fmt: skip
    lead = refs.agencies.get(row.lead_agency_id)
    if lead is not None and row.lead_agency_id in row.coordinating_agency_ids:
        problems.append(_problem(
            row, "coordinating_agencies", Code.LEAD_AMONG_COORDINATORS,
            _("Cơ quan “%(name)s” đã là cơ quan chủ trì, không ghi lại là cơ quan phối hợp."),
            name=lead.name,
        ))  # fmt: skip
    return problems


_CLEARANCE_MESSAGE = _lazy(
    "Bạn không được giao, sửa văn bản hoặc nhiệm vụ có độ mật cao hơn mức được tiếp cận."
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


def tasks_check(actor: User, rows: Sequence[NewTask]) -> list[TaskProblem]:
    """The problems of every row, in row order (the `check_*` step of `tasks_create_many`)."""
    refs = _Refs.of(rows)
    return [problem for row in rows for problem in _task_problems(actor, row, refs)]


@durable_service
def tasks_create_many(
    actor: User,
    rows: Sequence[NewTask],
    *,
    source: TaskSource,
    key: str = "",
    file_name: str = "",
) -> list[Task]:
    """Create every row's task, all or none: each row checked by the same rules (every
    problem of every row raised at once as `TaskRowsError`), then written in bulk with one
    audit entry per task, in one transaction.

    `key` identifies the submission (a page's form token, an imported file's checksum): a key
    already used raises `DuplicateSubmissionError`, decided by a unique constraint, so two
    requests racing with one key create the tasks once.

    Durable (`dondoc.core.services.durable_service`); `tasks_create_many.step` does the same
    inside a caller's transaction (an approved proposal's tasks, `programs.services`)."""
    if key:
        _refuse_if_submitted(key)
    refs = _Refs.of(rows)
    problems = [problem for row in rows for problem in _task_problems(actor, row, refs)]
    if problems:
        raise TaskRowsError(problems)
    if not rows:
        return []
    today = timezone.localdate()
    submission = _submission_claim(actor, key, source, file_name, len(rows)) if key else None
    tasks = _tasks_insert(rows, refs, today)
    if submission is not None:
        TaskSubmission.objects.filter(pk=submission.pk).update(first_task=tasks[0])
    audit_record_many(actor, "create", [
        Change(task, _created(task, row, refs, source, file_name), task.lead_agency_id)
        for task, row in zip(tasks, rows, strict=True)
    ])  # fmt: skip
    tallies_refresh({t.lead_agency_id for t in tasks},
                    seen_by={pk for row in rows for pk in row.coordinating_agency_ids})  # fmt: skip
    publish(TaskEvent(EventKind.TASK_ASSIGNED, tuple(t.pk for t in tasks), actor.pk))
    return tasks


def tasks_duplicates(rows: Sequence[NewTask]) -> list[tuple[int, int]]:
    """(row, the earlier row it repeats) for each row with the same document, content and lead
    agency as an earlier one: a warning for the specialist, not a broken rule."""
    first: dict[tuple[Any, ...], int] = {}
    found = []
    for row in rows:
        content = " ".join(f"{row.title} {row.description}".split()).casefold()
        seen = first.setdefault((row.document_id, content, row.lead_agency_id), row.row)
        if seen != row.row:
            found.append((row.row, seen))
    return found


def _refuse_if_submitted(key: str) -> None:
    earlier = TaskSubmission.objects.filter(key=key).first()
    if earlier is not None:
        raise DuplicateSubmissionError(earlier)


def _submission_claim(
    actor: User, key: str, source: str, file_name: str, count: int
) -> TaskSubmission:
    """Insert the submission first: a second request with the same key waits here on the
    unique index (PostgreSQL) or the write lock (SQLite), then fails."""
    try:
        with transaction.atomic():
            return TaskSubmission.objects.create(
                key=key, source=source, submitted_by_id=actor.pk,
                file_name=file_name[:255], created=count,
            )  # fmt: skip
    except IntegrityError:
        earlier = TaskSubmission.objects.filter(key=key).first()
        if earlier is None:
            raise
        raise DuplicateSubmissionError(earlier) from None


def _tasks_insert(rows: Sequence[NewTask], refs: _Refs, today: dt.date) -> list[Task]:
    tasks: list[Task] = []
    for start in range(0, len(rows), WRITE_BATCH_SIZE):
        batch = rows[start : start + WRITE_BATCH_SIZE]
        built = Task.objects.bulk_create([_task_of(row, refs, today) for row in batch])
        Coordination.objects.bulk_create(
            Coordination(task_id=task.pk, agency_id=pk)
            for task, row in zip(built, batch, strict=True)
            for pk in dict.fromkeys(row.coordinating_agency_ids)
        )
        tasks.extend(built)
    return tasks


def _task_of(row: NewTask, refs: _Refs, today: dt.date) -> Task:
    title = row.title.strip()
    return Task(
        title=title, description=row.description, expected_product=row.expected_product,
        source_clause=row.source_clause, responsible_head=row.responsible_head,
        lead_agency=refs.agencies[row.lead_agency_id], document_id=row.document_id,
        opinion_id=row.opinion_id, parent=refs.parents.get(row.parent_id or 0),
        deadline_kind=row.deadline_kind, due_on=row.due_on, priority=row.priority,
        is_key=row.is_key, classification=refs.classification(row),
        created_on=row.created_on or today, search_text=search_key(title)[:700],
        followed_by_id=refs.document_follower(row),
    )  # fmt: skip


def _created(task: Task, row: NewTask, refs: _Refs, source: str, file_name: str) -> dict[str, Any]:
    """The audit entry's changes: every field of the new task, and where it came from."""
    values = {name: getattr(task, name) for name in TASK_FIELDS}
    values["coordinating_agencies"] = sorted(
        refs.agencies[pk].code for pk in set(row.coordinating_agency_ids)
    )
    values["source"] = source
    if file_name:
        values["file"] = file_name
    return diff({}, values)


def task_create(
    actor: User,
    *,
    title: str,
    lead_agency: Agency,
    source: TaskSource = TaskSource.FORM,
    key: str = "",
    **fields: Any,
) -> Task:
    """Assign one task (`tasks_create_many` with one row): a lead agency, any coordinating
    agencies (`coordinating_agencies`), a document or directive opinion, a deadline…"""
    row = new_task(title=title, lead_agency=lead_agency, **fields)
    return tasks_create_many(actor, [row], source=source, key=key)[0]


def _check_task(actor: User, task: Task, coordinator_ids: Iterable[int]) -> None:
    """An edited task meets the rules of a new one (`_task_problems`)."""
    task.title = task.title.strip()
    row = NewTask(
        **{name: getattr(task, name) for name in _EDITABLE},
        lead_agency_id=task.lead_agency_id,
        coordinating_agency_ids=tuple(coordinator_ids),
        document_id=task.document_id,
        opinion_id=task.opinion_id,
        parent_id=task.parent_id,
    )
    kept = frozenset(task.coordinations.values_list("agency_id", flat=True)) | {
        Task.objects.filter(pk=task.pk).values_list("lead_agency_id", flat=True).get()
    }
    problems = _task_problems(actor, row, _Refs.of([row]), kept_agencies=kept)
    if problems:
        raise TaskRowsError(problems)


_EDITABLE = ("title", "description", "expected_product", "source_clause", "responsible_head",
             "deadline_kind", "due_on", "priority", "is_key", "classification")  # fmt: skip


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
    seen_before = [task.lead_agency_id, *task.coordinations.values_list("agency_id", flat=True)]
    for name, value in changes.items():
        setattr(task, name, value)
    coordinators = (
        [agency.pk for agency in coordinating_agencies]
        if coordinating_agencies is not None
        else task.coordinations.values_list("agency_id", flat=True)
    )
    _check_task(actor, task, coordinators)
    task.full_clean(exclude=["search_text"])
    task.save()
    if coordinating_agencies is not None:
        _set_coordinators(task, coordinating_agencies)
    audit_record(
        actor, "update", task, diff(before, _task_snapshot(task)), agency_id=task.lead_agency_id
    )
    task_tallies_refresh(task, *seen_before)
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
    task_tallies_refresh(task)
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
        task_tallies_refresh(task)
    else:
        audit_record(
            actor,
            "contribute",
            task,
            {"contribution": [None, f"{percent}%"]},
            agency_id=agency.pk,
        )
    kind = EventKind.COMPLETION_REPORTED if is_final else EventKind.PROGRESS_REPORTED
    publish(TaskEvent(kind, (task.pk,), actor.pk, agency_id=agency.pk, subject_id=report.pk))
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
    task_tallies_refresh(task)
    publish(TaskEvent(EventKind.COMPLETION_ACCEPTED, (task.pk,), actor.pk, task.lead_agency_id))
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
    task_tallies_refresh(task)
    publish(TaskEvent(EventKind.COMPLETION_RETURNED, (task.pk,), actor.pk, task.lead_agency_id))
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
    publish(TaskEvent(EventKind.EXTENSION_REQUESTED, (task.pk,), actor.pk, task.lead_agency_id,
                      subject_id=extension.pk))  # fmt: skip
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
    if claimed != 1:  # decided meanwhile (a double click): the refusal the check gives after it
        raise TaskActionRefused(
            TaskAction.DECIDE_EXTENSION, Code.NO_PENDING_EXTENSION, extension.task
        )
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
        task_tallies_refresh(task)
    else:
        audit_record(
            actor,
            "extension_refuse",
            task,
            {"reason": [None, reason]},
            agency_id=task.lead_agency_id,
        )
    publish(TaskEvent(EventKind.EXTENSION_DECIDED, (task.pk,), actor.pk, task.lead_agency_id,
                      approved=approve, subject_id=extension.pk))  # fmt: skip
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
    task_tallies_refresh(task, recount=False)
    kind = EventKind.OBSTACLE_ESCALATED if beyond_authority else EventKind.OBSTACLE_RAISED
    publish(TaskEvent(kind, (task.pk,), actor.pk, obstacle.agency_id, subject_id=obstacle.pk))
    return obstacle


@transaction.atomic(durable=True)
def obstacle_escalate(actor: User, obstacle: Obstacle) -> Obstacle:
    """The office finds the matter beyond its authority and reports it to the leader."""
    check_task_action(actor, obstacle.task, TaskAction.ANSWER_OBSTACLE)
    claimed = Obstacle.objects.filter(
        pk=obstacle.pk, answered_on__isnull=True, level=ObstacleLevel.OFFICE
    ).update(level=ObstacleLevel.LEADER)
    if claimed != 1:
        # Escalated or answered already, or meanwhile (a double click): no longer awaiting the
        # office, the refusal `obstacle_answer` gives, whatever the task's other obstacles.
        raise TaskActionRefused(TaskAction.ANSWER_OBSTACLE, Code.NO_OPEN_OBSTACLE, obstacle.task)
    obstacle.level = ObstacleLevel.LEADER
    audit_record(
        actor,
        "obstacle_escalate",
        obstacle,
        {"level": [ObstacleLevel.OFFICE, ObstacleLevel.LEADER]},
        agency_id=obstacle.task.lead_agency_id,
    )
    task_tallies_refresh(obstacle.task, recount=False)
    publish(TaskEvent(EventKind.OBSTACLE_ESCALATED, (obstacle.task_id,), actor.pk,
                      obstacle.agency_id, subject_id=obstacle.pk))  # fmt: skip
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
    if claimed != 1:  # answered meanwhile (a double click): the refusal the check gives after it
        raise TaskActionRefused(obstacle_action(obstacle), Code.NO_OPEN_OBSTACLE, obstacle.task)
    obstacle.refresh_from_db()
    audit_record(
        actor,
        "obstacle_answer",
        obstacle,
        {"answer": [None, answer]},
        agency_id=obstacle.task.lead_agency_id,
    )
    task_tallies_refresh(obstacle.task, recount=False)
    publish(TaskEvent(EventKind.OBSTACLE_ANSWERED, (obstacle.task_id,), actor.pk,
                      obstacle.agency_id, subject_id=obstacle.pk))  # fmt: skip
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
__all__ += ["DuplicateSubmissionError", "NewTask", "TaskProblem", "TaskRowsError", "new_task",
            "tasks_check", "tasks_create_many", "tasks_duplicates"]  # fmt: skip


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


# The office's queue ---------------------------------------------------------------------------


@transaction.atomic(durable=True)
def queue_mark_seen(actor: User, at: dt.datetime | None = None) -> None:
    """The user has looked at their queue: what came in before `at` is no longer new (a
    personal reading mark, like a notification read: not audited)."""
    QueueVisit.objects.update_or_create(user=actor, defaults={"seen_at": at or timezone.now()})


def _check_follower(follower: User | None) -> None:
    if follower is not None and not follower.has_role(RoleCode.OFFICE):
        raise _fail(
            _("Chỉ chuyên viên Văn phòng được phân công theo dõi."),
            Code.FOLLOWER_NOT_OFFICE,
            "follower",
        )


def _document_follower_id(task: Task) -> int | None:
    if task.document_id is None:
        return None
    document = Document.objects.select_for_update().filter(pk=task.document_id)  # as the document's
    return document.values_list("follower", flat=True).get()


@transaction.atomic(durable=True)
def task_follower_set(actor: User, task: Task, follower: User | None) -> Task:
    """Assign the office specialist who follows the task (None: the document's follows it)."""
    check_task_action(actor, task, TaskAction.EDIT)
    _check_follower(follower)
    before = task.follower_id
    task.follower = follower
    task.followed_by_id = follower.pk if follower else _document_follower_id(task)
    task.save(update_fields=["follower", "followed_by", "updated_at"])
    audit_record(actor, "follower_set", task, {"follower": [before, task.follower_id]},
                 agency_id=task.lead_agency_id)  # fmt: skip
    return task


@transaction.atomic(durable=True)
def document_follower_set(actor: User, document: Document, follower: User | None) -> Document:
    """Assign the office specialist who follows the document's tasks (those naming none)."""
    if not actor.has_role(RoleCode.OFFICE, RoleCode.ADMIN):
        raise PermissionDenied(_("Chỉ Văn phòng phân công chuyên viên theo dõi."))
    _check_follower(follower)
    before = document.follower_id
    document.follower = follower
    document.save(update_fields=["follower"])
    # Its tasks that name no follower of their own follow with it (`Task.followed_by`).
    Task.objects.filter(document=document, follower__isnull=True).update(
        followed_by=document.follower_id
    )
    audit_record(actor, "follower_set", document, {"follower": [before, document.follower_id]})
    return document


__all__ += ["document_follower_set", "queue_mark_seen", "task_follower_set"]


# Editing a registered document ----------------------------------------------------------------


class DocumentEditConflictError(Exception):
    """Someone else saved the document after this user opened it."""

    code = Code.EDIT_CONFLICT

    def __init__(self, document: Document) -> None:
        self.document = document
        super().__init__(
            _(
                "Văn bản đã được người khác cập nhật trong lúc bạn chỉnh sửa. "
                "Vui lòng xem thay đổi mới nhất rồi sửa lại."
            )
        )


DOCUMENT_FIELDS = ("symbol", "issuing_body", "term", "issued_on", "title", "classification",
                   "urgency", "is_strategic", "full_text")  # fmt: skip


@transaction.atomic(durable=True)
def document_update(actor: User, document: Document, *, version: int, **changes: Any) -> Document:
    """Edit a registered document the user opened at `version` (the office only); refuse if
    someone saved it since. A new number-symbol is parsed again; the document may not be
    classified above its own tasks (they would show a secret source), nor Tuyệt mật with text."""
    if not actor.has_role(RoleCode.OFFICE, RoleCode.ADMIN):
        raise PermissionDenied(_("Chỉ Văn phòng sửa văn bản đã đăng ký."))
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise _fail(_("Không sửa được trường %(fields)s."), Code.UNKNOWN_FIELD,
                    fields=", ".join(sorted(unknown)))  # fmt: skip
    claimed = Document.objects.filter(pk=document.pk, version=version).update(
        version=F("version") + 1
    )
    if claimed != 1:
        raise DocumentEditConflictError(document)
    document.refresh_from_db()
    before = {name: getattr(document, name) for name in DOCUMENT_FIELDS}
    for name, value in changes.items():
        setattr(document, name, value)
    if "symbol" in changes:
        try:
            parsed = parse_symbol(document.symbol)
        except ValidationError as error:
            raise ValidationError({"symbol": error}) from error
        document.symbol = str(document.symbol).strip()
        document.number, document.doc_type = parsed.number, parsed.doc_type
        document.issuer_code = parsed.issuer_code
    issued_changed = before["issued_on"] != document.issued_on
    _check_document(actor, document, issued_changed)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # registered meanwhile under the same number: said as above
        _check_document(actor, document)
        raise
    after = {name: getattr(document, name) for name in DOCUMENT_FIELDS}
    audit_record(actor, "update", document, diff(before, after))
    return document


def _check_top_secret_text(document: Document) -> None:
    """Tuyệt mật content is kept outside the system: only the reference is registered."""
    if document.classification >= Clearance.TOP_SECRET and document.full_text:
        raise _fail(
            _(
                "Văn bản Tuyệt mật chỉ đăng ký số, ký hiệu và trích yếu; toàn văn được quản lý "
                "ngoài hệ thống."
            ),
            Code.TOP_SECRET_FULL_TEXT,
            "full_text",
        )


DEADLINES_NAMED = 5


def _check_issue_date(document: Document) -> None:
    """No editable task (neither accepted nor cancelled) may fall due before the document was
    issued, as `tasks_create_many` refuses for a new one; the first few are named."""
    before = Task.objects.filter(
        document=document, due_on__lt=document.issued_on,
        accepted_on__isnull=True, cancelled_on__isnull=True,
    ).order_by("due_on", "pk")  # fmt: skip
    rows = list(before.values_list("pk", "title", "due_on")[: DEADLINES_NAMED + 1])
    if not rows:
        return
    named = "; ".join(
        f"#{pk} {title[:60]} ({due:%d/%m/%Y})" for pk, title, due in rows[:DEADLINES_NAMED]
    )
    more = before.count() - DEADLINES_NAMED if len(rows) > DEADLINES_NAMED else 0
    raise _fail(
        _(
            "Ngày ban hành %(issued)s sau thời hạn của nhiệm vụ chưa hoàn thành: %(tasks)s"
            "%(more)s. Sửa thời hạn các nhiệm vụ đó trước."
        ),
        Code.ISSUED_AFTER_DEADLINES,
        "issued_on",
        issued=f"{document.issued_on:%d/%m/%Y}",
        tasks=named,
        more=_(" và %(n)d nhiệm vụ khác") % {"n": more} if more else "",
    )


def _check_document(actor: User, document: Document, issued_changed: bool = False) -> None:
    _check_clearance(actor, document.classification)
    _check_top_secret_text(document)
    if issued_changed:
        _check_issue_date(document)
    below = Task.objects.filter(document=document, classification__lt=document.classification)
    if below.exists():
        raise _fail(
            _("Văn bản có %(count)d nhiệm vụ độ mật thấp hơn; nâng độ mật các nhiệm vụ trước."),
            Code.CLASSIFICATION_ABOVE_TASKS,
            "classification",
            count=below.count(),
        )
    document.full_clean(exclude=["search_text"], validate_unique=False, validate_constraints=False)
    same = Document.objects.filter(
        issuing_body=document.issuing_body_id, doc_type=document.doc_type, term=document.term,
        number=document.number,
    ).exclude(pk=document.pk)  # fmt: skip
    if document.number is not None and same.exists():
        raise _fail(
            _("Văn bản %(symbol)s của %(issuer)s khóa %(term)s đã được đăng ký."),
            Code.DUPLICATE_DOCUMENT, "symbol", symbol=document.symbol,
            issuer=document.issuing_body.name, term=document.term or "—",
        )  # fmt: skip


__all__ += ["DocumentEditConflictError", "document_update"]
