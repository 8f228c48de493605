"""The API of consultation (Lấy ý kiến góp ý dự thảo): a thin door over
`consultation.access`, `consultation.selectors` and `consultation.services`. Aggregates only:
no commenter's identity is ever answered here."""

import datetime
from typing import Any, BinaryIO, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from dondoc.api.auth import caller
from dondoc.api.errors import error_response
from dondoc.api.schemas import DraftText, ErrorOut, Id, Input
from dondoc.consultation import services
from dondoc.consultation.access import (
    DraftAction,
    draft_access,
    draft_actions,
)
from dondoc.consultation.error_codes import ConsultationErrorCode as Code
from dondoc.consultation.models import (
    DraftVersion,
    ResponseKind,
    Section,
    Stance,
    SynthesisRun,
    Theme,
)
from dondoc.consultation.selectors import (
    DiffRow,
    drafts_listed,
    run_going,
    run_progressed_at,
    run_stuck,
    sections_of,
    synthesis_of,
    version_diff,
    versions_of,
)

router = Router(tags=["consultation"])


def errors(*statuses: int) -> dict[int, Any]:
    return dict.fromkeys({401, 422, *statuses}, ErrorOut)


class DraftOut(Schema):
    id: int
    title: str
    version: int
    sections: int


class SectionOut(Schema):
    id: int
    number: str
    heading: str
    level: int
    body: str


class DraftDetailOut(Schema):
    id: int
    title: str
    version: int
    sections: list[SectionOut]
    permissions: list[str]


class CommentIn(Input):
    stance: Stance
    text: str = ""
    section: Id | None = None


class CommentOut(Schema):
    id: int
    stance: str
    section: int | None


class ThemeOut(Schema):
    id: int
    label: str
    comments: int
    distinct: int
    agree: int
    disagree: int
    partial: int
    representative: str
    response: str | None
    response_kind: str | None


class SectionSynthesisOut(Schema):
    section: int | None
    title: str
    comments: int
    distinct: int
    themes: list[ThemeOut]


class ResponseIn(Input):
    kind: ResponseKind
    explanation: str
    revised_section: Id | None = None


class RunOut(Schema):
    id: int
    stage: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    progressed_at: datetime.datetime  # its last step (a stage, a section, a chunk claimed)
    error: str
    stuck: bool


def _run(run: SynthesisRun) -> RunOut:
    return RunOut(id=run.pk, stage=run.stage, started_at=run.started_at,
                  finished_at=run.finished_at, progressed_at=run_progressed_at(run),
                  error=run.error, stuck=run_stuck(run))  # fmt: skip


class ResponseOut(Schema):
    theme: int
    kind: str
    explanation: str


@router.get("/drafts", response={200: list[DraftOut], **errors()}, summary="Các dự thảo")
def draft_list(request: HttpRequest) -> list[DraftOut]:
    return [
        DraftOut(id=d.pk, title=d.title, version=d.version, sections=d.section_count)  # type: ignore[attr-defined]
        for d in drafts_listed(caller(request))[:200]
    ]


@router.get(
    "/drafts/{draft_id}", response={200: DraftDetailOut, **errors(404)}, summary="Một dự thảo"
)
def draft_detail(request: HttpRequest, draft_id: Id) -> DraftDetailOut:
    user = caller(request)
    draft = draft_access(user, draft_id)
    return DraftDetailOut(
        id=draft.pk,
        title=draft.title,
        version=draft.version,
        sections=[
            SectionOut(id=s.pk, number=s.number, heading=s.heading, level=s.level, body=s.body)
            for s in sections_of(draft)
        ],
        permissions=sorted(draft_actions(user, draft, timezone.localdate())),
    )


@router.post(
    "/drafts/{draft_id}/comments",
    response={201: CommentOut, **errors(400, 403, 404, 409)},
    summary="Góp ý của cơ quan",
)
def comment_create(request: HttpRequest, draft_id: Id, body: CommentIn) -> Any:
    user = caller(request)
    draft = draft_access(user, draft_id)
    comment = services.comment_submit(user, draft, body.stance, body.text, body.section)
    return Status(
        201, CommentOut(id=comment.pk, stance=comment.stance, section=comment.chosen_section_id)
    )


