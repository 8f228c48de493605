"""The review as PDF (fpdf2), laid out like the Word document: same header blocks, sections,
tables and charts. The fonts are the DejaVu Serif TTFs that ship inside matplotlib — no network
at run time — and are embedded (subset), so every Vietnamese letter prints as itself."""

import io
import logging
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace

from .content import NUMERIC_KINDS, Chart, Paragraph, ReviewContent, Table, cell_text

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FAMILY = "DejaVuSerif"
FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf",
              "BI": "DejaVuSerif-BoldItalic.ttf"}  # fmt: skip
# DejaVu Serif is wider than Times New Roman: 12.5/9 pt here reads like 14/12 pt in Word.
BODY_PT, TABLE_PT, SMALL_PT = 12.5, 9, 8
LINE = 6.2  # mm per body line
logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every glyph it subsets


class ReviewPDF(FPDF):
    running_title = ""

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FAMILY, "I", SMALL_PT)
        self.cell(0, 5, f"{self.running_title} — trang {self.page_no()}/{{nb}}", align="C")


def _new_pdf(content: ReviewContent) -> ReviewPDF:
    pdf = ReviewPDF(orientation="P", unit="mm", format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(FONTS / name))
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.running_title = content.running_title
    pdf.set_title(content.subtitle)
    pdf.set_author("Văn phòng Trung ương Đảng")
    pdf.set_creator("dondoc")
    pdf.set_creation_date(content.issued_at)  # the same figures give the same file
    pdf.add_page()
    return pdf


def _header(pdf: FPDF, content: ReviewContent) -> None:
    top, left_w = pdf.get_y(), 76.0
    right_x, right_w = pdf.l_margin + left_w, pdf.epw - left_w
    lines = [(content.issuer_left[0], ""), (content.issuer_left[1], "B"),
             (content.issuer_left[2], ""), (content.issuer_left[3], "")]  # fmt: skip
    if content.classification:
        lines.append((content.classification, "B"))
    for text, style in lines:
        pdf.set_font(FAMILY, style, BODY_PT)
        pdf.cell(left_w, LINE, text, align="C", new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y()
    pdf.set_xy(right_x, top)
    pdf.set_font(FAMILY, "BU", BODY_PT + 0.5)
    pdf.cell(right_w, LINE, content.issuer_right, align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(LINE)
    pdf.set_x(right_x)
    pdf.set_font(FAMILY, "I", BODY_PT)
    pdf.cell(right_w, LINE, content.place_date, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(bottom, pdf.get_y()) + LINE)


def _title(pdf: FPDF, content: ReviewContent) -> None:
    pdf.set_font(FAMILY, "B", BODY_PT + 2)
    pdf.cell(0, LINE + 1, content.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", BODY_PT)
    pdf.multi_cell(0, LINE, content.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, LINE, "-----", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _paragraph(pdf: FPDF, text: str, style: str = "", align: str = "J") -> None:
    pdf.set_font(FAMILY, style, BODY_PT)
    columns = pdf.text_columns(text_align=align, line_height=1.25)
    with columns, columns.paragraph(first_line_indent=12.7, bottom_margin=2) as paragraph:
        paragraph.write(text)


def _table(pdf: FPDF, table: Table) -> None:
    pdf.set_font(FAMILY, "B", TABLE_PT + 1)
    pdf.multi_cell(0, 5.5, table.caption, align="C", new_x="LMARGIN", new_y="NEXT")
    if not table.rows:
        _paragraph(pdf, table.empty, "I")
        return
    pdf.set_font(FAMILY, "", TABLE_PT)
    aligns = ["C" if c.kind in NUMERIC_KINDS else "L" for c in table.columns]
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=[c.width for c in table.columns],
        line_height=4.4,
        padding=1,
        headings_style=bold,
        text_align="CENTER",
        repeat_headings=1,
    ) as grid:
        grid.row([c.title for c in table.columns])
        for values in table.printed_rows:
            row = grid.row()
            for value, column, align in zip(values, table.columns, aligns, strict=True):
                row.cell(cell_text(value, column.kind), align=align)
        if table.total is not None:
            row = grid.row(style=bold)
            for value, column, align in zip(table.total, table.columns, aligns, strict=True):
                row.cell(cell_text(value, column.kind), align=align)
    if table.cut_note:
        pdf.set_font(FAMILY, "I", TABLE_PT)
        pdf.multi_cell(0, 4.5, table.cut_note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _chart(pdf: FPDF, chart: Chart, images: dict[str, bytes]) -> None:
    png = images.get(chart.key)
    if png is None:
        return
    width = 150.0
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)
    pdf.set_font(FAMILY, "I", TABLE_PT + 1)
    pdf.multi_cell(0, 5, chart.caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _signature(pdf: FPDF, content: ReviewContent) -> None:
    if pdf.will_page_break(55):
        pdf.add_page()
    top, left_w = pdf.get_y() + 2, 80.0
    right_x, right_w = pdf.l_margin + left_w, pdf.epw - left_w
    pdf.set_xy(pdf.l_margin, top)
    pdf.set_font(FAMILY, "BIU", 11)
    pdf.cell(left_w, 5, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    for line in content.recipients:
        pdf.multi_cell(left_w, 4.6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(right_x, top)
    pdf.set_font(FAMILY, "B", BODY_PT)
    for line in content.signature:
        pdf.cell(right_w, LINE, line, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "I", BODY_PT - 1)
    pdf.cell(right_w, LINE, content.signer[0], align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(18)
    pdf.set_font(FAMILY, "B", BODY_PT)
    for line in content.signer[1:]:
        pdf.cell(right_w, LINE, line, align="C", new_x="LEFT", new_y="NEXT")


def review_pdf(content: ReviewContent, images: dict[str, bytes]) -> bytes:
    pdf = _new_pdf(content)
    _header(pdf, content)
    _title(pdf, content)
    for section in content.sections:
        pdf.set_x(pdf.l_margin)
        _paragraph(pdf, section.title, "B", "L")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _paragraph(pdf, block.text, "B" if block.bold else "")
            elif isinstance(block, Table):
                _table(pdf, block)
            elif isinstance(block, Chart):
                _chart(pdf, block, images)
    _signature(pdf, content)
    return bytes(pdf.output())
