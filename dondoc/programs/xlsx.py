"""A program's items in Excel: the export of what the user sees, and the import of the table the
office keeps (one row per item), all or nothing.

Import (`items_import`): a header row found by its titles in the first rows of the first sheet
that has one (`COLUMNS`), then one item per row. Every row is read and checked, each problem
named by its row and column in Vietnamese ("Dòng 7, cột Loại: …"); then every row goes through
the same service as the form (`services.item_create.step`) inside one transaction, and any
refusal there is reported on its row too. One problem anywhere and nothing is written. A
full-term program's rows also need their year: a "Năm dự kiến trình" column, or the year
written with the time ("3/2027", "Quý II/2027"); a yearly program's rows take its year.

Export (`items_to_xlsx`): the columns the import reads first (so an exported program imports
into another), then the item's step, dates and resulting document. Text that a spreadsheet
would read as a formula is written as quoted text (`core.xlsx`).
"""

import dataclasses
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dondoc.accounts.models import User
from dondoc.agencies.models import Agency
from dondoc.core.text import search_key
from dondoc.core.xlsx import keep_as_text, looks_like_formula, xlsx_text
from dondoc.programs import services
from dondoc.programs.models import ItemKind, ProgramItem, ProgramKind, WorkProgram
from dondoc.programs.selectors import handling_rows, original_month, original_year

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_ERRORS = 500
HEADER_SCAN_ROWS = 20
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    title: str  # as the export writes it and messages name it
    aliases: frozenset[str]  # header texts accepted, as `_key` reduces them
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("title", "Tên đề án, nội dung", frozenset({
        "ten de an noi dung", "ten de an", "noi dung", "ten noi dung", "de an noi dung",
        "ten de an bao cao", "noi dung trinh"}), required=True),
    Column("kind", "Loại", frozenset({"loai", "loai noi dung", "hinh thuc"}), required=True),
    Column("month", "Thời gian dự kiến trình", frozenset({
        "thoi gian du kien trinh", "thang du kien trinh", "thang du kien", "thoi gian trinh",
        "thoi gian du kien", "thang trinh", "thoi gian"}), required=True),
    Column("lead", "Cơ quan chủ trì", frozenset({
        "co quan chu tri", "chu tri", "don vi chu tri", "co quan don vi chu tri"}), required=True),
    Column("coordinating", "Cơ quan phối hợp", frozenset({
        "co quan phoi hop", "phoi hop", "don vi phoi hop"})),
    # A full-term program's items need it (or the year in the time: "3/2027", "Quý II/2027");
    # a yearly program's items take the program's year whatever it says.
    Column("year", "Năm dự kiến trình", frozenset({
        "nam du kien trinh", "nam du kien", "nam trinh", "nam"})),
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it; 0 for the file as a whole
    message: str


