"""Editing a registered document: the office only, audited, never overwriting someone else's
save; the document page shows its full text."""

import datetime as dt

import pytest
from django.urls import reverse

from dondoc.accounts.models import Clearance
from dondoc.audit.models import AuditEntry
from dondoc.tracking.models import Document, Task
from tests.agencies.conftest import signed_in
from tests.tracking.test_pages import issuer, make_document  # noqa: F401 (fixture)


def edit_url(document: Document) -> str:
    return reverse("tracking:document_edit", args=[document.pk])


def page_url(document: Document) -> str:
    return reverse("tracking:document_detail", args=[document.pk])


def form_data(document: Document, **changes) -> dict:
    data = {
        "symbol": document.symbol, "issuing_body": document.issuing_body_id,
        "term": document.term, "issued_on": f"{document.issued_on:%Y-%m-%d}",
        "title": document.title, "classification": document.classification,
        "urgency": document.urgency, "full_text": document.full_text,
        "version": document.version,
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_office_corrects_a_document_and_its_full_text_is_shown(office_user, issuer):  # noqa: F811
    document = make_document(issuer)
    client = signed_in(office_user)
    assert "Chưa nhập toàn văn." in client.get(page_url(document)).text
    assert client.get(edit_url(document)).context["form"].initial["title"] == document.title
    response = client.post(edit_url(document), form_data(
        document, symbol="58-NQ/TW", title="Về chuyển đổi số quốc gia",
        full_text="Điều 1. Mục tiêu\nĐến năm 2030, kinh tế số đạt 30% GDP.",
    ))  # fmt: skip
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.symbol, document.number, document.title) == (
        "58-NQ/TW",
        58,
        "Về chuyển đổi số quốc gia",
    )
    page = client.get(page_url(document)).text
    assert "Đến năm 2030, kinh tế số đạt 30% GDP." in page
    entry = AuditEntry.objects.get(action="update", object_type="tracking.document")
    assert entry.actor == office_user
    assert entry.changes["title"] == ["Về đột phá phát triển khoa học, công nghệ",
                                      "Về chuyển đổi số quốc gia"]  # fmt: skip
    assert entry.changes["symbol"] == ["57-NQ/TW", "58-NQ/TW"]


def test_a_save_made_meanwhile_is_not_overwritten(office_user, issuer):  # noqa: F811
    document = make_document(issuer)
    client = signed_in(office_user)
    opened = form_data(document)
    client.post(edit_url(document), form_data(document, title="Bản của người thứ nhất"))
    response = client.post(edit_url(document), {**opened, "title": "Bản của người thứ hai"})
    assert response.status_code == 200
    assert "Chưa lưu: văn bản vừa được người khác cập nhật" in response.text
    assert "Bản của người thứ nhất" in response.text  # what was saved meanwhile
    assert response.context["form"].data["title"] == "Bản của người thứ hai"  # input kept
    document.refresh_from_db()
    assert document.title == "Bản của người thứ nhất"
    again = client.post(edit_url(document), response.context["form"].data)  # deliberate save
    assert again.status_code == 302
    document.refresh_from_db()
    assert document.title == "Bản của người thứ hai"


def test_a_document_is_not_classified_above_its_tasks(office_user, issuer, lead_agency):  # noqa: F811
    document = make_document(issuer)
    Task.objects.create(title="Mở", lead_agency=lead_agency, document=document,
                        due_on=dt.date(2027, 1, 1), created_on=dt.date(2026, 1, 1))  # fmt: skip
    response = signed_in(office_user).post(
        edit_url(document), form_data(document, classification=Clearance.SECRET)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["classification"] == [
        "Văn bản có 1 nhiệm vụ độ mật thấp hơn; nâng độ mật các nhiệm vụ trước."
    ]
    document.refresh_from_db()
    assert document.classification == Clearance.NORMAL
    assert not AuditEntry.objects.filter(action="update").exists()


def test_a_taken_number_is_refused_on_the_symbol(office_user, issuer):  # noqa: F811
    make_document(issuer, "58-NQ/TW")
    document = make_document(issuer)
    response = signed_in(office_user).post(
        edit_url(document), form_data(document, symbol="58-NQ/TW")
    )
    assert response.context["form"].errors["symbol"] == [
        "Văn bản 58-NQ/TW của Bộ Chính trị khóa — đã được đăng ký."
    ]


@pytest.mark.parametrize("actor", ["lead_focal", "inspector", "leader"])
def test_only_the_office_edits_a_document(request, actor, issuer):  # noqa: F811
    document = make_document(issuer)
    client = signed_in(request.getfixturevalue(actor))
    assert client.get(edit_url(document)).status_code == 403
    assert client.post(edit_url(document), form_data(document, title="Khác")).status_code == 403
    document.refresh_from_db()
    assert document.title != "Khác"
    assert "Sửa văn bản" not in client.get(page_url(document)).text


def test_the_issue_date_may_not_pass_an_open_tasks_deadline(office_user, issuer, lead_agency):  # noqa: F811
    document = make_document(issuer)
    Task.objects.create(title="Báo cáo sơ kết", lead_agency=lead_agency, document=document,
                        due_on=dt.date(2025, 6, 30), created_on=dt.date(2025, 1, 1))  # fmt: skip
    client = signed_in(office_user)
    response = client.post(edit_url(document), form_data(document, issued_on="2025-07-15"))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["issued_on"]
    assert error.startswith("Ngày ban hành 15/07/2025 sau thời hạn của nhiệm vụ chưa hoàn thành")
    assert "Báo cáo sơ kết (30/06/2025)" in error
    document.refresh_from_db()
    assert document.issued_on != dt.date(2025, 7, 15)
