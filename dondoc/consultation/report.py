"""The synthesis report (báo cáo tổng hợp, tiếp thu, giải trình ý kiến góp ý) as DOCX and XLSX:
totals by stance, channel and category; per section the themes with counts, a representative
comment and the response. Aggregate only: no commenter's identity is ever written."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.consultation.models import Draft
from dondoc.consultation.selectors import SectionSynthesis, draft_totals, synthesis_of
from dondoc.core.text import clean
from dondoc.core.xlsx import keep_as_text, looks_like_formula


def _section_title(entry: SectionSynthesis) -> str:
    if entry.section is None:
        return _("Ý kiến chung")
    if entry.earlier_version:
        return _("%(section)s (phiên bản %(n)s)") % {"section": entry.section,
                                                    "n": entry.earlier_version}  # fmt: skip
    return str(entry.section)


def _response_text(theme: object) -> str:
    response = getattr(theme, "response", None)
    if response is None:
        return _("Chưa tiếp thu, giải trình")
    return f"{response.get_kind_display()}: {response.explanation}"


def report_docx(draft: Draft) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    header = document.add_paragraph(_("ĐẢNG CỘNG SẢN VIỆT NAM"))
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    today = timezone.localdate()
    document.add_paragraph(_("Hà Nội, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "d": today.day, "m": today.month, "y": today.year}).alignment = WD_ALIGN_PARAGRAPH.RIGHT  # fmt: skip
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(_("BÁO CÁO")).bold = True
    title.add_run("\n" + _("tổng hợp, tiếp thu, giải trình ý kiến góp ý dự thảo")).bold = True
    title.add_run("\n" + clean(draft.title)).bold = True
    document.add_heading(_("I. Số lượng ý kiến"), level=2)
    for group, counts in draft_totals(draft).items():
        line = "; ".join(f"{label}: {n}" for label, n in counts.items())
        document.add_paragraph(f"{_group_label(group)}: {line}.", style="List Bullet")
    document.add_heading(_("II. Ý kiến theo từng phần và việc tiếp thu, giải trình"), level=2)
    for entry in synthesis_of(draft):
        if not entry.comments:
            continue
        document.add_heading(_section_title(entry), level=3)
        document.add_paragraph(_("%(n)s ý kiến (%(d)s ý kiến khác nhau sau khi gộp trùng lặp).")
                               % {"n": entry.comments, "d": entry.distinct})  # fmt: skip
        for theme in entry.themes:
            document.add_paragraph(f"{theme.label} — {theme.weighted_size} " + _("ý kiến"),
                                   style="List Number")  # fmt: skip
            if theme.representative is not None:
                quote = document.add_paragraph(f"“{clean(theme.representative.text)}”")
                quote.runs[0].italic = True
            document.add_paragraph(clean(_response_text(theme)))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _group_label(group: str) -> str:
    return {"stance": _("Theo ý kiến"), "channel": _("Theo kênh"),
            "category": _("Theo đối tượng")}[group]  # fmt: skip


def report_xlsx(draft: Draft) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    totals = book.active
    assert totals is not None
    totals.title = _("Tổng số")
    totals.append([_("Nhóm"), _("Loại"), _("Số ý kiến")])
    for group, counts in draft_totals(draft).items():
        for label, n in counts.items():
            totals.append([_group_label(group), label, n])
    themes = book.create_sheet(_("Chủ đề"))
    themes.append([_("Phần"), _("Chủ đề"), _("Số ý kiến"), _("Khác nhau"), _("Tán thành"),
                   _("Không tán thành"), _("Đồng ý một phần"), _("Ý kiến tiêu biểu"),
                   _("Tiếp thu, giải trình")])  # fmt: skip
    for entry in synthesis_of(draft):
        for theme in entry.themes:
            quote = theme.representative.text if theme.representative else ""
            themes.append([_section_title(entry), theme.label, theme.weighted_size, theme.size,
                           theme.agree, theme.disagree, theme.partial, clean(quote)[:2000],
                           clean(_response_text(theme))])  # fmt: skip
    for cell in (c for sheet in book for row in sheet.iter_rows() for c in row):
        if looks_like_formula(cell.value):  # public text must never run as a formula
            keep_as_text(cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
