"""Everything that changes consultation data. Each service checks the draft's access rule
first and writes its audit entry in the same transaction (`durable=True`: never nested)."""

import dataclasses
import datetime as dt
import functools
import logging
import pickle
import random
from collections import Counter
from collections.abc import Sequence
from typing import Any, BinaryIO

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.accounts import rules
from dondoc.accounts.models import User
from dondoc.audit.services import audit_record
from dondoc.consultation import imports, pipeline
from dondoc.consultation.access import (
    DraftAction,
    DraftActionRefused,
    check_draft_action,
    open_round,
    public_round,
)
from dondoc.consultation.error_codes import ConsultationErrorCode as Code
from dondoc.consultation.models import (
    ACTIVE,
    Category,
    Channel,
    ChunkState,
    Comment,
    CommenterIdentity,
    CommentImport,
    CommentSignature,
    ConsultationRound,
    Draft,
    DraftVersion,
    ImportRejection,
    ImportState,
    PlacementBefore,
    Response,
    ResponseKind,
    RunKind,
    RunStage,
    Section,
    Stance,
    SynthesisChunk,
    SynthesisRun,
    Theme,
)
from dondoc.consultation.sections import ParsedSection, parse_docx, parse_markdown, reference_keys
from dondoc.consultation.selectors import run_going, run_stuck
from dondoc.core.text import clean, search_key

log = logging.getLogger("dondoc.consultation")
MAX_COMMENT = 10_000
BATCH = 2000


def _invalid(field: str, message: str, code: Code) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# Drafts and rounds ---------------------------------------------------------------------------


def draft_import(actor: User, title: str, *, text: str = "", docx: BinaryIO | None = None) -> Draft:
    """A draft and its sections, from Markdown text or a DOCX file (office only)."""
    if not rules.office(actor):
        raise PermissionDenied(_("Chỉ Văn phòng được nhập dự thảo."))
    parsed = _parsed(text, docx)
    with transaction.atomic(durable=True):
        return _draft_create(actor, title, parsed)


def _parsed(text: str, docx: BinaryIO | None) -> list[ParsedSection]:
    """The sections of a draft's text (Markdown) or DOCX file; a file that is not a DOCX or
    a text with no content is refused."""
    if docx is None:
        parsed = parse_markdown(text)
    else:
        try:
            parsed = parse_docx(docx)
        except Exception as error:  # python-docx raises many kinds for a file that is not DOCX
            log.info("draft DOCX unreadable: %r", error)
            raise _invalid(
                "file", _("Không đọc được tệp: hãy chọn tệp DOCX."), Code.BAD_FILE
            ) from error
    if not parsed:
        raise _invalid("text", _("Không tìm thấy nội dung nào trong dự thảo."), Code.NO_SECTIONS)
    return parsed


def _draft_create(actor: User, title: str, parsed: Sequence[ParsedSection]) -> Draft:
    draft = Draft.objects.create(title=clean(title).strip()[:300], created_by=actor)
    DraftVersion.objects.create(draft=draft, number=draft.version, created_by=actor)
    _sections_create(draft, parsed)
    audit_record(actor, "draft_import", draft, {"title": [None, draft.title],
                                                "sections": [None, len(parsed)]})  # fmt: skip
    return draft


def draft_version_import(
    actor: User, draft: Draft, *, text: str = "", docx: BinaryIO | None = None
) -> DraftVersion:
    """A new version of the draft (its revised text, imported again from Markdown or DOCX):
    the earlier versions and their sections stay, with the comments made on them; the new
    version becomes the one the pages and the public show. Refused while a synthesis run is
    going (it places comments in the current version's sections)."""
    check_draft_action(actor, draft, DraftAction.MANAGE)
    parsed = _parsed(text, docx)
    with transaction.atomic(durable=True):
        locked = Draft.objects.select_for_update().get(pk=draft.pk)
        if SynthesisRun.objects.filter(ACTIVE, draft=locked).exists():
            raise _run_active()
        before = locked.version
        locked.version = before + 1
        locked.save(update_fields=["version"])
        created = DraftVersion.objects.create(draft=locked, number=locked.version, created_by=actor)
        _sections_create(locked, parsed)
        audit_record(actor, "draft_version_import", locked, {
            "version": [before, locked.version], "sections": [None, len(parsed)]})  # fmt: skip
    draft.version = locked.version
    return created


def _sections_create(draft: Draft, parsed: Sequence[ParsedSection]) -> None:
    Section.objects.bulk_create(
        Section(
            draft=draft,
            version=draft.version,
            position=position,
            level=part.level,
            number=part.number[:64],
            heading=part.heading[:500],
            body=part.body,
        )
        for position, part in enumerate(parsed, start=1)
    )


def round_open(
    actor: User, draft: Draft, opens_on: dt.date, closes_on: dt.date, *, public: bool = True
) -> ConsultationRound:
    check_draft_action(actor, draft, DraftAction.MANAGE)
    if closes_on < opens_on:
        raise _invalid("closes_on", _("Ngày kết thúc phải sau ngày bắt đầu."), Code.BAD_WINDOW)
    with transaction.atomic(durable=True):
        return _round_create(actor, draft, opens_on, closes_on, public)


def _round_create(
    actor: User, draft: Draft, opens_on: dt.date, closes_on: dt.date, public: bool
) -> ConsultationRound:
    found = ConsultationRound.objects.create(
        draft=draft, opens_on=opens_on, closes_on=closes_on, public=public
    )
    audit_record(actor, "round_open", found, {"opens_on": [None, opens_on],
                 "closes_on": [None, closes_on], "public": [None, public]})  # fmt: skip
    return found


# Comments ------------------------------------------------------------------------------------


def _checked_text(stance: str, text: str) -> str:
    text = clean(text).strip()
    if stance not in Stance.values:
        raise _invalid("stance", _("Hãy chọn một ý kiến."), Code.TEXT_REQUIRED)
    if stance != Stance.AGREE and not text:
        raise _invalid(
            "text",
            _("Ý kiến “Không tán thành” hoặc “Đồng ý một phần” cần nêu rõ nội dung góp ý."),
            Code.TEXT_REQUIRED,
        )
    if len(text) > MAX_COMMENT:
        raise _invalid("text", _("Ý kiến dài quá 10.000 ký tự."), Code.TEXT_REQUIRED)
    return text


def _section(draft: Draft, section_id: int | None) -> Section | None:
    """A section of the draft's current version (what commenters read and what is revised)."""
    if section_id is None:
        return None
    found = Section.objects.filter(draft=draft, version=draft.version, pk=section_id).first()
    if found is None:
        raise _invalid(
            "section", _("Phần được chọn không thuộc dự thảo này."), Code.UNKNOWN_SECTION
        )
    return found


def comment_submit(
    actor: User, draft: Draft, stance: str, text: str, section_id: int | None = None
) -> Comment:
    """An agency's comment, submitted by its focal point or head while a round is open."""
    check_draft_action(actor, draft, DraftAction.COMMENT)
    text = _checked_text(stance, text)
    section = _section(draft, section_id)
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        current = open_round(draft, today)
        if current is None:  # closed since the check
            raise DraftActionRefused(DraftAction.COMMENT, Code.NOT_OPEN, draft)
        comment = Comment.objects.create(
            round=current, draft=draft, version=draft.version, chosen_section=section,
            stance=stance, text=text, category=Category.AGENCY, channel=Channel.AGENCY, agency_id=actor.agency_id,
            submitted_by=actor,
        )  # fmt: skip
        audit_record(actor, "comment_submit", comment, {"stance": [None, stance]},
                     agency_id=actor.agency_id)  # fmt: skip
    return comment


def comment_submit_public(
    draft_id: int,
    stance: str,
    text: str,
    category: str,
    *,
    section_id: int | None = None,
    full_name: str = "",
    phone: str = "",
    id_number: str = "",
) -> Comment:
    """A citizen's comment through the public page (no sign-in); identity stored apart."""
    today = timezone.localdate()
    found = public_round(draft_id, today)
    text = _checked_text(stance, text)
    section = _section(found.draft, section_id)
    if category not in Category.values or category == Category.AGENCY:
        category = Category.CITIZEN
    with transaction.atomic(durable=True):
        comment = Comment.objects.create(
            round=found, draft=found.draft, version=found.draft.version, chosen_section=section,
            stance=stance, text=text, category=category, channel=Channel.WEB,
        )  # fmt: skip
        if full_name or phone or id_number:
            CommenterIdentity.objects.create(
                comment=comment, full_name=clean(full_name).strip()[:150],
                phone=clean(phone).strip()[:32], id_number=clean(id_number).strip()[:32],
            )  # fmt: skip
        audit_record(None, "comment_public", comment, {"stance": [None, stance]})
    return comment


