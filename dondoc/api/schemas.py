"""What goes in and out of the API. Inputs refuse unknown fields; outputs are built from models.

Input schemas check only shape (types, dates, sizes the database cannot hold); the business
rules stay in the services, which answer with a 400 and their own error code.
"""

import datetime as dt
import re
from typing import Annotated, Any, Self

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError

from dondoc.accounts.models import Clearance
from dondoc.tracking.access import TaskAction
from dondoc.tracking.models import (
    DeadlineKind,
    Document,
    DocumentType,
    Priority,
    ProgressReport,
    Task,
    Urgency,
)
from dondoc.tracking.selectors import SORTS
from dondoc.tracking.status import TaskStatus, status_of

MAX_ID = 2**63 - 1  # a bigint primary key
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
MAX_OFFSET = 2**31 - 1
MAX_TEXT = 100_000  # characters in one free-text field (the request body is capped at 2.5 MB)


def _storable(value: str) -> str:
    """Text as a form would pass it on (surrounding spaces stripped) and as both databases can
    store it: no NUL character, no lone UTF-16 surrogate."""
    if "\x00" in value:
        raise ValueError(_("Không được chứa ký tự NUL (\\u0000)."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(_("Chứa ký tự Unicode không hợp lệ.")) from error
    return value.strip()


def _max_length(model: Any, field: str) -> int:
    length: int = model._meta.get_field(field).max_length
    return length


# The document says what _storable refuses, so clients (and the fuzzer) know it too.
NO_NUL = {"pattern": "^[^\\u0000]*$"}
Text = Annotated[
    str, Field(max_length=MAX_TEXT, json_schema_extra=NO_NUL), AfterValidator(_storable)
]
DraftText = Annotated[  # a whole draft's text (Markdown): a law runs to a few hundred pages
    str, Field(max_length=2_000_000, json_schema_extra=NO_NUL), AfterValidator(_storable)
]
Code = Annotated[  # an agency's code
    str, Field(max_length=32, json_schema_extra=NO_NUL), AfterValidator(_storable)
]
SearchText = Annotated[
    str, Field(max_length=200, json_schema_extra=NO_NUL), AfterValidator(_storable)
]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Limit = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day_only(value: object) -> object:
    """A day is written YYYY-MM-DD: a number (`as_of=0`) is not read as 1970-01-01."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        return value
    raise PydanticCustomError("date_parsing", "date must be YYYY-MM-DD")


# Every day the API reads (bodies and query strings): strictly YYYY-MM-DD, else a 422.
Day = Annotated[dt.date, BeforeValidator(_iso_day_only)]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# Shared pieces ------------------------------------------------------------------------------


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = None


class AgencyOut(Schema):
    code: str
    name: str


class DocumentRef(Schema):
    id: int
    symbol: str


def _agency(agency: Any) -> AgencyOut:
    return AgencyOut(code=agency.code, name=agency.name)


def _agency_or_none(agency: Any) -> AgencyOut | None:
    return _agency(agency) if agency is not None else None


# Documents ----------------------------------------------------------------------------------


class DocumentQuery(Schema):
    type: DocumentType | None = None
    strategic: bool | None = None
    q: SearchText = ""
    limit: Limit = DEFAULT_PAGE_SIZE
    offset: Offset = 0


class DocumentOut(Schema):
    id: int
    symbol: str
    doc_type: str
    number: int | None
    issuer_code: str
    issuing_body: AgencyOut
    term: str
    issued_on: dt.date
    title: str
    classification: int
    urgency: str
    is_strategic: bool
    task_count: int = Field(description="Số nhiệm vụ của văn bản mà người gọi được xem")

    @classmethod
    def of(cls, document: Document, **extra: Any) -> Self:
        return cls(
            id=document.pk,
            symbol=document.symbol,
            doc_type=document.doc_type,
            number=document.number,
            issuer_code=document.issuer_code,
            issuing_body=_agency(document.issuing_body),
            term=document.term,
            issued_on=document.issued_on,
            title=document.title,
            classification=document.classification,
            urgency=document.urgency,
            is_strategic=document.is_strategic,
            task_count=getattr(document, "task_count", 0),
            **extra,
        )


class DocumentDetailOut(DocumentOut):
    full_text: str
    version: int = Field(
        description="Gửi lại khi sửa (PATCH) để không ghi đè thay đổi của người khác"
    )

    @classmethod
    def of(cls, document: Document, **extra: Any) -> Self:
        return super().of(document, full_text=document.full_text, version=document.version, **extra)


class DocumentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DocumentOut]


class DocumentIn(Input):
    symbol: Code = Field(description="Số, ký hiệu: 57-NQ/TW, 86/NQ-CP…")
    issuing_body: Code = Field(description="Mã cơ quan ban hành")
    issued_on: Day
    title: Text
    term: Code = ""
    classification: Clearance = Clearance.NORMAL
    urgency: Urgency = Urgency.NORMAL
    is_strategic: bool = False
    full_text: Text = ""


# Tasks --------------------------------------------------------------------------------------


class TaskQuery(Schema):
    status: list[TaskStatus] = Field(
        default=[], description="Lặp lại tham số hoặc phân tách bằng dấu phẩy"
    )
    lead: Code = ""
    coordinator: Code = ""
    document: Id | None = None
    strategic: bool | None = None
    key: bool | None = None
    priority: Priority | None = None
    due_after: Day | None = Field(None, description="Thời hạn (sau gia hạn) từ ngày này")
    due_before: Day | None = Field(None, description="Thời hạn (sau gia hạn) đến ngày này")
    q: SearchText = ""
    sort: str = Field(
        "due_on", description=f"Một trong: {', '.join(SORTS)}", json_schema_extra={"enum": [*SORTS]}
    )
    limit: Limit = DEFAULT_PAGE_SIZE
    offset: Offset = 0
    after: str = Field(
        "", max_length=2000, description="Trang sau: giá trị `next` của trang trước (thay `offset`)"
    )

    @field_validator("status", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            return [part.strip() for item in value for part in str(item).split(",") if part.strip()]
        return value

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        if value not in SORTS:
            raise ValueError(_("Cách sắp xếp phải là một trong: %s.") % ", ".join(SORTS))
        return value


class TaskOut(Schema):
    id: int
    title: str
    document: DocumentRef | None
    lead: AgencyOut
    coordinating: list[AgencyOut]
    responsible_head: str
    deadline_kind: DeadlineKind
    due_on: dt.date | None
    extended_due_on: dt.date | None
    status: TaskStatus = Field(description="Trạng thái tính cho ngày hôm nay")
    progress: int
    is_key: bool
    priority: int
    expected_product: str
    version: int

    @classmethod
    def of(cls, task: Task, today: dt.date, **extra: Any) -> Self:
        """`task` with `lead_agency` and `document` selected, `coordinating_agencies` prefetched."""
        document = task.document
        return cls(
            id=task.pk,
            title=task.title,
            document=DocumentRef(id=document.pk, symbol=document.symbol) if document else None,
            lead=_agency(task.lead_agency),
            coordinating=[_agency(a) for a in task.coordinating_agencies.all()],
            responsible_head=task.responsible_head,
            deadline_kind=DeadlineKind(task.deadline_kind),
            due_on=task.due_on,
            extended_due_on=task.extended_due_on,
            status=status_of(task, today),
            progress=task.progress,
            is_key=task.is_key,
            priority=task.priority,
            expected_product=task.expected_product,
            version=task.version,
            **extra,
        )


class TaskDetailOut(TaskOut):
    description: str
    source_clause: str
    classification: int
    parent_id: int | None
    created_on: dt.date
    last_report_on: dt.date | None
    reported_done_on: dt.date | None
    accepted_on: dt.date | None
    cancelled_on: dt.date | None
    permissions: list[str] = Field(description="Thao tác người gọi được làm với nhiệm vụ này")

    @classmethod
    def of(  # type: ignore[override]
        cls, task: Task, today: dt.date, permissions: frozenset[TaskAction] = frozenset()
    ) -> Self:
        return super().of(
            task,
            today,
            description=task.description,
            source_clause=task.source_clause,
            classification=task.classification,
            parent_id=task.parent_id,
            created_on=task.created_on,
            last_report_on=task.last_report_on,
            reported_done_on=task.reported_done_on,
            accepted_on=task.accepted_on,
            cancelled_on=task.cancelled_on,
            permissions=sorted(str(action) for action in permissions),
        )


class TaskPage(Schema):
    count: int
    limit: int
    offset: int
    next: str = Field("", description="Con trỏ của trang sau (tham số `after`); rỗng ở trang cuối")
    items: list[TaskOut]


class TaskIn(Input):
    title: Text
    lead: Code = Field(description="Mã cơ quan chủ trì")
    coordinating: list[Code] = Field(
        default=[], max_length=200, description="Mã các cơ quan phối hợp"
    )
    document: Id | None = None
    parent: Id | None = None
    description: Text = ""
    expected_product: Text = ""
    source_clause: Text = ""
    responsible_head: Text = ""
    deadline_kind: DeadlineKind = DeadlineKind.DATE
    due_on: Day | None = None
    priority: Priority = Priority.NORMAL
    is_key: bool = False
    classification: Clearance | None = Field(
        None, description="Mặc định: độ mật của văn bản giao nhiệm vụ"
    )
    created_on: Day | None = Field(None, description="Ngày giao; mặc định hôm nay")


NULLABLE_ON_PATCH = frozenset({"due_on", "parent"})


def _null_only_where_allowed_in_schema(schema: dict[str, Any], *_model: Any) -> None:
    """The document says what the validator says: `null` only for NULLABLE_ON_PATCH."""
    _drop_null(schema, NULLABLE_ON_PATCH)


def _no_null_in_schema(schema: dict[str, Any], *_model: Any) -> None:
    _drop_null(schema, frozenset())


def _drop_null(schema: dict[str, Any], nullable: frozenset[str]) -> None:
    for name, prop in schema.get("properties", {}).items():
        branches = prop.get("anyOf")
        if name in nullable or not branches:
            continue
        kept = [branch for branch in branches if branch.get("type") != "null"]
        if len(kept) == 1:
            del prop["anyOf"]
            prop.update(kept[0])


class TaskPatch(Input):
    """Only the fields sent are changed; `version` is the one the client last read."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_null_only_where_allowed_in_schema)

    version: int = Field(ge=1, le=2**31 - 1)
    title: Text | None = None
    lead: Code | None = None
    coordinating: list[Code] | None = Field(None, max_length=200)
    parent: Id | None = None
    description: Text | None = None
    expected_product: Text | None = None
    source_clause: Text | None = None
    responsible_head: Text | None = None
    deadline_kind: DeadlineKind | None = None
    due_on: Day | None = None
    priority: Priority | None = None
    is_key: bool | None = None
    classification: Clearance | None = None

    @model_validator(mode="after")
    def _null_only_where_allowed(self) -> "TaskPatch":
        for name in self.model_fields_set - NULLABLE_ON_PATCH:
            if getattr(self, name) is None:
                raise ValueError(_("Trường “%s” không được để trống (null).") % name)
        return self


class DocumentPatch(Input):
    """Only the fields sent are changed; `version` is the one the client last read."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_no_null_in_schema)

    version: int = Field(ge=1, le=2**31 - 1)
    symbol: Code | None = None
    issuing_body: Code | None = None
    issued_on: Day | None = None
    title: Text | None = None
    term: Code | None = None
    classification: Clearance | None = None
    urgency: Urgency | None = None
    is_strategic: bool | None = None
    full_text: Text | None = None

    @model_validator(mode="after")
    def _no_null(self) -> "DocumentPatch":
        for name in self.model_fields_set:
            if getattr(self, name) is None:
                raise ValueError(_("Trường “%s” không được để trống (null).") % name)
        return self


# Reports, extensions, obstacles -------------------------------------------------------------


class ReportIn(Input):
    percent: int = Field(description="Từ 0 đến 100; báo cáo hoàn thành luôn là 100")
    narrative: Text
    is_final: bool = False
    product: Annotated[Text, Field(max_length=_max_length(ProgressReport, "product"))] = ""
    period: Annotated[Text, Field(max_length=_max_length(ProgressReport, "period"))] = ""


class ReportOut(Schema):
    id: int
    task_id: int
    agency: AgencyOut | None
    reported_on: dt.date
    period: str
    percent: int
    narrative: str
    is_final: bool
    product: str


class ExtensionIn(Input):
    requested_due_on: Day
    reason: Text


class ExtensionOut(Schema):
    id: int
    task_id: int
    requested_on: dt.date
    previous_due_on: dt.date
    requested_due_on: dt.date
    reason: str
    decision: str


class ObstacleIn(Input):
    text: Text
    proposal: Text = ""
    beyond_authority: bool = Field(False, description="Vượt thẩm quyền Văn phòng: báo cáo lãnh đạo")


class ObstacleOut(Schema):
    id: int
    task_id: int
    agency: AgencyOut | None
    raised_on: dt.date
    text: str
    proposal: str
    level: str


# Assisted entry -----------------------------------------------------------------------------


class ExtractIn(Input):
    text: Annotated[Text, Field(min_length=1)]
    issued_on: Day | None = Field(
        None, description="Ngày văn bản; không có thì hạn không ghi năm chưa xác định được"
    )


class DeadlineOut(Schema):
    kind: str
    due_on: dt.date | None
    text: str


class ProposedTaskOut(Schema):
    sentence: str
    title: str
    lead: AgencyOut | None
    coordinating: list[AgencyOut]
    deadline: DeadlineOut | None
    lead_text: str = Field("", description="Chủ trì như văn bản viết (khi chưa nhận ra cơ quan)")
    leads: list[str] = Field(
        default_factory=list, description="Mọi cơ quan được giao cùng lúc (tách thành từng việc)"
    )
    coordinating_text: list[str] = Field(
        default_factory=list,
        description="Cơ quan phối hợp chưa có trong danh mục, như văn bản viết",
    )
    span: tuple[int, int] = Field(
        description="Vị trí (đầu, cuối) của đề xuất trong văn bản dán vào"
    )
    confidence: float = Field(ge=0, le=1, description="Độ tin cậy của cơ quan chủ trì (0-1)")
    products: list[str] = Field(
        default_factory=list,
        description="Sản phẩm đầu ra văn bản nêu, theo thứ tự (báo cáo, đề án, nghị định...)",
    )


class ExtractOut(Schema):
    tasks: list[ProposedTaskOut]


class AgencyAliasIn(Input):
    text: Annotated[Text, Field(min_length=1, max_length=255)]
    agency: str = Field(description="Mã cơ quan mà tên gọi này chỉ")


class AgencyAliasOut(Schema):
    text: str
    agency: AgencyOut


# Statistics ---------------------------------------------------------------------------------


class AgencyCountsOut(Schema):
    code: str
    name: str
    counts: dict[str, int]
    overdue_share: float


class OverviewOut(Schema):
    as_of: dt.date
    counts: dict[str, int] = Field(description="Số nhiệm vụ theo trạng thái, và `total`")
    overdue_share: float = Field(description="quá hạn / (tổng - đã hủy), từ 0 đến 1")
    by_lead_agency: list[AgencyCountsOut]


class OverviewQuery(Schema):
    as_of: Day | None = Field(None, description="Tính trạng thái cho ngày này; mặc định hôm nay")
