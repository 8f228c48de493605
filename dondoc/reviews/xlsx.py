"""The review's tables as an Excel workbook, one sheet per table (Tổng hợp, Theo văn bản, Theo cơ
quan, Quá hạn, Vướng mắc, Gia hạn), numbers as numbers and dates as dates, every row included."""

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dondoc.core.xlsx import keep_as_text, looks_like_formula

from .content import Paragraph, ReviewContent, Table

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMATS = {"int": "#,##0", "pct": "0.00", "date": "DD/MM/YYYY", "signed": "+#,##0;-#,##0;0",
           "signed_pct": "+0.00;-0.00;0"}  # fmt: skip


def _value(value: Any, kind: str) -> Any:
    if kind == "date" and value:
        return dt.date.fromisoformat(str(value))
    return value


def _cell_styles(book: Workbook) -> dict[tuple[str, bool], str]:
    """A named style per column kind, plain and bold (the total row), added to `book`.

    A cell given a named style copies a ready index; given a border, an alignment and a format
    one by one, openpyxl hashes each to find it in the workbook's tables: 44 of the 55 s of a
    national review's rendering went there (a million cells)."""
    names = {}
    for kind in ("text", *FORMATS):
        for bold in (False, True):
            name = f"dondoc {kind}{' bold' * bold}"
            book.add_named_style(
                NamedStyle(
                    name=name,
                    font=Font(bold=bold),
                    border=BOX,
                    alignment=Alignment(wrap_text=kind == "text", vertical="top"),
                    number_format=FORMATS.get(kind, "General"),
                )
            )
            names[kind, bold] = name
    return names


def _write_table(
    sheet: Worksheet, table: Table, first_row: int, styles: dict[tuple[str, bool], str]
) -> int:
    sheet.cell(first_row, 1, table.caption).font = Font(bold=True)
    header = first_row + 1
    for n, column in enumerate(table.columns, start=1):
        cell = sheet.cell(header, n, column.title)
        cell.font, cell.border = Font(bold=True), BOX
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(n)].width = max(8, round(column.width * 9))
    rows = [*table.rows, *([table.total] if table.total is not None else [])]
    for r, values in enumerate(rows, start=header + 1):
        bold = table.total is not None and r == header + len(rows)
        for n, (value, column) in enumerate(zip(values, table.columns, strict=True), start=1):
            kind = column.kind if column.kind in FORMATS else "text"
            cell = sheet.cell(r, n, _value(value, column.kind))
            cell.style = styles[kind, bold]
            if looks_like_formula(value):
                keep_as_text(cell)
    if not table.rows:
        sheet.cell(header + 1, 1, table.empty).font = Font(italic=True)
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    return header + len(rows) + 1


def review_xlsx(content: ReviewContent) -> bytes:
    book = Workbook()
    book.remove(book.active)
    styles = _cell_styles(book)
    for section in content.sections:
        for block in section.blocks:
            if not isinstance(block, Table):
                continue
            sheet = book.create_sheet(block.sheet[:31])
            row = 1
            if block.sheet == "Tổng hợp":
                sheet.cell(1, 1, content.subtitle).font = Font(bold=True, size=13)
                texts = [b.text for b in section.blocks if isinstance(b, Paragraph)]
                for row, text in enumerate(texts, start=2):
                    cell = sheet.cell(row, 1, text)
                    cell.alignment = Alignment(wrap_text=False)
                    if looks_like_formula(text):
                        keep_as_text(cell)
                row += 2
            _write_table(sheet, block, row, styles)
    book.properties.title = content.subtitle
    book.properties.creator = "dondoc"
    book.properties.created = book.properties.modified = content.issued_at.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
