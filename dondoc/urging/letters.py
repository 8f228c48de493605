"""The urging letter (công văn đôn đốc) to one agency, as DOCX in the Party's document format.

Layout after Hướng dẫn 36-HD/VPTW (2018) on the format of Party documents:

- A4, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm; Times New Roman.
- Top left, centred in its half: the superior body "BAN CHẤP HÀNH TRUNG ƯƠNG" (caps, 14,
  regular), the issuing body "VĂN PHÒNG" (caps, 14, bold) with an asterisk below, the number
  and symbol "Số …-CV/VPTW" (14) and, for a letter, the subject "V/v …" (12, italic).
- Top right: "ĐẢNG CỘNG SẢN VIỆT NAM" (caps, 15, bold, with the rule under it), then the place
  and date "Hà Nội, ngày 26 tháng 11 năm 2026" (14, italic; day and month below 10 with a 0).
- "Kính gửi: …", the body (14, justified, first line indented), the table of tasks (12).
- Bottom left "Nơi nhận:" (14, underlined) and its list (12); bottom right the authority
  "T/L CHÁNH VĂN PHÒNG" and the signer's title (caps, 14, bold), room to sign, the name (bold).

The text is the document's own (always Vietnamese, not translated). The number is left blank for the clerical office to give at registration, as is the custom;
the signer's name is a dotted line unless given.
"""

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

import docx
from docx.document import Document as Docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from dondoc.agencies.models import Agency
from dondoc.core.text import clean
from dondoc.tracking.models import Task
from dondoc.urging.selectors import tasks_to_urge

FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.LEFT,
)
COLUMNS = [  # header, width in mm (the text block is 210 - 30 - 15 = 165 mm wide)
    ("STT", 10),
    ("Nhiệm vụ", 57),
    ("Văn bản", 24),
    ("Thời hạn", 21),
    ("Số ngày quá hạn", 19),
    ("Tình trạng", 34),
]
REPLY_WITHIN_DAYS = 7


@dataclass(frozen=True)
class LetterRow:
    title: str
    source: str
    deadline: dt.date
    days_overdue: int
    progress: int

    def status(self, today: dt.date) -> str:
        if self.days_overdue > 0:
            return f"Quá hạn, chưa hoàn thành (tiến độ {self.progress}%)"
        left = (self.deadline - today).days
        if left == 0:
            return f"Đến hạn hôm nay (tiến độ {self.progress}%)"
        return f"Sắp đến hạn, còn {left} ngày (tiến độ {self.progress}%)"


def place_and_date(day: dt.date, place: str = "Hà Nội") -> str:
    """'Hà Nội, ngày 05 tháng 02 năm 2026': day and month below 10 take a leading zero."""
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def letter_rows(agency: Agency, today: dt.date) -> list[LetterRow]:
    rows = []
    for task in tasks_to_urge(agency, today):
        deadline: dt.date = task.effective_due_on
        rows.append(
            LetterRow(
                title=task.title,
                source=_source(task),
                deadline=deadline,
                days_overdue=max((today - deadline).days, 0),
                progress=task.progress,
            )
        )
    rows.sort(key=lambda r: (-r.days_overdue, r.deadline))
    return rows


def _source(task: Task) -> str:
    if task.document is not None:
        return task.document.symbol
    if task.opinion is not None:
        return f"Ý kiến chỉ đạo ngày {task.opinion.session.held_on:%d/%m/%Y}"
    return "—"


def urging_letter_docx(
    agency: Agency,
    today: dt.date,
    *,
    number: str = "",
    signer_title: str = "VỤ TRƯỞNG",
    signer_name: str = "",
) -> bytes:
    """The urging letter to `agency` listing its overdue and due-soon tasks on `today`."""
    rows = letter_rows(agency, today)
    document = _new_document()
    _heading(document, today, number)
    _body(document, agency, today, rows)
    _signature(document, signer_title, signer_name)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _new_document() -> Docx:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return document


