"""The API of programs (Chương trình công tác và đề án): a thin door over `programs.access`,
`programs.selectors` and `programs.services`. An action the item's access rule refuses by role
answers 403; one its step does not allow now answers 409 with the rule's code."""

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal, ParamSpec

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from dondoc.accounts.models import User
from dondoc.agencies.models import Agency
from dondoc.api.auth import caller
from dondoc.api.schemas import Day, ErrorOut, Id
from dondoc.api.tracking import agencies_by_code
from dondoc.core.xlsx import XLSX_CONTENT_TYPE
from dondoc.programs import adherence, selectors, services
from dondoc.programs.access import (
    ItemAction,
    item_access,
    item_actions,
    items_visible_to,
    program_file_access,
)
from dondoc.programs.models import (
    Body,
    FileKind,
    HandlingOutcome,
    ItemKind,
    ProgramFile,
    ProgramItem,
    ProgramKind,
    WorkProgram,
)
from dondoc.tracking.attachments import content_disposition

router = Router(tags=["programs"])
P = ParamSpec("P")


def errors(*statuses: int) -> dict[int, Any]:
    return dict.fromkeys({401, 422, *statuses}, ErrorOut)


# Schemas ------------------------------------------------------------------------------------


class ProgramOut(Schema):
    id: int
    title: str
    body: str
    kind: str
    year: int = Field(description="Năm (năm đầu của chương trình toàn khóa)")
    end_year: int | None = Field(None, description="Năm cuối của chương trình toàn khóa")
    term_program: int | None = Field(
        None, description="Chương trình năm: chương trình toàn khóa mà nó được lập từ đó"
    )
    items: int = Field(description="Số nội dung người gọi được xem")

    @classmethod
    def of(cls, program: WorkProgram, items: int) -> "ProgramOut":
        return cls(
            id=program.pk, title=program.title, body=program.body, kind=program.kind,
            year=program.year, end_year=program.end_year, term_program=program.term_program_id,
            items=items,
        )  # fmt: skip


class ItemOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    planned_month: int
    planned_year: int | None = Field(
        None, description="Nội dung của chương trình toàn khóa: năm dự kiến trình"
    )
    by_quarter: bool
    lead: str = Field(description="Mã cơ quan chủ trì")

    @classmethod
    def of(cls, item: ProgramItem) -> "ItemOut":
        return cls(
            id=item.pk,
            title=item.title,
            kind=item.kind,
            state=item.state,
            planned_month=item.planned_month,
            planned_year=item.planned_year,
            by_quarter=item.by_quarter,
            lead=item.lead_agency.code,
        )


class ProgramDetailOut(ProgramOut):
    item_list: list[ItemOut]


class InvitationOut(Schema):
    agency: str
    answered_on: dt.date | None
    opinion: str
    late: bool


class RoundOut(Schema):
    number: int
    opened_on: dt.date
    deadline: dt.date
    closed_on: dt.date | None
    invitations: list[InvitationOut]


class FileOut(Schema):
    id: int
    kind: str = Field(description="draft (dự thảo), explanation (giải trình), answer (góp ý)")
    name: str
    size: int
    url: str = Field(description="Tải về: GET /api/v1/programs/files/{id}")

    @classmethod
    def of(cls, kept: ProgramFile) -> "FileOut":
        return cls(
            id=kept.pk, kind=kept.kind, name=kept.original_name, size=kept.size,
            url=f"/api/v1/programs/files/{kept.pk}",
        )  # fmt: skip


class VersionOut(Schema):
    number: int
    created_on: dt.date
    after_appraisal: bool = Field(description="Phiên bản gửi sau khi đã thẩm định")
    changes_note: str = Field(description="Giải trình những vấn đề có sự thay đổi, bổ sung")
    files: list[FileOut]


class HandlingOut(Schema):
    invitation: int
    round: int
    agency: str
    opinion: str
    outcome: str | None = Field(description="accepted, partly, not_accepted; null: chưa xử lý")
    explanation: str
    revision: int = Field(description="Gửi lại khi sửa: 0 khi chưa ghi")
    files: list[FileOut]


