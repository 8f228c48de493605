"""`dondoc congress_bench` at a small size: it builds the congress through the services and
every page and API list it times answers 200 (no timing is asserted)."""

import io

import pytest
from django.core.management import call_command

from dondoc.congress.models import Congress, SeatAssignment


@pytest.mark.django_db
def test_congress_bench_runs_every_page_at_a_small_size():
    out = io.StringIO()
    call_command("congress_bench", delegates=120, requests=2, stdout=out)
    text = out.getvalue()
    assert "seating chart (2,000 seats)" in text
    assert "check-in scan (new)" in text
    assert SeatAssignment.objects.count() > 90
    assert Congress.objects.count() == 1
