"""The review as a Word document in the Party's format (Hướng dẫn 36-HD/VPTW): A4, Times New
Roman, the issuing body and the Party's name side by side at the top, "Số …-BC/VPTW" under a
star, the place and date in italics, the title, the sections, the signature and "Nơi nhận"."""

import io
from typing import Any

import docx as python_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from .content import NUMERIC_KINDS, Chart, Paragraph, ReviewContent, Table, cell_text

FONT = "Times New Roman"
BODY_PT, TABLE_PT, TITLE_PT = 14, 12, 15
TEXT_WIDTH_CM = 16.5  # A4 (21 cm) less the left (3 cm) and right (1.5 cm) margins
CELL_STYLE = "Bảng số liệu"  # the paragraph style of table cells: Times New Roman 12 pt


def _set_font(style: Any, size: float | None = None) -> None:
    """Times New Roman for every script Word may pick for a letter (Vietnamese ones included)."""
    font = style.font
    font.name = FONT
    if size:
        font.size = Pt(size)
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _para(
    container: Any,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    after: float = 6,
) -> DocxParagraph:
    paragraph: DocxParagraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        run = paragraph.add_run(text)
        if size:
            run.font.size = Pt(size)
        _emphasis(run, bold=bold, italic=italic, underline=underline)
    return paragraph


def _emphasis(
    run: Any, *, bold: bool = False, italic: bool = False, underline: bool = False
) -> None:
    """Only what differs from the style is written, so the file stays small and quick to make."""
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if underline:
        run.underline = True


def _no_borders(table: DocxTable) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell_paragraph(cell: Any) -> Any:
    """The cell's first (empty) paragraph, used instead of adding a blank line above."""
    return cell.paragraphs[0]


def _header(doc: Document, content: ReviewContent) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(7.0), Cm(9.5)
    center = WD_ALIGN_PARAGRAPH.CENTER
    lines = list(content.issuer_left)
    first = _cell_paragraph(left)
    first.alignment = center
    first.add_run(lines[0])
    _para(left, lines[1], bold=True, align=center, after=0)
    _para(left, lines[2], align=center, after=0)
    _para(left, lines[3], align=center, after=0)
    if content.classification:
        _para(left, content.classification, bold=True, align=center, after=0)
    top = _cell_paragraph(right)
    top.alignment = center
    run = top.add_run(content.issuer_right)
    run.font.size = Pt(TITLE_PT)
    _emphasis(run, bold=True, underline=True)
    _para(right, "", align=center, after=0)
    _para(right, content.place_date, italic=True, align=center, after=0)


def _title(doc: Document, content: ReviewContent) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, "", after=6)
    _para(doc, content.title, size=TITLE_PT + 1, bold=True, align=center, after=0)
    _para(doc, content.subtitle, bold=True, align=center, after=0)
    _para(doc, "-----", align=center, after=12)


def _repeat_header_row(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    tr_pr.append(marker)


def _fill_row(row: Any, values: list[Any], table: Table, style: str, *, bold: bool = False) -> None:
    for cell, value, column in zip(row.cells, values, table.columns, strict=True):
        paragraph = _cell_paragraph(cell)
        paragraph._p.style = style  # the id, set directly: python-docx's setter scans all styles
        if column.kind in NUMERIC_KINDS:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _emphasis(paragraph.add_run(cell_text(value, column.kind)), bold=bold)


def _table(doc: Document, table: Table) -> None:
    _para(doc, table.caption, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if not table.rows:
        _para(doc, table.empty, italic=True, indent=True)
        return
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    share = TEXT_WIDTH_CM / sum(c.width for c in table.columns)
    style = doc.styles[CELL_STYLE].style_id
    header = grid.rows[0]
    _repeat_header_row(header)
    for n, (cell, column) in enumerate(zip(header.cells, table.columns, strict=True)):
        grid.columns[n].width = cell.width = Cm(column.width * share)
        paragraph = _cell_paragraph(cell)
        paragraph._p.style = style
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _emphasis(paragraph.add_run(column.title), bold=True)
    for values in table.printed_rows:
        _fill_row(grid.add_row(), values, table, style)
    if table.total is not None:
        _fill_row(grid.add_row(), table.total, table, style, bold=True)
    if table.cut_note:
        _para(doc, table.cut_note, size=TABLE_PT, italic=True)
    _para(doc, "", after=0)


def _chart(doc: Document, chart: Chart, images: dict[str, bytes]) -> None:
    png = images.get(chart.key)
    if png is None:
        return
    paragraph = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(15.5))
    _para(doc, chart.caption, size=13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _signature(doc: Document, content: ReviewContent) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8.0), Cm(8.5)
    label = _cell_paragraph(left)
    run = label.add_run("Nơi nhận:")
    run.font.size = Pt(12)
    _emphasis(run, bold=True, italic=True, underline=True)
    for line in content.recipients:
        _para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    center = WD_ALIGN_PARAGRAPH.CENTER
    first = _cell_paragraph(right)
    first.alignment = center
    _emphasis(first.add_run(content.signature[0]), bold=True)
    for line in content.signature[1:]:
        _para(right, line, bold=True, align=center, after=0)
    _para(right, content.signer[0], italic=True, align=center, after=48)
    for line in content.signer[1:]:
        _para(right, line, bold=True, align=center, after=0)


def _page(doc: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    _set_font(normal, BODY_PT)
    _set_font(doc.styles["Table Grid"], TABLE_PT)
    cell = doc.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    _set_font(cell, TABLE_PT)
    cell.paragraph_format.space_after = Pt(0)


def review_docx(content: ReviewContent, images: dict[str, bytes]) -> bytes:
    doc = python_docx.Document()
    _page(doc)
    doc.core_properties.title = content.subtitle
    doc.core_properties.author = "Văn phòng Trung ương Đảng"
    _header(doc, content)
    _title(doc, content)
    for section in content.sections:
        _para(doc, section.title, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, indent=True)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _para(doc, block.text, bold=block.bold, indent=True)
            elif isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Chart):
                _chart(doc, block, images)
    _para(doc, "", after=6)
    _signature(doc, content)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
