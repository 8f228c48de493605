"""Everything that changes programs and their items. Each public service is durable
(`transaction.atomic(durable=True)`), checks the item's access rule first, moves the item's
step by compare-and-set and writes its audit entry in the same transaction. The demo loader,
already inside a transaction, calls the same work as `<service>.step` (`dondoc.core.services`)."""

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.accounts import rules
from dondoc.accounts.models import Clearance, RoleCode, User
from dondoc.agencies.models import Agency
from dondoc.audit.services import audit_record
from dondoc.core.services import durable_service
from dondoc.programs.access import (
    ItemAction,
    ItemActionRefused,
    check_item_action,
    may_request_addition,
)
from dondoc.programs.error_codes import ProgramErrorCode as Code
from dondoc.programs.models import (
    CONTENT_SECTIONS,
    Appraisal,
    Body,
    CommentHandling,
    CommentRound,
    FileKind,
    HandlingOutcome,
    Invitation,
    ItemKind,
    ItemState,
    ProgramFile,
    ProgramItem,
    ProgramKind,
    ProposalVersion,
    RescheduleDecision,
    RescheduleKind,
    RescheduleRequest,
    WorkProgram,
)
from dondoc.programs.workdays import add_working_days
from dondoc.tracking import attachments
from dondoc.tracking import services as tracking
from dondoc.tracking.models import Task, TaskSource, WorkingSession

if TYPE_CHECKING:
    from django.core.files.base import File

P = ParamSpec("P")
R = TypeVar("R")
REMINDER_EVERY = dt.timedelta(days=2)
REMINDER_BEFORE = dt.timedelta(days=2)
MAX_REMINDERS = 5
TOP_SECRET = Clearance.TOP_SECRET  # handled outside the system: no files


def _today(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def _fail(message: str, code: Code, field: str | None = None, **params: Any) -> ValidationError:
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: error}) if field else error


def min_comment_days() -> int:
    """The working days a comment round leaves the invited agencies (settings, default 5)."""
    return int(getattr(settings, "PROGRAMS_COMMENT_MIN_WORKING_DAYS", 5))


def _move(
    actor: User | None, item: ProgramItem, to: ItemState, action: ItemAction, **fields: Any
) -> None:
    """Move `item` from the step it was read in to `to`, if nobody moved it meanwhile."""
    before = item.state
    moved = ProgramItem.objects.filter(pk=item.pk, state=before).update(
        state=to, updated_at=timezone.now(), **fields
    )
    if moved != 1:
        item.refresh_from_db()
        raise ItemActionRefused(action, Code.NOT_BEING_DRAFTED, item)
    item.state = to
    for name, value in fields.items():
        setattr(item, name, value)
    audit_record(
        actor,
        f"program_item_{to}",
        item,
        {"state": [before, to], **{k: [None, v] for k, v in fields.items()}},
        agency_id=item.lead_agency_id,
    )


# Programs and items -------------------------------------------------------------------------


MAX_TERM_YEARS = 10


def _program_create(
    actor: User,
    *,
    title: str,
    body: Body,
    kind: ProgramKind,
    year: int,
    term: str = "",
    end_year: int | None = None,
    term_program: WorkProgram | None = None,
) -> WorkProgram:
    """A yearly program (`end_year` None), or a full-term one from `year` to `end_year`."""
    if not rules.office(actor):
        raise PermissionDenied
    if not title.strip():
        raise _fail(_("Cần nhập tên chương trình."), Code.TITLE_REQUIRED, "title")
    if kind == ProgramKind.YEAR:
        end_year = None
    elif end_year is None or not year <= end_year < year + MAX_TERM_YEARS:
        raise _fail(
            _("Chương trình toàn khóa cần năm cuối, từ năm đầu đến %(n)d năm sau."),
            Code.YEAR_INVALID,
            "end_year",
            n=MAX_TERM_YEARS - 1,
        )
    program = WorkProgram.objects.create(
        title=title, body=body, kind=kind, year=year, end_year=end_year, term=term,
        term_program=term_program,
    )  # fmt: skip
    audit_record(actor, "program_create", program, {"title": [None, title]})
    return program


def _item_create(
    actor: User,
    program: WorkProgram,
    *,
    title: str,
    kind: ItemKind,
    planned_month: int,
    lead_agency: Agency,
    coordinating: Sequence[Agency] = (),
    by_quarter: bool = False,
    classification: int = 0,
    planned_year: int | None = None,
) -> ProgramItem:
    """The office writes the program as adopted; later additions are requests
    (`item_add_request`). A full-term program's item needs its year (`planned_year`)."""
    if not rules.office(actor):
        raise PermissionDenied
    return _new_item(
        actor, program, title=title, kind=kind, planned_month=planned_month,
        lead_agency=lead_agency, coordinating=coordinating, by_quarter=by_quarter,
        classification=classification, planned_year=planned_year,
    )  # fmt: skip


def _new_item(
    actor: User,
    program: WorkProgram,
    *,
    title: str,
    kind: ItemKind,
    planned_month: int,
    lead_agency: Agency,
    coordinating: Sequence[Agency] = (),
    by_quarter: bool = False,
    classification: int = 0,
    state: ItemState = ItemState.DRAFTING,
    planned_year: int | None = None,
    term_item: ProgramItem | None = None,
) -> ProgramItem:
    if not title.strip():
        raise _fail(_("Cần nhập tên đề án, nội dung."), Code.TITLE_REQUIRED, "title")
    if not 1 <= planned_month <= 12:
        raise _fail(_("Tháng dự kiến phải từ 1 đến 12."), Code.MONTH_INVALID, "planned_month")
    planned_year = _planned_year(program, planned_year)
    if not lead_agency.is_active:
        raise _fail(
            _("Cơ quan %(name)s đã thôi hoạt động: hãy chọn cơ quan kế tục."),
            Code.AGENCY_ENDED,
            "lead_agency",
            name=lead_agency.name,
        )
    if classification > actor.clearance:
        raise _fail(
            _("Không thể đặt độ mật cao hơn mức bạn được tiếp cận."),
            Code.CLASSIFICATION_ABOVE_CLEARANCE,
            "classification",
        )
    item = ProgramItem.objects.create(
        program=program,
        title=title,
        kind=kind,
        planned_month=planned_month,
        by_quarter=by_quarter,
        lead_agency=lead_agency,
        classification=classification,
        state=state,
        planned_year=planned_year,
        term_item=term_item,
    )
    item.coordinating_agencies.set([a for a in coordinating if a.pk != lead_agency.pk])
    audit_record(
        actor, "program_item_create", item, {"title": [None, title]}, agency_id=lead_agency.pk
    )
    return item


