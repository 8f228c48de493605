"""The credentials report (báo cáo thẩm tra tư cách đại biểu) as DOCX, in the Party's document
layout (Quy định 66-QĐ/TW: Times New Roman, the header blocks, the national motto line on the
right): the counts of delegates by credentials decision, then the composition of the delegates
whose credentials were verified, by delegation, gender, age band, ethnicity, education and kind.
Aggregates only: no person's data appears."""

import datetime as dt
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table

from dondoc.congress.models import Congress

FONT = "Times New Roman"


def credentials_report_docx(
    congress: Congress,
    counts: dict[str, int],
    composition: dict[str, list[tuple[str, int, float]]],
    issued_on: dt.date,
) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = "BAN THẨM TRA TƯ CÁCH ĐẠI BIỂU\n*"
    right.text = f"ĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày {issued_on:%d} tháng {issued_on:%m} năm {issued_on:%Y}"
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _heading(document, "BÁO CÁO")
    _heading(document, f"Thẩm tra tư cách đại biểu {congress.name}", bold=False)
    total = sum(counts.values())
    document.add_paragraph(
        f"Tổng số đại biểu được triệu tập: {total}. "
        + "; ".join(f"{label}: {count}" for label, count in counts.items())
        + "."
    )
    for heading, rows in composition.items():
        document.add_paragraph(heading).runs[0].bold = True
        _table(document.add_table(rows=1, cols=3), heading, rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _heading(document: DocxDocument, text: str, bold: bool = True) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold


def _table(table: Table, heading: str, rows: list[tuple[str, int, float]]) -> None:
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, (heading, "Số lượng", "Tỷ lệ (%)"), strict=True):
        cell.text = text
    for label, count, share in rows:
        cells = table.add_row().cells  # type: ignore[no-untyped-call]
        cells[0].text, cells[1].text = label, str(count)
        cells[2].text = f"{share:.1f}".replace(".", ",")