def _comments_import(
    found: ConsultationRound, rows: Sequence[tuple[str, str, str, str, int | None]]
) -> int:
    """Comments from a file or another system: (stance, text, category, channel, section id);
    one audit entry for the batch."""
    created = Comment.objects.bulk_create(
        [Comment(round=found, draft_id=found.draft_id, version=found.draft.version,
                 stance=stance, text=clean(text),
                 category=category, channel=channel, chosen_section_id=section)
         for stance, text, category, channel, section in rows],
        batch_size=BATCH,
    )  # fmt: skip
    audit_record(None, "comments_import", found, {"comments": [None, len(created)]})
    return len(created)


# Imports from files ---------------------------------------------------------------------------

IMPORT_BATCH = 1000  # rows per transaction: the memory an import holds, whatever the file's size


def comment_import_start(actor: User, draft: Draft, file: Any) -> CommentImport:
    """Keep an uploaded file of comments (CSV, XLSX, JSONL) and read it in a background job;
    the comments go into the draft's latest round (office only)."""
    check_draft_action(actor, draft, DraftAction.MANAGE)
    name = str(getattr(file, "name", "") or "")
    if imports.file_format(name) is None:
        raise _invalid("file", _("Hãy chọn tệp CSV, XLSX hoặc JSONL."), Code.BAD_FILE)
    found = draft.rounds.order_by("-opens_on", "-id").first()
    if found is None:
        raise _invalid(
            "file", _("Hãy mở một đợt lấy ý kiến trước khi nhập ý kiến từ tệp."), Code.NOT_OPEN
        )
    with transaction.atomic(durable=True):
        started = CommentImport.objects.create(
            draft=draft, round=found, file=file, file_name=clean(name)[-255:], created_by=actor
        )
        audit_record(actor, "comments_import_start", started, {"file": [None, started.file_name]})
        transaction.on_commit(lambda: _enqueue_import(started.pk))
    return started


def comment_import_resume(actor: User, started: CommentImport) -> None:
    """Go on with an interrupted import from the row after its last committed batch."""
    check_draft_action(actor, started.draft, DraftAction.MANAGE)
    with transaction.atomic(durable=True):
        audit_record(actor, "comments_import_resume", started,
                     {"rows_done": [started.rows_done, started.rows_done]})  # fmt: skip
        transaction.on_commit(lambda: _enqueue_import(started.pk))


def _enqueue_import(import_id: int) -> None:
    from dondoc.consultation.tasks import comment_import_task

    comment_import_task.delay(import_id)


class _OvertakenError(Exception):
    """Another run of the same import committed this batch first."""


@dataclasses.dataclass
class _Choices:
    stance: dict[str, str]
    category: dict[str, str]
    channel: dict[str, str]
    sections: dict[str, int]
    version: int

    @classmethod
    def of(cls, draft: Draft) -> "_Choices":
        def keyed(choices: Any) -> dict[str, str]:
            """By code, by label, and by each part of a label ("Chuyên gia")."""
            found = {value: value for value in choices.values}
            for value, label in choices.choices:
                for part in [str(label), *str(label).split(",")]:
                    found.setdefault(search_key(part), value)
            return found

        numbers = Section.objects.filter(draft=draft, version=draft.version).values_list(
            "pk", "number"
        )
        return cls(
            keyed(Stance), keyed(Category), keyed(Channel),
            {key: pk for pk, number in numbers for key in reference_keys(number)}, draft.version,
        )  # fmt: skip


def comment_import_run(import_id: int) -> CommentImport:
    """The job's body: read the file from the row after `rows_done`, one transaction per
    batch of rows; each batch moves `rows_done` by compare-and-set, and the database holds one
    comment per (import, row), so that a crash, a retry or a second worker never doubles a
    row. Rejected rows are kept with their reason."""
    started = CommentImport.objects.select_related("draft").get(pk=import_id)
    if started.state == ImportState.DONE:
        return started
    CommentImport.objects.filter(pk=import_id).update(state=ImportState.RUNNING, error="")
    kind = imports.file_format(started.file_name) or "csv"
    choices = _Choices.of(started.draft)
    try:
        with started.file.open("rb") as stream:
            batch: list[imports.Row] = []
            for row in imports.rows(stream, kind, start_after=started.rows_done):
                batch.append(row)
                if len(batch) == IMPORT_BATCH:
                    _import_batch(started, batch, choices)
                    batch = []
            if batch:
                _import_batch(started, batch, choices)
    except _OvertakenError:
        return started
    except imports.UnreadableFileError as error:
        _import_stop(started, ImportState.FAILED, _("Không đọc được tệp: %(error)s") % {
            "error": str(error)[:500]})  # fmt: skip
        return started
    except Exception as error:
        _import_stop(started, ImportState.FAILED, f"{type(error).__name__}: {error}"[:1000])
        raise
    _import_stop(started, ImportState.DONE, "")
    return started


def _import_stop(started: CommentImport, state: str, error: str) -> None:
    with transaction.atomic():
        CommentImport.objects.filter(pk=started.pk).update(
            state=state, error=error, finished_at=timezone.now()
        )
        audit_record(None, "comments_import_stop", started, {"state": [ImportState.RUNNING, state],
                     "rows_done": [None, started.rows_done]})  # fmt: skip
    started.state, started.error = state, error


def _import_batch(started: CommentImport, batch: list[imports.Row], choices: _Choices) -> None:
    comments: list[Comment] = []
    identities: dict[int, tuple[str, ...]] = {}
    rejections: list[ImportRejection] = []
    for number, values in batch:
        try:
            comments.append(_import_row(started, number, values, choices))
        except ValidationError as error:
            reason = " ".join(error.messages)
            rejections.append(ImportRejection(source_import=started, row=number, reason=reason))
            continue
        person = tuple(clean(values.get(field, "")).strip()[:size] for field, size in
                       (("full_name", 150), ("phone", 32), ("id_number", 32), ("email", 254),
                        ("address", 300)))  # fmt: skip
        if any(person):
            identities[number] = person
    last = batch[-1][0]
    with transaction.atomic(durable=True):
        Comment.objects.bulk_create(comments, batch_size=BATCH, ignore_conflicts=True)
        if identities:
            found = Comment.objects.filter(source_import=started, source_row__in=list(identities))
            pk_of = {row: pk for row, pk in found.values_list("source_row", "pk") if row}
            CommenterIdentity.objects.bulk_create(
                [CommenterIdentity(comment_id=pk_of[row], full_name=name, phone=phone,
                                   id_number=number, email=email, address=address)
                 for row, (name, phone, number, email, address) in identities.items()
                 if row in pk_of],
                ignore_conflicts=True,
            )  # fmt: skip
        ImportRejection.objects.bulk_create(rejections, ignore_conflicts=True)
        moved = CommentImport.objects.filter(pk=started.pk, rows_done=started.rows_done).update(
            rows_done=last,
            accepted=F("accepted") + len(comments),
            rejected=F("rejected") + len(rejections),
        )
        if not moved:
            raise _OvertakenError
        audit_record(None, "comments_import", started, {
            "rows_done": [started.rows_done, last], "accepted": [None, len(comments)],
            "rejected": [None, len(rejections)],
        })  # fmt: skip
    started.rows_done = last


def _import_row(
    started: CommentImport, number: int, values: dict[str, str], choices: _Choices
) -> Comment:
    """One row as a comment, checked as the public form checks a comment, or a
    ValidationError whose messages say why not (in Vietnamese, for the rejected-rows report)."""
    if "_error" in values:
        message = (_("Dòng không phải JSON hợp lệ.") if values["_error"] == "json"
                   else _("Dòng không có cột nào được nhận ra."))  # fmt: skip
        raise ValidationError(message, code=Code.BAD_FILE)
    if any("\ufffd" in value for value in values.values()):
        raise ValidationError(_("Dòng có ký tự không đọc được (tệp không phải mã UTF-8)."),
                              code=Code.BAD_FILE)  # fmt: skip
    raw = values.get("stance", "")
    stance = choices.stance.get(_value_key(raw), "")
    if not raw:
        raise ValidationError(_("Thiếu ý kiến (Tán thành, Không tán thành hoặc Đồng ý một phần)."),
                              code=Code.TEXT_REQUIRED)  # fmt: skip
    if not stance:
        raise ValidationError(_("Ý kiến “%(value)s” không phải Tán thành, Không tán thành hoặc "
                                "Đồng ý một phần.") % {"value": raw[:50]}, code=Code.TEXT_REQUIRED)  # fmt: skip
    text = _checked_text(stance, values.get("text", ""))
    category = _choice(choices.category, values.get("category", ""), Category.CITIZEN,
                       _("Đối tượng “%(value)s” không có trong danh mục."))  # fmt: skip
    channel = _choice(choices.channel, values.get("channel", ""), Channel.IMPORT,
                      _("Kênh “%(value)s” không có trong danh mục."))  # fmt: skip
    section = None
    if wanted := values.get("section", ""):
        section = pipeline.explicit_section(pipeline.normalize(wanted), choices.sections)
        if section is None:
            raise ValidationError(_("Không có phần “%(value)s” trong dự thảo.") % {
                "value": wanted[:50]}, code=Code.UNKNOWN_SECTION)  # fmt: skip
    return Comment(round_id=started.round_id, draft_id=started.draft_id, version=choices.version,
                   stance=stance, text=text,
                   category=category, channel=channel, chosen_section_id=section,
                   source_import=started, source_row=number)  # fmt: skip


