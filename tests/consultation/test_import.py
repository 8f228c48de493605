"""Bulk import of comments from CSV, XLSX and JSONL: every row checked as the public form
checks a comment, rejected rows listed with their row and reason, an interrupted import
continued where it stopped without doubling a row."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import TestCase

from dondoc.audit.models import AuditEntry
from dondoc.consultation import services
from dondoc.consultation.models import (
    Channel,
    Comment,
    CommenterIdentity,
    CommentImport,
    ImportRejection,
    ImportState,
    Stance,
)

from .conftest import section, web

HEADER = ["Ý kiến", "Nội dung góp ý", "Đối tượng", "Phần", "Họ và tên", "Số điện thoại"]
GOOD = "Đề nghị bồi thường theo giá thị trường khi thu hồi đất"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_file(rows, name="y-kien.csv", header=HEADER) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), "text/csv")


def start(user, draft, file) -> CommentImport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = services.comment_import_start(user, draft, file)
    started.refresh_from_db()
    return started


def test_rows_are_checked_and_rejected_rows_are_listed_with_their_row_and_reason(
    office_user, draft, open_round
):
    rows = [
        ["Đồng ý một phần", GOOD, "Nhân dân", "Điều 2", "Nguyễn Văn An", "0912345678"],  # row 2
        ["Không tán thành", "", "Nhân dân", "", "", ""],  # 3: no text
        ["Ủng hộ", "Tôi ủng hộ", "", "", "", ""],  # 4: no such stance
        ["Tán thành", "", "", "", "", ""],  # 5: agreeing needs no text
        ["", "", "", "", "", ""],  # blank: skipped, not rejected
        ["khong tan thanh", "Quy\u0301 định\x07 chưa rõ", "chuyên gia", "", "", ""],  # 7
        ["Tán thành", "Được", "", "Điều 99", "", ""],  # 8: no such section
        ["Tán thành", "x" * 10_001, "", "", "", ""],  # 9: too long
        ["Tán thành", "Được", "Người nước ngoài", "", "", ""],  # 10: unknown category
    ]
    started = start(office_user, draft, csv_file(rows))

    assert started.state == ImportState.DONE
    assert (started.accepted, started.rejected, started.rows_done) == (3, 5, 10)
    reasons = dict(ImportRejection.objects.values_list("row", "reason"))
    assert set(reasons) == {3, 4, 8, 9, 10}
    assert "cần nêu rõ nội dung góp ý" in reasons[3]
    assert "“Ủng hộ” không phải Tán thành" in reasons[4]
    assert "Không có phần “Điều 99”" in reasons[8]
    assert "dài quá 10.000 ký tự" in reasons[9]
    assert "Đối tượng “Người nước ngoài”" in reasons[10]

    first, agree, expert = Comment.objects.order_by("source_row")
    assert first.chosen_section == section(draft, "Điều 2")
    assert first.channel == Channel.IMPORT
    assert first.round == open_round
    assert agree.stance == Stance.AGREE
    # cleaned as the public form cleans: NFC, no control character
    assert (expert.stance, expert.category, expert.text) == (
        "disagree",
        "expert",
        "Quý định chưa rõ",
    )
    identity = CommenterIdentity.objects.get()
    assert (identity.comment, identity.full_name) == (first, "Nguyễn Văn An")
    assert AuditEntry.objects.filter(action="comments_import").count() == 1


def test_the_office_downloads_the_rejected_rows_and_an_agency_cannot(
    office_user, lead_focal, draft, open_round
):
    rows = [["Tán thành", "", "", "", "Trần Thị Bình", ""], ["Sai", "Nguyễn Văn An nói", "", ""]]
    started = start(office_user, draft, csv_file(rows))

    page = web(office_user).get(f"/consultation/imports/{started.pk}/rejections.csv")
    text = b"".join(page.streaming_content).decode("utf-8-sig")
    assert page.status_code == 200
    assert next(iter(csv.reader(io.StringIO(text)))) == ["Dòng", "Lý do"]
    assert "3," in text
    assert "“Sai”" in text
    assert "Nguyễn Văn An" not in text  # the row's content, which may name a person, is not copied
    refused = web(lead_focal).get(f"/consultation/imports/{started.pk}/rejections.csv")
    assert refused.status_code in (403, 404)


def test_an_interrupted_import_goes_on_from_its_last_batch_without_doubling_a_row(
    office_user, draft, open_round, monkeypatch
):
    monkeypatch.setattr(services, "IMPORT_BATCH", 3)
    rows = [["Đồng ý một phần", f"{GOOD} số {n}", "", "", f"Người {n}", ""] for n in range(10)]
    real = services._import_row
    crash = {"row": 8}

    def row_or_crash(started, number, values, choices):
        if number == crash["row"]:
            raise RuntimeError("worker killed")
        return real(started, number, values, choices)

    monkeypatch.setattr(services, "_import_row", row_or_crash)
    start(office_user, draft, csv_file(rows))  # the job fails (recorded; Celery would retry)
    started = CommentImport.objects.get()
    assert started.state == ImportState.FAILED
    assert started.rows_done == 7  # rows 2-4 and 5-7 committed; the batch of rows 8-10 was not
    assert Comment.objects.count() == 6

    crash["row"] = -1
    page = web(office_user).get(f"/consultation/{draft.pk}/")
    assert "Nhập tiếp" in page.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        web(office_user).post(f"/consultation/imports/{started.pk}/resume/")
    started.refresh_from_db()
    assert (started.state, started.rows_done, started.accepted) == (ImportState.DONE, 11, 10)
    assert sorted(Comment.objects.values_list("source_row", flat=True)) == list(range(2, 12))
    assert CommenterIdentity.objects.count() == 10

    services.comment_import_run(started.pk)  # a late duplicate of the job changes nothing
    assert Comment.objects.count() == 10


def test_a_batch_committed_by_another_worker_is_not_written_twice(office_user, draft, open_round):
    started = start(office_user, draft, csv_file([["Tán thành", GOOD, "", ""]]))
    stale = CommentImport.objects.get(pk=started.pk)
    stale.rows_done = 0  # what a second worker read before the first committed
    with pytest.raises(services._OvertakenError):
        services._import_batch(stale, [(2, {"stance": "Tán thành", "text": GOOD})],
                               services._Choices.of(draft))  # fmt: skip
    assert Comment.objects.count() == 1


def test_the_database_holds_one_comment_per_import_row(office_user, draft, open_round):
    start(office_user, draft, csv_file([["Tán thành", GOOD, "", ""]]))
    twin = Comment.objects.get()
    twin.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_xlsx_and_jsonl_files_are_read_row_by_row(office_user, draft, open_round):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ý KIẾN", "NỘI DUNG", "Số định danh"])
    sheet.append(["Đồng ý một phần", GOOD, 1234567890])
    sheet.append(["Không tán thành", None, None])
    data = io.BytesIO()
    book.save(data)
    started = start(office_user, draft,
                    SimpleUploadedFile("y-kien.xlsx", data.getvalue()))  # fmt: skip
    assert (started.state, started.accepted, started.rejected) == (ImportState.DONE, 1, 1)
    assert ImportRejection.objects.get().row == 3
    assert CommenterIdentity.objects.get().id_number == "1234567890"

    lines = [json.dumps({"stance": "partial", "text": GOOD}), "{not json", "",
             json.dumps({"y_kien": "x"}), json.dumps({"ý kiến": "Tán thành"})]  # fmt: skip
    jsonl = SimpleUploadedFile("y-kien.jsonl", "\n".join(lines).encode())
    started = start(office_user, draft, jsonl)
    assert (started.accepted, started.rejected) == (2, 2)
    reasons = dict(started.rejections.values_list("row", "reason"))
    assert reasons == {2: "Dòng không phải JSON hợp lệ.", 4: "Dòng không có cột nào được nhận ra."}


def test_a_file_without_known_columns_stops_with_a_reason(office_user, draft, open_round):
    started = start(office_user, draft, csv_file([["a", "b"]], header=["cột 1", "cột 2"]))
    assert started.state == ImportState.FAILED
    assert started.error.startswith("Không đọc được tệp")


def test_the_office_uploads_a_file_on_the_draft_page(office_user, lead_focal, draft, open_round):
    client = web(office_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post(f"/consultation/{draft.pk}/imports/",
                             {"file": csv_file([["Tán thành", GOOD, "", ""]])})  # fmt: skip
    assert answer.status_code == 302
    page = client.get(f"/consultation/{draft.pk}/").content.decode()
    assert "y-kien.csv" in page
    assert "Đã xong" in page
    wrong = client.post(f"/consultation/{draft.pk}/imports/",
                        {"file": SimpleUploadedFile("a.pdf", b"%PDF")})  # fmt: skip
    assert wrong.status_code == 400
    assert "CSV, XLSX hoặc JSONL" in wrong.content.decode()
    refused = web(lead_focal).post(f"/consultation/{draft.pk}/imports/",
                                    {"file": csv_file([["Tán thành", GOOD]])})  # fmt: skip
    assert refused.status_code in (403, 404)


def test_an_import_costs_queries_per_batch_not_per_row(
    office_user, draft, open_round, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(services, "IMPORT_BATCH", 100)
    rows = [["Đồng ý một phần", f"{GOOD} {n}", "", "Điều 1", f"Người {n}", ""] for n in range(400)]
    file = csv_file(rows)
    with TestCase.captureOnCommitCallbacks(execute=False):
        started = services.comment_import_start(office_user, draft, file)
    with django_assert_max_num_queries(80):  # 4 batches of ~16; one per row would be 800+
        services.comment_import_run(started.pk)
    assert Comment.objects.count() == 400
