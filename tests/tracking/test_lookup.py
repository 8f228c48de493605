"""Lookup inputs on the task list: thousands of agencies and documents are suggested as the
user types (diacritics ignored), within what the user may see, never listed in full."""

import pytest
from django.urls import reverse

from dondoc.accounts.models import Clearance
from dondoc.agencies.models import Agency, AgencyKind
from tests.agencies.conftest import signed_in
from tests.tracking.test_pages import LIST, make_document, make_task, titles


@pytest.fixture
def issuer(db) -> Agency:
    return Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)


def test_agency_lookup_suggests_by_name_without_diacritics(office_user, lead_agency):
    client = signed_in(office_user)
    response = client.get(reverse("agencies:lookup"), {"field": "lead", "lead": "to chuc"})
    assert response.status_code == 200
    assert f'<option value="{lead_agency.code}">{lead_agency.name}</option>' in response.text
    none = client.get(reverse("agencies:lookup"), {"field": "lead", "lead": "khong co dau"})
    assert "<option" not in none.text


def test_document_lookup_hides_documents_above_the_clearance(lead_focal, issuer):
    make_document(issuer, "57-NQ/TW", title="Về khoa học, công nghệ")
    make_document(issuer, "12-NQ/TW", title="Về khoa học quân sự", classification=Clearance.SECRET)
    client = signed_in(lead_focal)
    response = client.get(
        reverse("tracking:document_lookup"), {"field": "document", "document": "khoa hoc"}
    )
    assert "57-NQ/TW" in response.text
    assert "12-NQ/TW" not in response.text


def test_task_list_renders_no_agency_or_document_list(office_user, lead_agency, issuer):
    for n in range(30):
        Agency.objects.create(code=f"DV{n:03d}", name=f"Đơn vị {n}", kind=AgencyKind.OTHER)
    client = signed_in(office_user)
    response = client.get(LIST)
    assert "Đơn vị 17" not in response.text
    assert 'list="id_lead-options"' in response.text


def test_task_list_filters_by_typed_code_and_names_the_choice(
    office_user, lead_agency, other_agency
):
    make_task("Nhiệm vụ của Ban", lead_agency)
    make_task("Nhiệm vụ của Hà Nội", other_agency)
    client = signed_in(office_user)
    response = client.get(LIST, {"lead": lead_agency.code.lower()})
    assert titles(response) == ["Nhiệm vụ của Ban"]
    assert f'<option value="{lead_agency.code}">{lead_agency.name}</option>' in response.text


def test_task_list_says_an_unknown_agency_code_is_unknown(office_user, lead_agency):
    make_task("Nhiệm vụ", lead_agency)
    client = signed_in(office_user)
    response = client.get(LIST, {"lead": "KHONGCO"})
    assert "Không có cơ quan mã KHONGCO." in response.text
    assert titles(response) == ["Nhiệm vụ"]
