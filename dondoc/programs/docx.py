"""The office's appraisal report (báo cáo thẩm định) of a proposal as a Word document in the
Party's format (Hướng dẫn 36-HD/VPTW): A4, Times New Roman 14, the issuing body and the Party's
name side by side at the top, "Số …-BC/VPTW" under a star, the place and date in italics, the
title, the sections (the proposal, how it was prepared and consulted, the checklist, the
conclusion), the signature and "Nơi nhận". Vietnamese whatever the reader's language."""

import io
from collections import Counter
from typing import Any

import docx as python_docx
from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dondoc.accounts.models import Clearance
from dondoc.programs.diff import versions_diff
from dondoc.programs.models import (
    Appraisal,
    CommentHandling,
    CommentRound,
    HandlingOutcome,
    Invitation,
    ProposalVersion,
)

FONT = "Times New Roman"
CENTER, LEFT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def _font(style: Any, size: float) -> None:
    style.font.name, style.font.size = FONT, Pt(size)
    fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        style.element.get_or_add_rPr().insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _para(
    container: Any, text: str = "", *, bold: bool = False, italic: bool = False,
    underline: bool = False, align: Any = JUSTIFY, indent: bool = False, size: float = 0,
    after: float = 6,
) -> Any:  # fmt: skip
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
        if size:
            run.font.size = Pt(size)
    return paragraph


