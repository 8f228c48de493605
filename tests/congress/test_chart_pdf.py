"""The seating chart as a PDF to print, read back: the hall page and the list of who sits
where, for the whole hall or one delegation; only those who see the congress get it."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from dondoc.congress import services
from dondoc.congress.models import Delegate
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@time_machine.travel(BEFORE, tick=False)
def test_the_printed_chart_lists_every_seated_delegate_with_their_seat(congress, secretary):
    services.seating_solve(secretary, congress)
    response = client_for(secretary).get(reverse("congress:seating_pdf", args=[congress.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2  # the hall, then the list
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    text = _text(response)
    assert "Đại hội đại biểu toàn quốc lần thứ XIV" in text
    assert "Sơ đồ chỗ ngồi" in text
    assert "Khu B" in text
    for delegate in Delegate.objects.filter(seat_assignment__isnull=False).select_related(
        "seat_assignment__seat", "delegation"
    ):
        assert f"{delegate.seat_assignment.seat} {delegate.full_name}" in text.replace("\n", " ")
        assert delegate.delegation.name in text


@time_machine.travel(BEFORE, tick=False)
def test_one_delegations_chart_lists_only_its_people(congress, secretary):
    services.seating_solve(secretary, congress)
    response = client_for(secretary).get(
        reverse("congress:seating_pdf", args=[congress.pk]), {"delegation": "HUE"}
    )
    text = _text(response).replace("\n", " ")
    assert "Đảng bộ thành phố Huế" in text
    assert "Đảng bộ thành phố Hà Nội" not in text
    hue = Delegate.objects.filter(delegation__code="HUE", seat_assignment__isnull=False)
    assert hue.exists()
    assert all(d.full_name in text for d in hue)


@time_machine.travel(BEFORE, tick=False)
def test_the_chart_pdf_is_closed_to_an_agency_focal_point(congress, lead_focal, office_user):
    url = reverse("congress:seating_pdf", args=[congress.pk])
    assert client_for(lead_focal).get(url).status_code == 404
    assert client_for(office_user).get(url).status_code == 200
    assert client_for(office_user).get(url, {"delegation": "NOPE"}).status_code == 404