# an import's stance, category and channel columns repeat a handful of values a million times
_value_key = functools.lru_cache(maxsize=4096)(search_key)


def _choice(known: dict[str, str], raw: str, default: str, message: str) -> str:
    if not raw:
        return default
    value = known.get(_value_key(raw)) or known.get(raw)
    if value is None:
        raise ValidationError(message % {"value": raw[:50]}, code=Code.TEXT_REQUIRED)
    return value


def identity_read(actor: User, comment: Comment) -> CommenterIdentity | None:
    """Who wrote `comment`: administrators only, and the read itself is audited."""
    check_draft_action(actor, comment.draft, DraftAction.READ_IDENTITIES)
    with transaction.atomic(durable=True):
        identity = CommenterIdentity.objects.filter(comment=comment).first()
        audit_record(actor, "identity_read", comment, {"identity": [None, identity is not None]})
    return identity


# Erasure of identities ---------------------------------------------------------------------


def identities_erase(actor: User, draft: Draft) -> int:
    """An administrator erases the commenters' identities of a draft whose rounds are over,
    before the retention runs out. Returns how many were erased."""
    check_draft_action(actor, draft, DraftAction.ERASE_IDENTITIES)
    with transaction.atomic(durable=True):
        return _erase(actor, draft)


def identities_erase_due(today: dt.date | None = None) -> list[int]:
    """The daily job: erase the identities of every draft whose last round closed more than
    `CONSULTATION_IDENTITY_RETENTION_DAYS` ago and that still holds some (or an imported file,
    which may name people). Each draft in its own transaction, audited; a second run finds
    nothing to do. Returns the drafts erased."""
    today = today or timezone.localdate()
    days = int(getattr(settings, "CONSULTATION_IDENTITY_RETENTION_DAYS", 90))
    holding = Q(pk__in=CommenterIdentity.objects.values("comment__draft")) | Q(
        pk__in=CommentImport.objects.exclude(file="").values("draft")
    )
    due = (
        Draft.objects.annotate(last=Max("rounds__closes_on"))
        .filter(holding, last__lt=today - dt.timedelta(days=days))
        .values_list("pk", flat=True)
    )
    erased = []
    for draft_id in list(due):
        with transaction.atomic(durable=True):
            draft = Draft.objects.select_for_update().get(pk=draft_id)
            _erase(None, draft)
        erased.append(draft_id)
    return erased


def _erase(actor: User | None, draft: Draft) -> int:
    """Delete the identities (the comments stay, with their text, stance and category), the
    imported files and their rejected-row lists; the draft records when."""
    count, _deleted = CommenterIdentity.objects.filter(comment__draft=draft).delete()
    files = [
        found.file.name for found in CommentImport.objects.filter(draft=draft).exclude(file="")
    ]
    CommentImport.objects.filter(draft=draft).update(file="")
    ImportRejection.objects.filter(source_import__draft=draft).delete()
    before = draft.identities_erased_at
    draft.identities_erased_at = timezone.now()
    draft.save(update_fields=["identities_erased_at"])
    audit_record(actor, "identities_erase", draft, {
        "identities": [count, 0], "files": [len(files), 0],
        "identities_erased_at": [before, draft.identities_erased_at],
    })  # fmt: skip
    transaction.on_commit(lambda: _delete_files(files))
    return count


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# Synthesis -----------------------------------------------------------------------------------


def synthesis_start(actor: User, draft: Draft) -> SynthesisRun:
    """Start a synthesis of the draft's comments; it runs as background jobs. One run at a
    time per draft: the database refuses a second while one is going (the partial unique
    constraint `synthesis_run_one_active`, which also holds between two workers or two
    clicks at the same instant); the refusal says so."""
    check_draft_action(actor, draft, DraftAction.MANAGE)
    try:
        with transaction.atomic(durable=True):
            run = SynthesisRun.objects.create(draft=draft)
            audit_record(actor, "synthesis_start", run, {"draft": [None, draft.pk]})
            transaction.on_commit(lambda: _enqueue(run.pk))
    except IntegrityError:
        raise _run_active() from None
    return run


def synthesis_cancel(actor: User, draft: Draft) -> SynthesisRun:
    """The office stops the draft's run that is going (its jobs died, or it is not wanted), in
    one transaction: every comment the run's merge had moved goes back to where it was
    (`PlacementBefore`: campaign, section, theme), the themes it created go, the kept ones are
    recounted; the run is marked failed with who cancelled it and its unfinished chunks failed,
    so that a late job of it does nothing (`_run_at`, `_run_live`, the chunk claim) and a new
    run may start. A second cancel finds no run going (`no_run`) and changes nothing."""
    check_draft_action(actor, draft, DraftAction.MANAGE)
    with transaction.atomic(durable=True):
        # on PostgreSQL this waits for the run's jobs holding its row (merge, themes, chunks)
        run = SynthesisRun.objects.select_for_update().filter(ACTIVE, draft=draft).first()
        if run is None:
            raise DraftActionRefused(DraftAction.MANAGE, Code.NO_RUN, draft)
        now = timezone.now()
        message = _("Đã hủy lúc %(when)s bởi %(who)s; hãy tổng hợp lại.") % {
            "when": timezone.localtime(now).strftime("%H:%M %d/%m/%Y"),
            "who": actor.get_full_name() or actor.get_username(),
        }  # fmt: skip
        restored = _placement_restore(run)
        SynthesisRun.objects.filter(pk=run.pk).update(
            stage=RunStage.FAILED, error=message, finished_at=now, model=None
        )
        SynthesisChunk.objects.filter(run=run).exclude(state=ChunkState.DONE).update(
            state=ChunkState.FAILED, error="cancelled"
        )
        audit_record(actor, "synthesis_cancel", run, {"stage": [run.stage, RunStage.FAILED],
                     "started_at": [run.started_at, run.started_at],
                     "restored": [None, restored]})  # fmt: skip
    run.refresh_from_db()
    return run


def _placement_keep(run: SynthesisRun, bound: int) -> None:
    """Before the merge rewrites them: every planned comment's campaign, section and theme,
    in one INSERT … SELECT (the same SQL on PostgreSQL and SQLite)."""
    before, comment = PlacementBefore._meta.db_table, Comment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {before} (run_id, comment_id, section_id, theme_id, campaign_id,"  # noqa: S608 - table names from the models
            f" campaign_size) SELECT %s, id, section_id, theme_id, campaign_id, campaign_size"
            f" FROM {comment} WHERE draft_id = %s AND id <= %s",
            [run.pk, run.draft_id, bound],
        )


def _placement_restore(run: SynthesisRun) -> int:
    """Every comment the run's merge had moved back where it was; the themes the run created
    (now without comments) removed, the others recounted. Returns the comments restored."""
    kept = PlacementBefore.objects.filter(run=run)
    if not kept.exists():  # cancelled before its merge: nothing was moved
        return 0
    was = kept.filter(comment_id=OuterRef("pk"))
    restored = Comment.objects.filter(pk__in=kept.values("comment_id")).update(
        section_id=Subquery(was.values("section_id")[:1]),
        theme_id=Subquery(was.values("theme_id")[:1]),
        campaign_id=Subquery(was.values("campaign_id")[:1]),
        campaign_size=Coalesce(Subquery(was.values("campaign_size")[:1]), 1),
    )
    kept.delete()
    _themes_emptied_remove(run.draft_id)
    for theme in Theme.objects.filter(draft_id=run.draft_id):
        _recount(theme)
    return restored


def _themes_emptied_remove(draft_id: int) -> None:
    """Themes left with no comment go, unless answered."""
    Theme.objects.filter(draft_id=draft_id, response__isnull=True).exclude(
        Exists(Comment.objects.filter(theme=OuterRef("pk")))
    ).delete()


