"""The congress pages as each role sees them, with their query counts locked."""

import datetime as dt
import io
import json

import docx
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dondoc.audit.models import AuditEntry
from dondoc.congress import services
from dondoc.congress.badges import badge_token
from dondoc.congress.models import CheckIn, Credentials, Delegate, SeatAssignment
from dondoc.congress.services import DelegateData
from tests.congress.conftest import profile

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
OPENING = dt.datetime(2026, 1, 19, 1, tzinfo=dt.UTC)  # 08:00 in Hà Nội, the first morning


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize(
    "name",
    [
        "list",
        "detail",
        "delegates",
        "credentials",
        "seating",
        "checkin",
        "agenda",
        "guests",
        "press",
    ],
)
def test_secretary_opens_every_congress_page(
    congress, secretary, name, django_assert_max_num_queries
):
    args = [] if name == "list" else [congress.pk]
    services.seating_solve(secretary, congress)
    client = client_for(secretary)
    with django_assert_max_num_queries(20):
        response = client.get(reverse(f"congress:{name}", args=args))
    assert response.status_code == 200
    assert "Đại hội đại biểu toàn quốc lần thứ XIV" in response.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_delegate_list_reads_in_the_same_queries_for_many_delegates(
    congress, secretary, django_assert_max_num_queries
):
    delegation = congress.delegations.get(code="HUE")
    more = [
        DelegateData(delegation, f"Đại biểu bổ sung {i:03d}", "elected", "official", profile(i))
        for i in range(150)
    ]
    services.delegates_register(secretary, congress, more)
    client = client_for(secretary)
    for url in (
        reverse("congress:delegates", args=[congress.pk]),
        reverse("congress:seating", args=[congress.pk]),
    ):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    assert (
        "Đại biểu bổ sung 0"
        in client.get(reverse("congress:delegates", args=[congress.pk])).content.decode()
    )


@time_machine.travel(BEFORE, tick=False)
def test_a_focal_point_of_an_agency_sees_no_congress(congress, lead_focal):
    client = client_for(lead_focal)
    assert "Đại hội đại biểu" not in client.get(reverse("congress:list")).content.decode()
    assert client.get(reverse("congress:detail", args=[congress.pk])).status_code == 404
    assert client.get(reverse("congress:delegates", args=[congress.pk])).status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_a_documents_member_sees_the_congress_but_not_the_credentials_or_check_in(
    congress, documents_member
):
    client = client_for(documents_member)
    assert client.get(reverse("congress:detail", args=[congress.pk])).status_code == 200
    assert client.get(reverse("congress:credentials", args=[congress.pk])).status_code == 403
    assert client.get(reverse("congress:checkin", args=[congress.pk])).status_code == 403
    assert client.get(reverse("congress:badges", args=[congress.pk])).status_code == 403


@time_machine.travel(BEFORE, tick=False)
def test_verifier_decides_on_the_review_page_and_a_reading_of_the_profile_is_logged(
    congress, verifier
):
    client = client_for(verifier)
    delegate = Delegate.objects.filter(congress=congress).first()
    url = reverse("congress:credentials_decide", args=[congress.pk, delegate.pk])
    response = client.post(url, {"decision": "rejected", "reason": ""}, follow=True)
    assert "Cần nêu lý do" in response.content.decode()
    client.post(url, {"decision": "verified", "reason": ""})
    delegate.refresh_from_db()
    assert delegate.credentials == Credentials.VERIFIED
    page = client.get(reverse("congress:delegate", args=[congress.pk, delegate.pk]), {"profile": 1})
    assert "Năm vào Đảng" in page.content.decode()
    assert AuditEntry.objects.filter(action="delegate_profile_read", actor=verifier).count() == 1


@time_machine.travel(BEFORE, tick=False)
def test_the_office_reads_a_delegate_but_not_their_personal_data(congress, office_user):
    delegate = Delegate.objects.filter(congress=congress).first()
    page = client_for(office_user).get(
        reverse("congress:delegate", args=[congress.pk, delegate.pk]), {"profile": 1}
    )
    assert page.status_code == 200
    assert "Năm vào Đảng" not in page.content.decode()
    assert not AuditEntry.objects.filter(action="delegate_profile_read").exists()


@time_machine.travel(BEFORE, tick=False)
def test_badges_are_a_pdf_with_one_badge_per_delegate(congress, secretary):
    services.seating_solve(secretary, congress)
    response = client_for(secretary).get(reverse("congress:badges", args=[congress.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 5  # 19 delegates, four to a page
    assert "Ghế" in text


@time_machine.travel(OPENING, tick=False)
def test_check_in_scan_counts_a_replayed_scan_once_and_reports_the_quorum(congress, secretary):
    client = client_for(secretary)
    delegate = Delegate.objects.filter(congress=congress, standing="official").first()
    session = congress.sessions.get()
    url = reverse("congress:checkin_scan", args=[congress.pk])
    body = json.dumps({"token": badge_token(delegate), "session": session.pk})
    first = client.post(url, body, content_type="application/json").json()
    again = client.post(url, body, content_type="application/json").json()
    assert first["created"] is True
    assert again["created"] is False
    assert again["present"] == 1
    assert again["quorum"] == 11  # 67% of the 16 official delegates, rounded up
    assert CheckIn.objects.count() == 1
    bad = client.post(
        url, json.dumps({"token": "x", "session": session.pk}), content_type="application/json"
    )
    assert bad.status_code == 400
    assert "không hợp lệ" in bad.json()["error"]


@time_machine.travel(BEFORE, tick=False)
def test_credentials_report_is_a_docx_with_the_composition_and_no_names(
    congress, verifier, documents_member
):
    for delegate in Delegate.objects.filter(congress=congress, standing="official")[:10]:
        services.credentials_decide(verifier, delegate, Credentials.VERIFIED, "")
    url = reverse("congress:credentials_report", args=[congress.pk])
    assert client_for(documents_member).get(url).status_code == 403
    response = client_for(verifier).get(url)
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "BÁO CÁO" in text
    assert "Đủ tư cách: 10" in text
    assert "Giới tính" in cells
    ages = next(t for t in document.tables if t.rows[0].cells[0].text == "Độ tuổi")
    assert sum(int(row.cells[1].text) for row in ages.rows[1:]) == 10
    assert not any("đại biểu 0" in cell for cell in cells)


@time_machine.travel(BEFORE, tick=False)
def test_seating_chart_names_each_seated_delegate_and_escapes_names(congress, secretary):
    delegate = Delegate.objects.filter(congress=congress, presidium=False, standing="official")[0]
    Delegate.objects.filter(pk=delegate.pk).update(full_name='Lê <b>"Văn"</b> An')
    services.seating_solve(secretary, congress)
    page = client_for(secretary).get(reverse("congress:seating", args=[congress.pk]))
    body = page.content.decode()
    seat = SeatAssignment.objects.get(delegate=delegate).seat
    assert f"<title>{seat}: Lê &lt;b&gt;&quot;Văn&quot;&lt;/b&gt; An (" in body
    assert "<b>" not in body
    assert body.count("<rect ") == congress.seats.count()
    assert "— trống</title>" in body