class ItemDetailOut(ItemOut):
    program: int
    body: str
    problem: str
    options: str
    resources: str
    roadmap: str
    responsibilities: str
    original_month: int = Field(description="Tháng dự kiến khi đưa vào chương trình")
    original_year: int | None = Field(
        default=None,
        description="Năm dự kiến khi đưa vào chương trình (khác năm hiện nay nếu đã lùi sang "
        "chương trình năm sau, hoặc chuyển năm trong nhiệm kỳ)",
    )
    missing: list[str] = Field(description="Các phần còn thiếu, cần có trước khi thẩm định")
    rounds: list[RoundOut]
    resulting_document: int | None = Field(
        default=None, description="Văn bản ban hành khi thông qua (mã văn bản trong Theo dõi)"
    )
    resulting_tasks: int = Field(default=0, description="Số nhiệm vụ văn bản đó giao")
    term_item: int | None = Field(
        default=None,
        description="Nội dung của chương trình toàn khóa mà nội dung năm này thực hiện",
    )
    carried: list[int] = Field(
        default=[], description="Nội dung toàn khóa: các nội dung năm được đưa vào từ nó"
    )
    responsible_leader: str = Field(default="", description="Lãnh đạo phụ trách")
    working_session: int | None = Field(
        default=None, description="Buổi làm việc chuyên đề (mã trong phần Theo dõi)"
    )
    content_revision: int = Field(
        default=0, description="Lần sửa nội dung: gửi kèm khi sửa, để không ghi đè người khác"
    )
    versions: list[VersionOut] = Field(default=[], description="Các phiên bản, mới nhất trước")
    appraised_version: int | None = Field(default=None, description="Phiên bản đã thẩm định đạt")
    submitted_version: int | None = Field(default=None, description="Phiên bản đã trình")
    handling: list[HandlingOut] = Field(
        default=[], description="Bảng tổng hợp tiếp thu, giải trình ý kiến"
    )
    permissions: list[str] = Field(description="Thao tác người gọi được làm với đề án này")


def _versions_out(versions: selectors.Versions) -> list[VersionOut]:
    return [
        VersionOut(
            number=v.number, created_on=v.created_on, after_appraisal=v.after_appraisal,
            changes_note=v.changes_note, files=[FileOut.of(f) for f in v.files.all()],
        )
        for v in versions.versions
    ]  # fmt: skip


def _handling_out(rows: list[selectors.HandlingRow]) -> list[HandlingOut]:
    return [
        HandlingOut(
            invitation=r.invitation.pk, round=r.round_number, agency=r.invitation.agency.code,
            opinion=r.invitation.opinion, outcome=r.handling.outcome if r.handling else None,
            explanation=r.handling.explanation if r.handling else "",
            revision=r.handling.revision if r.handling else 0,
            files=[FileOut.of(f) for f in r.files],
        )
        for r in rows
    ]  # fmt: skip


def item_detail(user: User, item: ProgramItem) -> ItemDetailOut:
    today = timezone.localdate()
    page = selectors.item_page(user, item, today)
    versions = selectors.item_versions(item)
    rounds = [
        RoundOut(
            number=r.number,
            opened_on=r.opened_on,
            deadline=r.deadline,
            closed_on=r.closed_on,
            invitations=[
                InvitationOut(
                    agency=i.agency.code,
                    answered_on=i.answered_on,
                    opinion=i.opinion,
                    late=selectors.is_late(i, today),
                )
                for i in r.invitations.all()
            ],
        )
        for r in page.rounds
    ]
    return ItemDetailOut(
        **ItemOut.of(item).model_dump(),
        program=item.program_id,
        body=item.program.body,
        problem=item.problem,
        options=item.options,
        resources=item.resources,
        roadmap=item.roadmap,
        responsibilities=item.responsibilities,
        original_month=page.original_month,
        original_year=page.original_year,
        missing=list(page.missing),
        rounds=rounds,
        resulting_document=page.document.pk if page.document else None,
        resulting_tasks=page.document_tasks,
        term_item=item.term_item_id,
        carried=[c.pk for c in page.carried],
        responsible_leader=item.responsible_leader,
        working_session=item.working_session_id,
        content_revision=item.content_revision,
        versions=_versions_out(versions),
        appraised_version=versions.appraised,
        submitted_version=versions.submitted,
        handling=_handling_out(selectors.handling_rows(item)),
        permissions=sorted(str(a) for a in item_actions(user, item, today)),
    )


class ContentIn(Schema):
    problem: str | None = Field(default=None, max_length=20000)
    options: str | None = Field(default=None, max_length=20000)
    resources: str | None = Field(default=None, max_length=20000)
    roadmap: str | None = Field(default=None, max_length=20000)
    responsibilities: str | None = Field(default=None, max_length=20000)
    revision: int | None = Field(
        default=None,
        ge=0,
        description="`content_revision` đã đọc: nếu người khác đã sửa sau đó, 409 "
        "`edited_meanwhile` và không lưu gì",
    )