def synthesis_resume(actor: User, draft: Draft) -> SynthesisRun:
    """The office sends again the jobs of the draft's stuck run (`selectors.run_stuck`): its
    unfinished chunks, its merge, or its sections not yet themed, as its stage says. Every one
    of them is safe to receive twice (chunk claims, `_run_at`, `sections_done`)."""
    check_draft_action(actor, draft, DraftAction.MANAGE)
    with transaction.atomic(durable=True):
        going = run_going(draft)
        if going is None:
            raise DraftActionRefused(DraftAction.MANAGE, Code.NO_RUN, draft)
        if not run_stuck(going):
            raise DraftActionRefused(DraftAction.MANAGE, Code.RUN_NOT_STUCK, draft)
        run = SynthesisRun.objects.select_for_update().get(pk=going.pk)
        if run.stage != going.stage:  # moved on meanwhile
            raise DraftActionRefused(DraftAction.MANAGE, Code.RUN_NOT_STUCK, draft)
        sent = _resend(run)
        SynthesisRun.objects.filter(pk=run.pk).update(progressed_at=timezone.now())
        audit_record(actor, "synthesis_resume", run, {"stage": [run.stage, run.stage],
                     "sent": [None, sent]})  # fmt: skip
    run.refresh_from_db()
    return run


def _resend(run: SynthesisRun) -> int:
    """Queue (after commit) the jobs that move the run on from its stage; returns how many."""
    from dondoc.consultation import tasks  # the task module imports this one

    def send(task: Any, *args: Any) -> None:
        transaction.on_commit(lambda: task.delay(*args))

    if run.stage == RunStage.MERGE:
        send(tasks.synthesis_merge_task, run.pk)
        return 1
    if run.stage == RunStage.THEMES:
        done = set(run.figures.get("sections_done", []))
        wanted = [s for s in run.figures.get("sections", []) if s not in done]
        for section_id in wanted:
            send(tasks.section_themes_task, run.pk, section_id)
        return len(wanted)
    if run.stage == RunStage.SIGN and not SynthesisChunk.objects.filter(run=run).exists():
        send(tasks.synthesis_task, run.pk)  # never planned
        return 1
    unfinished = list(
        SynthesisChunk.objects.filter(run=run, stage=run.stage)
        .exclude(state=ChunkState.DONE)
        .values_list("pk", flat=True)
    )
    for chunk_id in unfinished:
        send(tasks.synthesis_chunk_task, chunk_id)
    if unfinished:
        return len(unfinished)
    outcome = _stage_next(run, run.stage)  # the last chunk's worker died before moving it on
    if outcome.merge:
        send(tasks.synthesis_merge_task, run.pk)
        return 1
    for section_id in outcome.sections or []:
        send(tasks.section_themes_task, run.pk, section_id)
    return len(outcome.sections or [])


def _run_at(run_id: int, stage: str) -> bool:
    """Whether the run is still at `stage`, its row locked for the job's transaction (on
    PostgreSQL): a cancelled run's late merge or themes job then does nothing."""
    return SynthesisRun.objects.select_for_update().filter(pk=run_id, stage=stage).exists()


def _run_live(run_id: int, stage: str) -> bool:
    """Whether the run is still at `stage`, its row share-locked for a chunk's transaction (on
    PostgreSQL; chunks of one run share it): a cancel waits for the chunks in flight, and a
    chunk that starts after it does nothing, so a cancel never interleaves with a chunk."""
    table = SynthesisRun._meta.db_table
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s AND stage = %s{lock}", [run_id, stage])  # noqa: S608 - the model's table
        return cursor.fetchone() is not None


def _run_active() -> ValidationError:
    return ValidationError(
        _("Dự thảo đang có một lượt tổng hợp chưa xong; hãy chờ lượt đó xong rồi chạy lại."),
        code=Code.RUN_ACTIVE,
    )


def _enqueue(run_id: int) -> None:
    from dondoc.consultation.tasks import synthesis_task  # the task module imports this one

    synthesis_task.delay(run_id)


CHUNK = 50_000  # comments per chunk job: its memory (texts, n-grams) and its share of the work
MAX_ATTEMPTS = 3  # a chunk that failed this many times stays failed, and the run says so
LEASE = dt.timedelta(minutes=15)  # a chunk claimed longer ago by a silent worker is re-sent


@dataclasses.dataclass
class ChunkOutcome:
    """What the chunk job does next: retry the chunk, start the stage that follows (the merge
    after the last signing chunk, the themes after the last placing chunk), or nothing."""

    retry: bool = False
    merge: bool = False
    sections: list[int | None] | None = None


def synthesis_plan(run_id: int) -> list[int]:
    """Cut the draft's comments into chunks (`CHUNK` comments by id) for the signing jobs;
    returns the chunks' ids. A draft without comments goes straight to the merge."""
    with transaction.atomic(durable=True):
        if not _run_at(run_id, RunStage.SIGN):
            return []  # cancelled before its first job ran
        return _plan(run_id, RunStage.SIGN)


def _plan(run_id: int, stage: str) -> list[int]:
    run = SynthesisRun.objects.get(pk=run_id)
    ids = Comment.objects.filter(draft_id=run.draft_id).order_by("pk").values_list("pk", flat=True)
    chunks: list[SynthesisChunk] = []
    first = last = 0
    for count, pk in enumerate(ids.iterator(chunk_size=10_000)):
        if count % CHUNK == 0:
            if count:
                chunks.append(_chunk(run, stage, len(chunks), first, last))
            first = pk
        last = pk
    if first:
        chunks.append(_chunk(run, stage, len(chunks), first, last))
    created = SynthesisChunk.objects.bulk_create(chunks)
    if stage == RunStage.SIGN:
        audit_record(None, "synthesis_plan", run, {"chunks": [None, len(created)]})
    return [chunk.pk for chunk in created]


def _chunk(run: SynthesisRun, stage: str, number: int, first: int, last: int) -> SynthesisChunk:
    return SynthesisChunk(run=run, stage=stage, number=number, first_id=first, last_id=last)


def synthesis_chunk_run(chunk_id: int, task_id: str) -> ChunkOutcome:
    """A chunk job's body: claim the chunk by compare-and-set (pending, failed, or running but
    claimed by this same message — a redelivery — or by a worker silent for `LEASE`), do its
    work in one transaction, mark it done; the worker that finishes a stage's last chunk moves
    the run on (compare-and-set on its stage). A failure is recorded on the chunk; it is
    retried up to `MAX_ATTEMPTS` times, then stays failed and the run reports it."""
    now = timezone.now()
    claimable = (
        Q(state__in=[ChunkState.PENDING, ChunkState.FAILED])
        | Q(state=ChunkState.RUNNING, task_id=task_id)
        | Q(state=ChunkState.RUNNING, claimed_at__lt=now - LEASE)
    )
    live = ~Q(run__stage__in=[RunStage.DONE, RunStage.FAILED])  # not of a cancelled run
    claimed = SynthesisChunk.objects.filter(claimable, live, pk=chunk_id).update(
        state=ChunkState.RUNNING, task_id=task_id[:64], claimed_at=now,
        attempts=F("attempts") + 1,
    )  # fmt: skip
    if not claimed:
        return ChunkOutcome()
    chunk = SynthesisChunk.objects.select_related("run").get(pk=chunk_id)
    try:
        with transaction.atomic(durable=True):
            if not _run_live(chunk.run_id, chunk.stage):
                return ChunkOutcome()  # cancelled since the claim: the cancel failed the chunk
            _chunk_work(chunk)
            SynthesisChunk.objects.filter(pk=chunk_id).update(state=ChunkState.DONE, error="")
    except Exception as error:
        _chunk_failed(chunk, f"{type(error).__name__}: {error}"[:1000])
        if chunk.attempts < MAX_ATTEMPTS:
            return ChunkOutcome(retry=True)
        raise
    with transaction.atomic(durable=True):
        return _stage_next(chunk.run, chunk.stage)


def _chunk_failed(chunk: SynthesisChunk, error: str) -> None:
    with transaction.atomic(durable=True):
        SynthesisChunk.objects.filter(pk=chunk.pk).update(state=ChunkState.FAILED, error=error)
        if chunk.attempts >= MAX_ATTEMPTS:
            message = _("Phần việc %(number)s (%(stage)s) bị lỗi %(attempts)s lần: %(error)s") % {
                "number": chunk.number + 1, "stage": chunk.stage, "attempts": chunk.attempts,
                "error": error,
            }  # fmt: skip
            SynthesisRun.objects.filter(pk=chunk.run_id).update(
                stage=RunStage.FAILED, error=message
            )
            audit_record(None, "synthesis_chunk_failed", chunk.run,
                         {"chunk": [None, chunk.number], "error": [None, error]})  # fmt: skip


