"""The urging letter, read back with python-docx: the Party document format and the tasks."""

import datetime as dt
import io

import docx
import pytest

from dondoc.accounts.models import Clearance
from dondoc.tracking.models import Document, DocumentType
from dondoc.urging.letters import place_and_date, urging_letter_docx
from tests.urging.conftest import DAY, DEADLINE, make_task

pytestmark = pytest.mark.django_db
TODAY = DEADLINE


def read(agency, day=TODAY, **options) -> docx.document.Document:
    return docx.Document(io.BytesIO(urging_letter_docx(agency, day, **options)))


def texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


@pytest.fixture
def tasks(lead_agency, other_agency, office_agency):
    resolution = Document.objects.create(
        symbol="57-NQ/TW", number=57, doc_type=DocumentType.RESOLUTION, issuer_code="TW",
        issuing_body=office_agency, issued_on=dt.date(2024, 12, 22), title="Nghị quyết 57",
    )  # fmt: skip
    make_task("Quá hạn lâu", lead_agency, due=TODAY - 40 * DAY, document=resolution, progress=30)
    make_task("Quá hạn ít", lead_agency, due=TODAY - 2 * DAY)
    make_task("Sắp đến hạn", lead_agency, due=TODAY + 5 * DAY, progress=80)
    make_task("Gia hạn, sắp đến hạn", lead_agency, due=TODAY - 9 * DAY,
              extended_due_on=TODAY + 3 * DAY)  # fmt: skip
    make_task("Còn xa", lead_agency, due=TODAY + 60 * DAY)
    make_task("Đã xong", lead_agency, due=TODAY - 5 * DAY, reported_done_on=TODAY - 6 * DAY,
              accepted_on=TODAY - 4 * DAY)  # fmt: skip
    make_task("Mật", lead_agency, due=TODAY - 3 * DAY, classification=Clearance.CONFIDENTIAL)
    make_task("Của cơ quan khác", other_agency, due=TODAY - 3 * DAY)


def test_heading_follows_the_party_document_format(lead_agency, tasks):
    letter = read(lead_agency, number="125")
    left, right = letter.tables[0].rows[0].cells
    assert texts(left) == [
        "BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG", "*", "Số 125-CV/VPTW",
        "V/v đôn đốc thực hiện nhiệm vụ",
    ]  # fmt: skip
    assert texts(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 15 tháng 12 năm 2026"]
    party, date_line = (p.runs[0] for p in right.paragraphs)
    assert party.font.bold
    assert party.font.underline
    assert party.font.size.pt == 15
    assert date_line.font.italic
    assert date_line.font.size.pt == 14
    assert left.paragraphs[1].runs[0].font.bold  # the issuing body
    assert left.paragraphs[4].runs[0].font.italic  # the subject line


def test_date_line_puts_a_zero_before_small_days_and_months():
    assert place_and_date(dt.date(2026, 2, 5)) == "Hà Nội, ngày 05 tháng 02 năm 2026"


def test_page_is_a4_with_the_guidance_margins_and_times_new_roman(lead_agency, tasks):
    letter = read(lead_agency)
    section = letter.sections[0]
    assert [round(m.mm) for m in (section.page_width, section.page_height)] == [210, 297]
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [20, 20]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [30, 15]
    runs = [r for p in letter.paragraphs for r in p.runs]
    runs += [r for t in letter.tables for c in t._cells for p in c.paragraphs for r in p.runs]
    assert runs
    assert {r.font.name for r in runs} == {"Times New Roman"}
    body = [r.font.size.pt for p in letter.paragraphs for r in p.runs if r.text]
    assert set(body) <= {13, 14}


def test_table_lists_the_agencys_overdue_and_due_soon_tasks_most_overdue_first(lead_agency, tasks):
    letter = read(lead_agency)
    rows = [[c.text for c in row.cells] for row in letter.tables[1].rows]
    assert rows[0] == ["STT", "Nhiệm vụ", "Văn bản", "Thời hạn", "Số ngày quá hạn", "Tình trạng"]
    assert rows[1:] == [
        ["1", "Quá hạn lâu", "57-NQ/TW", "05/11/2026", "40",
         "Quá hạn, chưa hoàn thành (tiến độ 30%)"],
        ["2", "Quá hạn ít", "—", "13/12/2026", "2", "Quá hạn, chưa hoàn thành (tiến độ 0%)"],
        ["3", "Gia hạn, sắp đến hạn", "—", "18/12/2026", "",
         "Sắp đến hạn, còn 3 ngày (tiến độ 0%)"],
        ["4", "Sắp đến hạn", "—", "20/12/2026", "", "Sắp đến hạn, còn 5 ngày (tiến độ 80%)"],
    ]  # fmt: skip


def test_body_recipient_signature_and_distribution(lead_agency, tasks):
    letter = read(lead_agency, signer_name="Nguyễn Văn A")
    paragraphs = [p.text for p in letter.paragraphs if p.text]
    assert paragraphs[0] == "Kính gửi: Ban Tổ chức Trung ương"
    assert "Ban Tổ chức Trung ương còn 2 nhiệm vụ đã quá hạn" in paragraphs[1]
    assert "và 2 nhiệm vụ sắp đến hạn" in paragraphs[1]
    assert "trước ngày 22/12/2026" in paragraphs[2]
    receivers, signature = letter.tables[2].rows[0].cells
    assert texts(receivers)[0] == "Nơi nhận:"
    assert receivers.paragraphs[0].runs[0].font.underline
    assert "- Như trên," in texts(receivers)
    signed = [t for t in texts(signature) if t]
    assert signed == ["T/L CHÁNH VĂN PHÒNG", "VỤ TRƯỞNG", "Nguyễn Văn A"]
    assert texts(signature).count("") == 4  # room to sign


def test_an_agency_with_only_overdue_tasks_is_not_told_of_zero_due_soon(other_agency):
    make_task("Quá hạn", other_agency, due=TODAY - 3 * DAY)
    opening = [p.text for p in read(other_agency).paragraphs if p.text][1]
    assert "còn 1 nhiệm vụ đã quá hạn nhưng chưa hoàn thành, cụ thể như sau:" in opening
    assert "0 nhiệm vụ" not in opening


def test_an_agency_with_nothing_to_urge_gets_no_table(other_agency):
    letter = read(other_agency)
    assert len(letter.tables) == 2
    assert "không có nhiệm vụ quá hạn hoặc sắp đến hạn" in letter.paragraphs[2].text