class VersionIn(ContentIn):
    revision: int = Field(ge=0, description="`content_revision` đã đọc (bắt buộc)")
    changes_note: str = Field(
        max_length=20000, description="Giải trình những vấn đề có sự thay đổi, bổ sung"
    )


class HandlingIn(Schema):
    invitation: int = Field(description="Mã ý kiến (lời mời đã trả lời) trong `handling`")
    outcome: HandlingOutcome
    explanation: str = Field(default="", max_length=20000)
    revision: int = Field(default=0, ge=0, description="`revision` đã đọc; 0 khi chưa ghi")


class DeferIn(Schema):
    to_month: int = Field(ge=1, le=12, description="Tháng dự kiến trình lại")
    to_year: int | None = Field(
        default=None, ge=2000, le=2100, description="Năm sau (chuyển sang chương trình năm sau)"
    )
    reason: str = Field(max_length=20000)


class LinksIn(Schema):
    responsible_leader: str = Field(default="", max_length=200)
    working_session: int | None = Field(default=None, description="Mã buổi làm việc chuyên đề")


class PieceOut(Schema):
    text: str
    changed: bool


class DiffRowOut(Schema):
    tag: str = Field(description="equal, replace, delete, insert")
    left: list[PieceOut]
    right: list[PieceOut]


class SectionDiffOut(Schema):
    field: str
    name: str
    changed: bool
    rows: list[DiffRowOut]


class DiffOut(Schema):
    before: int | None
    after: int | None
    changed: list[str] = Field(description="Các phần có thay đổi")
    explanations: list[VersionOut] = Field(description="Giải trình của các phiên bản giữa hai bản")
    sections: list[SectionDiffOut]


class RoundIn(Schema):
    agencies: list[str] = Field(min_length=1, max_length=500, description="Mã các cơ quan")
    deadline: dt.date


class AnswerIn(Schema):
    opinion: str = Field(max_length=20000)


class AppraisalIn(Schema):
    passed: bool
    content_ok: bool
    procedure_ok: bool
    authority_ok: bool
    reasons: str = Field(default="", max_length=20000)


class ItemIn(Schema):
    title: str = Field(max_length=500)
    kind: ItemKind
    planned_month: int = Field(ge=1, le=12)
    planned_year: int | None = Field(
        None, ge=2000, le=2100, description="Chương trình toàn khóa: năm dự kiến trình (bắt buộc)"
    )
    by_quarter: bool = False
    lead: str = Field(max_length=32, description="Mã cơ quan chủ trì")
    coordinating: list[str] = Field(default=[], max_length=200)


class AdditionIn(ItemIn):
    reason: str = Field(max_length=20000, description="Lý do đề nghị bổ sung")


class RescheduleIn(Schema):
    kind: Literal["postpone", "stretch", "withdraw"] = Field(
        description="Lùi, giãn hoặc rút; bổ sung và chuyển năm có đường riêng"
    )
    to_month: int | None = Field(default=None, ge=1, le=12)
    to_year: int | None = Field(
        default=None,
        ge=2000,
        le=2100,
        description="Năm của tháng mới: năm sau để lùi sang chương trình năm sau",
    )
    reason: str = Field(max_length=20000)


class YearMoveIn(Schema):
    to_year: int = Field(ge=2000, le=2100, description="Năm mới, trong nhiệm kỳ")
    reason: str = Field(max_length=20000)


class RescheduleDecisionIn(Schema):
    approve: bool
    reason: str = Field(default="", max_length=20000)


class AssignmentIn(Schema):
    title: str = Field(min_length=1, max_length=500, description="Nội dung nhiệm vụ")
    lead: str = Field(max_length=32, description="Mã cơ quan chủ trì")
    due_on: dt.date | None = Field(default=None, description="Thời hạn")
    expected_product: str = Field(default="", max_length=300, description="Sản phẩm")
    coordinating: list[str] = Field(default=[], max_length=200)


class OutcomeIn(Schema):
    """The document the body issues on approval, registered in tracking with its tasks in the
    decision's transaction."""

    symbol: str = Field(max_length=64, description="Số, ký hiệu, ví dụ 12-NQ/TW")
    issued_on: dt.date
    title: str = Field(min_length=1, max_length=500, description="Trích yếu")
    issuing_body: str = Field(max_length=32, description="Mã cơ quan ban hành, ví dụ BCT")
    assignments: list[AssignmentIn] = Field(default=[], max_length=500)
    full_text: str = Field(
        default="",
        max_length=100_000,
        description="Toàn văn văn bản: Văn phòng xác nhận các nhiệm vụ hệ thống đọc được từ đó "
        "qua phần nhập có hỗ trợ của Theo dõi",
    )