def _planned_year(program: WorkProgram, year: int | None) -> int | None:
    """A full-term program's item is planned for one of its years; a yearly program's item
    for the program's year, which it does not repeat."""
    if program.kind == ProgramKind.YEAR:
        return None
    if year not in program.years:
        raise _fail(
            _("Cần chọn năm dự kiến trình trong nhiệm kỳ, từ %(first)d đến %(last)d."),
            Code.YEAR_INVALID,
            "planned_year",
            first=program.year,
            last=program.end_year or program.year,
        )
    return year


def _item_add_request(
    actor: User,
    program: WorkProgram,
    *,
    title: str,
    kind: ItemKind,
    planned_month: int,
    lead_agency: Agency,
    reason: str,
    coordinating: Sequence[Agency] = (),
    by_quarter: bool = False,
    classification: int = 0,
    planned_year: int | None = None,
    day: dt.date | None = None,
) -> ProgramItem:
    """Ask to add an item to an adopted program (bổ sung): the office, or the agency that will
    lead it. The item waits in the step `proposed` with its request until the body's authority
    decides it (`reschedule_decide`), like a postponement."""
    if not (rules.office(actor) or rules.agency_worker(actor)):
        raise PermissionDenied
    if not may_request_addition(actor, lead_agency):
        raise _fail(
            _("Cơ quan chỉ đề nghị bổ sung nội dung do chính cơ quan mình chủ trì."),
            Code.NOT_ALLOWED,
            "lead_agency",
        )
    if not reason.strip():
        raise _fail(_("Cần nêu lý do đề nghị bổ sung."), Code.REASON_REQUIRED, "reason")
    item = _new_item(
        actor, program, title=title, kind=kind, planned_month=planned_month,
        lead_agency=lead_agency, coordinating=coordinating, by_quarter=by_quarter,
        classification=classification, state=ItemState.PROPOSED, planned_year=planned_year,
    )  # fmt: skip
    RescheduleRequest.objects.create(
        item=item, kind=RescheduleKind.ADD, from_month=planned_month, to_month=planned_month,
        reason=reason, requested_by=actor, requested_on=_today(day),
    )  # fmt: skip
    audit_record(
        actor, "program_item_add_request", item,
        {"planned_month": [None, planned_month], "reason": [None, reason]},
        agency_id=lead_agency.pk,
    )  # fmt: skip
    return item


def _item_edit_content(
    actor: User,
    item: ProgramItem,
    day: dt.date | None = None,
    revision: int | None = None,
    **sections: str,
) -> ProgramItem:
    """Save the sections; `revision` is the `content_revision` the editor read (None: the one
    read now). Someone else's save since is refused (`edited_meanwhile`), nothing written."""
    check_item_action(actor, item, ItemAction.EDIT_CONTENT, _today(day))
    _content_save(actor, item, sections, revision, ItemAction.EDIT_CONTENT)
    return item


def _content_save(
    actor: User,
    item: ProgramItem,
    sections: dict[str, str],
    revision: int | None,
    action: ItemAction,
) -> dict[str, list[str]]:
    """Write the changed sections by compare-and-set on `content_revision`: an UPDATE that
    names the revision read, so of two editors who read the same revision the second is
    refused instead of silently overwriting the first (also on SQLite, which has no row lock)."""
    if revision is not None and revision != item.content_revision:
        raise ItemActionRefused(action, Code.EDITED_MEANWHILE, item)
    changes = {
        field: [getattr(item, field), sections[field]]
        for field in CONTENT_SECTIONS
        if field in sections and sections[field] != getattr(item, field)
    }
    if not changes:
        return {}
    read = item.content_revision
    saved = ProgramItem.objects.filter(pk=item.pk, content_revision=read).update(
        content_revision=F("content_revision") + 1,
        updated_at=timezone.now(),
        **{field: new for field, (_old, new) in changes.items()},
    )
    if saved != 1:
        item.refresh_from_db()
        raise ItemActionRefused(action, Code.EDITED_MEANWHILE, item)
    for field, (_old, new) in changes.items():
        setattr(item, field, new)
    item.content_revision = read + 1
    audit_record(actor, "program_item_edit", item, changes, agency_id=item.lead_agency_id)
    return changes


# Comment rounds -------------------------------------------------------------------------------


def _round_open(
    actor: User,
    item: ProgramItem,
    *,
    agencies: Iterable[Agency],
    deadline: dt.date,
    day: dt.date | None = None,
) -> CommentRound:
    today = _today(day)
    check_item_action(actor, item, ItemAction.OPEN_ROUND, today)
    invited = list({a.pk: a for a in agencies}.values())
    if not invited:
        raise _fail(
            _("Cần chọn ít nhất một cơ quan được xin ý kiến."), Code.NO_INVITEES, "agencies"
        )
    if any(a.pk == item.lead_agency_id for a in invited):
        raise _fail(_("Cơ quan chủ trì không tự xin ý kiến mình."), Code.LEAD_INVITED, "agencies")
    earliest = add_working_days(today, min_comment_days())
    if deadline < earliest:
        raise _fail(
            _(
                "Hạn trả lời phải để các cơ quan ít nhất %(days)d ngày làm việc: "
                "sớm nhất là ngày %(day)s."
            ),
            Code.DEADLINE_TOO_SOON,
            "deadline",
            days=min_comment_days(),
            day=f"{earliest:%d/%m/%Y}",
        )
    number = CommentRound.objects.filter(item=item).count() + 1
    try:  # a round opened meanwhile (a double click): the refusal the check gives after it
        with transaction.atomic():
            version = version_snapshot(actor, item, today)  # its race: `version_number_per_item`
            round_ = CommentRound.objects.create(
                item=item, number=number, opened_on=today, deadline=deadline, opened_by=actor,
                version=version,
            )  # fmt: skip
    except (IntegrityError, ItemActionRefused) as race:  # round_number_per_item, round_one_open…
        raise ItemActionRefused(ItemAction.OPEN_ROUND, Code.NOT_BEING_DRAFTED, item) from race
    first_reminder = max(today + dt.timedelta(days=1), deadline - REMINDER_BEFORE)
    Invitation.objects.bulk_create(
        Invitation(round=round_, agency=a, next_reminder_on=first_reminder) for a in invited
    )
    _move(actor, item, ItemState.COMMENTING, ItemAction.OPEN_ROUND)
    audit_record(
        actor,
        "program_round_open",
        item,
        {"deadline": [None, deadline], "invited": [None, [a.code for a in invited]]},
        agency_id=item.lead_agency_id,
    )
    return round_


