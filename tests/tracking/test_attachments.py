"""Files kept with documents and as evidence of progress reports: checked by content, stored
under a random name outside the web root, audited, and served only to who may see the parent."""

import datetime as dt
import hashlib
import io
import re
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfWriter

from dondoc.accounts.models import Clearance, RoleCode
from dondoc.agencies.models import Agency
from dondoc.audit.models import AuditEntry
from dondoc.tracking import attachments, services
from dondoc.tracking.models import Attachment, Document, ProgressReport, Task
from tests.agencies.conftest import signed_in
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
STORED_NAME = re.compile(r"^attachments/2026/11/[0-9a-f]{32}$")


def pdf_bytes() -> bytes:
    """A real one-page PDF (an empty page), as pypdf writes it."""
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = pdf_bytes()
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCUMENT_ONLY = "nội dung tệp không phải PDF hoặc Word (.docx)."


def docx_bytes(text: str = "Kế hoạch triển khai Nghị quyết") -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["Chỉ tiêu", "Kết quả"])
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    """A copy of a ZIP with one member more."""
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def upload(name: str, data: bytes, browser_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=browser_type)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    with time_machine.travel(NOW, tick=False):
        yield settings.MEDIA_ROOT


@pytest.fixture
def document(office_agency: Agency) -> Document:
    return Document.objects.create(
        symbol="57-NQ/TW", number=57, doc_type="NQ", issuer_code="TW", issuing_body=office_agency,
        issued_on=dt.date(2024, 12, 22), title="Về đột phá phát triển khoa học, công nghệ",
    )  # fmt: skip


@pytest.fixture
def secret_document(office_agency: Agency) -> Document:
    return Document.objects.create(
        symbol="12-CT/TW", number=12, doc_type="CT", issuer_code="TW", issuing_body=office_agency,
        issued_on=dt.date(2025, 3, 1), title="Về công tác bảo vệ", classification=Clearance.SECRET,
    )  # fmt: skip


@pytest.fixture
def task(lead_agency: Agency) -> Task:
    return Task.objects.create(
        title="Xây dựng kế hoạch triển khai", lead_agency=lead_agency,
        due_on=TODAY + dt.timedelta(days=20), created_on=TODAY - dt.timedelta(days=30),
    )  # fmt: skip


def attach_url(document: Document) -> str:
    return reverse("tracking:document_attach", args=[document.pk])


def download_url(attachment: Attachment) -> str:
    return reverse("tracking:attachment_download", args=[attachment.pk])


def report_url(task: Task) -> str:
    return reverse("tracking:task_report", args=[task.pk])


# Storing -----------------------------------------------------------------------------------


def test_office_uploads_a_pdf_kept_under_a_random_name_with_its_sha256(
    document, office_user, media
):
    response = signed_in(office_user).post(
        attach_url(document), {"file": upload("Kế hoạch triển khai.pdf", PDF_BYTES)}, follow=True
    )
    assert "Đã lưu tệp “Kế hoạch triển khai.pdf”." in response.text
    attachment = Attachment.objects.get()
    assert (attachment.document, attachment.report) == (document, None)
    assert STORED_NAME.match(attachment.file.name)  # the uploader's name is not in the path
    stored = media / attachment.file.name
    assert stored.read_bytes() == PDF_BYTES
    assert stored_files(media) == [stored]
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "Kế hoạch triển khai.pdf", "application/pdf", len(PDF_BYTES),
    )  # fmt: skip
    assert attachment.uploaded_by == office_user
    assert download_url(attachment) in response.text  # listed on the document page


