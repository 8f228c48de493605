"""Adherence: of the items planned for a month, which went on time, late, not yet, postponed or
withdrawn — counted by hand here, item by item, and compared with the program page."""

import datetime as dt

import pytest
from django.urls import reverse

from dondoc.programs.adherence import Standing, adherence_facts, by_body, by_month, in_period
from dondoc.programs.models import (
    ProgramItem,
)
from tests.agencies.conftest import signed_in
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db
d = dt.date


def counts(row) -> dict[str, int]:
    return {str(s): n for s, n in row.counts.items() if n}


def test_each_planned_item_counts_once_in_its_first_planned_month(fixed_day, planned):
    facts = adherence_facts(ProgramItem.objects.filter(program=planned))
    rows, total = by_month(facts, TODAY)
    assert {r.label: counts(r) for r in rows} == {
        "Tháng 3": {"on_time": 2, "late": 1},
        "Tháng 5": {"postponed": 1},  # counted where it was planned, not where it went
        "Tháng 6": {"withdrawn": 1},
        "Tháng 8": {"on_time": 1},  # a refused postponement changes nothing
        "Tháng 9": {"overdue": 1},
        "Tháng 12": {"pending": 1},
    }
    assert total.planned == 8
    assert total.on_time_share == round(100 * 3 / 7, 1)  # 7 due, 3 on time


def test_a_past_day_counts_what_was_known_then(fixed_day, planned):
    facts = adherence_facts(ProgramItem.objects.filter(program=planned))
    rows, _total = by_month(facts, d(2026, 4, 5))
    by_label = {r.label: counts(r) for r in rows}
    assert by_label["Tháng 3"] == {"on_time": 2, "late": 1}
    assert by_label["Tháng 5"] == {"pending": 1}  # the postponement came on 10/4
    assert by_label["Tháng 6"] == {"pending": 1}


def test_by_body_for_a_period(fixed_day, planned):
    facts = in_period(adherence_facts(ProgramItem.objects.all()), d(2026, 10, 1), d(2026, 12, 31))
    rows, total = by_body(facts, TODAY)
    assert [(r.label, counts(r)) for r in rows] == [
        ("Bộ Chính trị", {"pending": 1}),
        ("Ban Bí thư", {"late": 1}),
    ]
    assert total.counts[Standing.LATE] == 1


def test_the_program_page_shows_adherence_by_month(fixed_day, planned, office_user):
    page = signed_in(office_user).get(reverse("programs:program_detail", args=[planned.pk]))
    html = page.content.decode()
    assert 'id="adherence"' in html
    assert "Trình đúng tháng" in html
    assert "Quá tháng, chưa trình" in html
    assert 'id="adherence-leads"' not in html  # by lead agency only when asked
    url = reverse("programs:program_detail", args=[planned.pk]) + "?adherence=lead"
    by_lead = signed_in(office_user).get(url).content.decode()
    assert 'id="adherence-leads"' in by_lead
    assert "Ban Tổ chức Trung ương" in by_lead


def test_the_monthly_review_carries_adherence_as_its_own_section(fixed_day, planned):
    import io

    import docx
    import openpyxl

    from dondoc.reviews.content import review_content
    from dondoc.reviews.figures import review_figures
    from dondoc.reviews.periods import period_parse, scope_parse
    from dondoc.reviews.services import review_render

    figures = review_figures(period_parse("2026-03"), scope_parse("all"))
    (section,) = figures["sections"]
    # As of 31/3 the item submitted on 2/4 is not yet submitted, and its month not yet over.
    assert section["rows"] == [["Bộ Chính trị", 3, 2, 0, 0, 0, 0, 1, 0, 100.0]]
    quarter = review_figures(period_parse("2026-Q2"), scope_parse("all"))["sections"][0]
    assert quarter["rows"] == [["Bộ Chính trị", 2, 0, 0, 0, 1, 1, 0, 0, 0.0]]
    content = review_content(figures)
    assert content.sections[-1].title == "VIII. THỰC HIỆN CHƯƠNG TRÌNH CÔNG TÁC"
    files = review_render(figures, ["docx", "xlsx"])
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(files["docx"])).paragraphs)
    assert "VIII. THỰC HIỆN CHƯƠNG TRÌNH CÔNG TÁC" in text
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert "Chương trình công tác" in book.sheetnames
    # A month with nothing planned, or a review of one document, has no such section.
    assert review_figures(period_parse("2026-01"), scope_parse("all"))["sections"] == []


def test_by_lead_agency(fixed_day, planned, coord_agency):
    from dondoc.programs.adherence import by_lead

    ProgramItem.objects.filter(title__startswith="F").update(lead_agency=coord_agency)
    rows = by_lead(adherence_facts(ProgramItem.objects.filter(program=planned)), TODAY)
    assert [(r.label, r.planned, counts(r).get("overdue", 0)) for r in rows] == [
        ("Ban Tổ chức Trung ương", 7, 0),
        ("Ban Tuyên giáo và Dân vận Trung ương", 1, 1),
    ]


def test_the_monthly_review_breaks_adherence_down_by_lead_agency(fixed_day, planned, coord_agency):
    import io

    import openpyxl

    from dondoc.reviews.content import review_content
    from dondoc.reviews.figures import review_figures
    from dondoc.reviews.periods import period_parse, scope_parse
    from dondoc.reviews.services import review_render

    ProgramItem.objects.filter(title__startswith="B").update(lead_agency=coord_agency)
    figures = review_figures(period_parse("2026-Q1"), scope_parse("all"))
    (section,) = figures["sections"]
    (by_lead_table,) = section["tables"]
    # As of 31/3: A and C on time (BTCTW); B (BTGDVTW) submitted on 2/4, so not yet, and its
    # month not yet over.
    assert by_lead_table["rows"] == [
        ["Ban Tổ chức Trung ương", 2, 2, 0, 0, 0, 0, 0, 0, 100.0],
        ["Ban Tuyên giáo và Dân vận Trung ương", 1, 0, 0, 0, 0, 0, 1, 0, None],
    ]
    assert by_lead_table["total"] == section["total"]
    section_viii = review_content(figures).sections[-1]
    captions = [b.caption for b in section_viii.blocks if hasattr(b, "caption")]
    assert captions == [
        "Bảng 8. Thực hiện chương trình công tác theo cơ quan xem xét",
        "Bảng 9. Thực hiện chương trình công tác theo cơ quan chủ trì",
    ]
    files = review_render(figures, ["docx", "pdf", "xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    sheet = book["CTCT theo cơ quan chủ trì"]
    assert "Ban Tuyên giáo và Dân vận Trung ương" in [c.value for c in sheet["A"]]
    assert files["pdf"].startswith(b"%PDF")
    # An agency's own review: the items it leads, without a table by lead agency.
    own = review_figures(period_parse("2026-Q1"), scope_parse("agency:BTCTW"))["sections"]
    assert "tables" not in own[0]