@dataclasses.dataclass(frozen=True)
class ImportResult:
    created: int
    errors: list[RowError] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _key(value: Any) -> str:
    """ "Tên đề án, nội dung (*)" -> "ten de an noi dung"."""
    text = re.sub(r"\([^)]*\)", " ", _text(value))
    return " ".join(re.sub(r"[^\w ]", " ", search_key(text)).split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return " ".join(str(value).split())


# Import -----------------------------------------------------------------------------------


class _RowsRefusedError(Exception):
    """Rows the service refused inside the transaction: it rolls back, the errors come out."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors


@dataclasses.dataclass
class _Row:
    number: int
    fields: dict[str, Any]
    year: int | None = None  # the year column
    year_written: bool = False  # something is in the year column (read or refused)
    time_year: int | None = None  # the year written with the time ("3/2027")


def _term_years(program: WorkProgram, rows: list[_Row]) -> list[RowError]:
    """A full-term program's rows each get their year (`planned_year`): the year column, else
    the year written with the time; a row with neither, or two that differ, is named. The
    service checks that the year is one of the term's."""
    if not program.is_term:
        return []
    errors = []
    for row in rows:
        if row.year and row.time_year and row.year != row.time_year:
            errors.append(RowError(row.number, (
                f"Dòng {row.number}: năm {row.year} ở cột Năm dự kiến trình khác năm "
                f"{row.time_year} ở cột Thời gian dự kiến trình."
            )))  # fmt: skip
        elif not (row.year or row.time_year) and not row.year_written:
            errors.append(RowError(row.number, (
                f"Dòng {row.number}, cột Năm dự kiến trình: còn trống; chương trình toàn khóa "
                f"cần năm trình trong nhiệm kỳ (từ {program.year} đến {program.end_year}), ghi "
                "ở cột này hoặc cùng thời gian, ví dụ 3/2027."
            )))  # fmt: skip
        elif row.year or row.time_year:
            row.fields["planned_year"] = row.year or row.time_year
    return errors


class _Agencies:
    """Active agencies by code, short name or full name, without regard to case or tones."""

    def __init__(self) -> None:
        self.active: dict[str, Agency] = {}
        self.ended: dict[str, Agency] = {}
        for agency in Agency.objects.only("id", "code", "short_name", "name", "valid_to"):
            target = self.active if agency.valid_to is None else self.ended
            for name in (agency.code, agency.short_name, agency.name):
                if name:
                    target.setdefault(search_key(name), agency)

    def find(self, text: str) -> Agency:
        """ "TW" or "TƯ" in capitals stands for "Trung ương" ("Ban Tổ chức TƯ")."""
        key = search_key(re.sub(r"\bT[WƯ]\b", "Trung ương", text))
        if key in self.active:
            return self.active[key]
        if key in self.ended:
            ended = self.ended[key]
            raise ValueError(
                f"cơ quan “{ended.name}” đã thôi hoạt động từ {ended.valid_to:%d/%m/%Y}; "
                "hãy ghi cơ quan kế tục."
            )
        raise ValueError(f"không có cơ quan “{text}” (ghi mã, tên viết tắt hoặc tên đầy đủ).")


def _kind(text: str) -> ItemKind:
    with translation.override("vi"):
        kinds = {search_key(str(label)): ItemKind(value) for value, label in ItemKind.choices}
        listed = ", ".join(str(label) for label in ItemKind.labels)
    kind = kinds.get(search_key(text))
    if kind is None:
        raise ValueError(f"“{text}” không phải loại nội dung; ghi một trong: {listed}.")
    return kind


def _month(value: Any) -> tuple[int, bool, int | None]:
    """(month, by quarter, the year if written): 3, "3", "Tháng 3" -> (3, False, None);
    "3/2027" -> (3, False, 2027); "Quý II", "Quý 2", "Q2" -> (6, True, None), the quarter's
    last month; "Quý II/2027" -> (6, True, 2027)."""
    if isinstance(value, dt.date):
        return value.month, False, value.year
    key = search_key(_text(value))
    quarter = re.fullmatch(r"(?:quy|q)\s*(i{1,3}|iv|[1-4])(?:\s*/\s*(\d{4}))?", key)
    if quarter:
        number = ROMAN.get(quarter.group(1)) or int(quarter.group(1))
        return 3 * number, True, _year_of(quarter.group(2))
    month = re.fullmatch(r"(?:thang\s*)?(\d{1,2})(?:\s*/\s*(\d{4}))?", key)
    if month and 1 <= int(month.group(1)) <= 12:
        return int(month.group(1)), False, _year_of(month.group(2))
    raise ValueError(f"“{_text(value)}” không phải tháng (1 đến 12) hay quý (Quý I đến Quý IV).")


def _year_of(text: str | None) -> int | None:
    return int(text) if text else None


def _year(value: Any) -> int:
    text = _text(value)
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(f"“{text}” không phải năm (ghi bốn chữ số, ví dụ 2027).")
    return int(text)


def _read(data: bytes) -> tuple[list[_Row], list[RowError]]:
    """The rows under the header, each cell parsed, and every problem found."""
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        return [], [RowError(0, "Tệp không phải bảng tính Excel (.xlsx).")]
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged workbook: openpyxl raises many kinds
        return [], [RowError(0, "Không đọc được tệp: tệp Excel (.xlsx) không hợp lệ hoặc hỏng.")]
    try:
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue
            found = _sheet(sheet)
            if found is not None:
                return found
    finally:
        book.close()
    titles = ", ".join(c.title for c in COLUMNS if c.required)
    return [], [RowError(0, f"Không tìm thấy dòng tiêu đề có các cột: {titles}.")]


def _sheet(sheet: Any) -> tuple[list[_Row], list[RowError]] | None:
    rows = sheet.iter_rows(values_only=True)
    for number, values in enumerate(rows, start=1):
        if number > HEADER_SCAN_ROWS:
            return None
        keys = [_key(v) for v in values]
        columns = {
            c.name: keys.index(next(k for k in keys if k in c.aliases))
            for c in COLUMNS
            if any(k in c.aliases for k in keys)
        }
        if {c.name for c in COLUMNS if c.required} <= columns.keys():
            return _body(enumerate(rows, start=number + 1), columns)
    return None


def _body(
    rows: Iterable[tuple[int, Sequence[Any]]], columns: dict[str, int]
) -> tuple[list[_Row], list[RowError]]:
    agencies = _Agencies()
    read: list[_Row] = []
    errors: list[RowError] = []
    for number, values in rows:
        cells = {name: values[i] if i < len(values) else None for name, i in columns.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        if len(read) >= MAX_ROWS:
            errors.append(RowError(number, f"Tệp có quá {MAX_ROWS} dòng; hãy chia nhỏ."))
            break
        row = _Row(number, {})
        for column in COLUMNS:
            if column.name not in cells:
                continue
            try:
                _parse(row, column, cells[column.name], agencies)
            except ValueError as problem:
                errors.append(RowError(number, f"Dòng {number}, cột {column.title}: {problem}"))
        read.append(row)
    return read, errors


def _parse(row: _Row, column: Column, value: Any, agencies: _Agencies) -> None:
    text = _text(value)
    if column.required and not text:
        raise ValueError("còn trống.")
    if column.name == "title":
        if len(text) > 500:
            raise ValueError(f"dài {len(text)} ký tự, quá mức 500 ký tự.")
        row.fields["title"] = text
    elif column.name == "kind":
        row.fields["kind"] = _kind(text)
    elif column.name == "month":
        row.fields["planned_month"], row.fields["by_quarter"], row.time_year = _month(value)
    elif column.name == "year" and text:
        row.year_written = True
        row.year = _year(value)
    elif column.name == "lead":
        row.fields["lead_agency"] = agencies.find(text)
    elif column.name == "coordinating":
        parts = [p.strip() for p in re.split(r"[;\n]", str(value or "")) if p.strip()]
        row.fields["coordinating"] = [agencies.find(p) for p in parts]


def items_import(actor: User, program: WorkProgram, file: BinaryIO) -> ImportResult:
    """Add the file's items to `program`, all or none (see the module's note). The caller
    checks that `actor` may add items (the office); the service checks it again."""
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return ImportResult(0, [RowError(0, "Tệp lớn hơn 10 MB; hãy chia thành nhiều tệp.")])
    rows, errors = _read(data)
    errors = sorted([*errors, *_term_years(program, rows)], key=lambda e: e.row)
    if errors:
        return ImportResult(0, _capped(errors))
    if not rows:
        return ImportResult(0, [RowError(0, "Tệp không có dòng nội dung nào.")])
    try:
        created = _write(actor, program, rows)
    except _RowsRefusedError as refused:
        return ImportResult(0, _capped(refused.errors))
    return ImportResult(created)


@transaction.atomic(durable=True)
def _write(actor: User, program: WorkProgram, rows: list[_Row]) -> int:
    errors = []
    for row in rows:
        try:
            with transaction.atomic():  # a refused row leaves nothing, the others go on
                services.item_create.step(actor, program, **row.fields)
        except ValidationError as refused:
            for message in refused.messages:
                errors.append(RowError(row.number, f"Dòng {row.number}: {message}"))
    if errors:
        raise _RowsRefusedError(errors)
    return len(rows)


def _capped(errors: list[RowError]) -> list[RowError]:
    if len(errors) <= MAX_ERRORS:
        return errors
    more = len(errors) - MAX_ERRORS
    return [*errors[:MAX_ERRORS], RowError(0, f"… và {more} lỗi khác.")]


# Export -----------------------------------------------------------------------------------

EXPORT_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    *((c.title, w) for c, w in zip(COLUMNS, (60, 14, 14, 30, 40, 10), strict=True)),
    ("Kế hoạch ban đầu", 12),
    ("Giai đoạn", 22),
    ("Ngày trình", 12),
    ("Ngày quyết định", 12),
    ("Văn bản ban hành", 16),
)
_BOLD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "dd/mm/yyyy"
        return cell
    if not isinstance(value, str):
        return value
    text = xlsx_text(value)
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    cell.alignment = _WRAP
    if looks_like_formula(text):
        keep_as_text(cell)
    return cell


def items_to_xlsx(items: QuerySet[ProgramItem], clearance: int) -> bytes:
    """The items (already scoped to the user), one row each, in Vietnamese as the import
    reads them; a resulting document classified above the reader's `clearance` is not named."""
    with translation.override("vi"):
        return _export(items, clearance)


def _export(items: QuerySet[ProgramItem], clearance: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Chương trình")
    for index, (_title, width) in enumerate(EXPORT_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title, _width in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, title)
        cell.font, cell.fill = _BOLD, _FILL
        header.append(cell)
    sheet.append(header)
    rows = (
        items.select_related("lead_agency", "resulting_document", "program")
        .prefetch_related("coordinating_agencies", "reschedules")
        .order_by("planned_year", "planned_month", "pk")
    )
    for n, item in enumerate(rows, start=1):
        moves = list(item.reschedules.all())
        first = f"Tháng {original_month(item, moves)}"
        year = original_year(item, moves)
        if item.program.kind == ProgramKind.YEAR and year != item.program.year:
            first = f"{first}/{year}"  # postponed into this year's program from an earlier one
        document = item.resulting_document
        if document is not None and document.classification > clearance:
            document = None
        values = [
            n, item.title, item.get_kind_display(), item.planned_label,
            item.lead_agency.name,
            "; ".join(sorted(a.name for a in item.coordinating_agencies.all())),
            item.planned_year or item.program.year, first, item.get_state_display(), item.submitted_on, item.decided_on,
            document.symbol if document else "",
        ]  # fmt: skip
        sheet.append([_cell(sheet, str(v) if hasattr(v, "__html__") else v) for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HANDLING_COLUMNS = (
    ("STT", 6),
    ("Lần lấy ý kiến", 10),
    ("Cơ quan góp ý", 36),
    ("Ngày góp ý", 12),
    ("Nội dung ý kiến", 60),
    ("Tiếp thu", 20),
    ("Giải trình", 60),
    ("Ngày ghi", 12),
)


def handling_to_xlsx(item: ProgramItem) -> bytes:
    """The comment-handling table of a proposal (bảng tổng hợp tiếp thu, giải trình ý kiến):
    each comment received, round by round, with how the lead agency handled it."""
    with translation.override("vi"):
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Tiếp thu, giải trình")
        for index, (_title, width) in enumerate(HANDLING_COLUMNS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A3"
        sheet.append([_cell(sheet, f"Bảng tổng hợp tiếp thu, giải trình ý kiến: {item.title}")])
        header = []
        for title, _width in HANDLING_COLUMNS:
            cell = WriteOnlyCell(sheet, title)
            cell.font, cell.fill = _BOLD, _FILL
            header.append(cell)
        sheet.append(header)
        for n, row in enumerate(handling_rows(item), start=1):
            handling = row.handling
            values = [
                n, row.round_number, row.invitation.agency.name, row.invitation.answered_on,
                row.invitation.opinion,
                str(handling.get_outcome_display()) if handling else "Chưa xử lý",
                handling.explanation if handling else "",
                handling.recorded_on if handling else None,
            ]  # fmt: skip
            sheet.append([_cell(sheet, v) for v in values])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
