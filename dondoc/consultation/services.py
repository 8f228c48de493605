"""Everything that changes consultation data. Each service checks the draft's access rule
first and writes its audit entry in the same transaction (`durable=True`: never nested)."""

import dataclasses
import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
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
    Category,
    Channel,
    Comment,
    CommenterIdentity,
    CommentImport,
    ConsultationRound,
    Draft,
    ImportRejection,
    ImportState,
    Response,
    ResponseKind,
    Section,
    Stance,
    SynthesisRun,
    Theme,
)
from dondoc.consultation.sections import ParsedSection, parse_docx, parse_markdown, reference_keys
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
    parsed = parse_docx(docx) if docx is not None else parse_markdown(text)
    if not parsed:
        raise _invalid("text", _("Không tìm thấy nội dung nào trong dự thảo."), Code.NO_SECTIONS)
    with transaction.atomic(durable=True):
        return _draft_create(actor, title, parsed)


def _draft_create(actor: User, title: str, parsed: Sequence[ParsedSection]) -> Draft:
    draft = Draft.objects.create(title=clean(title).strip()[:300], created_by=actor)
    _sections_create(draft, parsed)
    audit_record(actor, "draft_import", draft, {"title": [None, draft.title],
                                                "sections": [None, len(parsed)]})  # fmt: skip
    return draft


