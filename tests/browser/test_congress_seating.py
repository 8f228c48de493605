"""The seating page: the secretariat drags on the chart from one corner seat of a block to the
other, the block's form fills itself (section, rows, seats), and one submit seats a delegation
there, pinned; the seats dragged over are marked while choosing."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dondoc.accounts.models import RoleCode
from dondoc.congress import services
from dondoc.congress.models import SeatAssignment
from dondoc.congress.services import DelegateData, ProfileData
from tests.browser.test_sign_in import sign_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _centre(page, label: str) -> tuple[float, float]:
    box = page.locator(f'rect[data-seat="{label}"]').bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_secretary_drags_a_block_on_the_chart_and_seats_a_delegation_there(
    live_server, page, office_agency
):
    secretary = make_user("thuky", office_agency, RoleCode.SECRETARIAT)
    opens = timezone.localdate() + dt.timedelta(days=10)
    congress = services.congress_create(
        secretary, "Đại hội đại biểu tỉnh", "provincial", opens, opens + dt.timedelta(days=2)
    )
    hue = services.delegation_create(secretary, congress, "HUE", "Đảng bộ Huế", 1)
    profile = ProfileData(1970, "male", "Kinh", "Cử nhân", "Ủy viên", 1995)
    services.delegates_register(
        secretary,
        congress,
        [DelegateData(hue, f"Đại biểu {i}", "elected", "official", profile) for i in range(5)],
    )
    services.hall_create(secretary, congress, rows=3, width=6, stage=4)

    sign_in(page, live_server.url, secretary.username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/congress/{congress.pk}/seating/")
    x, y = _centre(page, "B-1-1")
    page.mouse.move(x, y)
    page.mouse.down()
    x, y = _centre(page, "B-2-3")
    page.mouse.move(x, y)
    page.mouse.up()

    expect(page.locator("#id_block_section")).to_have_value("B")
    expect(page.locator("#id_block_rows")).to_have_value("1-2")
    expect(page.locator("#id_block_numbers")).to_have_value("1-3")
    expect(page.locator("rect.picked")).to_have_count(6)
    page.select_option("#id_block_delegation", "HUE")
    page.click("#seat-block button[type=submit]")

    expect(page.locator("main")).to_contain_text("Đã xếp 5 đại biểu của Đảng bộ Huế")
    seats = SeatAssignment.objects.filter(delegate__delegation=hue).select_related("seat")
    assert {(a.seat.section, a.pinned) for a in seats} == {("B", True)}
    assert {(a.seat.row, a.seat.number) for a in seats} <= {
        (r, n) for r in (1, 2) for n in (1, 2, 3)
    }