def open_round_of(item: ProgramItem) -> CommentRound | None:
    return CommentRound.objects.filter(item=item, closed_on__isnull=True).first()


def _invitation_answer(
    actor: User,
    item: ProgramItem,
    *,
    opinion: str,
    file: "File[Any] | None" = None,
    day: dt.date | None = None,
) -> Invitation:
    """The invited agency's opinion, with its document (PDF or Word) if it sends one."""
    today = _today(day)
    check_item_action(actor, item, ItemAction.ANSWER, today)
    agency_id = actor.agency_id
    assert agency_id is not None  # the access rule lets only an invited agency's people answer
    if not opinion.strip():
        raise _fail(_("Cần nhập ý kiến của cơ quan."), Code.OPINION_REQUIRED, "opinion")
    checked = _check_file(item, file, "file") if file is not None else None
    invitation = Invitation.objects.get(
        round__item=item, round__closed_on__isnull=True, agency_id=agency_id
    )
    # Compare-and-set on the row's own columns only: filtered through the round (a join),
    # Django updates `WHERE id IN (subquery)`, which PostgreSQL does not check again after
    # waiting for a concurrent answer's lock, and twenty answers at once stored 17.
    answered = Invitation.objects.filter(pk=invitation.pk, answered_on__isnull=True).update(
        answered_on=today, answered_by=actor, opinion=opinion, next_reminder_on=None
    )
    if answered != 1:  # answered meanwhile (a double click): the refusal the check gives after it
        raise ItemActionRefused(ItemAction.ANSWER, Code.NOT_ALLOWED, item)
    invitation.refresh_from_db()
    audit_record(actor, "program_answer", item, {"opinion": [None, opinion]}, agency_id=agency_id)
    if file is not None and checked is not None:
        _file_keep(actor, item, FileKind.ANSWER, file, checked, invitation=invitation)
    return invitation


def _round_close(actor: User, item: ProgramItem, day: dt.date | None = None) -> CommentRound:
    today = _today(day)
    check_item_action(actor, item, ItemAction.CLOSE_ROUND, today)
    round_ = open_round_of(item)
    assert round_ is not None  # the item is commenting, so a round is open
    round_.closed_on = today
    round_.save(update_fields=["closed_on"])
    round_.invitations.update(next_reminder_on=None)
    _move(actor, item, ItemState.REVISING, ItemAction.CLOSE_ROUND)
    return round_


# Appraisal, submission, decision ------------------------------------------------------------


def _item_send_to_appraisal(
    actor: User, item: ProgramItem, day: dt.date | None = None
) -> ProgramItem:
    check_item_action(actor, item, ItemAction.SEND_TO_APPRAISAL, _today(day))
    missing = item.missing_sections()
    if missing:
        raise _fail(
            _("Đề án còn thiếu: %(missing)s. Cần bổ sung trước khi gửi thẩm định."),
            Code.CONTENT_INCOMPLETE,
            missing="; ".join(missing),
        )
    version_snapshot(actor, item, _today(day))  # the version the office will appraise
    _move(actor, item, ItemState.APPRAISAL, ItemAction.SEND_TO_APPRAISAL)
    return item


def _appraisal_record(
    actor: User,
    item: ProgramItem,
    *,
    passed: bool,
    content_ok: bool,
    procedure_ok: bool,
    authority_ok: bool,
    reasons: str = "",
    day: dt.date | None = None,
) -> Appraisal:
    today = _today(day)
    check_item_action(actor, item, ItemAction.APPRAISE, today)
    if passed and not (content_ok and procedure_ok and authority_ok):
        raise _fail(
            _("Chỉ kết luận đạt khi nội dung, trình tự thủ tục và thẩm quyền đều đạt."),
            Code.CHECKLIST_INCOMPLETE,
        )
    if not passed and not reasons.strip():
        raise _fail(_("Cần nêu lý do trả lại đề án."), Code.REASON_REQUIRED, "reasons")
    appraisal = Appraisal.objects.create(
        item=item,
        version=version_snapshot(actor, item, today),
        appraised_on=today,
        appraiser=actor,
        passed=passed,
        content_ok=content_ok,
        procedure_ok=procedure_ok,
        authority_ok=authority_ok,
        reasons=reasons,
    )
    _move(actor, item, ItemState.APPRAISED if passed else ItemState.REVISING, ItemAction.APPRAISE)
    return appraisal


def _item_submit(actor: User, item: ProgramItem, day: dt.date | None = None) -> ProgramItem:
    today = _today(day)
    check_item_action(actor, item, ItemAction.SUBMIT, today)
    version = version_snapshot(actor, item, today)
    _move(
        actor, item, ItemState.SUBMITTED, ItemAction.SUBMIT, submitted_on=today,
        submitted_version=version,
    )  # fmt: skip
    return item


@dataclasses.dataclass(frozen=True)
class Assignment:
    """A task the decision assigns: its content, lead agency, deadline and expected product."""

    title: str
    lead_agency: Agency
    due_on: dt.date | None
    expected_product: str = ""
    coordinating: tuple[Agency, ...] = ()


@dataclasses.dataclass(frozen=True)
class Outcome:
    """The document the body issues on approving an item, and the tasks it assigns."""

    symbol: str
    issued_on: dt.date
    title: str
    issuing_body: Agency
    assignments: Sequence[Assignment] = ()
    # The document's text: kept with it in tracking, where the office has the tasks it
    # assigns proposed by the assisted-entry extractor (the item page offers it).
    full_text: str = ""


