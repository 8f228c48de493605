"""The hall exported as a pretix seating plan (`congress/seatmap.py`): the structure that
pretix's `seating-plan.schema.json` (draft-07, version 0.0.1) requires, checked here key by key
(pretix's schema file is AGPL-licensed, so it is not copied into this repository), every seat
of the hall once, where the chart draws it; from the seating page and the API, to whoever sees
the congress; no one's name in it."""

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from dondoc.congress import services
from dondoc.congress.models import Seat
from dondoc.congress.seatmap import PIXELS_PER_DM
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)

# pretix's schema: for each object, (allowed keys, required keys).
PLAN = ({"name", "zones", "categories", "size"}, {"zones", "name", "categories"})
ZONE = ({"name", "displayed", "position", "rows", "areas"}, {"position", "rows"})
ROW = ({"row_number", "seats", "number_of_seats", "seats_spacing", "position"},
       {"seats", "row_number"})  # fmt: skip
SEAT = ({"seat_guid", "seat_number", "position", "category"},) * 2
CATEGORY = ({"name", "color"}, {"name"})
XY = ({"x", "y"},) * 2
SIZE = ({"width", "height"},) * 2


def _shape(obj: Any, shape: tuple[set[str], set[str]], where: str) -> None:
    allowed, required = shape
    assert isinstance(obj, dict), where
    assert set(obj) <= allowed, f"{where}: keys not in the schema {set(obj) - allowed}"
    assert required <= set(obj), f"{where}: missing {required - set(obj)}"


def _point(obj: Any, where: str) -> None:
    _shape(obj, XY, where)
    assert all(type(obj[k]) is int for k in ("x", "y")), where


def assert_pretix_plan(plan: dict[str, Any]) -> None:
    """Every rule of pretix's seating-plan schema, plus the one it cannot express: a seat's
    category names a category of the plan."""
    _shape(plan, PLAN, "plan")
    assert isinstance(plan["name"], str)
    if "size" in plan:
        _shape(plan["size"], SIZE, "size")
        assert all(type(plan["size"][k]) is int for k in ("width", "height"))
    for category in plan["categories"]:
        _shape(category, CATEGORY, "category")
        assert all(isinstance(v, str) for v in category.values())
    names = {c["name"] for c in plan["categories"]}
    for zone in plan["zones"]:
        _shape(zone, ZONE, "zone")
        assert isinstance(zone.get("name", ""), str)
        _point(zone["position"], "zone position")
        for row in zone["rows"]:
            _shape(row, ROW, "row")
            assert isinstance(row["row_number"], str)
            if "position" in row:
                _point(row["position"], "row position")
            for seat in row["seats"]:
                _shape(seat, SEAT, "seat")
                assert all(isinstance(seat[k], str) for k in ("seat_guid", "seat_number"))
                assert seat["category"] in names, seat
                _point(seat["position"], "seat position")


def _seats(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for z in plan["zones"] for r in z["rows"] for s in r["seats"]]


HALL = """Khu,Khu vực,Hàng,Ghế,Thuận tiện
Đoàn Chủ tịch,S,1,1-6,
Đại biểu,A,1,1,có
Đại biểu,A,1,2-8,
Đại biểu,A,2,1-8,
Khách mời,K,1,1-10,
Báo chí,P,1,1-10,
"""


@time_machine.travel(BEFORE, tick=False)
def test_the_hall_downloads_as_a_pretix_plan_with_every_seat_once(congress, secretary):
    services.seating_solve(secretary, congress)
    response = client_for(secretary).get(reverse("congress:seating_plan_json", args=[congress.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'so-do-hoi-truong-{congress.pk}.json"')
    plan = response.json()
    assert_pretix_plan(plan)
    seats = _seats(plan)
    hall = Seat.objects.filter(congress=congress)
    assert sorted(s["seat_guid"] for s in seats) == sorted(str(s) for s in hall)
    one = hall.filter(zone="delegates").first()
    exported = next(s for s in seats if s["seat_guid"] == str(one))
    assert exported["position"] == {"x": one.x * PIXELS_PER_DM, "y": one.y * PIXELS_PER_DM}
    assert exported["seat_number"] == str(one.number)
    farthest = max(hall, key=lambda s: s.x)
    assert plan["size"]["width"] > farthest.x * PIXELS_PER_DM  # the whole hall fits
    body = response.content.decode()
    seated = congress.delegates.filter(seat_assignment__isnull=False).first()
    assert seated is not None
    assert seated.full_name not in body  # the layout only


@time_machine.travel(BEFORE, tick=False)
def test_an_imported_hall_keeps_its_sections_rows_and_kinds_of_seat(api, congress, secretary):
    upload = io.BytesIO(HALL.encode())
    upload.name = "h.csv"
    services.hall_import(secretary, congress, "h.csv", upload)

    plan = api(secretary).get(f"/api/v1/congress/{congress.pk}/hall").json()

    assert_pretix_plan(plan)
    assert [z["name"] for z in plan["zones"]] == ["A", "K", "P", "S"]
    a_rows = next(z for z in plan["zones"] if z["name"] == "A")["rows"]
    assert [(r["row_number"], len(r["seats"])) for r in a_rows] == [("1", 8), ("2", 8)]
    categories = {s["seat_guid"]: s["category"] for s in _seats(plan)}
    assert categories["A-1-1"] == "accessible"
    assert categories["A-1-2"] == "delegates"
    assert categories["S-1-1"] == "stage"
    assert categories["K-1-10"] == "guests"
    assert categories["P-1-1"] == "press"
    assert {c["name"] for c in plan["categories"]} == {
        "stage", "delegates", "guests", "press", "accessible"
    }  # fmt: skip


def test_the_checker_refuses_what_pretix_would_refuse():
    good = {"name": "H", "categories": [{"name": "a"}], "zones": [
        {"position": {"x": 0, "y": 0}, "rows": [{"row_number": "1", "seats": [
            {"seat_guid": "A-1-1", "seat_number": "1", "position": {"x": 1, "y": 2},
             "category": "a"}]}]}]}  # fmt: skip
    assert_pretix_plan(good)
    seat = good["zones"][0]["rows"][0]["seats"][0]
    for broken in ({**seat, "accessible": True}, {**seat, "position": {"x": 1.5, "y": 2}},
                   {k: v for k, v in seat.items() if k != "seat_guid"}, {**seat, "category": "b"}):  # fmt: skip
        good["zones"][0]["rows"][0]["seats"][0] = broken
        with pytest.raises(AssertionError):
            assert_pretix_plan(good)


@pytest.mark.parametrize(("who", "status"), [("office_user", 200), ("lead_focal", 404)])
def test_who_sees_the_congress_downloads_its_hall(api, congress, who, status, request):
    user = request.getfixturevalue(who)
    with time_machine.travel(BEFORE, tick=False):
        page = client_for(user).get(reverse("congress:seating_plan_json", args=[congress.pk]))
        through_api = api(user).get(f"/api/v1/congress/{congress.pk}/hall")
    assert (page.status_code, through_api.status_code) == (status, status)