def _chunk_work(chunk: SynthesisChunk) -> None:
    comments = Comment.objects.filter(
        draft_id=chunk.run.draft_id, pk__gte=chunk.first_id, pk__lte=chunk.last_id
    )
    if chunk.stage == RunStage.SIGN:
        _sign(comments)
    else:
        _place(chunk.run, comments)


def _sign(comments: QuerySet[Comment]) -> None:
    rows = list(comments.filter(signature__isnull=True).values_list("pk", "text"))
    normalized = [pipeline.normalize(text) for _, text in rows]
    found = pipeline.signatures(normalized)
    CommentSignature.objects.bulk_create(
        [CommentSignature(comment_id=pk, text_key=pipeline.text_key(text), minhash=signature)
         for (pk, _), text, signature in zip(rows, normalized, found, strict=True)],
        batch_size=BATCH, ignore_conflicts=True,
    )  # fmt: skip


def _stage_next(run: SynthesisRun, stage: str) -> ChunkOutcome:
    unfinished = SynthesisChunk.objects.filter(run=run, stage=stage).exclude(state=ChunkState.DONE)
    if unfinished.exists():
        return ChunkOutcome()
    following = RunStage.MERGE if stage == RunStage.SIGN else RunStage.THEMES
    moved = SynthesisRun.objects.filter(pk=run.pk, stage=stage)
    if not moved.update(stage=following, progressed_at=timezone.now()):
        return ChunkOutcome()  # another worker moved the run on
    if following == RunStage.MERGE:
        return ChunkOutcome(merge=True)
    return ChunkOutcome(sections=_sections_wanted(run))


def synthesis_start_merge(run_id: int) -> bool:
    """For a run with no signing chunk (no comments): move it to the merge."""
    with transaction.atomic(durable=True):
        run = SynthesisRun.objects.get(pk=run_id)
        return _stage_next(run, RunStage.SIGN).merge


def synthesis_merge(run_id: int) -> list[int]:
    """The one job over the whole draft, on arrays: campaigns from the stored signatures,
    the section model learned from the commenters' own choices (kept on the run for the
    placing chunks), results written as grouped UPDATEs. Returns the placing chunks' ids."""
    with transaction.atomic(durable=True):
        if not _run_at(run_id, RunStage.MERGE):
            return []
        return _merge(run_id)


def _merge(run_id: int) -> list[int]:
    run = SynthesisRun.objects.select_related("draft").get(pk=run_id)
    draft = run.draft
    # the comments the run planned: those that came in since (the round is open) wait for
    # the next run, unsigned, rather than stopping this one
    bound = (
        SynthesisChunk.objects.filter(run=run, stage=RunStage.SIGN).aggregate(last=Max("last_id"))[
            "last"
        ]
        or 0
    )
    rows = CommentSignature.objects.filter(comment__draft=draft, comment_id__lte=bound).order_by(
        "comment_id"
    )
    n = rows.count()
    pk = np.zeros(n, dtype=np.int64)
    keys = np.zeros(n, dtype=np.int64)
    chosen = np.zeros(n, dtype=np.int64)  # 0: the commenter chose no section
    matrix = np.zeros((n, pipeline.NUM_PERM), dtype=np.uint32)
    values = rows.values_list("comment_id", "text_key", "minhash", "comment__chosen_section")
    for i, (comment, key, signature, section) in enumerate(values.iterator(chunk_size=10_000)):
        pk[i], keys[i], chosen[i] = comment, key, section or 0
        if signature:
            matrix[i] = np.frombuffer(bytes(signature), dtype="<u4")
    if n != Comment.objects.filter(draft=draft, pk__lte=bound).count():
        raise RuntimeError("comments without a signature: a signing chunk is missing")
    campaign = pipeline.campaigns_from(keys, matrix)
    del matrix
    reps = np.flatnonzero(campaign == np.arange(n))
    sizes = np.bincount(campaign, minlength=n)
    _placement_keep(run, bound)
    _store_campaigns(draft, pk, campaign, sizes)
    labelled_ids = [int(pk[i]) for i in reps if chosen[i]]
    assigner = _assigner(draft, labelled_ids)
    SynthesisRun.objects.filter(pk=run_id).update(
        stage=RunStage.PLACE, progressed_at=timezone.now(),
        model=pickle.dumps(assigner, protocol=pickle.HIGHEST_PROTOCOL),
        figures={"comments": n, "campaign_representatives": len(reps),
                 "in_campaigns": int(sizes[sizes > 1].sum())},
    )  # fmt: skip
    audit_record(None, "synthesis_prepare", run, {"comments": [None, n]})
    placing = _plan(run_id, RunStage.PLACE)
    if not placing:  # no comment at all: nothing to place, no section to theme
        _finish(run)
    return placing


def _store_campaigns(draft: Draft, pk: np.ndarray, campaign: np.ndarray, sizes: np.ndarray) -> None:
    # each comment keeps its theme until the themes job of its section: the new themes are
    # mapped onto the ones the office edited or answered from that membership (`_section_themes`)
    Comment.objects.filter(draft=draft).update(campaign=None, campaign_size=1, section=None)
    copies: dict[int, list[int]] = {}
    for i in np.flatnonzero(campaign != np.arange(len(pk))):
        copies.setdefault(int(pk[campaign[i]]), []).append(int(pk[i]))
    _update_grouped(copies, "campaign_id")
    by_size: dict[int, list[int]] = {}
    for i in np.flatnonzero(sizes > 1):
        by_size.setdefault(int(sizes[i]), []).append(int(pk[i]))
    _update_grouped(by_size, "campaign_size")


def _assigner(draft: Draft, labelled_ids: list[int]) -> pipeline.SectionAssigner:
    if len(labelled_ids) > pipeline.SectionAssigner.MAX_TRAINING:
        labelled_ids = random.Random(0).sample(labelled_ids, pipeline.SectionAssigner.MAX_TRAINING)
    # comments are placed in the current version's sections: choices of earlier versions'
    # sections (which stay where the commenter put them) do not teach the model
    sections = list(
        Section.objects.filter(draft=draft, version=draft.version)
        .order_by("position")
        .values_list("pk", "number", "heading", "body", "level")
    )
    current = {pk for pk, *_ in sections}
    labelled: list[tuple[str, int]] = []
    for start in range(0, len(labelled_ids), BATCH):
        found = Comment.objects.filter(pk__in=labelled_ids[start : start + BATCH])
        labelled += [(pipeline.normalize(text), section)
                     for text, section in found.values_list("text", "chosen_section")
                     if section in current]  # fmt: skip
    keys = {key: pk for pk, number, *_ in sections for key in reference_keys(number)}
    return pipeline.SectionAssigner(leaf_texts(sections), labelled, keys)


# per process: one unpickling per run, keyed by the run and its start (a run's id alone can come
# back on SQLite once a run is deleted, and would hand over another draft's section ids)
_MODELS: dict[tuple[int, dt.datetime], pipeline.SectionAssigner] = {}


def _place(run: SynthesisRun, comments: QuerySet[Comment]) -> None:
    """Place the chunk's campaign representatives (the commenter's choice, else the run's
    model) and give each copy its representative's section."""
    key = (run.pk, run.started_at)
    assigner = _MODELS.get(key)
    if assigner is None:
        data = SynthesisRun.objects.filter(pk=run.pk).values_list("model", flat=True).get()
        assigner = pickle.loads(bytes(data or b""))  # noqa: S301 - written by `_merge` only
        _MODELS.clear()
        _MODELS[key] = assigner
    reps = list(
        comments.filter(campaign__isnull=True).values_list(
            "pk", "text", "chosen_section", "theme_pinned", "theme__section"
        )
    )
    # a comment the office put in a theme goes where its theme is; then the commenter's choice
    where = [theme_section if pinned else section for _, _, section, pinned, theme_section in reps]
    todo = [
        i for i, (_, _, section, pinned, _) in enumerate(reps) if section is None and not pinned
    ]
    placed = assigner.assign([pipeline.normalize(reps[i][1]) for i in todo])
    for i, section in zip(todo, placed, strict=True):
        where[i] = section
    in_section: dict[int, list[int]] = {}
    for rep, section in zip(reps, where, strict=True):
        if section is not None:
            in_section.setdefault(section, []).append(rep[0])
    _update_grouped(in_section, "section_id")
    for section, ids in in_section.items():
        for start in range(0, len(ids), BATCH):
            Comment.objects.filter(campaign_id__in=ids[start : start + BATCH]).update(
                section_id=section
            )


def _sections_wanted(run: SynthesisRun) -> list[int | None]:
    found = set(
        Comment.objects.filter(draft_id=run.draft_id, campaign__isnull=True)
        .values_list("section", flat=True)
        .distinct()
    )
    wanted: list[int | None] = sorted(found, key=lambda s: (s is None, s or 0))
    figures = SynthesisRun.objects.values_list("figures", flat=True).get(pk=run.pk)
    SynthesisRun.objects.filter(pk=run.pk).update(
        sections_total=len(wanted), figures={**figures, "sections": wanted, "sections_done": []}
    )
    if not wanted:
        _finish(run)
    return wanted