def _item_decide(
    actor: User,
    item: ProgramItem,
    *,
    approve: bool,
    note: str = "",
    outcome: Outcome | None = None,
    day: dt.date | None = None,
) -> ProgramItem:
    """Approve or return a submitted item. Approved with an `outcome`, the resulting document
    is registered in tracking and its tasks assigned in the same transaction (tracking's
    `document_register.step` and `tasks_create_many.step`), linked to the item: if any part
    is refused, nothing of the decision remains."""
    today = _today(day)
    check_item_action(actor, item, ItemAction.DECIDE, today)
    if not approve and not note.strip():
        raise _fail(_("Cần nêu ý kiến khi trả lại đề án."), Code.REASON_REQUIRED, "note")
    if not approve and outcome is not None:
        raise _fail(
            _("Chỉ đăng ký văn bản kết quả khi đề án được thông qua."),
            Code.OUTCOME_ON_APPROVAL_ONLY,
            "symbol",
        )
    to = ItemState.APPROVED if approve else ItemState.RETURNED
    _move(
        actor, item, to, ItemAction.DECIDE, decided_on=today, decided_by=actor, decision_note=note
    )
    if outcome is not None:
        _outcome_register(actor, item, outcome)
    return item


def _outcome_register(actor: User, item: ProgramItem, outcome: Outcome) -> list[Task]:
    """Register the approved item's document and its tasks in tracking, and link the item to
    it. A refusal of the document is raised on its own fields; a refusal of a task on
    `assignments`, each message naming the assignment's line."""
    try:
        document = tracking.document_register.step(
            actor,
            symbol=outcome.symbol,
            issuing_body=outcome.issuing_body,
            issued_on=outcome.issued_on,
            title=outcome.title,
            classification=item.classification,
            full_text=outcome.full_text.strip(),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "title" in error.error_dict:
            error.error_dict["document_title"] = error.error_dict.pop("title")
        raise
    rows = [
        tracking.NewTask(
            title=a.title,
            lead_agency_id=a.lead_agency.pk,
            coordinating_agency_ids=tuple(c.pk for c in a.coordinating),
            document_id=document.pk,
            expected_product=a.expected_product,
            due_on=a.due_on,
            row=number,
        )
        for number, a in enumerate(outcome.assignments, start=1)
    ]
    try:
        tasks = tracking.tasks_create_many.step(actor, rows, source=TaskSource.FORM)
    except tracking.TaskRowsError as error:
        raise ValidationError(
            {
                "assignments": [
                    ValidationError(
                        _("Nhiệm vụ %(row)d: %(message)s"),
                        code=problem.code,
                        params={"row": problem.row, "message": problem.message},
                    )
                    for problem in error.problems
                ]
            }
        ) from error
    ProgramItem.objects.filter(pk=item.pk).update(resulting_document=document)
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(program_item=item)
    item.resulting_document = document
    audit_record(
        actor,
        "program_item_outcome",
        item,
        {"resulting_document": [None, document.symbol], "tasks": [None, [t.pk for t in tasks]]},
        agency_id=item.lead_agency_id,
    )
    return tasks


# Rescheduling ------------------------------------------------------------------------------


def _pending_request_save(request: RescheduleRequest, action: ItemAction) -> None:
    """Save a request; a second pending one for the item (the database's
    `reschedule_one_pending_per_item`) is refused as `RESCHEDULE_PENDING`."""
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as race:
        raise ItemActionRefused(action, Code.RESCHEDULE_PENDING, request.item) from race


def _reschedule_request(
    actor: User,
    item: ProgramItem,
    *,
    kind: RescheduleKind,
    reason: str,
    to_month: int | None = None,
    to_year: int | None = None,
    day: dt.date | None = None,
) -> RescheduleRequest:
    """Ask to postpone or stretch an item to a later month of its program, or of the next
    year's program of its body (`to_year`), or to withdraw it."""
    today = _today(day)
    check_item_action(actor, item, ItemAction.REQUEST_RESCHEDULE, today)
    if kind in {RescheduleKind.ADD, RescheduleKind.MOVE_YEAR, RescheduleKind.DEFER}:
        raise _fail(
            _(
                "Đề nghị bổ sung là đề nghị thêm nội dung mới; chuyển năm là đề nghị riêng cho "
                "nội dung của chương trình toàn khóa."
            ),
            Code.KIND_INVALID,
            "kind",
        )
    years: tuple[int | None, int | None] = (None, None)
    if kind == RescheduleKind.WITHDRAW:
        to_month = None
    else:
        years = _later(item, to_month, to_year)
    if not reason.strip():
        raise _fail(_("Cần nêu lý do đề nghị điều chỉnh."), Code.REASON_REQUIRED, "reason")
    request = RescheduleRequest(
        item=item, kind=kind, from_month=item.planned_month, to_month=to_month, reason=reason,
        requested_by=actor, requested_on=today, from_year=years[0], to_year=years[1],
    )  # fmt: skip
    _pending_request_save(request, ItemAction.REQUEST_RESCHEDULE)
    changes: dict[str, Any] = {
        "kind": [None, kind], "to_month": [item.planned_month, to_month], "reason": [None, reason],
    }  # fmt: skip
    if years[1] is not None:
        changes["year"] = list(years)
    audit_record(actor, "program_reschedule_request", item, changes, agency_id=item.lead_agency_id)
    return request


def _later(
    item: ProgramItem, to_month: int | None, to_year: int | None
) -> tuple[int | None, int | None]:
    """Check that (`to_year`, `to_month`) is later than the item's plan: a later month of its
    program's year, or any month of the next year (a yearly program only). The years to
    record: none when the item stays in its year, else (its year, the next)."""
    if to_month is None or not 1 <= to_month <= 12:
        raise _fail(_("Cần chọn tháng dự kiến mới (1 đến 12)."), Code.MONTH_INVALID, "to_month")
    program = item.program
    if to_year is None or to_year == program.year:
        if to_month <= item.planned_month:
            raise _fail(
                _("Tháng đề nghị phải sau tháng dự kiến hiện tại (tháng %(m)d)."),
                Code.NOT_LATER,
                "to_month",
                m=item.planned_month,
            )
        return None, None
    if program.kind != ProgramKind.YEAR or to_year != program.year + 1:
        raise _fail(
            _("Chỉ lùi sang một tháng sau của năm %(year)d hoặc sang năm %(next)d."),
            Code.YEAR_INVALID,
            "to_year",
            year=program.year,
            next=program.year + 1,
        )
    return program.year, to_year


def _year_program_next(actor: User, source: WorkProgram, year: int) -> WorkProgram:
    """The body's yearly program for `year`, created if there is none yet (linked to the
    source's full-term program when the year is of that term)."""
    found = WorkProgram.objects.filter(body=source.body, kind=ProgramKind.YEAR, year=year).first()
    if found is not None:
        return found
    term = source.term_program
    title = _("Chương trình công tác năm %(year)d của %(body)s") % {
        "year": year,
        "body": Body(source.body).label,
    }
    try:
        with transaction.atomic():
            program = WorkProgram.objects.create(
                title=title, body=source.body, kind=ProgramKind.YEAR, year=year, term=source.term,
                term_program=term if term is not None and year in term.years else None,
            )  # fmt: skip
    except IntegrityError:  # created meanwhile by another decision (program_one_per_year)
        return WorkProgram.objects.get(body=source.body, kind=ProgramKind.YEAR, year=year)
    audit_record(actor, "program_create", program, {"title": [None, title]})
    return program


def _into_year(actor: User, item: ProgramItem, year: int, month: int) -> dict[str, Any]:
    """The fields that move an item, by an approved request naming the next year, into that
    year's program of its body: the same item, with its rounds, versions and history; its
    first plan stays on the request (`from_month`, `from_year`)."""
    target = _year_program_next(actor, item.program, year)
    return {"program_id": target.pk, "planned_month": month}


def _year_move_request(
    actor: User, item: ProgramItem, *, to_year: int, reason: str, day: dt.date | None = None
) -> RescheduleRequest:
    """Ask to move a full-term item, not yet carried into a yearly program, to another year of
    the term (its month kept); the body's authority decides it like any rescheduling."""
    today = _today(day)
    check_item_action(actor, item, ItemAction.REQUEST_YEAR_MOVE, today)
    program = item.program
    if to_year not in program.years:
        raise _fail(
            _("Cần chọn năm dự kiến trình trong nhiệm kỳ, từ %(first)d đến %(last)d."),
            Code.YEAR_INVALID, "to_year", first=program.year, last=program.end_year or program.year,
        )  # fmt: skip
    if to_year == item.planned_year:
        raise _fail(
            _("Nội dung đã dự kiến trình trong năm %(year)d: hãy chọn năm khác."),
            Code.YEAR_UNCHANGED, "to_year", year=to_year,
        )  # fmt: skip
    if not reason.strip():
        raise _fail(_("Cần nêu lý do đề nghị điều chỉnh."), Code.REASON_REQUIRED, "reason")
    request = RescheduleRequest(
        item=item, kind=RescheduleKind.MOVE_YEAR, from_month=item.planned_month,
        to_month=item.planned_month, from_year=item.planned_year, to_year=to_year, reason=reason,
        requested_by=actor, requested_on=today,
    )  # fmt: skip
    _pending_request_save(request, ItemAction.REQUEST_YEAR_MOVE)
    audit_record(
        actor, "program_reschedule_request", item,
        {"kind": [None, RescheduleKind.MOVE_YEAR], "planned_year": [item.planned_year, to_year],
         "reason": [None, reason]},
        agency_id=item.lead_agency_id,
    )  # fmt: skip
    return request


def _year_move(actor: User, item: ProgramItem, request: RescheduleRequest) -> None:
    """Move a full-term item to the approved year, unless it was carried into a yearly program
    meanwhile (the approval is then refused: it is rescheduled there)."""
    if ProgramItem.objects.filter(term_item=item).exists():
        raise ItemActionRefused(ItemAction.DECIDE_RESCHEDULE, Code.ITEM_CARRIED, item)
    before, item.planned_year = item.planned_year, request.to_year
    item.save(update_fields=["planned_year", "updated_at"])
    audit_record(
        actor, "program_item_reschedule", item, {"planned_year": [before, item.planned_year]},
        agency_id=item.lead_agency_id,
    )  # fmt: skip


def _reschedule_decide(
    actor: User, item: ProgramItem, *, approve: bool, reason: str = "", day: dt.date | None = None
) -> RescheduleRequest:
    """The body's authority decides the pending request; approved, the item moves (the
    request keeps the month it moved from) or leaves the program."""
    today = _today(day)
    check_item_action(actor, item, ItemAction.DECIDE_RESCHEDULE, today)
    if not approve and not reason.strip():
        raise _fail(_("Cần nêu lý do không đồng ý."), Code.REASON_REQUIRED, "reason")
    # Decided meanwhile (a double click): gone before this read, or claimed before the update;
    # either way the refusal the check gives after it.
    request = RescheduleRequest.objects.filter(
        item=item, decision=RescheduleDecision.PENDING
    ).first()
    decision = RescheduleDecision.APPROVED if approve else RescheduleDecision.REFUSED
    claimed = request is not None and RescheduleRequest.objects.filter(
        pk=request.pk, decision=RescheduleDecision.PENDING
    ).update(decision=decision, decided_by=actor, decided_on=today, decision_reason=reason)
    if request is None or claimed != 1:
        raise ItemActionRefused(ItemAction.DECIDE_RESCHEDULE, Code.NO_PENDING_RESCHEDULE, item)
    request.refresh_from_db()
    if request.kind == RescheduleKind.ADD:
        to = ItemState.DRAFTING if approve else ItemState.NOT_ADDED
        _move(actor, item, to, ItemAction.DECIDE_RESCHEDULE)
    elif approve and request.kind == RescheduleKind.MOVE_YEAR:
        _year_move(actor, item, request)
    elif approve and request.kind == RescheduleKind.WITHDRAW:
        _move(actor, item, ItemState.WITHDRAWN, ItemAction.DECIDE_RESCHEDULE)
    elif approve:
        _replan(actor, item, request)
    else:
        audit_record(
            actor, "program_reschedule_refuse", item, {"reason": [None, reason]},
            agency_id=item.lead_agency_id,
        )  # fmt: skip
    return request


def _replan(actor: User, item: ProgramItem, request: RescheduleRequest) -> None:
    """Move the item to the request's month, within its year or into the next year's program."""
    month = request.to_month or item.planned_month
    fields: dict[str, Any] = {"planned_month": month}
    if request.to_year is not None:
        fields = _into_year(actor, item, request.to_year, month)
    _set_plan(actor, item, fields)


def _set_plan(actor: User, item: ProgramItem, fields: dict[str, Any]) -> None:
    """Write the item's new month (and program), and the audit entry with the years."""
    before = {"planned_month": item.planned_month, "program_id": item.program_id}
    before_year = item.program.year
    ProgramItem.objects.filter(pk=item.pk).update(updated_at=timezone.now(), **fields)
    for name, value in fields.items():
        setattr(item, name, value)
    changes = {k: [before[k], v] for k, v in fields.items() if before[k] != v}
    if "program_id" in changes:
        changes["year"] = [before_year, item.program.year]
    audit_record(actor, "program_item_reschedule", item, changes, agency_id=item.lead_agency_id)


# The full-term program and the yearly programs derived from it --------------------------------

# A full-term item in these steps is not carried into a yearly program.
NOT_CARRIED = (ItemState.WITHDRAWN, ItemState.PROPOSED, ItemState.NOT_ADDED)


@dataclasses.dataclass(frozen=True)
class Derived:
    program: WorkProgram  # the yearly program
    carried: Sequence[ProgramItem]  # the items carried into it now (none if all were already)
    created: bool  # the yearly program was created now


def _year_program_derive(actor: User, term: WorkProgram, *, year: int) -> Derived:
    """Derive the body's program for `year` from the full-term program: create it (or link the
    one that exists) and carry into it every item of the term planned for that year and not
    yet carried, with its kind, month, lead and coordinating agencies and classification;
    each carried item points to its term item (`term_item`). Running it again carries only
    what the term gained since."""
    if not rules.office(actor):
        raise PermissionDenied
    if term.kind != ProgramKind.TERM:
        raise _fail(
            _("Chỉ lập chương trình năm từ một chương trình toàn khóa."), Code.NOT_TERM_PROGRAM
        )
    if year not in term.years:
        raise _fail(
            _("Năm %(year)d không thuộc chương trình toàn khóa (%(first)d đến %(last)d)."),
            Code.YEAR_INVALID, "year", year=year, first=term.year, last=term.end_year or term.year,
        )  # fmt: skip
    # One derivation of a term at a time: a second one (a double click) waits here, then finds
    # the year's program made and its items carried (program_one_per_year, item_term_carried_once).
    WorkProgram.objects.select_for_update().filter(pk=term.pk).first()
    program, created = _year_program_for(actor, term, year)
    already = ProgramItem.objects.filter(program=program, term_item__isnull=False)
    to_carry = (
        ProgramItem.objects.filter(program=term, planned_year=year)
        .exclude(state__in=NOT_CARRIED)
        .exclude(pk__in=already.values("term_item_id"))
        .select_related("lead_agency")
        .prefetch_related("coordinating_agencies")
        .order_by("planned_month", "pk")
    )
    carried = [_carry(actor, program, t) for t in to_carry]
    audit_record(
        actor, "program_year_derive", program,
        {"term_program": [None, term.pk], "carried": [None, [i.term_item_id for i in carried]]},
    )  # fmt: skip
    return Derived(program, carried, created)


def _carry(actor: User, program: WorkProgram, term_item: ProgramItem) -> ProgramItem:
    t = term_item
    return _new_item(
        actor, program, title=t.title, kind=ItemKind(t.kind), planned_month=t.planned_month,
        lead_agency=t.lead_agency, coordinating=list(t.coordinating_agencies.all()),
        by_quarter=t.by_quarter, classification=t.classification, term_item=t,
    )  # fmt: skip


def _year_program_for(actor: User, term: WorkProgram, year: int) -> tuple[WorkProgram, bool]:
    """The body's yearly program for `year`, linked to `term`; created if there is none."""
    existing = WorkProgram.objects.filter(body=term.body, kind=ProgramKind.YEAR, year=year).first()
    if existing is None:
        title = _("Chương trình công tác năm %(year)d của %(body)s") % {
            "year": year,
            "body": Body(term.body).label,
        }
        program = _program_create(
            actor, title=title, body=Body(term.body), kind=ProgramKind.YEAR, year=year,
            term=term.term, term_program=term,
        )  # fmt: skip
        return program, True
    if existing.term_program_id not in {None, term.pk}:
        raise _fail(
            _("Chương trình năm %(year)d đã được lập từ một chương trình toàn khóa khác."),
            Code.YEAR_PROGRAM_LINKED, "year", year=year,
        )  # fmt: skip
    if existing.term_program_id is None:
        existing.term_program = term
        existing.save(update_fields=["term_program"])
        audit_record(actor, "program_link_term", existing, {"term_program": [None, term.pk]})
    return existing, False


# Reminders ----------------------------------------------------------------------------------


def _recipients(agency_id: int) -> list[str]:
    workers = User.objects.filter(
        agency_id=agency_id, is_active=True, roles__code__in=[RoleCode.FOCAL, RoleCode.HEAD]
    ).exclude(email="")
    return sorted(set(workers.values_list("email", flat=True)))


def _reminder_mail(invitation: Invitation, day: dt.date) -> tuple[str, str]:
    round_ = invitation.round
    late = day > round_.deadline
    subject = (_("Quá hạn góp ý đề án: %(t)s") if late else _("Nhắc góp ý đề án: %(t)s")) % {
        "t": round_.item.title[:120]
    }
    body = _(
        "Kính gửi %(agency)s,\n\nĐề án “%(title)s” đang lấy ý kiến (lần %(n)d), hạn trả lời "
        "ngày %(deadline)s. Cơ quan chưa gửi ý kiến; đề nghị trả lời trên dondoc.\n"
    ) % {
        "agency": invitation.agency.name,
        "title": round_.item.title,
        "n": round_.number,
        "deadline": f"{round_.deadline:%d/%m/%Y}",
    }
    return subject, body


def invitations_remind(day: dt.date) -> int:
    """Remind the agencies whose invitation in an open round is unanswered and whose reminder
    is due: each row claimed by compare-and-set, so a rerun or a second worker sends nothing
    twice. Returns how many invitations were reminded."""
    due = Invitation.objects.filter(
        next_reminder_on__lte=day, answered_on__isnull=True, round__closed_on__isnull=True
    ).select_related("round__item", "agency")
    sent = 0
    for invitation in due.order_by("next_reminder_on", "pk")[:1000]:
        sent += _remind_one(invitation, day)
    return sent


@transaction.atomic(durable=True)
def _remind_one(invitation: Invitation, day: dt.date) -> int:
    count = invitation.reminders_sent + 1
    following = day + REMINDER_EVERY if count < MAX_REMINDERS else None
    claimed = Invitation.objects.filter(
        pk=invitation.pk, next_reminder_on=invitation.next_reminder_on, answered_on__isnull=True
    ).update(next_reminder_on=following, reminders_sent=count)
    if claimed != 1:
        return 0
    subject, body = _reminder_mail(invitation, day)
    recipients = _recipients(invitation.agency_id)
    if recipients:
        message = (subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        transaction.on_commit(lambda: send_mass_mail([message]))
    audit_record(
        None,
        "program_invitation_remind",
        invitation.round.item,
        {"reminded": [None, invitation.agency.code]},
        agency_id=invitation.agency_id,
    )
    return 1


# Versions, files, comment handling ------------------------------------------------------------


def latest_version(item: ProgramItem) -> ProposalVersion | None:
    return ProposalVersion.objects.filter(item=item).order_by("-number").first()


def version_snapshot(actor: User, item: ProgramItem, today: dt.date) -> ProposalVersion:
    """The latest version if it holds the item's content as it is now, else a new version of
    it (a round, an appraisal and a submission refer to the version they read)."""
    latest = latest_version(item)
    current = {field: getattr(item, field) for field in CONTENT_SECTIONS}
    if latest is not None and latest.sections() == current:
        return latest
    return _version_new(actor, item, today, number=(latest.number if latest else 0) + 1)


def _version_new(
    actor: User,
    item: ProgramItem,
    today: dt.date,
    *,
    number: int,
    changes_note: str = "",
    after_appraisal: bool = False,
) -> ProposalVersion:
    try:
        with transaction.atomic():
            version = ProposalVersion.objects.create(
                item=item, number=number, created_by=actor, created_on=today,
                changes_note=changes_note, after_appraisal=after_appraisal,
                **{field: getattr(item, field) for field in CONTENT_SECTIONS},
            )  # fmt: skip
    except IntegrityError as race:  # `version_number_per_item`: another version came first
        raise ItemActionRefused(ItemAction.SUBMIT_VERSION, Code.EDITED_MEANWHILE, item) from race
    audit_record(
        actor, "program_version", item,
        {"version": [number - 1 or None, number], "changes_note": [None, changes_note]},
        agency_id=item.lead_agency_id,
    )  # fmt: skip
    return version


def _version_submit(
    actor: User,
    item: ProgramItem,
    *,
    changes_note: str,
    revision: int | None,
    day: dt.date | None = None,
    **sections: str,
) -> ProposalVersion:
    """The lead agency hands on a revised version: the changed sections, and what changed and
    why (required once there is a version before). After appraisal (or a deferral) the version
    is marked so, and must still hold every section; the office sees it beside the appraised
    one and the submission carries it. `revision` is the content revision the editor read."""
    today = _today(day)
    check_item_action(actor, item, ItemAction.SUBMIT_VERSION, today)
    before = latest_version(item) or version_snapshot(actor, item, today)
    if not changes_note.strip():
        raise _fail(
            _("Cần giải trình những vấn đề có sự thay đổi, bổ sung so với phiên bản trước."),
            Code.CHANGES_NOTE_REQUIRED,
            "changes_note",
        )
    after_appraisal = item.state in {ItemState.APPRAISED, ItemState.DEFERRED}
    if after_appraisal:
        empty = [str(n) for f, n in CONTENT_SECTIONS.items() if f in sections and not sections[f]]
        if empty:
            raise _fail(
                _("Đề án còn thiếu: %(missing)s."), Code.CONTENT_INCOMPLETE,
                missing="; ".join(empty),
            )  # fmt: skip
    if not _content_save(actor, item, sections, revision, ItemAction.SUBMIT_VERSION):
        raise _fail(
            _("Nội dung không thay đổi so với phiên bản %(n)d."),
            Code.NOTHING_CHANGED,
            n=before.number,
        )
    return _version_new(
        actor, item, today, number=before.number + 1, changes_note=changes_note,
        after_appraisal=after_appraisal,
    )  # fmt: skip


def _check_file(item: ProgramItem, file: "File[Any]", field: str) -> attachments.CheckedFile:
    if item.classification >= TOP_SECRET:
        raise _fail(
            _("Nội dung Tuyệt mật không lưu trên hệ thống: không đính kèm tệp."),
            Code.TOP_SECRET_FILE,
            field,
        )
    try:
        return attachments.check_file(file, attachments.DOCUMENT_KINDS)
    except ValidationError as error:
        raise ValidationError({field: error}) from error


def _file_keep(
    actor: User,
    item: ProgramItem,
    kind: FileKind,
    file: "File[Any]",
    checked: attachments.CheckedFile,
    *,
    version: ProposalVersion | None = None,
    invitation: Invitation | None = None,
) -> ProgramFile:
    """Store a checked file under a random name and write its row and audit entry; the store
    is not transactional, so the file is removed if the row is not written."""
    kept = ProgramFile(
        item=item, kind=kind, version=version, invitation=invitation,
        original_name=checked.name, content_type=checked.kind.content_type, size=checked.size,
        sha256=checked.sha256, uploaded_by=actor,
    )  # fmt: skip
    kept.file.save(checked.name, file, save=False)
    try:
        with transaction.atomic():
            kept.save()
            audit_record(
                actor, "program_file_attach", item,
                {"kind": [None, kind], "name": [None, checked.name], "sha256": [None, checked.sha256],
                 "version": [None, version.number if version else None]},
                agency_id=item.lead_agency_id,
            )  # fmt: skip
    except BaseException:
        kept.file.delete(save=False)
        raise
    return kept


def file_download_name(kept: ProgramFile) -> str:
    """The name to download under, ending with the extension of the detected type."""
    kind = attachments.KINDS_BY_TYPE.get(kept.content_type)
    name = kept.original_name or attachments.FALLBACK_NAME
    if kind is not None and not name.lower().endswith(kind.extension):
        name += kind.extension
    return name


@transaction.atomic
def file_download_record(actor: User, kept: ProgramFile) -> None:
    """Who opened which file of a proposal, in the audit log."""
    audit_record(
        actor, "program_file_download", kept,
        {"item": [None, kept.item_id], "name": [None, kept.original_name]},
        agency_id=None,
    )  # fmt: skip


def _file_attach(
    actor: User,
    item: ProgramItem,
    *,
    kind: FileKind,
    file: "File[Any]",
    day: dt.date | None = None,
) -> ProgramFile:
    """The lead agency keeps a draft document or its explanation report (PDF, Word) with the
    latest version (the current content made version 1 if there is none yet)."""
    today = _today(day)
    check_item_action(actor, item, ItemAction.ATTACH_FILE, today)
    if kind not in {FileKind.DRAFT, FileKind.EXPLANATION}:
        raise _fail(_("Loại tệp không hợp lệ."), Code.KIND_INVALID, "kind")
    checked = _check_file(item, file, "file")
    version = version_snapshot(actor, item, today)
    return _file_keep(actor, item, kind, file, checked, version=version)


def _comment_handle(
    actor: User,
    item: ProgramItem,
    *,
    invitation_id: int,
    outcome: HandlingOutcome,
    explanation: str = "",
    revision: int = 0,
    day: dt.date | None = None,
) -> CommentHandling:
    """Record how one agency's comment (an answered invitation of a closed round) was handled:
    accepted, partly, or not, with the explanation (required unless accepted). `revision` is
    the handling's revision the editor read (0: none yet); a save by someone else since is
    refused (`edited_meanwhile`) instead of overwriting it."""
    today = _today(day)
    check_item_action(actor, item, ItemAction.HANDLE_COMMENT, today)
    invitation = (
        Invitation.objects.filter(
            pk=invitation_id, round__item=item, round__closed_on__isnull=False,
            answered_on__isnull=False,
        ).select_related("agency").first()
    )  # fmt: skip
    if invitation is None:
        raise _fail(
            _("Chỉ ghi tiếp thu, giải trình cho ý kiến đã nhận của một đợt đã kết thúc."),
            Code.NOT_A_COMMENT,
            "invitation",
        )
    if outcome not in HandlingOutcome.values:
        raise _fail(_("Cần chọn mức tiếp thu."), Code.KIND_INVALID, "outcome")
    if outcome != HandlingOutcome.ACCEPTED and not explanation.strip():
        raise _fail(
            _("Cần giải trình khi không tiếp thu hoặc chỉ tiếp thu một phần."),
            Code.EXPLANATION_REQUIRED,
            "explanation",
        )
    fields = {"outcome": outcome, "explanation": explanation, "recorded_by": actor,
              "recorded_on": today}  # fmt: skip
    existing = CommentHandling.objects.filter(invitation=invitation).first()
    if existing is None and revision == 0:
        try:
            with transaction.atomic():
                handling = CommentHandling.objects.create(invitation=invitation, **fields)
        except IntegrityError as race:  # one per invitation: another save came first
            raise ItemActionRefused(
                ItemAction.HANDLE_COMMENT, Code.EDITED_MEANWHILE, item
            ) from race
        before: dict[str, Any] = {}
    else:
        saved = CommentHandling.objects.filter(invitation=invitation, revision=revision).update(
            revision=F("revision") + 1, **fields
        )
        if existing is None or saved != 1:
            raise ItemActionRefused(ItemAction.HANDLE_COMMENT, Code.EDITED_MEANWHILE, item)
        before = {"outcome": existing.outcome, "explanation": existing.explanation}
        handling = CommentHandling.objects.get(invitation=invitation)
    audit_record(
        actor, "program_comment_handle", item,
        {"agency": [None, invitation.agency.code],
         "outcome": [before.get("outcome"), outcome],
         "explanation": [before.get("explanation"), explanation]},
        agency_id=item.lead_agency_id,
    )  # fmt: skip
    return handling


def _item_defer(
    actor: User,
    item: ProgramItem,
    *,
    reason: str,
    to_month: int,
    to_year: int | None = None,
    day: dt.date | None = None,
) -> ProgramItem:
    """The body defers a submitted item (hoãn, chưa xem xét) to a later month, of its year or
    of the next (the item then moves into that year's program), with a reason: the item is
    shown as deferred, with the deferral in its rescheduling history (decided at once by the
    body); the office submits it again in its new month."""
    today = _today(day)
    check_item_action(actor, item, ItemAction.DEFER, today)
    if not reason.strip():
        raise _fail(_("Cần nêu lý do hoãn."), Code.REASON_REQUIRED, "reason")
    from_year, to_year = _later(item, to_month, to_year)
    request = RescheduleRequest.objects.create(
        item=item, kind=RescheduleKind.DEFER, from_month=item.planned_month, to_month=to_month,
        from_year=from_year, to_year=to_year, reason=reason, requested_by=actor,
        requested_on=today, decision=RescheduleDecision.APPROVED, decided_by=actor,
        decided_on=today, decision_reason=reason,
    )  # fmt: skip
    _move(
        actor, item, ItemState.DEFERRED, ItemAction.DEFER, decided_on=today, decided_by=actor,
        decision_note=reason,
    )  # fmt: skip
    _replan(actor, item, request)
    return item


def _item_links_set(
    actor: User,
    item: ProgramItem,
    *,
    responsible_leader: str,
    working_session_id: int | None,
    day: dt.date | None = None,
) -> ProgramItem:
    """The office names the responsible leader and links the item to the working session
    (tracking's, not a copy) that considers it; a session above the user's clearance is not
    found."""
    check_item_action(actor, item, ItemAction.EDIT_LINKS, _today(day))
    session = None
    if working_session_id is not None:
        session = WorkingSession.objects.filter(
            pk=working_session_id, classification__lte=actor.clearance
        ).first()
        if session is None:
            raise _fail(
                _("Không có buổi làm việc chuyên đề này."),
                Code.SESSION_NOT_FOUND,
                "working_session",
            )
    before = {"responsible_leader": item.responsible_leader,
              "working_session": item.working_session_id}  # fmt: skip
    item.responsible_leader = responsible_leader.strip()
    item.working_session = session
    item.save(update_fields=["responsible_leader", "working_session", "updated_at"])
    after = {"responsible_leader": item.responsible_leader,
             "working_session": item.working_session_id}  # fmt: skip
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit_record(actor, "program_item_links", item, changes, agency_id=item.lead_agency_id)
    return item


# The doors' services: durable, the outermost transaction. -----------------------------------


program_create = durable_service(_program_create)
item_create = durable_service(_item_create)
item_add_request = durable_service(_item_add_request)
item_edit_content = durable_service(_item_edit_content)
round_open = durable_service(_round_open)
invitation_answer = durable_service(_invitation_answer)
round_close = durable_service(_round_close)
item_send_to_appraisal = durable_service(_item_send_to_appraisal)
appraisal_record = durable_service(_appraisal_record)
item_submit = durable_service(_item_submit)
item_decide = durable_service(_item_decide)
reschedule_request = durable_service(_reschedule_request)
reschedule_decide = durable_service(_reschedule_decide)
year_move_request = durable_service(_year_move_request)
year_program_derive = durable_service(_year_program_derive)
version_submit = durable_service(_version_submit)
file_attach = durable_service(_file_attach)
comment_handle = durable_service(_comment_handle)
item_defer = durable_service(_item_defer)
item_links_set = durable_service(_item_links_set)
