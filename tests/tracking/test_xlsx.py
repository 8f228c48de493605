"""Tasks in and out of Excel: the office's own table imported all-or-nothing, any list exported."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.audit.models import AuditEntry
from dondoc.audit.services import audit_verify
from dondoc.tracking import services, xlsx
from dondoc.tracking.models import Coordination, DeadlineKind, Task
from dondoc.tracking.status import TaskStatus
from dondoc.tracking.xlsx import RowError, import_tasks, parse_deadline, tasks_to_xlsx
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 26)
DAY = dt.timedelta(days=1)
HEADER = ["Số ký hiệu văn bản", "Điều khoản", "Nội dung nhiệm vụ", "Cơ quan chủ trì",
          "Cơ quan phối hợp", "Thời hạn", "Sản phẩm", "Ghi chú"]  # fmt: skip


def excel_day(year, month, day) -> dt.datetime:
    """A date cell as openpyxl reads it: a naive datetime (Excel has no time zones)."""
    return dt.datetime(year, month, day)  # noqa: DTZ001


def sheet_bytes(rows, *, above=(), merges=(), header=HEADER, name="nhiem-vu.xlsx") -> io.BytesIO:
    """An .xlsx upload: optional title rows, the header, then `rows` (lists or None for blank)."""
    book = Workbook()
    sheet = book.active
    for row in above:
        sheet.append(row)
    sheet.append(header)
    for row in rows:
        sheet.append(row or [])
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def row(symbol="57-NQ/TW", clause="", content="Xây dựng đề án", lead="BTCTW", coordinators="",
        deadline="15/12/2026", product="", note=""):  # fmt: skip
    return [symbol, clause, content, lead, coordinators, deadline, product, note]


@pytest.fixture
def leadership(db) -> Agency:
    return Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)


@pytest.fixture
def culture_ministry(db) -> Agency:
    return Agency.objects.create(
        code="BVHTTDL", name="Bộ Văn hóa, Thể thao và Du lịch", kind=AgencyKind.MINISTRY
    )


@pytest.fixture
def inspection_committee(db) -> Agency:
    return Agency.objects.create(
        code="UBKTTW", name="Ủy ban Kiểm tra Trung ương", kind=AgencyKind.CENTRAL_BODY
    )


@pytest.fixture
def document(office_user, leadership):
    return services.document_register(
        office_user, symbol="57-NQ/TW", issuing_body=leadership, issued_on=dt.date(2024, 12, 22),
        title="Về đột phá phát triển khoa học, công nghệ", term="XIII",
    )  # fmt: skip


@pytest.fixture
def agencies(office_agency, lead_agency, other_agency, culture_ministry, inspection_committee):
    return {a.code: a for a in Agency.objects.all()}


def imported(upload, actor, **kwargs):
    return import_tasks(upload, actor, today=TODAY, **kwargs)


# Import: a valid table --------------------------------------------------------------------------


def test_valid_table_creates_every_task_with_its_lead_coordinators_and_deadline(
    office_user, document, agencies
):
    upload = sheet_bytes([
        row(clause="Mục III.1", content="Ban hành quy định", lead="Ban Tổ chức Trung ương",
            coordinators="VPTW; Thành ủy Hà Nội", deadline=excel_day(2026, 12, 15),
            product="Quy định"),
        row(content="Tổng kết thí điểm", lead="btctw", deadline="tháng 12/2026"),
        row(content="Sơ kết", lead="VPTW", coordinators="BTCTW\nHà Nội", deadline="quý I/2027"),
        row(content="Báo cáo tình hình", lead="Hà Nội", deadline="hằng tháng", note="Gửi VPTW"),
        row(content="Báo cáo quý", lead="HANOI", deadline="Hàng quý"),
        row(content="Quán triệt nghị quyết", lead="UBKTTW", deadline="thường xuyên"),
    ])  # fmt: skip

    result = imported(upload, office_user)

    assert result == xlsx.ImportResult(created=6, errors=[])
    tasks = {t.title: t for t in Task.objects.select_related("lead_agency")}
    first = tasks["Ban hành quy định"]
    assert (first.lead_agency.code, first.source_clause, first.expected_product) == (
        "BTCTW", "Mục III.1", "Quy định"
    )  # fmt: skip
    assert sorted(first.coordinations.values_list("agency__code", flat=True)) == ["HANOI", "VPTW"]
    assert (first.document, first.created_on, first.search_text) == (
        document, TODAY, "ban hanh quy dinh"
    )  # fmt: skip
    deadlines = {title: (t.deadline_kind, t.due_on) for title, t in tasks.items()}
    assert deadlines == {
        "Ban hành quy định": (DeadlineKind.DATE, dt.date(2026, 12, 15)),
        "Tổng kết thí điểm": (DeadlineKind.MONTH, dt.date(2026, 12, 31)),
        "Sơ kết": (DeadlineKind.QUARTER, dt.date(2027, 3, 31)),
        "Báo cáo tình hình": (DeadlineKind.MONTHLY, dt.date(2026, 11, 30)),
        "Báo cáo quý": (DeadlineKind.QUARTERLY, dt.date(2026, 12, 31)),
        "Quán triệt nghị quyết": (DeadlineKind.ONGOING, None),
    }
    assert sorted(tasks["Sơ kết"].coordinations.values_list("agency__code", flat=True)) == [
        "BTCTW", "HANOI"
    ]  # fmt: skip
    assert tasks["Báo cáo tình hình"].description == "Ghi chú: Gửi VPTW"


def test_each_imported_task_is_audited_with_its_fields_source_and_file(
    office_user, document, agencies
):
    before = AuditEntry.objects.count()
    imported(sheet_bytes([row(), row(content="Nhiệm vụ hai")], name="ket-luan.xlsx"), office_user)

    entries = AuditEntry.objects.filter(seq__gt=before).order_by("seq")
    ids = sorted(Task.objects.values_list("pk", flat=True))
    assert [(e.action, e.object_type, int(e.object_id)) for e in entries] == [
        ("create", "tracking.task", pk) for pk in ids
    ]
    changes = entries[1].changes
    assert entries[1].actor_label == "chuyenvien"
    assert changes["title"] == [None, "Nhiệm vụ hai"]
    assert changes["due_on"] == [None, "2026-12-15"]
    assert (changes["source"], changes["file"]) == ([None, "import"], [None, "ket-luan.xlsx"])
    assert entries[1].agency_id == agencies["BTCTW"].pk
    assert audit_verify().ok


def test_task_takes_the_classification_of_its_document(office_user, leadership, agencies):
    services.document_register(
        office_user, symbol="12-CT/TW", issuing_body=leadership, issued_on=dt.date(2025, 1, 3),
        title="Chỉ thị mật", classification=1,
    )  # fmt: skip
    assert imported(sheet_bytes([row(symbol="12-CT/TW")]), office_user).created == 1
    assert Task.objects.get().classification == 1


@pytest.mark.parametrize(
    "written",
    ["BTCTW", "btctw", "Ban Tổ chức Trung ương", "BAN TO CHUC TRUNG UONG", "Ban Tổ chức TƯ",
     "Ban Tổ chức TW", "  Ban   tổ chức  trung ương "],
)  # fmt: skip
def test_lead_is_found_by_code_or_name_whatever_the_diacritics_case_or_abbreviation(
    office_user, document, agencies, written
):
    assert imported(sheet_bytes([row(lead=written)]), office_user).created == 1
    assert Task.objects.get().lead_agency.code == "BTCTW"


def test_tone_mark_placement_does_not_matter(office_user, document, agencies):
    result = imported(sheet_bytes([row(lead="Uỷ ban Kiểm tra Trung ương")]), office_user)
    assert result.created == 1
    assert Task.objects.get().lead_agency.code == "UBKTTW"


def test_comma_inside_an_agency_name_does_not_split_it(office_user, document, agencies):
    upload = sheet_bytes([row(coordinators="Bộ Văn hóa, Thể thao và Du lịch, Thành ủy Hà Nội")])
    assert imported(upload, office_user).created == 1
    coordinators = Coordination.objects.values_list("agency__code", flat=True)
    assert sorted(coordinators) == ["BVHTTDL", "HANOI"]


def test_header_is_found_below_title_rows_with_extra_columns_and_blank_rows(
    office_user, document, agencies
):
    header = ["STT", *HEADER[:3], "Ghi chú nội bộ", *HEADER[3:]]
    upload = sheet_bytes(
        [["1", *row()[:3], "bỏ qua", *row()[3:]], None, ["(1)", "(2)", "(3)", "(4)"],
         ["2", *row(content="Nhiệm vụ hai")[:3], "", *row(content="Nhiệm vụ hai")[3:]]],
        above=[["BAN CHỈ ĐẠO"], ["DANH MỤC NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT 57-NQ/TW"], []],
        merges=["A1:I1", "A2:I2"],
        header=header,
    )  # fmt: skip
    result = imported(upload, office_user)
    assert result.errors == []
    assert sorted(Task.objects.values_list("title", flat=True)) == [
        "Nhiệm vụ hai",
        "Xây dựng đề án",
    ]


def test_two_row_header_counts_its_lower_titles(office_user, document, agencies):
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Số, ký hiệu văn bản", "Nội dung nhiệm vụ", "Cơ quan thực hiện", None, "Thời hạn"]
    )
    sheet.append([None, None, "Chủ trì", "Phối hợp", None])
    sheet.append(["57-NQ/TW", "Xây dựng đề án", "BTCTW", "VPTW", "31/12/2026"])
    for ref in ("A1:A2", "B1:B2", "C1:D1", "E1:E2"):
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    assert imported(buffer, office_user) == xlsx.ImportResult(1, [])
    assert Coordination.objects.get().agency.code == "VPTW"


def test_document_cell_merged_down_counts_for_each_of_its_rows(office_user, document, agencies):
    upload = sheet_bytes(
        [row(), row(symbol=None, content="Hai"), row(symbol=None, content="Ba")], merges=["A2:A4"]
    )
    assert imported(upload, office_user).created == 3
    assert Task.objects.filter(document=document).count() == 3


def test_export_reads_back_in_as_an_import(office_user, document, agencies):
    imported(sheet_bytes([row(coordinators="VPTW"), row(content="Hai", deadline="hằng quý")]),
             office_user)  # fmt: skip
    exported = io.BytesIO(tasks_to_xlsx(Task.objects.all(), today=TODAY))
    Task.objects.all().delete()

    assert imported(exported, office_user).created == 2
    assert Coordination.objects.get().agency.code == "VPTW"


def test_path_is_accepted_as_well_as_an_open_file(office_user, document, agencies, tmp_path):
    path = tmp_path / "bang.xlsx"
    path.write_bytes(sheet_bytes([row()]).getvalue())
    assert import_tasks(Path(path), office_user, today=TODAY).created == 1
    assert AuditEntry.objects.get(action="create", object_type="tracking.task").changes["file"] == [
        None,
        "bang.xlsx",
    ]


def test_long_content_is_kept_whole_in_the_description(office_user, document, agencies):
    content = " ".join(["Xây dựng và hoàn thiện thể chế"] * 30)
    imported(sheet_bytes([row(content=content)]), office_user)
    task = Task.objects.get()
    assert len(task.title) <= 500
    assert task.title.endswith("…")
    assert task.description == content


# Import: wrong rows --------------------------------------------------------------------------


def test_every_bad_row_is_reported_by_its_excel_row_and_nothing_is_written(
    office_user, document, agencies
):
    tasks_before, audit_before = Task.objects.count(), AuditEntry.objects.count()
    upload = sheet_bytes(
        [
            row(content="Đúng"),  # row 4
            row(lead="Ban Tổ chức XYZ"),  # 5
            row(deadline="cuối năm"),  # 6
            row(content=""),  # 7
            row(symbol="99-NQ/TW"),  # 8
            row(coordinators="VPTW, BTCTW"),  # 9
            row(deadline="31/02/2026"),  # 10
            row(deadline="01/01/2024"),  # 11
            row(symbol="NQ57/TW", lead="", deadline=""),  # 12
        ],
        above=[["DANH MỤC NHIỆM VỤ"], []],
    )

    result = imported(upload, office_user)

    assert result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [
        (5, "Cơ quan chủ trì"),
        (6, "Thời hạn"),
        (7, "Nội dung nhiệm vụ"),
        (8, "Số ký hiệu văn bản"),
        (9, "Cơ quan phối hợp"),
        (10, "Thời hạn"),
        (11, "Thời hạn"),
        (12, "Số ký hiệu văn bản"),
        (12, "Cơ quan chủ trì"),
        (12, "Thời hạn"),
    ]
    messages = [e.message for e in result.errors]
    assert messages[0] == "Dòng 5, cột Cơ quan chủ trì: không tìm thấy cơ quan “Ban Tổ chức XYZ”"
    assert messages[1].startswith("Dòng 6, cột Thời hạn: không hiểu thời hạn “cuối năm”; ghi ngày")
    assert messages[2] == "Dòng 7, cột Nội dung nhiệm vụ: thiếu nội dung nhiệm vụ."
    assert "không tìm thấy văn bản “99-NQ/TW” đã đăng ký" in messages[3]
    assert messages[4] == (
        "Dòng 9, cột Cơ quan phối hợp: cơ quan “Ban Tổ chức Trung ương” đã là cơ quan chủ trì, "
        "không ghi lại là cơ quan phối hợp."
    )
    assert (
        messages[5] == "Dòng 10, cột Thời hạn: thời hạn “31/02/2026” không phải một ngày có thật."
    )
    assert messages[6] == (
        "Dòng 11, cột Thời hạn: thời hạn 01/01/2024 trước ngày ban hành văn bản 57-NQ/TW "
        "(22/12/2024)."
    )
    assert "không đúng thể thức" in messages[7]
    assert messages[8] == "Dòng 12, cột Cơ quan chủ trì: thiếu cơ quan chủ trì."
    assert messages[9].startswith("Dòng 12, cột Thời hạn: thiếu thời hạn")
    assert (Task.objects.count(), AuditEntry.objects.count()) == (tasks_before, audit_before)


def test_name_shared_by_two_agencies_is_ambiguous_and_both_are_named(
    office_user, document, agencies
):
    Agency.objects.create(code="HANOI2", name="Hà Nội", kind=AgencyKind.OTHER)
    [error] = imported(sheet_bytes([row(lead="Hà Nội")]), office_user).errors
    assert error.message == (
        "Dòng 2, cột Cơ quan chủ trì: “Hà Nội” khớp với 2 cơ quan: Thành ủy Hà Nội (mã HANOI); "
        "Hà Nội (mã HANOI2); hãy ghi mã cơ quan."
    )


def test_agency_that_ended_is_refused_with_its_end_date(office_user, document, agencies):
    Agency.objects.create(code="BTGTW", name="Ban Tuyên giáo Trung ương",
                          kind=AgencyKind.CENTRAL_BODY, valid_to=dt.date(2025, 2, 28))  # fmt: skip
    [error] = imported(sheet_bytes([row(lead="Ban Tuyên giáo TƯ")]), office_user).errors
    assert "“Ban Tuyên giáo Trung ương” đã thôi hoạt động từ 28/02/2025" in error.message


def test_two_leads_in_one_cell_are_refused(office_user, document, agencies):
    [error] = imported(sheet_bytes([row(lead="BTCTW; VPTW")]), office_user).errors
    assert "mỗi nhiệm vụ chỉ có một cơ quan chủ trì; ô này ghi 2 cơ quan" in error.message


def test_misspelt_agency_gets_a_suggestion(office_user, document, agencies):
    [error] = imported(sheet_bytes([row(lead="Ban Tổ chứt Trung ương")]), office_user).errors
    assert error.message.endswith("(có phải “Ban Tổ chức Trung ương”?)")


def test_two_documents_with_one_symbol_need_the_issue_date(
    office_user, document, leadership, agencies
):
    services.document_register(
        office_user, symbol="57-NQ/TW", issuing_body=leadership, issued_on=dt.date(2014, 3, 5),
        title="Khóa trước", term="XI",
    )  # fmt: skip
    [error] = imported(sheet_bytes([row(symbol="57-nq/tw")]), office_user).errors
    assert "có 2 văn bản số, ký hiệu “57-nq/tw” (ban hành ngày 22/12/2024, 05/03/2014)" in (
        error.message
    )
    assert imported(sheet_bytes([row(symbol="57-NQ/TW ngày 22/12/2024")]), office_user).created == 1
    assert Task.objects.get().document == document


def test_document_above_the_users_clearance_is_not_found(leader, leadership, agencies):
    services.document_register(
        leader, symbol="9-KL/TW", issuing_body=leadership, issued_on=dt.date(2025, 1, 3),
        title="Tối mật", classification=3,
    )  # fmt: skip
    specialist = make_user("chuyenvien2", None, "office", clearance=0)
    [error] = imported(sheet_bytes([row(symbol="9-KL/TW")]), specialist).errors
    assert "không tìm thấy văn bản “9-KL/TW”" in error.message


def test_missing_required_column_is_named(office_user, document, agencies):
    upload = sheet_bytes([row()[:5]], header=HEADER[:5])
    assert imported(upload, office_user).errors == [
        RowError(1, "", "Dòng 1: dòng tiêu đề thiếu cột “Thời hạn”.")
    ]


def test_sheet_without_a_header_is_refused(office_user, db):
    [error] = imported(sheet_bytes([["a", "b"]], header=["x", "y"]), office_user).errors
    assert (error.row, error.column) == (0, "Tệp")
    assert error.message.startswith("Không tìm thấy dòng tiêu đề")


def test_error_list_stops_at_the_cap_and_counts_the_rest(
    office_user, document, agencies, monkeypatch
):
    monkeypatch.setattr(xlsx, "MAX_ERRORS", 3)
    result = imported(sheet_bytes([row(lead="?")] * 5), office_user)
    assert len(result.errors) == 4
    assert result.errors[-1] == RowError(0, "", "… và 2 lỗi khác.")


def test_example_row_of_the_template_is_refused(office_user, document, agencies):
    result = imported(io.BytesIO(xlsx.template_xlsx()), office_user)
    assert (result.errors[0].row, result.errors[0].column) == (2, "Nội dung nhiệm vụ")
    assert "dòng ví dụ của tệp mẫu" in result.errors[0].message


# Import: wrong files -------------------------------------------------------------------------


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"STT;Noi dung\n1;abc\n", "không phải bảng tính Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97-2003 (.xls)"),
        (_zip_without_workbook(), "không phải bảng tính Excel (.xlsx)"),
        (b"PK\x03\x04" + b"\0" * 100, "không phải bảng tính Excel (.xlsx)"),
        (b"", "không phải bảng tính Excel (.xlsx)"),
    ],
    ids=["csv", "xls", "docx-like-zip", "broken-zip", "empty"],
)
def test_file_that_is_not_xlsx_is_refused_without_writing(office_user, db, content, says):
    result = imported(io.BytesIO(content), office_user)
    [error] = result.errors
    assert (result.created, error.row, error.column) == (0, 0, "Tệp")
    assert says in error.message
    assert not Task.objects.exists()


def test_workbook_with_a_damaged_sheet_is_refused(office_user, db):
    good = zipfile.ZipFile(sheet_bytes([row()]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for name in good.namelist():
            text = b"<worksheet><sheetData><row" if name.endswith("sheet1.xml") else None
            damaged.writestr(name, text or good.read(name))
    [error] = imported(buffer, office_user).errors
    assert (error.row, error.column) == (0, "Tệp")
    assert error.message.startswith("Không đọc được tệp")


def test_opendocument_spreadsheet_is_refused_with_advice(office_user, db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    [error] = imported(buffer, office_user).errors
    assert error.message == "Tệp là bảng tính OpenDocument (.ods). Hãy lưu lại dạng Excel (.xlsx)."


def test_table_with_a_header_and_no_rows_is_refused(office_user, db):
    [error] = imported(sheet_bytes([None, None]), office_user).errors
    assert error == RowError(0, "Tệp", "Tệp không có dòng nhiệm vụ nào.")


def test_file_over_the_size_limit_is_refused(office_user, db, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_UPLOAD_BYTES", 1000)
    [error] = imported(io.BytesIO(b"x" * 1001), office_user).errors
    assert (error.row, error.column) == (0, "Tệp")
    assert "Tệp lớn hơn" in error.message


# Deadlines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (excel_day(2026, 12, 15), (DeadlineKind.DATE, dt.date(2026, 12, 15))),
        (46371, (DeadlineKind.DATE, dt.date(2026, 12, 15))),
        ("15/12/2026", (DeadlineKind.DATE, dt.date(2026, 12, 15))),
        ("5-1-2027", (DeadlineKind.DATE, dt.date(2027, 1, 5))),
        ("Trước ngày 15/12/2026", (DeadlineKind.DATE, dt.date(2026, 12, 15))),
        ("ngày 15 tháng 12 năm 2026", (DeadlineKind.DATE, dt.date(2026, 12, 15))),
        ("tháng 12/2026", (DeadlineKind.MONTH, dt.date(2026, 12, 31))),
        ("Trong tháng 2 năm 2028", (DeadlineKind.MONTH, dt.date(2028, 2, 29))),
        ("12/2026", (DeadlineKind.MONTH, dt.date(2026, 12, 31))),
        ("quý I/2027", (DeadlineKind.QUARTER, dt.date(2027, 3, 31))),
        ("Quý 3 năm 2027", (DeadlineKind.QUARTER, dt.date(2027, 9, 30))),
        ("hằng tháng", (DeadlineKind.MONTHLY, dt.date(2026, 11, 30))),
        ("Hàng quý", (DeadlineKind.QUARTERLY, dt.date(2026, 12, 31))),
        ("Thường xuyên", (DeadlineKind.ONGOING, None)),
    ],
)
def test_deadline_forms_offices_write(written, expected):
    assert parse_deadline(written, TODAY) == expected


@pytest.mark.parametrize(
    "written", ["năm 2026", "6 tháng đầu năm", "quý V/2026", "tháng 13/2026", "15/12/26", "x"]
)
def test_other_deadline_texts_are_errors(written):
    with pytest.raises(xlsx._CellError):
        parse_deadline(written, TODAY)


# Export --------------------------------------------------------------------------------------


@pytest.fixture
def listed_tasks(office_user, document, agencies):
    lead, coordinator = agencies["BTCTW"], agencies["HANOI"]
    done = services.task_create(
        office_user, title="Đã xong", lead_agency=lead, document=document, due_on=TODAY - 5 * DAY,
        created_on=TODAY - 60 * DAY, expected_product="Báo cáo", is_key=True,
        coordinating_agencies=[coordinator, agencies["VPTW"]],
    )  # fmt: skip
    Task.objects.filter(pk=done.pk).update(
        reported_done_on=TODAY - 6 * DAY, accepted_on=TODAY - 2 * DAY, progress=100,
        last_report_on=TODAY - 6 * DAY,
    )  # fmt: skip
    services.task_create(
        office_user, title="Quá hạn", lead_agency=lead, document=document, due_on=TODAY - DAY,
        created_on=TODAY - 60 * DAY,
    )  # fmt: skip
    services.task_create(
        office_user, title="Theo quý", lead_agency=coordinator, document=document,
        deadline_kind=DeadlineKind.QUARTER, due_on=dt.date(2027, 3, 31), created_on=TODAY,
    )  # fmt: skip
    services.task_create(
        office_user, title="=1+1 không phải công thức", lead_agency=coordinator,
        deadline_kind=DeadlineKind.ONGOING, due_on=None, created_on=TODAY,
    )  # fmt: skip
    return Task.objects.order_by("id")


def test_export_reads_back_with_values_status_labels_and_real_dates(listed_tasks):
    sheet = load_workbook(io.BytesIO(tasks_to_xlsx(listed_tasks, today=TODAY)))["Nhiệm vụ"]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0] == tuple(title for title, _width in xlsx.EXPORT_COLUMNS)
    assert rows[1] == (
        1, "57-NQ/TW", None, "Đã xong", "Ban Tổ chức Trung ương",
        "Thành ủy Hà Nội; Văn phòng Trung ương Đảng", excel_day(2026, 11, 21), None,
        "Hoàn thành đúng hạn", 100, "Báo cáo", "x", excel_day(2026, 11, 20),
    )  # fmt: skip
    statuses = [r[8] for r in rows[1:]]
    assert statuses == [TaskStatus.DONE_ON_TIME.label, TaskStatus.OVERDUE.label,
                        TaskStatus.OPEN_ON_TIME.label, TaskStatus.ONGOING.label]  # fmt: skip
    assert sheet["G2"].number_format == "dd/mm/yyyy"
    assert sheet["M2"].number_format == "dd/mm/yyyy"
    assert (sheet["G4"].value, sheet["G4"].number_format) == (
        excel_day(2027, 3, 31), '"Quý I/"yyyy'
    )  # fmt: skip
    assert (sheet["D5"].value, sheet["D5"].data_type) == ("=1+1 không phải công thức", "s")
    assert sheet["G5"].value == "Thường xuyên"
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:M5")
    assert sheet.column_dimensions["D"].width == 60


def test_export_of_an_empty_list_has_the_header_only(db):
    sheet = load_workbook(io.BytesIO(tasks_to_xlsx(Task.objects.none(), today=TODAY))).active
    assert sheet.max_row == 1


def _many_tasks(lead, coordinator, count):
    tasks = Task.objects.bulk_create(
        Task(title=f"Nhiệm vụ {n}", lead_agency=lead, due_on=TODAY, created_on=TODAY)
        for n in range(count)
    )
    Coordination.objects.bulk_create(Coordination(task=t, agency=coordinator) for t in tasks)


@pytest.mark.parametrize("count", [3, 300])
def test_export_takes_two_queries_whatever_the_number_of_rows(
    lead_agency, other_agency, django_assert_max_num_queries, count
):
    _many_tasks(lead_agency, other_agency, count)
    with django_assert_max_num_queries(2):
        content = tasks_to_xlsx(Task.objects.all(), today=TODAY)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == count + 1


def test_export_reads_tasks_in_chunks_with_one_prefetch_per_chunk(
    lead_agency, other_agency, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(xlsx, "EXPORT_CHUNK_SIZE", 10)
    _many_tasks(lead_agency, other_agency, 25)
    with django_assert_num_queries(1 + 3):
        content = tasks_to_xlsx(Task.objects.all(), today=TODAY)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(row=r, column=6).value for r in (2, 26)] == ["Thành ủy Hà Nội"] * 2


# Template ------------------------------------------------------------------------------------


def test_template_has_the_header_an_example_a_guide_and_the_agencies(agencies):
    book = load_workbook(io.BytesIO(xlsx.template_xlsx()))
    sheet = book["Nhiệm vụ"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["C2"].value.startswith(xlsx.EXAMPLE_MARK)
    assert book.sheetnames == ["Nhiệm vụ", "Hướng dẫn", "Danh mục cơ quan"]
    names = [r[2] for r in book["Danh mục cơ quan"].iter_rows(min_row=2, values_only=True)]
    assert "Ban Tổ chức Trung ương" in names


def test_template_filled_in_imports(office_user, document, agencies):
    book = load_workbook(io.BytesIO(xlsx.template_xlsx()))
    sheet = book["Nhiệm vụ"]
    for column, value in enumerate(row(coordinators="VPTW", deadline="quý I/2027"), 1):
        sheet.cell(row=2, column=column, value=value or None)
    buffer = io.BytesIO()
    book.save(buffer)
    assert imported(buffer, office_user) == xlsx.ImportResult(1, [])


def test_the_templates_example_names_only_agencies_of_its_own_list(db):
    from dondoc.agencies.reference import DEFAULT_PATH, load_reference_agencies

    load_reference_agencies(DEFAULT_PATH)
    book = load_workbook(io.BytesIO(xlsx.template_xlsx()))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    example = dict(zip(header, (cell.value for cell in sheet[2]), strict=True))
    listed = {row[2] for row in book["Danh mục cơ quan"].iter_rows(min_row=2, values_only=True)}
    named = [example[column.title] for column in xlsx.COLUMNS if column.name == "lead"]
    named += [
        name.strip()
        for column in xlsx.COLUMNS
        if column.name == "coordinators"
        for name in example[column.title].split(";")
    ]
    assert len(named) == 3
    assert set(named) <= listed