def _sections_create(draft: Draft, parsed: Sequence[ParsedSection]) -> None:
    Section.objects.bulk_create(
        Section(
            draft=draft,
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
    if section_id is None:
        return None
    found = Section.objects.filter(draft=draft, pk=section_id).first()
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
            round=current, draft=draft, chosen_section=section, stance=stance, text=text,
            category=Category.AGENCY, channel=Channel.AGENCY, agency_id=actor.agency_id,
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
            round=found, draft=found.draft, chosen_section=section, stance=stance, text=text,
            category=category, channel=Channel.WEB,
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
        [Comment(round=found, draft_id=found.draft_id, stance=stance, text=clean(text),
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

    @classmethod
    def of(cls, draft: Draft) -> "_Choices":
        def keyed(choices: Any) -> dict[str, str]:
            """By code, by label, and by each part of a label ("Chuyên gia")."""
            found = {value: value for value in choices.values}
            for value, label in choices.choices:
                for part in [str(label), *str(label).split(",")]:
                    found.setdefault(search_key(part), value)
            return found

        numbers = Section.objects.filter(draft=draft).values_list("pk", "number")
        return cls(
            keyed(Stance), keyed(Category), keyed(Channel),
            {key: pk for pk, number in numbers for key in reference_keys(number)},
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
    identities: dict[int, tuple[str, str, str]] = {}
    rejections: list[ImportRejection] = []
    for number, values in batch:
        try:
            comments.append(_import_row(started, number, values, choices))
        except ValidationError as error:
            reason = " ".join(error.messages)
            rejections.append(ImportRejection(source_import=started, row=number, reason=reason))
            continue
        person = (clean(values.get("full_name", "")).strip()[:150],
                  clean(values.get("phone", "")).strip()[:32],
                  clean(values.get("id_number", "")).strip()[:32])  # fmt: skip
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
                                   id_number=number)
                 for row, (name, phone, number) in identities.items() if row in pk_of],
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
    stance = choices.stance.get(search_key(raw), "")
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
    return Comment(round_id=started.round_id, draft_id=started.draft_id, stance=stance, text=text,
                   category=category, channel=channel, chosen_section_id=section,
                   source_import=started, source_row=number)  # fmt: skip


def _choice(known: dict[str, str], raw: str, default: str, message: str) -> str:
    if not raw:
        return default
    value = known.get(search_key(raw)) or known.get(raw)
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


# Synthesis -----------------------------------------------------------------------------------


def synthesis_start(actor: User, draft: Draft) -> SynthesisRun:
    """Start a synthesis of the draft's comments; it runs as background jobs."""
    check_draft_action(actor, draft, DraftAction.MANAGE)
    with transaction.atomic(durable=True):
        run = SynthesisRun.objects.create(draft=draft)
        audit_record(actor, "synthesis_start", run, {"draft": [None, draft.pk]})
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from dondoc.consultation.tasks import synthesis_task  # the task module imports this one

    synthesis_task.delay(run_id)


def synthesis_prepare(run_id: int) -> list[int | None]:
    """Stage 1, over the whole draft: campaigns and section assignment, stored on the
    comments. Returns the sections whose themes are to be found (one job each)."""
    with transaction.atomic(durable=True):
        return _prepare(run_id)


def _prepare(run_id: int) -> list[int | None]:
    run = SynthesisRun.objects.select_related("draft").get(pk=run_id)
    draft = run.draft
    rows = list(Comment.objects.filter(draft=draft).values_list("pk", "text", "chosen_section"))
    sections = list(
        Section.objects.filter(draft=draft)
        .order_by("position")
        .values_list("pk", "number", "heading", "body", "level")
    )
    normalized = [pipeline.normalize(text) for _, text, _ in rows]
    campaign = pipeline.campaigns(normalized)
    sizes = Counter(campaign)
    keys = {key: pk for pk, number, *_ in sections for key in reference_keys(number)}
    texts = leaf_texts(sections)
    reps = [i for i, rep in enumerate(campaign) if rep == i]
    labelled = [(normalized[i], rows[i][2]) for i in reps if rows[i][2] is not None]
    todo = [i for i in reps if rows[i][2] is None]
    assigner = pipeline.SectionAssigner(texts, labelled, keys)
    placed = dict(zip(todo, assigner.assign([normalized[i] for i in todo]), strict=True))
    section_of = {i: rows[i][2] if rows[i][2] is not None else placed[i] for i in reps}
    Theme.objects.filter(draft=draft, response__isnull=True).delete()
    Comment.objects.filter(draft=draft).update(
        campaign=None, campaign_size=1, section=None, theme=None
    )
    pk = [row[0] for row in rows]
    in_section: dict[int, list[int]] = {}
    copies: dict[int, list[int]] = {}
    for i, rep in enumerate(campaign):
        if (where := section_of[rep]) is not None:
            in_section.setdefault(where, []).append(pk[i])
        if rep != i:
            copies.setdefault(pk[rep], []).append(pk[i])
    _update_grouped(in_section, "section_id")
    _update_grouped(copies, "campaign_id")
    by_size: dict[int, list[int]] = {}
    for rep, size in sizes.items():
        if size > 1:
            by_size.setdefault(size, []).append(pk[rep])
    _update_grouped(by_size, "campaign_size")
    wanted = sorted(set(section_of.values()), key=lambda s: (s is None, s or 0))
    SynthesisRun.objects.filter(pk=run_id).update(
        sections_total=len(wanted),
        figures={"comments": len(rows), "campaign_representatives": len(reps),
                 "in_campaigns": sum(n for n in sizes.values() if n > 1)},
    )  # fmt: skip
    audit_record(None, "synthesis_prepare", run, {"comments": [None, len(rows)]})
    return wanted


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
        return _section_themes(run_id, section_id)


def _section_themes(run_id: int, section_id: int | None) -> int:
    run = SynthesisRun.objects.get(pk=run_id)
    reps = list(
        Comment.objects.filter(
            _in_section(section_id), draft_id=run.draft_id, campaign__isnull=True
        )
        .order_by("pk")
        .values_list("pk", "text", "campaign_size", "stance")
    )
    normalized = [pipeline.normalize(text) for _, text, _, _ in reps]
    found = pipeline.themes(normalized)
    for number, theme in enumerate(found, start=1):
        members = [reps[i] for i in theme.members]
        stances = Counter(stance for *_, stance in members)
        label = theme.label or _("Ý kiến khác")
        created = Theme.objects.create(
            draft_id=run.draft_id, section_id=section_id, label=label[:300],
            size=len(members), weighted_size=sum(size for _, _, size, _ in members),
            agree=stances[Stance.AGREE], disagree=stances[Stance.DISAGREE],
            partial=stances[Stance.PARTIAL], representative_id=reps[theme.representative][0],
        )  # fmt: skip
        ids = [pk for pk, *_ in members]
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            Comment.objects.filter(pk__in=chunk).update(theme=created)
            Comment.objects.filter(campaign_id__in=chunk).update(theme=created)
        log.debug("section %s theme %s: %s comments", section_id, number, len(ids))
    SynthesisRun.objects.filter(pk=run_id).update(sections_done=F("sections_done") + 1)
    done = SynthesisRun.objects.filter(pk=run_id, sections_done=F("sections_total"))
    if done.filter(finished_at__isnull=True).update(finished_at=timezone.now()):
        audit_record(None, "synthesis_finish", run, {"finished": [False, True]})
    return len(found)


def synthesis_inline(actor: User | None, draft: Draft) -> SynthesisRun:
    """The whole synthesis in this process and transaction, as the demo loads it: the steps
    of the jobs, one after the other."""
    run = SynthesisRun.objects.create(draft=draft)
    audit_record(actor, "synthesis_start", run, {"draft": [None, draft.pk]})
    for section_id in _prepare(run.pk):
        _section_themes(run.pk, section_id)
    run.refresh_from_db()
    return run


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
