"""Tasks in Excel: the export of any task list, the import of the table offices already keep,
and the blank template for that table.

Export (`tasks_to_xlsx`): one sheet, one row per task, streamed — rows are read in chunks of
`EXPORT_CHUNK_SIZE` (coordinating agencies fetched once per chunk) and written by openpyxl's
write-only mode, so memory does not grow with the number of tasks.

Import (`import_tasks`): one row per task under a header row found by its titles (see
`COLUMNS`). Every row is checked before anything is written; one error anywhere and nothing is
written, and every error comes back, numbered by the row as Excel shows it. A valid file is
written in one transaction. See docs/import-export.md for the rules and measured speed.
"""

import contextlib
import datetime as dt
import difflib
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import WorkSheetParser

from dondoc.agencies.models import Agency
from dondoc.core.dates import month_end, quarter_end, quarter_of
from dondoc.core.text import normalize, search_key
from dondoc.core.xlsx import XLSX_CONTENT_TYPE, keep_as_text, looks_like_formula, xlsx_text
from dondoc.tracking import services
from dondoc.tracking.access import documents_visible_to
from dondoc.tracking.models import Coordination, DeadlineKind, Task, TaskSource
from dondoc.tracking.status import status_of
from dondoc.tracking.symbols import parse_symbol

__all__ = [
    "COLUMNS", "EXPORT_COLUMNS", "MAX_UPLOAD_BYTES", "XLSX_CONTENT_TYPE", "ImportResult",
    "RowError", "import_tasks", "tasks_to_xlsx", "template_xlsx",
]  # fmt: skip

SHEET_TITLE = "Nhiệm vụ"
DATE_FORMAT = "dd/mm/yyyy"

EXPORT_CHUNK_SIZE = 2000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024  # a 20 MB xlsx of plain text unpacks to about 150 MB
MAX_ERRORS = 1000
HEADER_SCAN_ROWS = 30

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")


# =============================================================================================
# Export