def test_docx_is_recognized_by_its_content_not_by_what_the_browser_says(
    document, office_user, media
):
    data = docx_bytes()
    attachment = services.attachment_add(
        office_user,
        file=upload("Báo cáo.docx", data, "application/octet-stream"),
        document=document,
    )
    assert attachment.content_type == DOCX_TYPE
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert STORED_NAME.match(attachment.file.name)
    assert (media / attachment.file.name).read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("ghi-chu.pdf", "Chỉ là văn bản thường".encode(), id="renamed-text"),
        pytest.param("bao-cao.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64), id="renamed-exe"),
        pytest.param(
            "bao-cao.pdf",
            b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n",
            id="pdf-header-then-html",
        ),
        pytest.param("cat-doi.pdf", PDF_BYTES[: len(PDF_BYTES) // 2], id="pdf-cut-in-half"),
        pytest.param(
            "khong-trang.pdf",
            b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
            id="pdf-no-page",
        ),
        pytest.param("ke-hoach.docx", b"<html>not a zip</html>", id="docx-not-a-zip"),
        pytest.param("ke-hoach.docx", zip_bytes({"a.txt": b"a"}), id="zip-not-word"),
        pytest.param(
            "ke-hoach.docx",
            with_member(docx_bytes(), "word/vbaProject.bin", b"macro"),
            id="word-with-macros",
        ),
        pytest.param("so-lieu.xlsx", xlsx_bytes(), id="excel-on-a-document"),
        pytest.param(
            "tu-giai-nen.docx", b"MZ" + bytes(100) + docx_bytes(), id="docx-behind-an-exe"
        ),
    ],
)
def test_a_file_that_is_not_pdf_or_word_is_refused_by_name_and_nothing_is_kept(
    document, office_user, media, name, data
):
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(office_user, file=upload(name, data), document=document)
    assert refused.value.code == "file_type"
    assert refused.value.messages == [f"Tệp “{name}” không được nhận: {DOCUMENT_ONLY}"]
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    assert not AuditEntry.objects.filter(action="attach").exists()


def test_a_refused_upload_is_explained_on_the_document_page(document, office_user, media):
    response = signed_in(office_user).post(
        attach_url(document), {"file": upload("setup.exe", b"MZ\x90\x00")}, follow=True
    )
    assert f"Tệp “setup.exe” không được nhận: {DOCUMENT_ONLY}" in response.text
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused(document, office_user, media, settings):
    settings.ATTACHMENT_MAX_MB = 1
    just_right = PDF_BYTES + bytes(1024 * 1024 - len(PDF_BYTES))
    services.attachment_add(office_user, file=upload("vua.pdf", just_right), document=document)
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(
            office_user, file=upload("qua-lon.pdf", just_right + b"x"), document=document
        )
    assert refused.value.code == "file_too_large"
    assert refused.value.messages == [
        "Tệp “qua-lon.pdf” có dung lượng 1,0 MB, vượt quá mức tối đa 1 MB."
    ]
    assert Attachment.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_an_empty_file_is_refused(document, office_user, media):
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(office_user, file=upload("rong.pdf", b""), document=document)
    assert refused.value.messages == ["Tệp “rong.pdf” không có nội dung."]
    assert stored_files(media) == []


def test_a_word_file_declaring_too_much_unpacked_content_is_refused(
    document, office_user, media, monkeypatch
):
    monkeypatch.setattr(attachments, "ZIP_MAX_UNPACKED", 1024 * 1024)
    bomb = with_member(docx_bytes(), "word/media/padding.bin", bytes(2 * 1024 * 1024))
    assert len(bomb) < 100 * 1024  # small on the wire, large once unpacked
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(office_user, file=upload("bom.docx", bomb), document=document)
    assert refused.value.code == "file_unpacked_too_large"
    assert "“bom.docx”" in refused.value.messages[0]
    assert stored_files(media) == []


def test_nothing_classified_top_secret_gets_a_file(office_agency, media):
    keeper = make_user("vanthu", office_agency, RoleCode.OFFICE, clearance=Clearance.TOP_SECRET)
    top_secret = Document.objects.create(
        symbol="01-NQ/TW", number=1, doc_type="NQ", issuer_code="TW", issuing_body=office_agency,
        issued_on=dt.date(2025, 1, 1), title="Tuyệt mật", classification=Clearance.TOP_SECRET,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(keeper, file=upload("a.pdf", PDF_BYTES), document=top_secret)
    assert refused.value.code == "top_secret_file"
    assert stored_files(media) == []


def test_only_the_office_uploads_to_a_document_and_only_one_it_may_see(
    document, secret_document, lead_focal, office_agency, media
):
    focal = signed_in(lead_focal)
    assert focal.post(attach_url(document), {"file": upload("a.pdf", PDF_BYTES)}).status_code == 403
    reader = make_user("chuyenvien.thuong", office_agency, RoleCode.OFFICE)  # no clearance
    response = signed_in(reader).post(
        attach_url(secret_document), {"file": upload("a.pdf", PDF_BYTES)}
    )
    assert response.status_code == 404
    assert stored_files(media) == []


def test_a_failed_write_leaves_no_file_behind(document, office_user, media, monkeypatch):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        services.attachment_add(office_user, file=upload("a.pdf", PDF_BYTES), document=document)
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_file_names_are_cleaned_for_display_and_download():
    decomposed = "Ke\u0302\u0301 hoa\u0323ch.pdf"  # as a Mac sends "Kế hoạch.pdf"
    assert attachments.display_name(decomposed) == "Kế hoạch.pdf"
    assert attachments.display_name("..\\..\\windows\\báo cáo.docx") == "báo cáo.docx"
    assert attachments.display_name("hoa-don\u202efdp.exe") == "hoa-don fdp.exe"  # no RLO spoof
    assert attachments.display_name('a"b\r\nc.pdf') == "a_b c.pdf"
    assert attachments.display_name(" ..") == attachments.FALLBACK_NAME
    long = attachments.display_name("Đ" * 300 + ".docx")
    assert len(long) == attachments.NAME_MAX
    assert long.endswith(".docx")


# Evidence ----------------------------------------------------------------------------------


def test_evidence_is_attached_to_the_report_filed_from_the_task_page(task, lead_focal, media):
    client = signed_in(lead_focal)
    page = client.get(reverse("tracking:task_detail", args=[task.pk]))
    assert 'enctype="multipart/form-data"' in page.text
    assert "evidence" in page.context["forms"]["report"].fields
    data = xlsx_bytes()
    response = client.post(
        report_url(task),
        {
            "percent": 40,
            "narrative": "Đã tổng hợp số liệu",
            "evidence": upload("Số liệu.xlsx", data),
        },
        follow=True,
    )
    assert "Đã ghi nhận báo cáo tiến độ." in response.text
    report = ProgressReport.objects.get()
    attachment = report.attachments.get()
    assert (attachment.content_type, attachment.sha256) == (
        XLSX_TYPE, hashlib.sha256(data).hexdigest(),
    )  # fmt: skip
    assert (media / attachment.file.name).read_bytes() == data
    assert download_url(attachment) in response.text  # on the report's entry in the timeline
    assert "Số liệu.xlsx" in response.text


def test_refused_evidence_leaves_no_report_and_no_file(task, lead_focal, media):
    response = signed_in(lead_focal).post(
        report_url(task),
        {"percent": 60, "narrative": "Đã họp", "evidence": upload("bien-ban.docx", b"not a zip")},
    )
    assert response.status_code == 200
    form = response.context["forms"]["report"]
    assert form.errors["evidence"] == [
        "Tệp “bien-ban.docx” không được nhận: "
        "nội dung tệp không phải PDF, Word (.docx) hoặc Excel (.xlsx)."
    ]
    assert "Đã họp" in response.text  # what the user typed is kept
    assert not ProgressReport.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    task.refresh_from_db()
    assert task.progress == 0


def test_task_page_reads_all_evidence_in_one_query(task, lead_focal, office_user):
    def report(n: int) -> None:
        services.task_report_with_evidence(
            lead_focal, task, percent=10 * n, narrative=f"Kỳ {n}",
            evidence=upload(f"Minh chứng {n}.pdf", PDF_BYTES),
        )  # fmt: skip

    client = signed_in(office_user)
    page = reverse("tracking:task_detail", args=[task.pk])
    report(0)
    with CaptureQueriesContext(connection) as one_report:
        client.get(page)
    for n in range(1, 5):
        report(n)
    with CaptureQueriesContext(connection) as five_reports:
        response = client.get(page)
    assert len(five_reports) == len(one_report)
    assert response.text.count('class="evidence"') == 5


def test_a_report_without_evidence_still_goes_through(task, lead_focal):
    signed_in(lead_focal).post(report_url(task), {"percent": 10, "narrative": "Bắt đầu"})
    assert ProgressReport.objects.get().attachments.count() == 0


# Downloading -------------------------------------------------------------------------------


@pytest.fixture
def document_file(document, office_user) -> Attachment:
    return services.attachment_add(
        office_user, file=upload("Kế hoạch 12.pdf", PDF_BYTES), document=document
    )


@pytest.fixture
def evidence(task, lead_focal) -> Attachment:
    report = services.task_report_with_evidence(
        lead_focal, task, percent=50, narrative="Đã dự thảo",
        evidence=upload("Dự thảo.docx", docx_bytes()),
    )  # fmt: skip
    return report.attachments.get()


def test_office_downloads_a_document_file_with_its_detected_type_and_name(
    document_file, office_user
):
    response = signed_in(office_user).get(download_url(document_file))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Ke hoach 12.pdf\"; filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%2012.pdf"
    )


def test_a_file_comes_back_with_the_extension_of_what_it_is(document, office_user):
    attachment = services.attachment_add(
        office_user, file=upload("bao-cao.exe", PDF_BYTES), document=document
    )
    response = signed_in(office_user).get(download_url(attachment))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao.exe.pdf"' in response["Content-Disposition"]


def test_reader_below_the_document_classification_gets_404(
    secret_document, office_user, lead_focal
):
    attachment = services.attachment_add(
        office_user, file=upload("mat.pdf", PDF_BYTES), document=secret_document
    )
    assert signed_in(office_user).get(download_url(attachment)).status_code == 200
    assert signed_in(lead_focal).get(download_url(attachment)).status_code == 404


def test_evidence_is_open_to_the_task_agencies_and_404_to_an_unrelated_one(
    evidence, lead_focal, office_user, other_focal
):
    assert signed_in(lead_focal).get(download_url(evidence)).status_code == 200
    response = signed_in(office_user).get(download_url(evidence))
    assert response["Content-Type"] == DOCX_TYPE
    assert signed_in(other_focal).get(download_url(evidence)).status_code == 404


def test_guessing_ids_finds_nothing(document_file, other_focal, client):
    guessed = reverse("tracking:attachment_download", args=[document_file.pk + 1000])
    assert signed_in(other_focal).get(guessed).status_code == 404
    assert client.get(download_url(document_file)).status_code == 302  # to sign-in


# Audit -------------------------------------------------------------------------------------


def test_each_upload_is_audited_with_its_name_and_sha256(document_file, evidence, task):
    entries = {
        entry.object_id: entry
        for entry in AuditEntry.objects.filter(action="attach", object_type="tracking.attachment")
    }
    assert set(entries) == {str(document_file.pk), str(evidence.pk)}
    on_document = entries[str(document_file.pk)]
    assert on_document.actor_label == "chuyenvien"
    assert on_document.changes["name"] == [None, "Kế hoạch 12.pdf"]
    assert on_document.changes["sha256"] == [None, document_file.sha256]
    as_evidence = entries[str(evidence.pk)]
    assert as_evidence.agency_id == task.lead_agency_id
    assert as_evidence.changes["content_type"] == [None, DOCX_TYPE]
    assert "report" in as_evidence.changes