def _para(
    container: Docx | _Cell,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH = CENTER,
    indent_first: bool = False,
    after: float = 0,
) -> Paragraph:
    """A paragraph of one run, every run in Times New Roman (also for Vietnamese letters)."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent_first:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    run = paragraph.add_run(clean(text))  # text stored before the columns cleaned it
    run.font.name, run.font.size = FONT, Pt(size)
    run.font.bold, run.font.italic, run.font.underline = bold, italic, underline
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return paragraph


def _two_columns(document: Docx, left_mm: float, right_mm: float) -> tuple[_Cell, _Cell]:
    """A borderless table of one row: the left and right halves of the page."""
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(left_mm), Mm(right_mm)
    for cell in (left, right):  # drop the empty paragraph a new cell starts with
        cell._element.remove(cell.paragraphs[0]._element)
    return left, right


def _heading(document: Docx, today: dt.date, number: str) -> None:
    left, right = _two_columns(document, 75, 90)
    _para(left, "BAN CHẤP HÀNH TRUNG ƯƠNG")
    _para(left, "VĂN PHÒNG", bold=True)
    _para(left, "*")
    _para(left, f"Số {number or '       '}-CV/VPTW", after=2)
    _para(left, "V/v đôn đốc thực hiện nhiệm vụ", size=12, italic=True)
    _para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True, after=8)
    _para(right, place_and_date(today), italic=True)


def _body(document: Docx, agency: Agency, today: dt.date, rows: Sequence[LetterRow]) -> None:
    _para(document, "", after=6)
    _para(document, f"Kính gửi: {agency.name}", after=12)
    overdue = sum(1 for r in rows if r.days_overdue > 0)
    soon = len(rows) - overdue
    if rows:
        opening = (
            f"Thực hiện chức năng theo dõi, đôn đốc việc thực hiện các nghị quyết, chỉ thị, "
            f"kết luận và ý kiến chỉ đạo của Trung ương, Bộ Chính trị, Ban Bí thư, Văn phòng "
            f"Trung ương Đảng thông báo: tính đến ngày {today:%d/%m/%Y}, {agency.name} còn "
            f"{_counts(overdue, soon)}, cụ thể như sau:"
        )
    else:
        opening = (
            f"Tính đến ngày {today:%d/%m/%Y}, {agency.name} không có nhiệm vụ quá hạn hoặc "
            f"sắp đến hạn."
        )
    _para(document, opening, align=JUSTIFY, indent_first=True, after=6)
    if rows:
        _task_table(document, today, rows)
    reply_by = today + dt.timedelta(days=REPLY_WITHIN_DAYS)
    _para(
        document,
        f"Văn phòng Trung ương Đảng trân trọng đề nghị {agency.name} chỉ đạo khẩn trương hoàn "
        f"thành các nhiệm vụ nêu trên; báo cáo kết quả thực hiện (hoặc đề nghị gia hạn, nêu rõ "
        f"lý do) qua hệ thống theo dõi, đôn đốc trước ngày {reply_by:%d/%m/%Y}.",
        align=JUSTIFY,
        indent_first=True,
        after=12,
    )


def _counts(overdue: int, soon: int) -> str:
    """ "2 nhiệm vụ đã quá hạn … và 1 nhiệm vụ sắp đến hạn", naming only the kinds there are."""
    parts = [f"{overdue} nhiệm vụ đã quá hạn nhưng chưa hoàn thành"] if overdue else []
    parts += [f"{soon} nhiệm vụ sắp đến hạn"] if soon else []
    return " và ".join(parts)


def _task_table(document: Docx, today: dt.date, rows: Sequence[LetterRow]) -> None:
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, (header, width) in zip(table.rows[0].cells, COLUMNS, strict=True):
        _cell_text(cell, header, width, bold=True)
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for number, row in enumerate(rows, start=1):
        values = [
            str(number),
            row.title,
            row.source,
            f"{row.deadline:%d/%m/%Y}",
            str(row.days_overdue) if row.days_overdue else "",
            row.status(today),
        ]
        cells = table.add_row().cells
        for cell, value, (_header, width) in zip(cells, values, COLUMNS, strict=True):
            _cell_text(cell, value, width, align=LEFT if width > 30 else CENTER)
    _para(document, "", after=6)


def _cell_text(
    cell: _Cell,
    text: str,
    width_mm: float,
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH = CENTER,
) -> None:
    cell.width = Mm(width_mm)
    cell._element.remove(cell.paragraphs[0]._element)
    _para(cell, text, size=12, bold=bold, align=align)


def _signature(document: Docx, signer_title: str, signer_name: str) -> None:
    left, right = _two_columns(document, 80, 85)
    _para(left, "Nơi nhận:", underline=True, align=LEFT)
    for line in ("- Như trên,", "- Lãnh đạo Văn phòng (để báo cáo),", "- Lưu Văn phòng."):
        _para(left, line, size=12, align=LEFT)
    _para(right, "T/L CHÁNH VĂN PHÒNG", bold=True)
    _para(right, signer_title.upper(), bold=True)
    for _blank in range(4):  # room for the signature and the seal
        _para(right, "")
    _para(right, signer_name or "……………………………", bold=True)
