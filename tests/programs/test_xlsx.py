"""A program's items from and to Excel: all or nothing, every problem named by its row."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.audit.models import AuditEntry
from dondoc.programs.models import ItemKind, ProgramItem
from dondoc.programs.xlsx import items_import, items_to_xlsx
from tests.agencies.conftest import signed_in

pytestmark = pytest.mark.django_db
HEADER = ["STT", "Tên đề án, nội dung", "Loại", "Thời gian dự kiến trình", "Cơ quan chủ trì",
          "Cơ quan phối hợp"]  # fmt: skip


def workbook(*rows, header=HEADER, above=("CHƯƠNG TRÌNH CÔNG TÁC NĂM 2027",)) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(above))
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = [
    (1, "Đề án về phát triển kinh tế biển", "Đề án", 3, "BTCTW", "Ban Tuyên giáo và Dân vận TW"),
    (2, "Báo cáo tình hình công tác dân vận", "báo cáo", "Quý II", "Ban Tổ chức Trung ương", None),
    (3, "Tờ trình về công tác cán bộ", "Tờ trình", "Tháng 11", "btctw", "BTGDVTW; BNCTW"),
]


@pytest.fixture
def agencies(lead_agency, coord_agency, invited_agency):
    return lead_agency, coord_agency, invited_agency


def test_a_good_file_adds_every_item_through_the_service(program, office_user, agencies):
    lead, coord, invited = agencies
    result = items_import(office_user, program, workbook(*GOOD))
    assert result.ok, result.errors
    assert result.created == 3
    items = list(ProgramItem.objects.filter(program=program).order_by("pk"))
    assert [(i.kind, i.planned_month, i.by_quarter, i.lead_agency) for i in items] == [
        (ItemKind.PROPOSAL, 3, False, lead),
        (ItemKind.REPORT, 6, True, lead),
        (ItemKind.SUBMISSION, 11, False, lead),
    ]
    assert set(items[2].coordinating_agencies.all()) == {coord, invited}
    assert AuditEntry.objects.filter(action="program_item_create").count() == 3


def test_a_bad_file_writes_nothing_and_names_each_problem_by_row(program, office_user, agencies):
    Agency.objects.create(
        code="BKTTW", name="Ban Kinh tế Trung ương", kind=AgencyKind.CENTRAL_BODY,
        valid_to=dt.date(2025, 2, 28),
    )  # fmt: skip
    bad = [
        *GOOD,
        (4, "", "Đề án", 13, "BTCTW", None),
        (5, "Sơ kết nghị quyết", "Kế hoạch", "Quý V", "BKTTW", "Không có ban này"),
    ]
    result = items_import(office_user, program, workbook(*bad))
    assert result.created == 0
    assert [e.message for e in result.errors] == [
        "Dòng 6, cột Tên đề án, nội dung: còn trống.",
        "Dòng 6, cột Thời gian dự kiến trình: “13” không phải tháng (1 đến 12) hay quý "
        "(Quý I đến Quý IV).",
        "Dòng 7, cột Loại: “Kế hoạch” không phải loại nội dung; ghi một trong: Đề án, Báo cáo, "
        "Tờ trình, Dự thảo văn bản, Tổng kết, Sơ kết.",
        "Dòng 7, cột Thời gian dự kiến trình: “Quý V” không phải tháng (1 đến 12) hay quý "
        "(Quý I đến Quý IV).",
        "Dòng 7, cột Cơ quan chủ trì: cơ quan “Ban Kinh tế Trung ương” đã thôi hoạt động từ "
        "28/02/2025; hãy ghi cơ quan kế tục.",
        "Dòng 7, cột Cơ quan phối hợp: không có cơ quan “Không có ban này” (ghi mã, tên viết tắt "
        "hoặc tên đầy đủ).",
    ]
    assert not ProgramItem.objects.exists()


def test_a_refusal_by_the_service_rolls_back_the_rows_before_it(
    program, office_user, agencies, monkeypatch
):
    from django.core.exceptions import ValidationError

    from dondoc.programs import services

    real = services.item_create.step

    def refuse_third(actor, program, **fields):
        if fields["title"].startswith("Tờ trình"):
            raise ValidationError("Không thể đặt độ mật cao hơn mức bạn được tiếp cận.")
        return real(actor, program, **fields)

    monkeypatch.setattr(services.item_create, "step", refuse_third)
    result = items_import(office_user, program, workbook(*GOOD))
    assert [e.message for e in result.errors] == [
        "Dòng 5: Không thể đặt độ mật cao hơn mức bạn được tiếp cận."
    ]
    assert not ProgramItem.objects.exists()


def test_a_file_without_the_header_is_refused(program, office_user, agencies):
    result = items_import(office_user, program, workbook(*GOOD, header=["A", "B", "C"]))
    assert result.errors[0].row == 0
    assert "Không tìm thấy dòng tiêu đề" in result.errors[0].message
    assert not items_import(office_user, program, io.BytesIO(b"not a workbook")).ok


def test_the_export_reimports_and_keeps_formulas_as_text(program, office_user, item, agencies):
    ProgramItem.objects.filter(pk=item.pk).update(title='=HYPERLINK("http://x","bấm")')
    data = items_to_xlsx(ProgramItem.objects.all(), office_user.clearance)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:6] == HEADER
    title = sheet.cell(2, 2)
    assert (title.value, title.data_type, title.quotePrefix) == (
        "=HYPERLINK(\"http://x\",\"bấm\")", "s", True,
    )  # fmt: skip
    assert sheet.cell(2, 4).value == "Tháng 12"
    from dondoc.programs.models import Body, ProgramKind, WorkProgram

    next_year = WorkProgram.objects.create(
        title="Năm 2027", body=Body.POLITBURO, kind=ProgramKind.YEAR, year=2027
    )
    again = items_import(office_user, next_year, io.BytesIO(data))
    assert again.ok, again.errors
    copied = next_year.items.get()
    assert (copied.title, copied.planned_month) == ('=HYPERLINK("http://x","bấm")', 12)


def test_the_pages_import_and_export(program, office_user, lead_focal, agencies):
    url = reverse("programs:items_import", args=[program.pk])
    upload = SimpleUploadedFile("ct.xlsx", workbook(*GOOD[:1], (2, "", "Đề án", 3, "BTCTW")).read())
    refused = signed_in(office_user).post(url, {"file": upload})
    assert refused.status_code == 400
    assert "Dòng 4, cột Tên đề án, nội dung: còn trống." in refused.content.decode()
    good = SimpleUploadedFile("ct.xlsx", workbook(*GOOD).read())
    assert signed_in(office_user).post(url, {"file": good}).status_code == 302
    assert ProgramItem.objects.count() == 3
    assert signed_in(lead_focal).post(url, {"file": good}).status_code == 403
    export = signed_in(lead_focal).get(reverse("programs:items_export", args=[program.pk]))
    assert export.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.values)
    assert len(rows) == 4  # the header and the three items its agency leads


# A full-term program: each row needs its year. ---------------------------------------------


@pytest.fixture
def term(db):
    from dondoc.programs.models import Body, ProgramKind, WorkProgram

    return WorkProgram.objects.create(
        title="Chương trình làm việc toàn khóa", body=Body.POLITBURO, kind=ProgramKind.TERM,
        year=2026, end_year=2030,
    )  # fmt: skip


TERM_HEADER = [*HEADER, "Năm dự kiến trình"]


def test_a_full_term_program_imports_each_row_into_its_year(term, office_user, agencies):
    result = items_import(office_user, term, workbook(
        (*GOOD[0], 2027),
        (*GOOD[1][:3], "Quý II/2028", *GOOD[1][4:], None),
        (*GOOD[2][:3], "11/2029", *GOOD[2][4:], 2029),
        header=TERM_HEADER,
    ))  # fmt: skip
    assert result.ok, result.errors
    items = term.items.order_by("pk")
    assert [(i.planned_year, i.planned_month, i.by_quarter) for i in items] == [
        (2027, 3, False), (2028, 6, True), (2029, 11, False),
    ]  # fmt: skip
    again = items_import(
        office_user, term, io.BytesIO(items_to_xlsx(term.items.all(), office_user.clearance))
    )
    assert again.ok, again.errors  # the export names each item's year
    assert sorted(term.items.values_list("planned_year", flat=True)) == [2027, 2027, 2028,
                                                                         2028, 2029, 2029]  # fmt: skip


def test_a_full_term_file_without_years_writes_nothing_and_names_each_row(
    term, office_user, agencies
):
    result = items_import(office_user, term, workbook(
        GOOD[0],  # no year anywhere
        (*GOOD[1][:3], "Quý II/2028", *GOOD[1][4:], 2027),  # two different years
        (*GOOD[2], "năm sau"),
        header=TERM_HEADER,
    ))  # fmt: skip
    assert [e.message for e in result.errors] == [
        "Dòng 3, cột Năm dự kiến trình: còn trống; chương trình toàn khóa cần năm trình trong "
        "nhiệm kỳ (từ 2026 đến 2030), ghi ở cột này hoặc cùng thời gian, ví dụ 3/2027.",
        "Dòng 4: năm 2027 ở cột Năm dự kiến trình khác năm 2028 ở cột Thời gian dự kiến trình.",
        "Dòng 5, cột Năm dự kiến trình: “năm sau” không phải năm (ghi bốn chữ số, ví dụ 2027).",
    ]
    outside = items_import(office_user, term, workbook(
        (*GOOD[0], 2027), (*GOOD[1], 2031), header=TERM_HEADER,
    ))  # fmt: skip
    assert [e.message for e in outside.errors] == [
        "Dòng 4: Cần chọn năm dự kiến trình trong nhiệm kỳ, từ 2026 đến 2030."
    ]
    assert not ProgramItem.objects.exists()


def test_the_term_page_imports_and_shows_the_rows_refused(term, office_user, agencies):
    web = signed_in(office_user)
    page = web.get(reverse("programs:program_detail", args=[term.pk])).content.decode()
    assert 'id="items-import"' in page
    assert "thêm cột Năm dự kiến trình (từ 2026 đến 2030)" in page
    url = reverse("programs:items_import", args=[term.pk])
    bad = SimpleUploadedFile("ct.xlsx", workbook(GOOD[0]).read())
    refused = web.post(url, {"file": bad})
    assert refused.status_code == 400
    assert 'id="import-errors"' in refused.content.decode()
    assert "Dòng 3, cột Năm dự kiến trình: còn trống" in refused.content.decode()
    good = SimpleUploadedFile("ct.xlsx", workbook((*GOOD[0], 2028), header=TERM_HEADER).read())
    assert web.post(url, {"file": good}).status_code == 302
    assert term.items.get().planned_year == 2028