class ItemDecisionIn(Schema):
    approve: bool
    note: str = Field(default="", max_length=20000)
    document: OutcomeIn | None = Field(default=None, description="Văn bản ban hành khi thông qua")


def _outcome(payload: OutcomeIn | None) -> services.Outcome | None:
    if payload is None:
        return None
    (body,) = agencies_by_code([payload.issuing_body], "document.issuing_body")
    leads = agencies_by_code([a.lead for a in payload.assignments], "document.assignments")
    by_code = {a.code: a for a in leads}
    coordinating = {
        a.code: a
        for a in agencies_by_code(
            [c for a in payload.assignments for c in a.coordinating], "document.assignments"
        )
    }
    assignments = [
        services.Assignment(
            a.title, by_code[a.lead], a.due_on, a.expected_product,
            tuple(coordinating[c] for c in a.coordinating),
        )
        for a in payload.assignments
    ]  # fmt: skip
    return services.Outcome(
        payload.symbol, payload.issued_on, payload.title, body, assignments, payload.full_text
    )


class AdherenceQuery(Schema):
    year: int = Field(ge=2000, le=2100, description="Năm của chương trình")
    from_month: int = Field(1, ge=1, le=12, description="Từ tháng (kế hoạch ban đầu)")
    to_month: int = Field(12, ge=1, le=12, description="Đến tháng")
    body: Body | None = Field(None, description="Chỉ một cơ quan xem xét: ctw, bct, bbt")
    by: Literal["body", "lead", "month"] = Field("body", description="Nhóm theo")
    as_of: Day | None = Field(None, description="Tính đến ngày này; mặc định hôm nay")


class AdherenceRowOut(Schema):
    key: str = Field(description="Mã cơ quan xem xét, mã số cơ quan chủ trì hoặc năm-tháng")
    label: str
    planned: int = Field(description="Số nội dung dự kiến trình trong kỳ")
    on_time: int = Field(description="Trình đúng tháng")
    late: int = Field(description="Trình muộn")
    overdue: int = Field(description="Quá tháng, chưa trình")
    postponed: int = Field(description="Lùi, giãn")
    withdrawn: int = Field(description="Rút")
    pending: int = Field(description="Chưa đến hạn")
    added: int = Field(description="Trong đó: nội dung được bổ sung vào chương trình")
    on_time_share: float | None = Field(description="Đúng hạn (%) trong số đã đến hạn")

    @classmethod
    def of(cls, row: adherence.AdherenceRow) -> "AdherenceRowOut":
        counts = {str(standing): row.counts[standing] for standing in adherence.Standing}
        return cls(
            key=str(row.key), label=row.label, planned=row.planned, added=row.added,
            on_time_share=row.on_time_share, **counts,
        )  # fmt: skip


class AdherenceOut(Schema):
    year: int
    from_month: int
    to_month: int
    as_of: dt.date
    by: str
    rows: list[AdherenceRowOut]
    total: AdherenceRowOut


class DeriveIn(Schema):
    year: int = Field(ge=2000, le=2100, description="Năm của chương trình năm cần lập")


class DerivedOut(Schema):
    program: ProgramOut
    created: bool = Field(description="Chương trình năm được tạo mới (không phải đã có)")
    carried: list[int] = Field(description="Các nội dung năm vừa được đưa vào")


class TermItemOut(ItemOut):
    standing: selectors.TermStanding = Field(
        description="Tình trạng theo nội dung năm: approved, submitted, in_progress, withdrawn, "
        "not_carried"
    )
    year_item: int | None = Field(description="Nội dung tương ứng trong chương trình năm")


class TermYearOut(Schema):
    year: int = Field(description="Năm; 0 ở dòng cả nhiệm kỳ")
    year_program: int | None
    planned: int
    approved: int
    submitted: int
    in_progress: int
    withdrawn: int
    not_carried: int
    done_share: float | None = Field(description="Đã thông qua (%) trong số không rút")

    @classmethod
    def of(cls, row: selectors.TermYear) -> "TermYearOut":
        counts = {str(s): row.counts[s] for s in selectors.TermStanding}
        return cls(
            year=row.year, year_program=row.year_program, planned=row.planned,
            done_share=row.done_share, **counts,
        )  # fmt: skip


