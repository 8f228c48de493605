"""Reading comment files row by row (CSV, XLSX, JSONL) without holding them in memory: each
row comes out as its number, as the office sees it in a spreadsheet (the header is row 1 of a
CSV or XLSX file; a JSONL file has no header, its first line is row 1), and its values by
field. The services check each row (`services.comment_import_run`).

Columns are found by their titles, in Vietnamese or English, with or without diacritics:
"Ý kiến" (Tán thành / Không tán thành / Đồng ý một phần), "Nội dung", "Đối tượng", "Kênh",
"Phần" (the section: "Điều 2", "Mục II"), "Họ và tên", "Số điện thoại", "Số định danh".
"""

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import IO, Any

from dondoc.core.text import search_key

FORMATS = ("csv", "xlsx", "jsonl")
FIELDS: Mapping[str, tuple[str, ...]] = {
    "stance": ("ý kiến", "lựa chọn", "stance", "quan điểm"),
    "text": ("nội dung", "nội dung góp ý", "góp ý", "ý kiến góp ý", "text"),
    "category": ("đối tượng", "thành phần", "category"),
    "channel": ("kênh", "hình thức", "channel"),
    "section": ("phần", "góp ý vào phần", "điều", "mục", "section"),
    "full_name": ("họ và tên", "họ tên", "full_name", "name"),
    "phone": ("số điện thoại", "điện thoại", "phone"),
    "id_number": ("số định danh", "số cccd", "cccd", "căn cước", "id_number"),
    "email": ("thư điện tử", "email", "e-mail"),
    "address": ("địa chỉ", "address"),
}
_TITLES = {search_key(title): field for field, titles in FIELDS.items() for title in titles}
MAX_FIELD = 1_000_000  # characters in one CSV field; a longer one stops the file as unreadable

Row = tuple[int, dict[str, str]]


class UnreadableFileError(ValueError):
    """The file cannot be read at all (not the format its name says, no known column)."""


def file_format(name: str) -> str | None:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in FORMATS else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _columns(header: list[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, title in enumerate(header):
        field = _TITLES.get(search_key(_text(title)))
        if field is not None and field not in found.values():
            found[index] = field
    if "stance" not in found.values() and "text" not in found.values():
        raise UnreadableFileError("no column")
    return found


def rows(stream: IO[bytes], kind: str, start_after: int = 0) -> Iterator[Row]:
    """The non-blank rows of `stream` after row `start_after` (where a resumed import goes
    on), one at a time."""
    reader = {"csv": _csv_rows, "xlsx": _xlsx_rows, "jsonl": _jsonl_rows}[kind]
    for number, values in reader(stream, start_after):
        if number > start_after and any(values.values()):
            yield number, values


def _csv_rows(stream: IO[bytes], start_after: int) -> Iterator[Row]:
    csv.field_size_limit(MAX_FIELD)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    first = text.readline()
    dialect = "excel" if first.count(",") >= first.count(";") else "excel-semicolon"
    header = next(csv.reader([first], delimiter="," if dialect == "excel" else ";"), [])
    columns = _columns(header)
    reader = csv.reader(text, delimiter="," if dialect == "excel" else ";")
    try:
        for number, record in enumerate(reader, start=2):
            if number <= start_after:
                continue
            yield number, {field: _text(record[i]) if i < len(record) else ""
                           for i, field in columns.items()}  # fmt: skip
    except csv.Error as error:
        raise UnreadableFileError(str(error)) from error


def _xlsx_rows(stream: IO[bytes], start_after: int) -> Iterator[Row]:
    from openpyxl import load_workbook  # here: loading it costs every process ~0.3 s

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise UnreadableFileError(str(error)) from error
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        columns = _columns(list(next(values, ())))
        for number, record in enumerate(values, start=2):
            if number <= start_after:
                continue
            yield number, {field: _text(record[i]) if i < len(record) else ""
                           for i, field in columns.items()}  # fmt: skip
    finally:
        workbook.close()


def _jsonl_rows(stream: IO[bytes], start_after: int) -> Iterator[Row]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    for number, line in enumerate(stream, start=1):
        if number <= start_after or not line.strip():
            continue
        try:
            record = json.loads(decoder.decode(line))
        except ValueError:
            yield number, {"_error": "json"}
            continue
        if not isinstance(record, dict):
            yield number, {"_error": "json"}
            continue
        values: dict[str, str] = {}
        for key, value in record.items():
            field = _TITLES.get(search_key(str(key)))
            if field is not None:
                values.setdefault(field, _text(value))
        yield number, values or {"_error": "columns"}