def _borderless(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _two_columns(doc: Any) -> tuple[Any, Any]:
    table = doc.add_table(rows=1, cols=2)
    _borderless(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(7.0), Cm(9.5)
    for cell in (left, right):
        cell._element.remove(cell.paragraphs[0]._element)
    return left, right


def _rounds_text(rounds: list[CommentRound]) -> list[str]:
    lines = []
    for r in rounds:
        invited = list(r.invitations.all())
        answered = [i for i in invited if i.answered_on is not None]
        late = [i for i in answered if i.answered_on and i.answered_on > r.deadline]
        silent = [i.agency.name for i in invited if i.answered_on is None]
        line = (
            f"Lần {r.number}: gửi ngày {r.opened_on:%d/%m/%Y}, hạn trả lời {r.deadline:%d/%m/%Y}; "
            f"{len(answered)}/{len(invited)} cơ quan đã trả lời"
            + (f" ({len(late)} cơ quan trả lời sau hạn)" if late else "")
            + (f"; chưa trả lời: {', '.join(silent)}" if silent else "")
            + "."
        )
        lines.append(line)
    return lines or ["Đề án chưa được gửi lấy ý kiến các cơ quan."]


def _handling_table(doc: Any, rounds: list[CommentRound]) -> None:
    """Bảng tổng hợp tiếp thu, giải trình ý kiến: each comment received in the rounds (agencies
    in order), how the lead agency handled it and why (one query)."""
    answered = list(
        Invitation.objects.filter(round__in=rounds, answered_on__isnull=False)
        .select_related("agency", "round", "handling")
        .order_by("round__number", "agency__sort_text", "pk")
    )
    if not answered:
        return
    _para(doc, "Bảng tổng hợp tiếp thu, giải trình ý kiến của các cơ quan:", indent=True)
    outcomes = dict(HandlingOutcome.choices)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells, ("TT", "Cơ quan", "Ý kiến", "Tiếp thu", "Giải trình"), strict=True
    ):
        cell.text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold, run.font.size = True, Pt(12)
    for n, invitation in enumerate(answered, start=1):
        handling = getattr(invitation, "handling", None)
        values = (
            str(n),
            f"{invitation.agency.name} (lần {invitation.round.number})",
            invitation.opinion,
            str(outcomes[handling.outcome]) if handling else "Chưa xử lý",
            handling.explanation if handling else "",
        )
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(value).font.size = Pt(12)
    _para(doc, "", after=6)


def _changes_since_comments(doc: Any, appraisal: Appraisal, rounds: list[CommentRound]) -> None:
    """What the version appraised changed since the version last sent for comments: the
    sections, and the lead agency's explanations of the versions in between."""
    read = appraisal.version
    commented = next((r.version for r in reversed(rounds) if r.version is not None), None)
    if read is None or commented is None or commented.number >= read.number:
        return
    changed = [d.name for d in versions_diff(commented, read) if d.changed]
    if not changed:
        return
    _para(
        doc,
        f"Phiên bản {read.number} (được thẩm định) thay đổi so với phiên bản {commented.number} "
        f"(được lấy ý kiến) ở các phần: {'; '.join(changed)}.",
        indent=True,
    )
    between = ProposalVersion.objects.filter(
        item=appraisal.item, number__gt=commented.number, number__lte=read.number
    ).exclude(changes_note="")
    for version in between.order_by("number"):
        _para(doc, f"Giải trình (phiên bản {version.number}): {version.changes_note}", indent=True)


def appraisal_docx(appraisal: Appraisal) -> bytes:
    with translation.override("vi"):
        return _render(appraisal)


def _render(appraisal: Appraisal) -> bytes:
    item = appraisal.item
    program = item.program
    doc = python_docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    _font(doc.styles["Normal"], 14)
    doc.core_properties.title = f"Báo cáo thẩm định {item.title}"[:255]
    doc.core_properties.author = "Văn phòng Trung ương Đảng"

    left, right = _two_columns(doc)
    _para(left, "BAN CHẤP HÀNH TRUNG ƯƠNG", align=CENTER, after=0)
    _para(left, "VĂN PHÒNG", bold=True, align=CENTER, after=0)
    _para(left, "*", align=CENTER, after=0)
    _para(left, "Số       -BC/VPTW", align=CENTER, after=0)
    if item.classification:
        _para(left, str(Clearance(item.classification).label).upper(), bold=True, align=CENTER)
    _para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, align=CENTER, size=15)
    day = appraisal.appraised_on
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    _para(right, f"Hà Nội, ngày {day.day:02d} tháng {month} năm {day.year}", italic=True,
          align=CENTER)  # fmt: skip

    _para(doc, "", after=6)
    _para(doc, "BÁO CÁO", bold=True, align=CENTER, size=16, after=0)
    _para(doc, f"thẩm định {item.get_kind_display().lower()} “{item.title}”", bold=True,
          align=CENTER, after=0)  # fmt: skip
    _para(doc, "-----", align=CENTER, after=12)

    coordinators = ", ".join(a.name for a in item.coordinating_agencies.order_by("sort_text"))
    _para(doc, "I. KHÁI QUÁT", bold=True, align=LEFT, indent=True)
    for text in (
        f"Cơ quan chủ trì: {item.lead_agency.name}.",
        f"Cơ quan phối hợp: {coordinators or 'không có'}.",
        f"Cơ quan xem xét, quyết định: {program.get_body_display()}; theo {program.title}, "
        f"dự kiến trình {item.planned_label.lower()}/{program.year}.",
    ):
        _para(doc, text, indent=True)
    _para(doc, "II. NỘI DUNG ĐỀ ÁN", bold=True, align=LEFT, indent=True)
    read = appraisal.version or item  # the version appraised, not what was written since
    if appraisal.version is not None:
        _para(doc, f"(Phiên bản {appraisal.version.number} của đề án.)", italic=True, indent=True)
    for label, text in (
        ("Vấn đề cần giải quyết", read.problem), ("Các phương án", read.options),
        ("Nguồn lực", read.resources), ("Lộ trình", read.roadmap),
        ("Trách nhiệm", read.responsibilities),
    ):  # fmt: skip
        _para(doc, f"{label}: {text or 'chưa có'}", indent=True)
    _para(doc, "III. TRÌNH TỰ XÂY DỰNG, LẤY Ý KIẾN", bold=True, align=LEFT, indent=True)
    rounds = list(
        CommentRound.objects.filter(item=item, opened_on__lte=day)
        .select_related("version")
        .prefetch_related("invitations__agency")
        .order_by("number")
    )
    for line in _rounds_text(rounds):
        _para(doc, line, indent=True)
    handled = Counter(
        CommentHandling.objects.filter(invitation__round__in=rounds).values_list(
            "outcome", flat=True
        )
    )
    received = sum(1 for r in rounds for i in r.invitations.all() if i.answered_on)
    if received:
        _para(
            doc,
            f"Tiếp thu, giải trình {received} ý kiến: tiếp thu {handled['accepted']}, tiếp thu "
            f"một phần {handled['partly']}, không tiếp thu (có giải trình) "
            f"{handled['not_accepted']}, chưa xử lý {received - sum(handled.values())}.",
            indent=True,
        )
    _handling_table(doc, rounds)
    _changes_since_comments(doc, appraisal, rounds)
    _para(doc, "IV. KẾT QUẢ THẨM ĐỊNH", bold=True, align=LEFT, indent=True)
    for label, ok in (
        ("Về nội dung (vấn đề, phương án, nguồn lực, lộ trình, trách nhiệm)", appraisal.content_ok),
        ("Về trình tự, thủ tục", appraisal.procedure_ok),
        ("Về thẩm quyền", appraisal.authority_ok),
    ):
        _para(doc, f"{label}: {'đạt' if ok else 'chưa đạt'}.", indent=True)
    if appraisal.reasons:
        _para(doc, f"Ý kiến thẩm định: {appraisal.reasons}", indent=True)
    _para(doc, "V. KẾT LUẬN", bold=True, align=LEFT, indent=True)
    verdict = (
        f"Đề án đủ điều kiện trình {program.get_body_display()}."
        if appraisal.passed
        else "Đề án chưa đủ điều kiện trình; đề nghị cơ quan chủ trì tiếp thu, hoàn thiện theo "
        "các ý kiến nêu trên và gửi lại Văn phòng Trung ương Đảng thẩm định."
    )
    _para(doc, verdict, indent=True, bold=True)

    _para(doc, "", after=6)
    left, right = _two_columns(doc)
    _para(left, "Nơi nhận:", bold=True, italic=True, underline=True, align=LEFT, size=12, after=0)
    for line in (
        f"- {item.lead_agency.name} (để thực hiện),",
        "- Lãnh đạo Văn phòng,",
        "- Lưu Văn phòng Trung ương Đảng.",
    ):
        _para(left, line, align=LEFT, size=11, after=0)
    _para(right, "T/L BAN BÍ THƯ", bold=True, align=CENTER, after=0)
    _para(right, "CHÁNH VĂN PHÒNG", bold=True, align=CENTER, after=0)
    _para(right, "(Chữ ký, đóng dấu)", italic=True, align=CENTER, after=48)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