class TermProgressOut(Schema):
    program: ProgramOut
    years: list[TermYearOut]
    total: TermYearOut
    item_list: list[TermItemOut]


XLSX_RESPONSE = {
    "responses": {
        "200": {
            "description": "Tệp Excel các nội dung của chương trình người gọi được xem",
            "content": {XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


# Reads --------------------------------------------------------------------------------------


@router.get("", response={200: list[ProgramOut], **errors()}, summary="Các chương trình công tác")
def program_list(request: HttpRequest) -> list[ProgramOut]:
    rows = selectors.programs_with_counts(caller(request))
    return [ProgramOut.of(r.program, r.items) for r in rows]


@router.get(
    "/adherence",
    response={200: AdherenceOut, **errors()},
    summary="Thực hiện chương trình: kế hoạch, đúng hạn, muộn, lùi, rút",
)
def adherence_view(request: HttpRequest, query: Query[AdherenceQuery]) -> AdherenceOut:
    """Of the items the caller sees planned (as first adopted) for the months of `year` from
    `from_month` to `to_month`, their standing as of `as_of`, by body, lead agency or month."""
    day: dt.date = query.as_of or timezone.localdate()
    items = adherence.planned_in_years(items_visible_to(caller(request)), query.year, query.year)
    if query.body:
        items = items.filter(program__body=query.body)
    first, last = sorted((query.from_month, query.to_month))
    facts = adherence.in_period(
        adherence.adherence_facts(items),
        dt.date(query.year, first, 1),
        dt.date(query.year, last, 1),
    )
    rows, total = adherence.adherence_table(facts, day, query.by)
    return AdherenceOut(
        year=query.year, from_month=first, to_month=last, as_of=day, by=query.by,
        rows=[AdherenceRowOut.of(r) for r in rows], total=AdherenceRowOut.of(total),
    )  # fmt: skip


@router.get(
    "/{program_id}/items.xlsx",
    response={**errors(404)},
    summary="Tải về Excel các nội dung của chương trình",
    openapi_extra=XLSX_RESPONSE,
)
def items_export(request: HttpRequest, program_id: Path[Id]) -> HttpResponse:
    """The program's items the caller sees, in the columns the import reads first."""
    from dondoc.programs import xlsx  # openpyxl: loaded by the processes that write a workbook

    program = get_object_or_404(WorkProgram, pk=program_id)
    data = xlsx.items_to_xlsx(
        items_visible_to(caller(request)).filter(program=program), caller(request).clearance
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="chuong-trinh-{program.pk}.xlsx"'
    return response


@router.get("/items/{item_id}", response={200: ItemDetailOut, **errors(404)}, summary="Một đề án")
def item_detail_view(request: HttpRequest, item_id: Path[Id]) -> ItemDetailOut:
    user = caller(request)
    return item_detail(user, item_access(user, item_id))


@router.get(
    "/{program_id}",
    response={200: ProgramDetailOut, **errors(404)},
    summary="Một chương trình, các nội dung theo tháng",
)
def program_detail(request: HttpRequest, program_id: Path[Id]) -> ProgramDetailOut:
    user = caller(request)
    program = get_object_or_404(WorkProgram, pk=program_id)
    months, _counts = selectors.program_calendar(user, program)
    items = [
        _item_out(row)
        for month in months
        for row in month.items
    ]  # fmt: skip
    return ProgramDetailOut(**ProgramOut.of(program, len(items)).model_dump(), item_list=items)


def _item_out(row: selectors.ItemRow) -> ItemOut:
    return ItemOut(
        id=row.pk, title=row.title, kind=row.kind, state=row.state,
        planned_month=row.planned_month, planned_year=row.planned_year,
        by_quarter=bool(row.planned_label), lead=row.lead_code,
    )  # fmt: skip


@router.get(
    "/{program_id}/term-progress",
    response={200: TermProgressOut, **errors(404)},
    summary="Tiến độ chương trình toàn khóa, tổng hợp từ các chương trình năm",
)
def term_progress(request: HttpRequest, program_id: Path[Id]) -> TermProgressOut:
    """The full-term program's items the caller sees, each with the standing of the yearly
    item it was carried into, and the counts per year and for the term."""
    program = get_object_or_404(WorkProgram, pk=program_id, kind=ProgramKind.TERM)
    years, total = selectors.term_progress(caller(request), program)
    items = [
        TermItemOut(**_item_out(t.row).model_dump(), standing=t.standing, year_item=t.year_item)
        for t in total.items
    ]
    return TermProgressOut(
        program=ProgramOut.of(program, len(items)), years=[TermYearOut.of(y) for y in years],
        total=TermYearOut.of(total), item_list=items,
    )  # fmt: skip


@router.post(
    "/{program_id}/year-programs",
    response={201: DerivedOut, **errors(400, 403, 404)},
    summary="Lập chương trình năm từ chương trình toàn khóa (Văn phòng)",
)
def year_program_derive(request: HttpRequest, program_id: Path[Id], payload: DeriveIn) -> Any:
    """Creates the body's program for `year` (or links the one there is) and carries into it
    the full-term items planned for that year not yet carried; again, only the new ones."""
    term = get_object_or_404(WorkProgram, pk=program_id, kind=ProgramKind.TERM)
    derived = services.year_program_derive(caller(request), term, year=payload.year)
    program = derived.program
    items = ProgramItem.objects.filter(program=program).count()
    return Status(
        201,
        DerivedOut(
            program=ProgramOut.of(program, items), created=derived.created,
            carried=[i.pk for i in derived.carried],
        ),
    )  # fmt: skip


@router.post(
    "/{program_id}/items",
    response={201: ItemDetailOut, **errors(400, 403, 404)},
    summary="Thêm nội dung vào chương trình (Văn phòng)",
)
def item_create(request: HttpRequest, program_id: Path[Id], payload: ItemIn) -> Any:
    user = caller(request)
    program = get_object_or_404(WorkProgram, pk=program_id)
    (lead,) = agencies_by_code([payload.lead], "lead")
    item = services.item_create(
        user, program, title=payload.title, kind=payload.kind, planned_month=payload.planned_month,
        by_quarter=payload.by_quarter, lead_agency=lead, planned_year=payload.planned_year,
        coordinating=agencies_by_code(payload.coordinating, "coordinating"),
    )  # fmt: skip
    return Status(201, item_detail(user, item_access(user, item.pk)))


@router.post(
    "/{program_id}/addition-requests",
    response={201: ItemDetailOut, **errors(400, 403, 404)},
    summary="Đề nghị bổ sung nội dung vào chương trình",
)
def item_add_request(request: HttpRequest, program_id: Path[Id], payload: AdditionIn) -> Any:
    """The office, or the agency that will lead it; the item waits (`proposed`) until the
    body's authority decides it through `reschedule-decision`."""
    user = caller(request)
    program = get_object_or_404(WorkProgram, pk=program_id)
    (lead,) = agencies_by_code([payload.lead], "lead")
    item = services.item_add_request(
        user, program, title=payload.title, kind=payload.kind, planned_month=payload.planned_month,
        by_quarter=payload.by_quarter, lead_agency=lead, reason=payload.reason,
        planned_year=payload.planned_year,
        coordinating=agencies_by_code(payload.coordinating, "coordinating"),
    )  # fmt: skip
    return Status(201, item_detail(user, item_access(user, item.pk)))


# Actions ------------------------------------------------------------------------------------

ACTION_ERRORS = errors(400, 403, 404, 409)


def _act(request: HttpRequest, item_id: int, action: ItemAction, run: Callable[..., object]) -> Any:
    user = caller(request)
    item = item_access(user, item_id, action)
    run(user, item)
    item.refresh_from_db()
    return item_detail(user, item)


@router.post(
    "/items/{item_id}/content",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Soạn thảo nội dung",
)
def item_content(request: HttpRequest, item_id: Path[Id], payload: ContentIn) -> Any:
    sections = payload.model_dump(exclude_none=True)
    return _act(
        request,
        item_id,
        ItemAction.EDIT_CONTENT,
        lambda u, i: services.item_edit_content(u, i, **sections),
    )


@router.post(
    "/items/{item_id}/rounds",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Gửi lấy ý kiến",
)
def round_open(request: HttpRequest, item_id: Path[Id], payload: RoundIn) -> Any:
    agencies: list[Agency] = agencies_by_code(payload.agencies, "agencies")
    return _act(
        request,
        item_id,
        ItemAction.OPEN_ROUND,
        lambda u, i: services.round_open(u, i, agencies=agencies, deadline=payload.deadline),
    )


@router.post(
    "/items/{item_id}/rounds/close",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Kết thúc đợt lấy ý kiến",
)
def round_close(request: HttpRequest, item_id: Path[Id]) -> Any:
    return _act(request, item_id, ItemAction.CLOSE_ROUND, services.round_close)


@router.post(
    "/items/{item_id}/answers",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Cơ quan gửi ý kiến",
)
def answer(request: HttpRequest, item_id: Path[Id], payload: AnswerIn) -> Any:
    return _act(
        request,
        item_id,
        ItemAction.ANSWER,
        lambda u, i: services.invitation_answer(u, i, opinion=payload.opinion),
    )


@router.post(
    "/items/{item_id}/appraisal-request",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Gửi thẩm định",
)
def appraisal_request(request: HttpRequest, item_id: Path[Id]) -> Any:
    return _act(request, item_id, ItemAction.SEND_TO_APPRAISAL, services.item_send_to_appraisal)


@router.post(
    "/items/{item_id}/appraisals",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Thẩm định",
)
def appraise(request: HttpRequest, item_id: Path[Id], payload: AppraisalIn) -> Any:
    data = payload.model_dump()
    return _act(
        request,
        item_id,
        ItemAction.APPRAISE,
        lambda u, i: services.appraisal_record(u, i, **data),
    )


@router.post(
    "/items/{item_id}/submission",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Trình đề án",
)
def submit(request: HttpRequest, item_id: Path[Id]) -> Any:
    return _act(request, item_id, ItemAction.SUBMIT, services.item_submit)


@router.post(
    "/items/{item_id}/decision",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Quyết định",
)
def decide(request: HttpRequest, item_id: Path[Id], payload: ItemDecisionIn) -> Any:
    return _act(
        request,
        item_id,
        ItemAction.DECIDE,
        lambda u, i: services.item_decide(
            u, i, approve=payload.approve, note=payload.note, outcome=_outcome(payload.document)
        ),
    )


@router.post(
    "/items/{item_id}/reschedule-requests",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Đề nghị lùi, giãn hoặc rút khỏi chương trình",
)
def reschedule_request(request: HttpRequest, item_id: Path[Id], payload: RescheduleIn) -> Any:
    data = payload.model_dump()
    return _act(
        request,
        item_id,
        ItemAction.REQUEST_RESCHEDULE,
        lambda u, i: services.reschedule_request(u, i, **data),
    )


@router.post(
    "/items/{item_id}/year-move-requests",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Đề nghị chuyển nội dung chương trình toàn khóa sang năm khác",
)
def year_move_request(request: HttpRequest, item_id: Path[Id], payload: YearMoveIn) -> Any:
    data = payload.model_dump()
    return _act(
        request,
        item_id,
        ItemAction.REQUEST_YEAR_MOVE,
        lambda u, i: services.year_move_request(u, i, **data),
    )


@router.post(
    "/items/{item_id}/reschedule-decision",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Quyết định đề nghị điều chỉnh",
)
def reschedule_decide(
    request: HttpRequest, item_id: Path[Id], payload: RescheduleDecisionIn
) -> Any:
    data = payload.model_dump()
    return _act(
        request,
        item_id,
        ItemAction.DECIDE_RESCHEDULE,
        lambda u, i: services.reschedule_decide(u, i, **data),
    )


# Versions, files, comment handling, deferral, links ---------------------------------------------


@router.post(
    "/items/{item_id}/versions",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Gửi phiên bản mới của đề án, giải trình những thay đổi",
)
def version_submit(request: HttpRequest, item_id: Path[Id], payload: VersionIn) -> Any:
    """The sections as they now stand and what changed; `revision` the `content_revision`
    read (409 `edited_meanwhile` if someone saved since: nothing is saved). After appraisal
    the version is marked so and the office sees it beside the appraised one."""
    data = payload.model_dump(exclude_none=True)
    return _act(
        request,
        item_id,
        ItemAction.SUBMIT_VERSION,
        lambda u, i: services.version_submit(u, i, **data),
    )


@router.get(
    "/items/{item_id}/versions/diff",
    response={200: DiffOut, **errors(404)},
    summary="So sánh hai phiên bản của đề án",
)
def versions_diff(
    request: HttpRequest, item_id: Path[Id], a: int | None = None, b: int | None = None
) -> DiffOut:
    """By default the version last appraised beside the latest, else the two latest."""
    item = item_access(caller(request), item_id)
    found = selectors.item_versions(item, a, b)
    return DiffOut(
        before=found.before.number if found.before else None,
        after=found.after.number if found.after else None,
        changed=found.changed,
        explanations=[v for v in _versions_out(found) if v.number in
                      {e.number for e in found.explanations}],
        sections=[
            SectionDiffOut(
                field=d.field, name=d.name, changed=d.changed,
                rows=[
                    DiffRowOut(
                        tag=r.tag,
                        left=[PieceOut(text=p.text, changed=p.changed) for p in r.left],
                        right=[PieceOut(text=p.text, changed=p.changed) for p in r.right],
                    )
                    for r in d.rows
                ],
            )
            for d in found.diff
        ],
    )  # fmt: skip


def _file_errors(run: Callable[[], object]) -> None:
    """A file refused by its content is a 400 on `file`."""
    try:
        run()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"file": error.error_list}) from error


@router.post(
    "/items/{item_id}/files",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Đính kèm dự thảo hoặc báo cáo giải trình (PDF, Word) vào phiên bản mới nhất",
)
def file_attach(
    request: HttpRequest,
    item_id: Path[Id],
    file: File[UploadedFile],
    kind: Form[Literal["draft", "explanation"]],
) -> Any:
    """Checked by its content as tracking's files: 400 `file_type`, `file_empty`,
    `file_too_large`."""
    return _act(
        request,
        item_id,
        ItemAction.ATTACH_FILE,
        lambda u, i: _file_errors(
            lambda: services.file_attach(u, i, kind=FileKind(kind), file=file)
        ),
    )


@router.post(
    "/items/{item_id}/answers/file",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Cơ quan gửi ý kiến kèm văn bản (PDF, Word)",
)
def answer_with_file(
    request: HttpRequest,
    item_id: Path[Id],
    file: File[UploadedFile],
    opinion: Form[str],
) -> Any:
    return _act(
        request,
        item_id,
        ItemAction.ANSWER,
        lambda u, i: _file_errors(
            lambda: services.invitation_answer(u, i, opinion=opinion, file=file)
        ),
    )


@router.get(
    "/files/{file_id}",
    response={**errors(404)},
    summary="Tải tệp của đề án",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Tệp (PDF hoặc Word)",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def file_download(request: HttpRequest, file_id: Path[Id]) -> FileResponse:
    """To whoever sees the proposal (404 otherwise); each download is audited."""
    user = caller(request)
    kept = program_file_access(user, file_id)
    try:
        handle = kept.file.storage.open(kept.file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    services.file_download_record(user, kept)
    response = FileResponse(handle, as_attachment=True, content_type=kept.content_type)
    response["Content-Disposition"] = content_disposition(services.file_download_name(kept))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/items/{item_id}/comment-handling",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Ghi tiếp thu, giải trình một ý kiến",
)
def comment_handle(request: HttpRequest, item_id: Path[Id], payload: HandlingIn) -> Any:
    """`revision` is the row's revision read (0 before the first save): a save by someone
    else since answers 409 `edited_meanwhile`, nothing saved."""
    return _act(
        request,
        item_id,
        ItemAction.HANDLE_COMMENT,
        lambda u, i: services.comment_handle(
            u, i, invitation_id=payload.invitation, outcome=payload.outcome,
            explanation=payload.explanation, revision=payload.revision,
        ),
    )  # fmt: skip


@router.get(
    "/items/{item_id}/handling.xlsx",
    response={**errors(404)},
    summary="Tải về Excel bảng tổng hợp tiếp thu, giải trình ý kiến",
    openapi_extra=XLSX_RESPONSE,
)
def handling_export(request: HttpRequest, item_id: Path[Id]) -> HttpResponse:
    from dondoc.programs import xlsx  # openpyxl: loaded by the processes that write a workbook

    item = item_access(caller(request), item_id)
    response = HttpResponse(xlsx.handling_to_xlsx(item), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tiep-thu-giai-trinh-{item.pk}.xlsx"'
    return response


@router.post(
    "/items/{item_id}/deferral",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Hoãn, chưa xem xét đề án đã trình (lãnh đạo)",
)
def defer(request: HttpRequest, item_id: Path[Id], payload: DeferIn) -> Any:
    return _act(
        request,
        item_id,
        ItemAction.DEFER,
        lambda u, i: services.item_defer(u, i, **payload.model_dump()),
    )


@router.post(
    "/items/{item_id}/links",
    response={200: ItemDetailOut, **ACTION_ERRORS},
    summary="Lãnh đạo phụ trách và buổi làm việc chuyên đề (Văn phòng)",
)
def links_set(request: HttpRequest, item_id: Path[Id], payload: LinksIn) -> Any:
    return _act(
        request,
        item_id,
        ItemAction.EDIT_LINKS,
        lambda u, i: services.item_links_set(
            u, i, responsible_leader=payload.responsible_leader,
            working_session_id=payload.working_session,
        ),
    )  # fmt: skip