def synthesis_reap() -> list[int]:
    """Chunks whose message was lost or whose worker vanished (pending or running for longer
    than `LEASE`): their ids, to be sent again. A chunk is never lost."""
    stale = timezone.now() - LEASE
    return list(
        SynthesisChunk.objects.filter(
            Q(state=ChunkState.PENDING, queued_at__lt=stale)
            | Q(state=ChunkState.RUNNING, claimed_at__lt=stale)
        )
        .exclude(run__stage__in=[RunStage.DONE, RunStage.FAILED])  # a failed run's stay put
        .values_list("pk", flat=True)[:1000]
    )


def _in_section(section_id: int | None) -> Q:
    return Q(section__isnull=True) if section_id is None else Q(section_id=section_id)


def _update_grouped(groups: dict[int, list[int]], field: str) -> None:
    """Set `field` to each key on its comments: one UPDATE per value and chunk (a CASE per
    row, as `bulk_update` writes it, made SQLite compare every row with every branch)."""
    for value, ids in groups.items():
        for start in range(0, len(ids), BATCH):
            Comment.objects.filter(pk__in=ids[start : start + BATCH]).update(**{field: value})


def leaf_texts(sections: Sequence[tuple[int, str, str, str, int]]) -> dict[int, str]:
    """What comments are compared with: the sections that hold no others (articles, the
    smallest headings), each with its parents' headings; a chapter is reached by name
    ("Chương II") or by the commenter's choice."""
    texts: dict[int, str] = {}
    parents: list[tuple[int, str]] = []  # (level, heading) of the open ancestors
    for index, (pk, number, heading, body, level) in enumerate(sections):
        parents = [p for p in parents if p[0] < level]
        following = sections[index + 1][4] if index + 1 < len(sections) else 0
        if following <= level:
            texts[pk] = " ".join([*(h for _, h in parents), number, heading, body])
        parents.append((level, f"{number} {heading}"))
    return texts


def section_themes(run_id: int, section_id: int | None) -> int:
    """Stage 2, one section: themes over its campaign representatives. Returns their count."""
    with transaction.atomic(durable=True):
        if not _run_at(run_id, RunStage.THEMES):
            return 0
        return _section_themes(run_id, section_id)


def _bound(run: SynthesisRun) -> int:
    """The last comment the run planned: those that came after wait for the next absorption."""
    found = SynthesisChunk.objects.filter(run=run, stage=RunStage.SIGN).aggregate(
        last=Max("last_id")
    )
    return int(found["last"] or 0)


def _kept_themes(draft_id: int, section_id: int | None) -> dict[int, Theme]:
    """The themes of a section that a run keeps: edited by the office or answered."""
    found = Theme.objects.filter(_theme_in_section(section_id), draft_id=draft_id).filter(
        Q(edited=True) | Q(response__isnull=False)
    )
    return {theme.pk: theme for theme in found}


def _theme_in_section(section_id: int | None) -> Q:
    return Q(section__isnull=True) if section_id is None else Q(section_id=section_id)


def _section_themes(run_id: int, section_id: int | None) -> int:
    """Themes over the section's campaign representatives. A theme the office edited or
    answered survives: the comments it pinned (split off, moved) stay in it, and a theme
    found now that continues it (`pipeline.continued`) goes into it instead of becoming a new
    one; the other themes are new. Returns the count of themes found."""
    run = SynthesisRun.objects.get(pk=run_id)
    if section_id in run.figures.get("sections_done", []):
        return 0  # a message sent twice (a resume): the section is themed already
    kept = _kept_themes(run.draft_id, section_id)
    reps = [
        row
        for row in Comment.objects.filter(
            _in_section(section_id), draft_id=run.draft_id, campaign__isnull=True,
            pk__lte=_bound(run),
        )
        .order_by("pk")
        .values_list("pk", "text", "campaign_size", "stance", "theme", "theme_pinned")
        if not (row[5] and row[4] in kept)
    ]  # fmt: skip
    normalized = [pipeline.normalize(text) for _, text, *_ in reps]
    found = pipeline.themes(normalized)
    targets = pipeline.continued(
        found, [row[4] for row in reps], {pk: theme.terms for pk, theme in kept.items()}
    )
    continuing: dict[int, list[pipeline.FoundTheme]] = {}
    for theme, target in zip(found, targets, strict=True):
        ids = [reps[i][0] for i in theme.members]
        if target is not None:
            continuing.setdefault(target, []).append(theme)
            _theme_assign(ids, target)
            continue
        members = [reps[i] for i in theme.members]
        stances = Counter(row[3] for row in members)
        created = Theme.objects.create(
            draft_id=run.draft_id, section_id=section_id,
            label=(theme.label or _("Ý kiến khác"))[:300], terms=theme.terms,
            size=len(members), weighted_size=sum(row[2] for row in members),
            agree=stances[Stance.AGREE], disagree=stances[Stance.DISAGREE],
            partial=stances[Stance.PARTIAL], representative_id=reps[theme.representative][0],
        )  # fmt: skip
        _theme_assign(ids, created.pk)
    for pk, edited in kept.items():
        parts = sorted(continuing.get(pk, []), key=lambda t: -len(t.members))
        if parts:
            Theme.objects.filter(pk=pk).update(terms=parts[0].terms)
            rep = edited.representative_id
            if rep is None or not Comment.objects.filter(pk=rep, theme_id=pk).exists():
                edited.representative_id = reps[parts[0].representative][0]
        _recount(edited)
    done = [*run.figures.get("sections_done", []), section_id]
    SynthesisRun.objects.filter(pk=run_id).update(
        sections_done=F("sections_done") + 1, progressed_at=timezone.now(),
        figures={**run.figures, "sections_done": done},
    )  # fmt: skip
    if SynthesisRun.objects.filter(pk=run_id, sections_done=F("sections_total")).exists():
        _finish(run)
    return len(found)


def _theme_assign(ids: list[int], theme_id: int) -> None:
    """Put representatives and their campaign copies in a theme: two UPDATEs, each on its own
    index (with `pk IN … OR campaign_id IN …` and 2,000 ids, PostgreSQL scanned the whole
    comment table once per chunk: most of the themes stage's database time)."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        Comment.objects.filter(pk__in=chunk).update(theme_id=theme_id)
        Comment.objects.filter(campaign_id__in=chunk).update(theme_id=theme_id)


def _finish(run: SynthesisRun) -> None:
    finished = SynthesisRun.objects.filter(pk=run.pk, finished_at__isnull=True)
    if finished.update(finished_at=timezone.now(), stage=RunStage.DONE):
        # themes of earlier runs left with no comment go, unless answered; the run keeps its
        # section model for the comments absorbed until the next run, earlier runs drop theirs
        _themes_emptied_remove(run.draft_id)
        PlacementBefore.objects.filter(run=run).delete()
        SynthesisRun.objects.filter(draft_id=run.draft_id).exclude(pk=run.pk).exclude(
            model=None
        ).update(model=None)
        audit_record(None, "synthesis_finish", run, {"finished": [False, True]})


def synthesis_inline(actor: User | None, draft: Draft) -> SynthesisRun:
    """The whole synthesis in this process and transaction, as the demo loads it: the steps
    of the jobs, one after the other."""
    run = SynthesisRun.objects.create(draft=draft)
    audit_record(actor, "synthesis_start", run, {"draft": [None, draft.pk]})
    for chunk in SynthesisChunk.objects.filter(pk__in=_plan(run.pk, RunStage.SIGN)):
        _chunk_work(chunk)
    SynthesisChunk.objects.filter(run=run).update(state=ChunkState.DONE)
    for chunk in SynthesisChunk.objects.filter(pk__in=_merge(run.pk)).select_related("run"):
        _chunk_work(chunk)
    SynthesisChunk.objects.filter(run=run).update(state=ChunkState.DONE)
    for section_id in _sections_wanted(run):
        _section_themes(run.pk, section_id)
    run.refresh_from_db()
    return run


# Absorbing the comments that came after a run ----------------------------------------------

ABSORB_BATCH = 20_000  # comments per absorbing transaction: its memory, whatever the backlog


def comments_absorb_start(actor: User, draft: Draft) -> None:
    """The office asks for the comments that came since the last run to be placed in its
    themes now rather than at the hourly job (`comments_absorb_due`)."""
    check_draft_action(actor, draft, DraftAction.MANAGE)
    if not _last_full_run(draft.pk):
        raise ValidationError(_("Chưa có lượt tổng hợp nào xong: hãy tổng hợp trước."),
                              code=Code.NOT_SYNTHESIZED)  # fmt: skip
    _check_no_run(draft.pk)
    with transaction.atomic(durable=True):
        audit_record(actor, "comments_absorb_start", draft, {"draft": [None, draft.pk]})
        transaction.on_commit(lambda: _enqueue_absorb(draft.pk))


def _enqueue_absorb(draft_id: int) -> None:
    from dondoc.consultation.tasks import comments_absorb_task

    comments_absorb_task.delay(draft_id)


def _last_full_run(draft_id: int) -> SynthesisRun | None:
    return (
        SynthesisRun.objects.filter(draft_id=draft_id, kind=RunKind.FULL, stage=RunStage.DONE)
        .order_by("-finished_at", "-id")
        .first()
    )


def comments_absorb_due() -> dict[int, int]:
    """The hourly job: every synthesized draft with comments not yet absorbed (no signature)
    gets them absorbed; a draft with a run going is left to that run. Returns comments
    absorbed per draft."""
    waiting = Comment.objects.filter(draft=OuterRef("pk"), signature__isnull=True)
    done = SynthesisRun.objects.filter(draft=OuterRef("pk"), kind=RunKind.FULL,
                                       stage=RunStage.DONE)  # fmt: skip
    drafts = Draft.objects.filter(Exists(waiting), Exists(done)).values_list("pk", flat=True)
    return {draft_id: comments_absorb(draft_id) for draft_id in list(drafts)}


def comments_absorb(draft_id: int) -> int:
    """Absorb a draft's new comments, `ABSORB_BATCH` at a time; returns how many."""
    total = 0
    while (count := _absorb_batch(draft_id)) is not None:
        total += count
        if count < ABSORB_BATCH:
            break
    return total


