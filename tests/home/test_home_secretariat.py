"""The congress secretariat's home page: the congresses it prepares, each figure a link."""

import time_machine
from django.urls import reverse

from tests.agencies.conftest import signed_in
from tests.congress.conftest import (  # noqa: F401 (fixtures)
    BEFORE,
    congress,
    documents_member,
    secretary,
    verifier,
)

HOME = reverse("home:home")


def test_the_secretariat_sees_its_congress_not_a_placeholder(secretary, congress):  # noqa: F811
    with time_machine.travel(BEFORE, tick=False):
        page = signed_in(secretary).get(HOME).text
    assert "sẽ hiển thị tại đây" not in page
    assert congress.name in page
    for name in ("detail", "delegates", "credentials", "seating", "checkin"):
        assert f'href="{reverse(f"congress:{name}", args=[congress.pk])}"' in page, name
    assert '<span class="figure">19</span><span class="label">đại biểu (16 chính thức, 3 dự' in page
    assert "Tỷ lệ nhiệm vụ quá hạn" not in page  # no tasks to show: no empty figures


def test_a_secretariat_member_with_no_agency_sees_the_home_page(secretary, congress):  # noqa: F811
    """No agency: no task is visible; the home page says so instead of failing (it was a 500:
    the count of an empty task set could not be written as SQL)."""
    secretary.agency = None
    secretary.save()
    with time_machine.travel(BEFORE, tick=False):
        response = signed_in(secretary).get(HOME)
    assert response.status_code == 200
    assert congress.name in response.text