@router.get(
    "/drafts/{draft_id}/synthesis",
    response={200: list[SectionSynthesisOut], **errors(403, 404)},
    summary="Tổng hợp ý kiến theo từng phần",
)
def synthesis(request: HttpRequest, draft_id: Id) -> list[SectionSynthesisOut]:
    draft = draft_access(caller(request), draft_id, DraftAction.SYNTHESIS)
    return [
        SectionSynthesisOut(
            section=entry.section.pk if entry.section else None,
            title=str(entry.section) if entry.section else "Ý kiến chung",
            comments=entry.comments,
            distinct=entry.distinct,
            themes=[_theme(theme) for theme in entry.themes],
        )
        for entry in synthesis_of(draft)
    ]


def _theme(theme: Theme) -> ThemeOut:
    response = getattr(theme, "response", None)
    return ThemeOut(
        id=theme.pk, label=theme.label, comments=theme.weighted_size, distinct=theme.size,
        agree=theme.agree, disagree=theme.disagree, partial=theme.partial,
        representative=theme.representative.text if theme.representative else "",
        response=response.explanation if response else None,
        response_kind=response.kind if response else None,
    )  # fmt: skip


@router.post(
    "/themes/{theme_id}/response",
    response={200: ResponseOut, **errors(400, 403, 404, 409)},
    summary="Tiếp thu, giải trình một chủ đề",
)
def theme_response(request: HttpRequest, theme_id: Id, body: ResponseIn) -> Any:
    user = caller(request)
    theme = get_object_or_404(Theme, pk=theme_id)
    draft_access(user, theme.draft_id)
    response = services.theme_respond(
        user, theme, body.kind, body.explanation, body.revised_section
    )
    return ResponseOut(theme=theme.pk, kind=response.kind, explanation=response.explanation)


@router.get(
    "/drafts/{draft_id}/synthesis/run",
    response={200: RunOut | None, **errors(403, 404)},
    summary="Lượt tổng hợp đang chạy (stuck: lâu không tiến triển, có thể đã dừng)",
)
def synthesis_run(request: HttpRequest, draft_id: Id) -> RunOut | None:
    draft = draft_access(caller(request), draft_id, DraftAction.SYNTHESIS)
    going = run_going(draft)
    return _run(going) if going else None


@router.post(
    "/drafts/{draft_id}/synthesis/cancel",
    response={200: RunOut, **errors(403, 404, 409)},
    summary="Hủy lượt tổng hợp đang chạy",
)
def synthesis_cancel(request: HttpRequest, draft_id: Id) -> RunOut:
    user = caller(request)
    draft = draft_access(user, draft_id)
    return _run(services.synthesis_cancel(user, draft))


@router.post(
    "/drafts/{draft_id}/synthesis/resume",
    response={200: RunOut, **errors(403, 404, 409)},
    summary="Chạy tiếp lượt tổng hợp bị dừng (stuck)",
)
def synthesis_resume(request: HttpRequest, draft_id: Id) -> RunOut:
    user = caller(request)
    draft = draft_access(user, draft_id)
    return _run(services.synthesis_resume(user, draft))


# Versions: the revised text imported again, and what changed section by section -----------


class DraftVersionOut(Schema):
    number: int
    imported_by: str
    imported_at: datetime.datetime
    sections: int
    current: bool


class VersionSectionOut(Schema):
    id: int
    version: int
    number: str
    heading: str
    body: str


class DraftPieceOut(Schema):
    op: str = Field(description='"" kept, "+" inserted, "-" deleted')
    text: str


class VersionResponseOut(Schema):
    theme: int
    kind: str
    explanation: str


class DraftSectionDiffOut(Schema):
    change: str = Field(description="added, removed, changed or same")
    title_changed: bool
    old: VersionSectionOut | None
    new: VersionSectionOut | None
    pieces: list[DraftPieceOut] = Field(
        description="word diff of a changed section's title and text"
    )
    comments: int = Field(description="comments made on the old version's section")
    responses: list[VersionResponseOut] = Field(
        description="answers (tiếp thu, giải trình) that point at the new section as revised"
    )