def _absorb_batch(draft_id: int) -> int | None:
    """One batch in one transaction, as an absorbing run: the database's one-active-run rule
    keeps it from running beside a full run (which will place these comments itself) or
    beside another absorption; a crash rolls it back whole. None: nothing done."""
    last = _last_full_run(draft_id)
    if last is None:
        return None
    try:
        with transaction.atomic(durable=True):
            run = SynthesisRun.objects.create(draft_id=draft_id, kind=RunKind.ABSORB,
                                              stage=RunStage.ABSORB)  # fmt: skip
            figures = _absorb(draft_id, last)
            SynthesisRun.objects.filter(pk=run.pk).update(
                stage=RunStage.DONE, finished_at=timezone.now(), figures=figures
            )
            if figures["comments"]:
                audit_record(None, "comments_absorb", run,
                             {"comments": [None, figures["comments"]]})  # fmt: skip
            else:
                run.delete()
    except IntegrityError:
        return None
    return int(figures["comments"])


def _absorb(draft_id: int, last: SynthesisRun) -> dict[str, int]:
    """Sign the new comments; fold exact copies of earlier comments into their campaign and
    near-copies among themselves; place each new representative (the commenter's choice, a
    reference, else the last run's section model) and put it in the nearest theme of its
    section, or in none ("new") when it is close to none. The themes touched are recounted;
    nothing else is recomputed."""
    rows: list[tuple[int, str, int | None]] = list(
        Comment.objects.filter(draft_id=draft_id, signature__isnull=True)
        .order_by("pk")
        .values_list("pk", "text", "chosen_section")[:ABSORB_BATCH]
    )
    if not rows:
        return {"comments": 0}
    normalized = [pipeline.normalize(text) for _, text, _ in rows]
    keys = [pipeline.text_key(text) for text in normalized]
    signed = pipeline.signatures(normalized)
    earlier = _earlier_campaigns(draft_id, keys)
    CommentSignature.objects.bulk_create(
        [CommentSignature(comment_id=pk, text_key=key, minhash=signature)
         for (pk, _, _), key, signature in zip(rows, keys, signed, strict=True)],
        batch_size=BATCH,
    )  # fmt: skip
    campaign = pipeline.campaigns_from(np.array(keys, dtype=np.int64),
                                       pipeline.signature_matrix(signed))  # fmt: skip
    groups: dict[int, list[int]] = {}
    for i, root in enumerate(campaign.tolist()):
        groups.setdefault(root, []).append(i)
    copies: dict[int, list[int]] = {}  # representative -> its new copies
    new_reps: list[int] = []  # indices into rows
    for root, members in groups.items():
        target = next((earlier[keys[i]] for i in members if keys[i] in earlier), None)
        if target is None:
            new_reps.append(root)
            target, members = rows[root][0], [i for i in members if i != root]
        if members:
            copies.setdefault(target, []).extend(rows[i][0] for i in members)
    placed = _absorb_place(draft_id, last, rows, normalized, new_reps)
    touched = _absorb_write(rows, new_reps, placed, copies, groups)
    for theme in Theme.objects.filter(pk__in=touched):
        _recount(theme)
    return {"comments": len(rows), "new_representatives": len(new_reps),
            "copies": sum(len(ids) for ids in copies.values()),
            "unthemed": sum(1 for _, theme in placed.values() if theme is None)}  # fmt: skip


def _earlier_campaigns(draft_id: int, keys: list[int]) -> dict[int, int]:
    """Text key -> the campaign representative of an earlier comment with that text."""
    found: dict[int, int] = {}
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), BATCH):
        rows = (
            CommentSignature.objects.filter(
                text_key__in=wanted[start : start + BATCH], comment__draft_id=draft_id
            )
            .order_by("-comment_id")
            .values_list("text_key", "comment_id", "comment__campaign")
        )
        for key, pk, campaign in rows:  # the earliest last
            found[key] = campaign or pk
    return found


def _absorb_place(
    draft_id: int,
    last: SynthesisRun,
    rows: list[tuple[int, str, int | None]],
    normalized: list[str],
    new_reps: list[int],
) -> dict[int, tuple[int | None, int | None]]:
    """Each new representative's (section, theme)."""
    section: dict[int, int | None] = {i: rows[i][2] for i in new_reps}
    todo = [i for i in new_reps if section[i] is None]
    if todo:
        data = SynthesisRun.objects.filter(pk=last.pk).values_list("model", flat=True).get()
        assigner = (
            pickle.loads(bytes(data))  # noqa: S301 - written by `_merge` only
            if data
            else _assigner(Draft.objects.get(pk=draft_id), _labelled_ids(draft_id))
        )
        for i, found in zip(todo, assigner.assign([normalized[i] for i in todo]), strict=True):
            section[i] = found
    profiles: dict[int | None, dict[int, dict[str, float]]] = {}
    for pk, section_id, terms in Theme.objects.filter(draft_id=draft_id).values_list(
        "pk", "section", "terms"
    ):
        profiles.setdefault(section_id, {})[pk] = terms or {}
    by_section: dict[int | None, list[int]] = {}
    for i in new_reps:
        by_section.setdefault(section[i], []).append(i)
    placed: dict[int, tuple[int | None, int | None]] = {}
    for where, members in by_section.items():
        themes = pipeline.nearest_theme([normalized[i] for i in members],
                                        profiles.get(where, {}))  # fmt: skip
        for i, theme in zip(members, themes, strict=True):
            placed[i] = (where, theme)
    return placed


def _labelled_ids(draft_id: int) -> list[int]:
    return list(
        Comment.objects.filter(draft_id=draft_id, campaign__isnull=True,
                               chosen_section__isnull=False)
        .order_by("pk").values_list("pk", flat=True)
    )  # fmt: skip


def _absorb_write(
    rows: list[tuple[int, str, int | None]],
    new_reps: list[int],
    placed: dict[int, tuple[int | None, int | None]],
    copies: dict[int, list[int]],
    groups: dict[int, list[int]],
) -> set[int]:
    """Write the batch as grouped UPDATEs; returns the themes whose counts changed."""
    size = {rows[i][0]: len(groups[i]) for i in new_reps}
    _update_grouped(_grouped(size), "campaign_size")
    _update_grouped(_grouped({rows[i][0]: placed[i][0] for i in new_reps}), "section_id")
    _update_grouped(_grouped({rows[i][0]: placed[i][1] for i in new_reps}), "theme_id")
    touched = {theme for _, theme in placed.values() if theme is not None}
    new_ids = set(size)
    earlier_targets = [target for target in copies if target not in new_ids]
    where = dict(Comment.objects.filter(pk__in=earlier_targets).values_list("pk", "section")) | {
        rows[i][0]: placed[i][0] for i in new_reps
    }
    theme_of = dict(Comment.objects.filter(pk__in=earlier_targets).values_list("pk", "theme")) | {
        rows[i][0]: placed[i][1] for i in new_reps
    }
    for target, ids in copies.items():
        for start in range(0, len(ids), BATCH):
            Comment.objects.filter(pk__in=ids[start : start + BATCH]).update(
                campaign_id=target, section_id=where[target], theme_id=theme_of[target]
            )
        if target not in new_ids:
            Comment.objects.filter(pk=target).update(campaign_size=F("campaign_size") + len(ids))
        if (theme := theme_of[target]) is not None:
            touched.add(theme)
    return touched