EXPORT_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Số ký hiệu văn bản", 16),
    ("Điều khoản", 14),
    ("Nhiệm vụ", 60),
    ("Cơ quan chủ trì", 28),
    ("Cơ quan phối hợp", 36),
    ("Thời hạn", 22),
    ("Thời hạn gia hạn", 13),
    ("Tình trạng", 26),
    ("Tiến độ (%)", 9),
    ("Sản phẩm đầu ra", 32),
    ("Trọng tâm", 9),
    ("Ngày báo cáo gần nhất", 13),
)
_WRAPPED_EXPORT_COLUMNS = frozenset({"Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                                     "Sản phẩm đầu ra"})  # fmt: skip
_ROMAN_QUARTERS = ("I", "II", "III", "IV")


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def tasks_to_xlsx(tasks: QuerySet[Task], *, today: dt.date | None = None) -> bytes:
    """The tasks (already scoped to the user and filtered, not sliced) as an XLSX workbook.

    The deadline cell is a real date. Its display says the kind of deadline: "15/12/2025",
    "Tháng 12/2025", "Quý I/2026", "Hằng tháng, 31/01/2026", "Hằng quý, 31/03/2026"; an
    ongoing task reads "Thường xuyên". The status is derived as of `today`.
    """
    today = today or timezone.localdate()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, (_title, width) in enumerate(EXPORT_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.append([_header_cell(sheet, title) for title, _width in EXPORT_COLUMNS])
    count = 0
    for count, (task, coordinators) in enumerate(_export_rows(tasks), 1):
        sheet.append(_export_row(sheet, count, task, coordinators, today))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(EXPORT_COLUMNS))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(slots=True)
class _Exported:
    """What the export reads of a task (values, not model instances: three times cheaper)."""

    pk: int
    symbol: str | None
    source_clause: str
    title: str
    lead: str
    deadline_kind: str
    due_on: dt.date | None
    extended_due_on: dt.date | None
    reported_done_on: dt.date | None
    accepted_on: dt.date | None
    cancelled_on: dt.date | None
    progress: int
    expected_product: str
    is_key: bool
    last_report_on: dt.date | None


_EXPORTED_FIELDS = (
    "pk", "document__symbol", "source_clause", "title", "lead_agency__name", "deadline_kind",
    "due_on", "extended_due_on", "reported_done_on", "accepted_on", "cancelled_on", "progress",
    "expected_product", "is_key", "last_report_on",
)  # fmt: skip


def _export_rows(tasks: QuerySet[Task]) -> Iterator[tuple[_Exported, list[str]]]:
    """Each task with its coordinating agencies' names: one query for the tasks, read in chunks
    of `EXPORT_CHUNK_SIZE`, and one for the coordinators of each chunk."""
    rows = tasks.prefetch_related(None).values_list(*_EXPORTED_FIELDS)
    for chunk in _batched(rows.iterator(chunk_size=EXPORT_CHUNK_SIZE), EXPORT_CHUNK_SIZE):
        coordinators: dict[int, list[str]] = {row[0]: [] for row in chunk}
        names = (
            Coordination.objects.filter(task_id__in=coordinators)
            .order_by("agency__sort_text", "agency_id")
            .values_list("task_id", "agency__name")
        )
        for task_id, name in names:
            coordinators[task_id].append(name)
        for row in chunk:
            yield _Exported(*row), coordinators[row[0]]


def _export_row(
    sheet: Any, number: int, task: _Exported, coordinators: list[str], today: dt.date
) -> list[Any]:
    values: list[Any] = [
        number,
        task.symbol or "",
        task.source_clause,
        task.title,
        task.lead,
        "; ".join(coordinators),
        _deadline_cell(sheet, task),
        _date_cell(sheet, task.extended_due_on),
        str(status_of(task, today).label),
        task.progress,
        task.expected_product,
        "x" if task.is_key else "",
        _date_cell(sheet, task.last_report_on),
    ]
    for index, (title, _width) in enumerate(EXPORT_COLUMNS):
        if isinstance(values[index], str):
            values[index] = _text_cell(sheet, values[index], wrap=title in _WRAPPED_EXPORT_COLUMNS)
    return values


def _header_cell(sheet: Any, title: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, title)
    cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _HEADER_ALIGNMENT
    return cell


def _text_cell(sheet: Any, text: str, *, wrap: bool = False) -> Any:
    """Text as text: cleaned of what XML refuses, and kept from becoming a formula
    (`core.xlsx`)."""
    text = xlsx_text(text)
    formula_like = looks_like_formula(text)
    if not text or not (wrap or formula_like):
        return text or None
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    if wrap:
        cell.alignment = _WRAP
    if formula_like:
        keep_as_text(cell)
    return cell


def _date_cell(sheet: Any, day: dt.date | None, number_format: str = DATE_FORMAT) -> Any:
    if day is None:
        return None
    cell = WriteOnlyCell(sheet, day)
    cell.number_format = number_format
    return cell


def _deadline_cell(sheet: Any, task: _Exported) -> Any:
    due = task.due_on
    if task.deadline_kind == DeadlineKind.ONGOING or due is None:
        return "Thường xuyên"
    formats = {
        DeadlineKind.MONTH: '"Tháng "mm/yyyy',
        DeadlineKind.QUARTER: f'"Quý {_ROMAN_QUARTERS[(due.month - 1) // 3]}/"yyyy',
        DeadlineKind.MONTHLY: '"Hằng tháng, "dd/mm/yyyy',
        DeadlineKind.QUARTERLY: '"Hằng quý, "dd/mm/yyyy',
    }
    return _date_cell(sheet, due, formats.get(DeadlineKind(task.deadline_kind), DATE_FORMAT))


# =============================================================================================
# Import: results


@dataclass(frozen=True)
class RowError:
    """One problem: `row` as Excel numbers it (0 for the file as a whole), the column's title,
    and the full Vietnamese message, which repeats both ("Dòng 7, cột Thời hạn: …")."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImportResult:
    """`warnings`: rows that repeat an earlier row. Unless the import allowed them, nothing is
    written while there are any, so that the specialist confirms or fixes the file."""

    created: int
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class Upload(Protocol):
    """What `import_tasks` reads: an open binary file, a Django upload, …"""

    def read(self, size: int = ..., /) -> bytes: ...


# =============================================================================================
# Import: the columns


@dataclass(frozen=True)
class Column:
    name: str  # the field it feeds
    title: str  # as the template writes it and as messages name it
    aliases: frozenset[str]  # header texts accepted, as `_header_key` reduces them
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("document", "Số ký hiệu văn bản", frozenset({
        "so ky hieu van ban", "so ky hieu", "so hieu van ban", "ky hieu van ban", "so van ban",
        "van ban"}), required=True),
    Column("clause", "Điều khoản", frozenset({
        "dieu khoan", "dieu khoan muc", "dieu muc", "khoan muc", "muc"})),
    Column("content", "Nội dung nhiệm vụ", frozenset({
        "noi dung nhiem vu", "nhiem vu", "noi dung", "ten nhiem vu"}), required=True),
    Column("lead", "Cơ quan chủ trì", frozenset({
        "co quan chu tri", "chu tri", "don vi chu tri", "co quan don vi chu tri"}), required=True),
    Column("coordinators", "Cơ quan phối hợp", frozenset({
        "co quan phoi hop", "phoi hop", "don vi phoi hop", "co quan don vi phoi hop"})),
    Column("deadline", "Thời hạn", frozenset({
        "thoi han", "thoi han hoan thanh", "thoi gian hoan thanh"}), required=True),
    Column("product", "Sản phẩm", frozenset({
        "san pham", "san pham dau ra", "ket qua san pham"})),
    Column("note", "Ghi chú", frozenset({"ghi chu"})),
    Column("key", "Trọng tâm", frozenset({"trong tam", "nhiem vu trong tam"})),
)  # fmt: skip
_FIELDS = {column.name: index for index, column in enumerate(COLUMNS)}
_TITLES = {column.name: column.title for column in COLUMNS}
EXAMPLE_MARK = "(Ví dụ - xóa dòng này)"


def _header_key(value: Any) -> str:
    """ "Số, ký hiệu văn bản (*)" -> "so ky hieu van ban"."""
    text = re.sub(r"\([^)]*\)", " ", _cell_text(value))
    return " ".join(re.sub(r"[^\w ]", " ", search_key(text)).split())


# =============================================================================================
# Import: entry point


def import_tasks(
    file: BinaryIO | Path | Upload,
    actor: Any,
    *,
    today: dt.date | None = None,
    allow_duplicates: bool = False,
) -> ImportResult:
    """Create the tasks of an XLSX table, all or none, through `services.tasks_create_many`.

    Every row is read and checked first; if any is wrong nothing is written and every problem
    comes back (at most `MAX_ERRORS`, then one "và N lỗi khác"). Rows that repeat an earlier
    one come back as warnings and stop the import unless `allow_duplicates`. A file already
    imported (the same bytes) raises `services.DuplicateSubmissionError`. Documents are looked
    up among those `actor` may see. The caller checks that `actor` may assign tasks.
    """
    today = today or timezone.localdate()
    data, failure = _read_upload(file)
    if failure:
        return ImportResult(0, [RowError(0, "Tệp", failure)])
    try:
        table = _read_table(data)
    except _FileError as problem:
        return ImportResult(0, [RowError(0, "Tệp", str(problem))])
    if isinstance(table, RowError):
        return ImportResult(0, [table])
    checker = _Checker(actor, today, table.rows.values())
    rows: list[services.NewTask] = []
    for number in list(table.rows):  # each raw row is dropped once checked: half the memory
        if row := checker.check(number, table.rows.pop(number)):
            rows.append(row)
    if checker.errors.items:
        checker.errors.add_problems(services.tasks_check(actor, rows))
        return ImportResult(0, checker.errors.result())
    if not rows:
        return ImportResult(0, [RowError(0, "Tệp", "Tệp không có dòng nhiệm vụ nào.")])
    warnings = _duplicate_warnings(rows)
    if warnings and not allow_duplicates:
        return ImportResult(0, [], warnings)
    return _write(rows, actor, data, _file_name(file), warnings)


def _write(
    rows: list[services.NewTask], actor: Any, data: bytes, name: str, warnings: list[RowError]
) -> ImportResult:
    key = "xlsx:" + hashlib.sha256(data).hexdigest()
    try:
        tasks = services.tasks_create_many(
            actor, rows, source=TaskSource.IMPORT, key=key, file_name=name
        )
    except services.TaskRowsError as refused:
        errors = _Errors()
        errors.add_problems(refused.problems)
        return ImportResult(0, errors.result())
    return ImportResult(len(tasks), [], warnings)


def _duplicate_warnings(rows: list[services.NewTask]) -> list[RowError]:
    return [
        RowError(
            row,
            "",
            f"Dòng {row} trùng với dòng {first} (cùng văn bản, nội dung nhiệm vụ và cơ quan "
            "chủ trì); kiểm tra lại hoặc xác nhận vẫn nhập.",
        )
        for row, first in services.tasks_duplicates(rows)
    ]


# =============================================================================================
# Import: reading the file


class _FileError(Exception):
    """The upload is not a workbook we can read; the message is for the user."""


def _file_name(file: Any) -> str:
    name = file.name if isinstance(file, Path) else getattr(file, "name", "") or ""
    return Path(str(name)).name


def _read_upload(file: BinaryIO | Path | Upload) -> tuple[bytes, str]:
    too_big = (
        f"Tệp lớn hơn {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; hãy chia thành nhiều tệp nhỏ hơn."
    )
    if isinstance(file, Path):
        if file.stat().st_size > MAX_UPLOAD_BYTES:
            return b"", too_big
        return file.read_bytes(), ""
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > MAX_UPLOAD_BYTES:
        return b"", too_big
    seek = getattr(file, "seek", None)
    if seek is not None:
        seek(0)
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return b"", too_big
    return data, ""


def _check_container(data: bytes) -> None:
    not_xlsx = (
        "Tệp không phải bảng tính Excel (.xlsx). Hãy mở tệp bằng Excel và lưu lại dạng .xlsx."
    )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _FileError(
            "Tệp là bảng tính Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu. Hãy bỏ mật "
            "khẩu (nếu có), mở tệp bằng Excel và lưu lại dạng .xlsx."
        )
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise _FileError(not_xlsx)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
            raise _FileError(
                "Tệp là bảng tính OpenDocument (.ods). Hãy lưu lại dạng Excel (.xlsx)."
            )
        if "xl/workbook.xml" not in names:
            raise _FileError(not_xlsx)
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise _FileError("Nội dung tệp quá lớn sau khi giải nén; hãy chia thành nhiều tệp.")


@dataclass
class _Table:
    header_row: int
    rows: dict[int, list[Any]]  # Excel row number -> one value per entry of COLUMNS


def _read_table(data: bytes) -> "_Table | RowError":
    _check_container(data)
    broken = "Không đọc được tệp: tệp không phải bảng tính Excel (.xlsx) hợp lệ hoặc đã bị hỏng."
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as problem:
        raise _FileError(broken) from problem
    problems: list[RowError] = []
    try:
        active = workbook.active
        for sheet in [active, *(s for s in workbook.worksheets if s is not active)]:
            if not hasattr(sheet, "_get_source"):
                continue  # a chart sheet, or no active sheet
            table = _read_sheet(workbook, sheet)
            if isinstance(table, _Table):
                return table
            problems.append(table)
    except Exception as problem:  # damaged sheet XML and the like
        raise _FileError(broken) from problem
    finally:
        workbook.close()
    # a sheet with part of a header says more than "no header found"
    problems.sort(key=lambda problem: problem.row == 0)
    return problems[0] if problems else RowError(0, "Tệp", "Tệp không có trang tính nào.")


def _sheet_cells(
    workbook: Any, sheet: Any, merged: list[str]
) -> Generator[tuple[int, dict[int, Any]], None, None]:
    """(row number, {column number: value}) for each row with a value; once exhausted, `merged`
    holds the sheet's merged ranges ("A5:A9"). openpyxl's read-only sheet does not expose
    merged cells, so its own streaming parser is driven here."""
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            values = {cell["column"]: cell["value"] for cell in cells if cell["value"] is not None}
            if values:
                yield number, values
        if parser.merged_cells is not None:
            merged.extend(str(item.ref) for item in parser.merged_cells.mergeCell)


def _read_sheet(workbook: Any, sheet: Any) -> "_Table | RowError":
    merged: list[str] = []
    cells = _sheet_cells(workbook, sheet, merged)
    head = [row for _, row in zip(range(HEADER_SCAN_ROWS), cells, strict=False)]
    found = _find_header(head)
    if isinstance(found, RowError):
        cells.close()
        if found.row and len(workbook.sheetnames) > 1:
            message = f"{found.message[:-1]} (trang tính “{sheet.title}”)."
            return RowError(found.row, found.column, message)
        return found
    header_row, columns = found
    table = _Table(header_row, {})
    for number, values in chain(head, cells):
        if number > header_row:
            row: list[Any] = [None] * len(COLUMNS)
            for column, index in columns.items():
                row[index] = values.get(column)
            if not _is_blank_or_numbering(row):
                table.rows[number] = row
    _fill_merged(table, merged, columns)
    return table


def _match_titles(values: dict[int, Any]) -> dict[int, int]:
    """{column number: index in COLUMNS} for the cells that are known column titles."""
    matched: dict[int, int] = {}
    for column, value in sorted(values.items()):
        key = _header_key(value)
        for index, spec in enumerate(COLUMNS):
            if key in spec.aliases and index not in matched.values():
                matched[column] = index
    return matched


def _missing(matched: dict[int, int]) -> list[str]:
    have = set(matched.values())
    return [c.title for i, c in enumerate(COLUMNS) if c.required and i not in have]


def _find_header(head: list[tuple[int, dict[int, Any]]]) -> "tuple[int, dict[int, int]] | RowError":
    """The header row and its columns; a two-row header ("Cơ quan" over "Chủ trì | Phối hợp")
    counts as one, its lower row being the header row."""
    best: tuple[int, dict[int, int]] | None = None
    for position, (number, values) in enumerate(head):
        matched = _match_titles(values)
        if not _missing(matched):
            return number, matched
        below = head[position + 1] if position + 1 < len(head) else None
        if below and below[0] == number + 1:
            combined = _match_titles(values) | _match_titles(below[1])
            if len(set(combined.values())) == len(combined) and not _missing(combined):
                return number + 1, combined
        if len(matched) >= 2 and (best is None or len(matched) > len(best[1])):
            best = (number, matched)
    if best:
        missing = ", ".join(f"“{title}”" for title in _missing(best[1]))
        return RowError(best[0], "", f"Dòng {best[0]}: dòng tiêu đề thiếu cột {missing}.")
    titles = ", ".join(f"“{c.title}”" for c in COLUMNS if c.required)
    return RowError(
        0,
        "Tệp",
        f"Không tìm thấy dòng tiêu đề trong {HEADER_SCAN_ROWS} dòng đầu của trang tính. "
        f"Dòng tiêu đề cần có các cột {titles} (xem tệp mẫu).",
    )


def _fill_merged(table: _Table, merged: list[str], columns: dict[int, int]) -> None:
    """A cell merged down over several task rows (one document for many tasks) counts for
    each of them. Merges across columns are left alone: they are headings."""
    for ref in merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        top = table.rows.get(min_row)
        if top is None or max_row == min_row:
            continue
        for column in range(min_col, max_col + 1):
            index = columns.get(column)
            if index is None:
                continue
            for number in range(min_row + 1, max_row + 1):
                row = table.rows.get(number)
                if row is not None and row[index] is None:
                    row[index] = top[index]


_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")


def _is_blank_or_numbering(row: list[Any]) -> bool:
    """Blank (in the known columns), or the "(1) (2) (3) …" row that tables put under headers."""
    texts = [text for text in map(_cell_text, row) if text]
    return not texts or (len(texts) >= 3 and all(_NUMBERING.match(text) for text in texts))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# =============================================================================================
# Import: checking rows


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.more = 0

    def add(self, row: int, column: str, detail: str) -> None:
        if len(self.items) >= MAX_ERRORS:
            self.more += 1
            return
        self.items.append(
            RowError(row, _TITLES[column], f"Dòng {row}, cột {_TITLES[column]}: {detail}")
        )

    def add_problems(self, problems: Iterable[services.TaskProblem]) -> None:
        """The service's refusals, named by the column the field came from."""
        for problem in problems:
            detail = problem.message[:1].lower() + problem.message[1:]
            self.add(problem.row, _COLUMN_OF_FIELD.get(problem.field, "content"), detail)

    def result(self) -> list[RowError]:
        items = sorted(self.items, key=lambda error: error.row)  # cells first, then the rules
        if not self.more:
            return items
        more = f"{self.more:,}".replace(",", ".")
        return [*items, RowError(0, "", f"… và {more} lỗi khác.")]


_COLUMN_OF_FIELD = {
    "title": "content", "description": "content", "source_clause": "clause",
    "expected_product": "product", "lead_agency": "lead", "coordinating_agencies": "coordinators",
    "due_on": "deadline", "deadline_kind": "deadline", "document": "document",
    "classification": "document",
}  # fmt: skip


class _CellError(Exception):
    pass


class _Checker:
    def __init__(self, actor: Any, today: dt.date, rows: Iterable[list[Any]]) -> None:
        self.errors = _Errors()
        self.today = today
        self.agencies = _Agencies()
        self.documents = _Documents(actor, {_cell_text(row[_FIELDS["document"]]) for row in rows})
        self.checks: tuple[tuple[str, Callable[[Any], Any]], ...] = (
            ("document", self.documents.find),
            ("clause", _memo(_text)),
            ("content", _content),  # rarely repeated: not worth remembering
            ("lead", _memo(self.agencies.lead)),
            ("coordinators", _memo(self.agencies.coordinators)),
            ("deadline", _memo(lambda value: parse_deadline(value, today))),
            ("product", _memo(_text)),
            ("note", _memo(_text)),
            ("key", _memo(_flag)),
        )

    def check(self, number: int, cells: list[Any]) -> services.NewTask | None:
        """The row ready to write, or None after recording its problems."""
        values: dict[str, Any] = {}
        failed = False
        for name, check in self.checks:
            try:
                values[name] = check(cells[_FIELDS[name]])
            except _CellError as problem:
                self.errors.add(number, name, str(problem))
                failed = True
        return None if failed else _row(number, values, self.today)


def _memo(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`check`, remembering its answer (or its complaint) for each value: the same lead agency,
    deadline or product recurs on thousands of rows, and Vietnamese normalization is slow."""
    answers: dict[Any, tuple[bool, Any]] = {}

    def remembered(value: Any) -> Any:
        answer = answers.get(value)
        if answer is None:
            try:
                answer = (True, check(value))
            except _CellError as problem:
                answer = (False, str(problem))
            answers[value] = answer
        if not answer[0]:
            raise _CellError(answer[1])
        return answer[1]

    return remembered


def _row(number: int, values: dict[str, Any], today: dt.date) -> services.NewTask:
    content: str = values["content"]
    title, description = content, ""
    if len(content) > 500:
        title = content[:499].rsplit(" ", 1)[0] + "…"
        description = content
    if values["note"]:
        description = "\n\n".join(filter(None, [description, f"Ghi chú: {values['note']}"]))
    document: _DocumentRef = values["document"]
    kind, due_on = values["deadline"]
    return services.NewTask(
        row=number,
        document_id=document.id,
        source_clause=values["clause"],
        title=title,
        description=description,
        lead_agency_id=values["lead"],
        coordinating_agency_ids=tuple(values["coordinators"]),
        deadline_kind=kind,
        due_on=due_on,
        expected_product=values["product"],
        is_key=values["key"],
        created_on=today,
    )


def _text(value: Any) -> str:
    return normalize(_cell_text(value))


def _content(value: Any) -> str:
    text = normalize(_cell_text(value))
    if not text:
        raise _CellError("thiếu nội dung nhiệm vụ.")
    if search_key(text[: len(EXAMPLE_MARK)]) == search_key(EXAMPLE_MARK):
        raise _CellError("đây là dòng ví dụ của tệp mẫu; hãy xóa dòng này trước khi nhập.")
    return text


def _flag(value: Any) -> bool:
    key = search_key(_cell_text(value))
    if key in {"", "0", "khong"}:
        return False
    if key in {"x", "1", "co", "v", "✓"}:
        return True
    raise _CellError(f"ghi “x” nếu là nhiệm vụ trọng tâm, để trống nếu không (ô ghi “{value}”).")


# ---------------------------------------------------------------------------------------------
# Documents


@dataclass(frozen=True)
class _DocumentRef:
    id: int
    symbol: str
    issued_on: dt.date
    classification: int


_SYMBOL_WITH_DATE = re.compile(
    r"^(?P<symbol>.+?)[\s,;(]+ng[aà]y\s+(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})\)?$",
    re.IGNORECASE,
)


def _symbol_key(symbol: str) -> str:
    with contextlib.suppress(ValidationError):  # if it no longer parses, match it as typed
        symbol = str(parse_symbol(symbol))
    return search_key(symbol).replace(" ", "")


def _split_symbol(text: str) -> tuple[str, dt.date | None]:
    """ "57-NQ/TW ngày 22/12/2024" -> ("57-NQ/TW", 2024-12-22)."""
    match = _SYMBOL_WITH_DATE.match(normalize(text))
    if not match:
        return text, None
    try:
        day = dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return text, None
    return match["symbol"], day


class _Documents:
    """The documents `actor` may see whose number appears in the file, by symbol key."""

    def __init__(self, actor: Any, texts: set[str]) -> None:
        numbers: set[int] = set()
        for text in texts:
            try:
                numbers.add(parse_symbol(_split_symbol(text)[0]).number)
            except ValidationError:  # reported row by row in `find`
                continue
        self.by_key: dict[str, list[_DocumentRef]] = {}
        visible = documents_visible_to(actor).order_by("-issued_on", "id")
        for chunk in _batched(sorted(numbers), 500):
            fields = ("id", "symbol", "issued_on", "classification")
            for pk, symbol, issued_on, classification in visible.filter(
                number__in=chunk
            ).values_list(*fields):
                ref = _DocumentRef(pk, symbol, issued_on, classification)
                self.by_key.setdefault(_symbol_key(symbol), []).append(ref)
        self.cache: dict[str, _DocumentRef | str] = {}

    def find(self, value: Any) -> _DocumentRef:
        text = _cell_text(value)
        if text not in self.cache:
            self.cache[text] = self._find(text)
        found = self.cache[text]
        if isinstance(found, str):
            raise _CellError(found)
        return found

    def _find(self, text: str) -> "_DocumentRef | str":
        if not text:
            return "thiếu số, ký hiệu văn bản."
        symbol, issued_on = _split_symbol(text)
        try:
            parse_symbol(symbol)
        except ValidationError as problem:
            return " ".join(problem.messages)
        found = self.by_key.get(_symbol_key(symbol), [])
        if issued_on:
            found = [d for d in found if d.issued_on == issued_on]
        if not found:
            return f"không tìm thấy văn bản “{text}” đã đăng ký; hãy đăng ký văn bản trước khi nhập nhiệm vụ."
        if len(found) > 1:
            dates = ", ".join(f"{d.issued_on:%d/%m/%Y}" for d in found)
            return (
                f"có {len(found)} văn bản số, ký hiệu “{symbol}” (ban hành ngày {dates}); "
                f"hãy ghi thêm ngày ban hành, ví dụ “{symbol} ngày {found[0].issued_on:%d/%m/%Y}”."
            )
        return found[0]


# ---------------------------------------------------------------------------------------------
# Agencies

_CENTRAL = re.compile(r"(?<!\w)(?:TƯ|TW|T\.Ư\.?|T\.W\.?)(?!\w)")
_SEPARATORS = re.compile(r"[;\n\r]+")
_BULLET = re.compile("^[\\s\\-+•·*\u2013]+|[\\s.]+$")
_SUGGESTION_LOOKUPS = 100
_NAME_PARTS = 4  # "Bộ Lao động, Thương binh và Xã hội": names hold a comma or two, not more


class _Agencies:
    """Active agencies by code, short name and full name, diacritic- and case-insensitively.

    "TƯ" / "TW" written in capitals stands for "Trung ương" ("Ban Tổ chức TƯ").
    """

    def __init__(self) -> None:
        self.active: dict[str, set[int]] = {}
        self.ended: dict[str, tuple[str, dt.date]] = {}
        self.names: dict[int, str] = {}
        self.codes: dict[int, str] = {}
        rows = Agency.objects.values_list("id", "code", "short_name", "name", "valid_to")
        for pk, code, short_name, name, valid_to in rows.iterator(chunk_size=5000):
            for key in {search_key(code), search_key(short_name), search_key(name)} - {""}:
                if valid_to is None:
                    self.active.setdefault(key, set()).add(pk)
                else:
                    self.ended.setdefault(key, (name, valid_to))
            if valid_to is None:
                self.names[pk], self.codes[pk] = name, code
        self.cache: dict[str, int | str] = {}
        self.suggestions_left = _SUGGESTION_LOOKUPS

    def lead(self, value: Any) -> int:
        text = normalize(_cell_text(value))
        if not text:
            raise _CellError("thiếu cơ quan chủ trì.")
        found = self.find(text)
        if isinstance(found, int):
            return found
        several = self._split(_cell_text(value))
        if len(several) > 1 and all(isinstance(self.find(part), int) for part in several):
            listed = "; ".join(several)
            raise _CellError(
                f"mỗi nhiệm vụ chỉ có một cơ quan chủ trì; ô này ghi {len(several)} cơ quan: {listed}."
            )
        raise _CellError(found)

    def coordinators(self, value: Any) -> tuple[int, ...]:
        found: list[int] = []
        problems: list[str] = []
        for part in self._split(_cell_text(value)):
            agency = self.find(part)
            if isinstance(agency, str):
                problems.append(agency)
            elif agency not in found:
                found.append(agency)
        if problems:
            raise _CellError("; ".join(problems))
        return tuple(found)

    def find(self, text: str) -> "int | str":
        """The agency's id, or what went wrong, in words."""
        if text not in self.cache:
            self.cache[text] = self._find(normalize(text))
        return self.cache[text]

    def _find(self, text: str) -> "int | str":
        keys = [search_key(text), search_key(_CENTRAL.sub("Trung ương", text))]
        for key in keys:
            found = self.active.get(key, set())
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                listed = "; ".join(
                    f"{self.names[pk]} (mã {self.codes[pk]})" for pk in sorted(found)
                )
                return f"“{text}” khớp với {len(found)} cơ quan: {listed}; hãy ghi mã cơ quan."
        for key in keys:
            if key in self.ended:
                name, ended_on = self.ended[key]
                return (
                    f"cơ quan “{name}” đã thôi hoạt động từ {ended_on:%d/%m/%Y}; "
                    "hãy ghi cơ quan kế thừa."
                )
        return f"không tìm thấy cơ quan “{text}”{self._suggest(keys[-1])}"

    def _suggest(self, key: str) -> str:
        if self.suggestions_left <= 0:
            return ""
        self.suggestions_left -= 1
        close = difflib.get_close_matches(key, list(self.active), n=1, cutoff=0.85)
        if not close or len(self.active[close[0]]) != 1:
            return ""
        [pk] = self.active[close[0]]
        return f" (có phải “{self.names[pk]}”?)"

    def _split(self, text: str) -> list[str]:
        """Names separated by newlines, ";" or ","; a comma inside a known name stays
        ("Bộ Văn hóa, Thể thao và Du lịch")."""
        names: list[str] = []
        for segment in _SEPARATORS.split(text):
            parts = [_BULLET.sub("", part) for part in segment.split(",")]
            parts = [part for part in parts if part]
            start = 0
            while start < len(parts):
                end = next(
                    (
                        end
                        for end in range(min(len(parts), start + _NAME_PARTS), start + 1, -1)
                        if isinstance(self.find(", ".join(parts[start:end])), int)
                    ),
                    start + 1,
                )
                names.append(", ".join(parts[start:end]))
                start = end
        return names


# ---------------------------------------------------------------------------------------------
# Deadlines

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DATE_PREFIX = r"(?:(?:hoan thanh|cham nhat|truoc|han|la|vao)\s+)*(?:ngay\s+)?"
_DEADLINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("date", re.compile(_DATE_PREFIX + r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})")),
    ("date", re.compile(_DATE_PREFIX + r"(?P<d>\d{1,2}) thang (?P<m>\d{1,2}) nam (?P<y>\d{4})")),
    ("date", re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")),
    ("month", re.compile(r"(?:trong )?(?:thang|t)\s*(?P<m>\d{1,2})\s*(?:[/.-]|nam)\s*(?P<y>\d{4})")),
    ("month", re.compile(r"(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})")),
    ("quarter", re.compile(r"(?:trong )?(?:quy|q)\s*(?P<q>iv|i{1,3}|[1-4])\s*(?:[/.-]|nam)\s*(?P<y>\d{4})")),
)  # fmt: skip
_RECURRING = {
    "hang thang": DeadlineKind.MONTHLY,
    "hang quy": DeadlineKind.QUARTERLY,
    "thuong xuyen": DeadlineKind.ONGOING,
}
_DEADLINE_HINT = (
    "ghi ngày (15/12/2025), tháng (tháng 12/2025), quý (quý I/2026), "
    "“hằng tháng”, “hằng quý” hoặc “thường xuyên”"
)


def parse_deadline(value: Any, today: dt.date) -> tuple[str, dt.date | None]:
    """(deadline kind, due date) from a deadline cell, or `_CellError` in Vietnamese.

    A recurring deadline ("hằng tháng", "hằng quý") is due at the end of the current period.
    """
    if isinstance(value, dt.datetime):
        return DeadlineKind.DATE, value.date()
    if isinstance(value, dt.date):
        return DeadlineKind.DATE, value
    if isinstance(value, int | float) and not isinstance(value, bool) and 36526 <= value < 73051:
        return DeadlineKind.DATE, from_excel(value).date()  # a date serial shown as a number
    text = _cell_text(value)
    if not text:
        raise _CellError(f"thiếu thời hạn; {_DEADLINE_HINT}.")
    key = " ".join(re.sub(r"[,:;]", " ", search_key(text)).split()).rstrip(".")
    recurring = _RECURRING.get(key.removeprefix("thuc hien ").removeprefix("bao cao "))
    if recurring == DeadlineKind.MONTHLY:
        return recurring, month_end(today.year, today.month)
    if recurring == DeadlineKind.QUARTERLY:
        return recurring, quarter_end(today.year, quarter_of(today))
    if recurring == DeadlineKind.ONGOING:
        return recurring, None
    for kind, pattern in _DEADLINE_PATTERNS:
        match = pattern.fullmatch(key)
        if match:
            return _deadline_from(kind, match.groupdict(), text)
    raise _CellError(f"không hiểu thời hạn “{text}”; {_DEADLINE_HINT}.")


def _deadline_from(kind: str, parts: dict[str, str], text: str) -> tuple[str, dt.date]:
    year = int(parts["y"])
    if not 2000 <= year <= 2100:
        raise _CellError(f"năm {year} trong thời hạn “{text}” không hợp lệ.")
    try:
        if kind == "date":
            return DeadlineKind.DATE, dt.date(year, int(parts["m"]), int(parts["d"]))
        if kind == "month":
            return DeadlineKind.MONTH, month_end(year, int(parts["m"]))
    except ValueError:
        raise _CellError(f"thời hạn “{text}” không phải một ngày có thật.") from None
    return DeadlineKind.QUARTER, quarter_end(year, _ROMAN[parts["q"]])


# =============================================================================================
# Template


_TEMPLATE_WIDTHS = {"document": 18, "clause": 14, "content": 60, "lead": 30, "coordinators": 36,
                    "deadline": 16, "product": 30, "note": 24}  # fmt: skip
_EXAMPLE = {
    "document": "57-NQ/TW",
    "clause": "Mục III.1",
    "content": f"{EXAMPLE_MARK} Xây dựng đề án hoàn thiện thể chế về phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    "lead": "Ban Chính sách, chiến lược Trung ương",
    "coordinators": "Ban Tổ chức Trung ương; Văn phòng Trung ương Đảng",
    "deadline": "quý IV/2026",
    "product": "Đề án trình Bộ Chính trị",
    "note": "",
}
_GUIDE = (
    "HƯỚNG DẪN NHẬP NHIỆM VỤ TỪ TỆP EXCEL",
    "",
    "Mỗi dòng là một nhiệm vụ. Dòng tiêu đề có thể đặt dưới các dòng tên bảng; các cột khác "
    "(STT…) và dòng trống được bỏ qua.",
    "Số ký hiệu văn bản (bắt buộc): văn bản đã đăng ký, ví dụ 57-NQ/TW, 86/NQ-CP. Nếu có hai "
    "văn bản cùng số, ký hiệu, ghi thêm ngày ban hành: “57-NQ/TW ngày 22/12/2024”.",
    "Nội dung nhiệm vụ (bắt buộc).",
    "Cơ quan chủ trì (bắt buộc): đúng một cơ quan, ghi mã, tên viết tắt hoặc tên đầy đủ "
    "(xem trang “Danh mục cơ quan”).",
    "Cơ quan phối hợp: nhiều cơ quan cách nhau bằng dấu chấm phẩy, dấu phẩy hoặc xuống dòng; "
    "không ghi lại cơ quan chủ trì.",
    "Thời hạn (bắt buộc): 15/12/2025 · tháng 12/2025 · quý I/2026 · hằng tháng · hằng quý · "
    "thường xuyên. Thời hạn không được trước ngày ban hành văn bản.",
    "Sản phẩm, Ghi chú: không bắt buộc. Ghi chú được lưu vào phần nội dung chi tiết.",
    "",
    "Tệp được kiểm tra toàn bộ trước khi ghi: chỉ cần một dòng sai là không nhiệm vụ nào được "
    "tạo; danh sách lỗi ghi rõ dòng, cột để sửa rồi nhập lại.",
    f"Xóa dòng ví dụ {EXAMPLE_MARK} trước khi nhập.",
)


def _example(listed: list[tuple[str, str, str]]) -> dict[str, str]:
    """The example row, naming agencies of the template's own list (its full names) so that
    what it shows is what an import accepts; the fixed example when no agency is listed."""
    names = [name for _code, _short, name in listed]
    if not names:
        return _EXAMPLE
    lead, *coordinators = names[:3]
    return {**_EXAMPLE, "lead": lead, "coordinators": "; ".join(coordinators)}


def template_xlsx() -> bytes:
    """The blank import table: header, one example row, a guide and the list of agencies."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    listed = list(
        Agency.objects.active()
        .order_by("sort_text", "id")
        .values_list("code", "short_name", "name")
    )
    example_row = _example(listed)
    for index, column in enumerate(c for c in COLUMNS if c.name in _TEMPLATE_WIDTHS):
        letter = get_column_letter(index + 1)
        cell = sheet.cell(row=1, column=index + 1, value=column.title)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _HEADER_ALIGNMENT
        example = sheet.cell(row=2, column=index + 1, value=example_row[column.name] or None)
        example.font = Font(italic=True, color="808080")
        example.alignment = _WRAP
        sheet.column_dimensions[letter].width = _TEMPLATE_WIDTHS[column.name]
        if column.name in {"document", "deadline"}:  # keep "12/2025" from turning into a date
            sheet.column_dimensions[letter].number_format = "@"
            example.number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 120
    for line in _GUIDE:
        guide.append([line])
        guide.cell(row=guide.max_row, column=1).alignment = Alignment(wrap_text=True)
    guide["A1"].font = _BOLD
    agencies = workbook.create_sheet("Danh mục cơ quan")
    agencies.append(["Mã", "Tên viết tắt", "Tên đầy đủ"])
    for cell in agencies[1]:
        cell.font, cell.fill = _BOLD, _HEADER_FILL
    for width, letter in zip((14, 20, 70), "ABC", strict=True):
        agencies.column_dimensions[letter].width = width
    for row in listed:
        agencies.append(list(row))
    agencies.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