class VersionDiffOut(Schema):
    from_version: int
    to_version: int
    added: int
    removed: int
    changed: int
    same: int
    sections: list[DraftSectionDiffOut]


class DraftVersionIn(Schema):
    text: DraftText = Field("", description="the revised text in Markdown, or send `file`")


class DiffQuery(Schema):
    from_: Id | None = Field(None, alias="from", description="default: the one before `to`")
    to: Id | None = Field(None, description="default: the current version")


def _version(version: DraftVersion, current: int) -> DraftVersionOut:
    return DraftVersionOut(number=version.number, imported_by=str(version.created_by),
                      imported_at=version.created_at, current=version.number == current,
                      sections=version.section_count)  # type: ignore[attr-defined]  # fmt: skip


def _section(section: Section | None) -> VersionSectionOut | None:
    if section is None:
        return None
    return VersionSectionOut(id=section.pk, version=section.version, number=section.number,
                             heading=section.heading, body=section.body)  # fmt: skip


def _diff_row(row: DiffRow) -> DraftSectionDiffOut:
    item = row.item
    return DraftSectionDiffOut(
        change=item.change, title_changed=item.title_changed,
        old=_section(item.old), new=_section(item.new),
        pieces=[DraftPieceOut(op=p.op, text=p.text) for p in item.pieces], comments=row.comments,
        responses=[VersionResponseOut(theme=r.theme_id, kind=r.kind, explanation=r.explanation)
                   for r in row.responses],
    )  # fmt: skip


@router.get(
    "/drafts/{draft_id}/versions",
    response={200: list[DraftVersionOut], **errors(403, 404)},
    summary="Các phiên bản của dự thảo",
)
def version_list(request: HttpRequest, draft_id: Id) -> list[DraftVersionOut]:
    draft = draft_access(caller(request), draft_id, DraftAction.SYNTHESIS)
    return [_version(version, draft.version) for version in versions_of(draft)]


@router.post(
    "/drafts/{draft_id}/versions",
    response={201: DraftVersionOut, **errors(400, 403, 404, 409)},
    summary="Nhập phiên bản mới của dự thảo (Markdown hoặc tệp DOCX)",
)
def version_create(
    request: HttpRequest,
    draft_id: Id,
    form: Form[DraftVersionIn],
    file: File[UploadedFile | None] = None,
) -> Any:
    """The revised text, as `text` (Markdown) or `file` (DOCX) in a multipart form, becomes the
    current version; 409 `run_active` while a synthesis of the draft is going."""
    user = caller(request)
    draft = draft_access(user, draft_id)
    try:
        created = services.draft_version_import(
            user, draft, text=form.text, docx=cast(BinaryIO, file)
        )
    except ValidationError as error:
        if getattr(error, "code", None) == Code.RUN_ACTIVE:
            return error_response(409, Code.RUN_ACTIVE, " ".join(error.messages))
        raise
    created.section_count = Section.objects.filter(draft=draft, version=created.number).count()  # type: ignore[attr-defined]
    return Status(201, _version(created, draft.version))


@router.get(
    "/drafts/{draft_id}/versions/diff",
    response={200: VersionDiffOut, **errors(400, 403, 404)},
    summary="Thay đổi giữa hai phiên bản, theo từng phần",
)
def version_diff_read(
    request: HttpRequest, draft_id: Id, versions: Query[DiffQuery]
) -> VersionDiffOut:
    draft = draft_access(caller(request), draft_id, DraftAction.SYNTHESIS)
    new = versions.to or draft.version
    old = versions.from_ or max(new - 1, 1)
    if max(old, new) > draft.version:
        message = _("Dự thảo chỉ có %(n)d phiên bản.") % {"n": draft.version}
        field = "to" if new > draft.version else "from"
        raise ValidationError({field: ValidationError(message, code=Code.UNKNOWN_VERSION)})
    diff = version_diff(draft, old, new)
    return VersionDiffOut(from_version=old, to_version=new, **diff.counts(),
                          sections=[_diff_row(row) for row in diff.rows])  # fmt: skip