def _grouped(values: dict[int, Any]) -> dict[Any, list[int]]:
    """Ids by the value they get (None values left as they are)."""
    found: dict[Any, list[int]] = {}
    for pk, value in values.items():
        if value is not None:
            found.setdefault(value, []).append(pk)
    return found


# Staff edits of themes ---------------------------------------------------------------------


def theme_rename(actor: User, theme: Theme, label: str) -> Theme:
    """The office names a theme in its own words."""
    check_draft_action(actor, theme.draft, DraftAction.MANAGE)
    label = clean(label).strip()[:300]
    if not label:
        raise _invalid("label", _("Hãy nhập tên chủ đề."), Code.TEXT_REQUIRED)
    _check_no_run(theme.draft_id)
    with transaction.atomic(durable=True):
        before = theme.label
        Theme.objects.filter(pk=theme.pk).update(label=label, edited=True)
        theme.label = label
        audit_record(actor, "theme_rename", theme, {"label": [before, label]})
    return theme


def theme_merge(actor: User, theme: Theme, into: Theme) -> Theme:
    """Move every comment of `theme` into `into` (same draft and section) and remove `theme`;
    an answered theme is not merged away (its response would be lost)."""
    check_draft_action(actor, theme.draft, DraftAction.MANAGE)
    if (
        into.pk == theme.pk
        or into.draft_id != theme.draft_id
        or into.section_id != theme.section_id
    ):
        raise _invalid("into", _("Chỉ gộp được hai chủ đề khác nhau của cùng một phần."),
                       Code.UNKNOWN_THEME)  # fmt: skip
    if Response.objects.filter(theme=theme).exists():
        raise _invalid("into", _("Chủ đề đã có tiếp thu, giải trình: không gộp vào chủ đề khác "
                                 "được."), Code.THEME_ANSWERED)  # fmt: skip
    _check_no_run(theme.draft_id)
    with transaction.atomic(durable=True):
        moved = Comment.objects.filter(theme=theme).update(theme=into)
        audit_record(actor, "theme_merge", into, {"merged": [theme.pk, None],
                     "label_merged": [theme.label, None], "comments": [None, moved]})  # fmt: skip
        theme.delete()
        Theme.objects.filter(pk=into.pk).update(edited=True)
        _recount(into, profile=True)
    return into


def theme_split(actor: User, theme: Theme, comment_ids: Sequence[int], label: str) -> Theme:
    """Move the chosen comments of `theme` (and their campaign copies) into a new theme of the
    same section named `label`."""
    check_draft_action(actor, theme.draft, DraftAction.MANAGE)
    label = clean(label).strip()[:300]
    if not label:
        raise _invalid("label", _("Hãy nhập tên chủ đề mới."), Code.TEXT_REQUIRED)
    chosen = list(
        Comment.objects.filter(
            theme=theme, campaign__isnull=True, pk__in=list(comment_ids)
        ).values_list("pk", flat=True)
    )
    left = Comment.objects.filter(theme=theme, campaign__isnull=True).exclude(pk__in=chosen)
    if not chosen or not left.exists():
        raise _invalid("comments", _("Hãy chọn một số ý kiến (không phải tất cả) để tách thành "
                                     "chủ đề mới."), Code.NOTHING_TO_SPLIT)  # fmt: skip
    _check_no_run(theme.draft_id)
    with transaction.atomic(durable=True):
        created = Theme.objects.create(draft_id=theme.draft_id, section_id=theme.section_id,
                                       label=label, edited=True)  # fmt: skip
        for start in range(0, len(chosen), BATCH):
            part = chosen[start : start + BATCH]
            Comment.objects.filter(Q(pk__in=part) | Q(campaign_id__in=part)).update(theme=created)
            Comment.objects.filter(pk__in=part).update(theme_pinned=True)
        Theme.objects.filter(pk=theme.pk).update(edited=True)
        audit_record(actor, "theme_split", theme, {"split_into": [None, created.pk],
                     "label": [None, label], "comments": [None, len(chosen)]})  # fmt: skip
        _recount(theme, profile=True)
        _recount(created, profile=True)
    return created


def comment_move(actor: User, comment: Comment, into: Theme) -> Comment:
    """Move one comment (with its campaign copies) into another theme of the draft, of its
    section or another; it stays there through later runs (pinned), and so does the theme."""
    check_draft_action(actor, into.draft, DraftAction.MANAGE)
    if comment.draft_id != into.draft_id or comment.campaign_id is not None:
        raise _invalid("into", _("Chỉ chuyển được một ý kiến sang chủ đề khác của cùng dự thảo."),
                       Code.UNKNOWN_THEME)  # fmt: skip
    _check_no_run(into.draft_id)
    before = Theme.objects.filter(pk=comment.theme_id).first() if comment.theme_id else None
    with transaction.atomic(durable=True):
        Comment.objects.filter(Q(pk=comment.pk) | Q(campaign=comment)).update(
            theme=into, section_id=into.section_id
        )
        Comment.objects.filter(pk=comment.pk).update(theme_pinned=True)
        Theme.objects.filter(pk=into.pk).update(edited=True)
        audit_record(actor, "comment_move", comment, {
            "theme": [comment.theme_id, into.pk], "section": [comment.section_id, into.section_id],
        })  # fmt: skip
        if before is not None:
            _recount(before, profile=True)
        _recount(into, profile=True)
    comment.theme, comment.section_id, comment.theme_pinned = into, into.section_id, True
    return comment


def _check_no_run(draft_id: int) -> None:
    """Themes are not edited while a run rewrites them."""
    if SynthesisRun.objects.filter(ACTIVE, draft_id=draft_id).exists():
        raise _run_active()


PROFILE_SAMPLE = 2000  # members read to describe an edited theme


def _recount(theme: Theme, *, profile: bool = False) -> None:
    """A theme's sizes, counts by stance and representative from its comments (and, after an
    edit, its profile, from at most `PROFILE_SAMPLE` of its comments)."""
    reps = Comment.objects.filter(theme=theme, campaign__isnull=True)
    stances = Counter(reps.values_list("stance", flat=True))
    first = reps.order_by("pk").values_list("pk", flat=True).first()
    keep = theme.representative_id is not None and reps.filter(pk=theme.representative_id).exists()
    extra: dict[str, Any] = {}
    if profile:
        texts = reps.order_by("pk").values_list("text", flat=True)[:PROFILE_SAMPLE]
        extra["terms"] = pipeline.profile_of([pipeline.normalize(text) for text in texts])
    Theme.objects.filter(pk=theme.pk).update(
        size=sum(stances.values()), weighted_size=reps.aggregate(n=Sum("campaign_size"))["n"] or 0,
        agree=stances[Stance.AGREE], disagree=stances[Stance.DISAGREE],
        partial=stances[Stance.PARTIAL],
        representative_id=theme.representative_id if keep else first, **extra,
    )  # fmt: skip


# Responses -----------------------------------------------------------------------------------


def theme_respond(
    actor: User,
    theme: Theme,
    kind: str,
    explanation: str,
    revised_section_id: int | None = None,
) -> Response:
    """The drafting team's tiếp thu / tiếp thu một phần / giải trình for one theme."""
    check_draft_action(actor, theme.draft, DraftAction.RESPOND)
    explanation = clean(explanation).strip()
    if kind not in ResponseKind.values:
        raise _invalid("kind", _("Hãy chọn hình thức tiếp thu, giải trình."), Code.TEXT_REQUIRED)
    if not explanation:
        raise _invalid(
            "explanation", _("Hãy nêu nội dung tiếp thu, giải trình."), Code.TEXT_REQUIRED
        )
    revised = _section(theme.draft, revised_section_id)
    with transaction.atomic(durable=True):
        return _respond(actor, theme, kind, explanation, revised)


def _respond(
    actor: User, theme: Theme, kind: str, explanation: str, revised: Section | None
) -> Response:
    before = Response.objects.filter(theme=theme).first()
    response, _created = Response.objects.update_or_create(
        theme=theme,
        defaults={"kind": kind, "explanation": explanation, "revised_section": revised,
                  "answered_by": actor},
    )  # fmt: skip
    audit_record(actor, "theme_respond", theme, {
        "kind": [before.kind if before else None, kind],
        "explanation": [before.explanation if before else None, explanation],
    })  # fmt: skip
    return response
