"""A hall imported from a pretix seating plan (`congress/seatmap_import.py`): the plan this app
exports comes back seat for seat; a plan from pretix's editor (zones and rows with their own
positions, fractions, Vietnamese category names) is placed where it says; a plan that breaks
pretix's schema or cannot be a hall is refused with every problem named in Vietnamese (zone,
row, seat), and nothing is written; the seating page and the API take it."""

import copy
import datetime as dt
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dondoc.congress import services
from dondoc.congress.error_codes import CongressErrorCode as Code
from dondoc.congress.models import Seat
from dondoc.congress.seatmap import PIXELS_PER_DM
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


def _stream(plan: Any) -> io.BytesIO:
    return io.BytesIO(json.dumps(plan, ensure_ascii=False).encode())


def _layout(congress) -> list[tuple[Any, ...]]:
    return sorted(
        Seat.objects.filter(congress=congress).values_list(
            "zone", "section", "row", "number", "x", "y", "accessible"
        )
    )


def _seat(guid: str, number: str, x: float, y: float, category: str) -> dict[str, Any]:
    return {"seat_guid": guid, "seat_number": number, "position": {"x": x, "y": y},
            "category": category}  # fmt: skip


EDITOR = {  # as pretix's editor saves it: positions nested, some with fractions
    "name": "Hội trường Diên Hồng",
    "categories": [
        {"name": "Đoàn Chủ tịch", "color": "#b03a2e"},
        {"name": "Đại biểu"},
        {"name": "Thuận tiện"},
        {"name": "Khách mời"},
    ],
    "size": {"width": 2000, "height": 1000},
    "zones": [
        {
            "name": "S",
            "position": {"x": 100, "y": 0},
            "rows": [
                {
                    "row_number": "1",
                    "position": {"x": 0, "y": 50},
                    "seats": [
                        _seat("s1", "1", 0, 0, "Đoàn Chủ tịch"),
                        _seat("s2", "2", 25, 0, "Đoàn Chủ tịch"),
                    ],
                }
            ],
        },
        {
            "name": "A",
            "position": {"x": 0, "y": 200},
            "displayed": True,
            "areas": [],
            "rows": [
                {
                    "row_number": "1",
                    "position": {"x": 10, "y": 0},
                    "number_of_seats": 3,
                    "seats": [
                        _seat("a11", "1", 0, 0, "Thuận tiện"),
                        _seat("a12", "2", 25.4, 0, "Đại biểu"),
                        _seat("a13", "3", 50, 0, "Đại biểu"),
                    ],
                },
                {
                    "row_number": "2",
                    "position": {"x": 10, "y": 40},
                    "seats": [
                        _seat("a21", "1", 0, 0, "Đại biểu"),
                        _seat("a22", "2", 25, 0, "Đại biểu"),
                    ],
                },
            ],
        },
        {
            "name": "K",
            "position": {"x": 0, "y": 400},
            "rows": [{"row_number": "1", "seats": [_seat("k1", "1", 0, 0, "Khách mời")]}],
        },
    ],
}


@time_machine.travel(BEFORE, tick=False)
def test_the_plan_this_app_exports_imports_back_seat_for_seat(api, congress, secretary):
    plan = api(secretary).get(f"/api/v1/congress/{congress.pk}/hall").json()
    before = _layout(congress)
    other = services.congress_create(
        secretary, "Hội nghị Trung ương", "plenum", congress.opens_on, congress.closes_on
    )
    count = services.hall_import(secretary, other, "hoi-truong.json", _stream(plan))

    assert count == len(before)
    assert [s[1:] for s in _layout(other)] == [s[1:] for s in before]
    assert {s[0] for s in _layout(other)} == {"stage", "delegates", "guests", "press"}
    ranked = Seat.objects.filter(congress=other, zone="delegates", rank__isnull=False).count()
    assert ranked == Seat.objects.filter(congress=other, zone="delegates").count()


@time_machine.travel(BEFORE, tick=False)
def test_an_editor_plan_is_placed_where_its_zones_rows_and_seats_say(congress, secretary):
    services.hall_import(secretary, congress, "plan.JSON", _stream(EDITOR))
    seats = {str(s): s for s in Seat.objects.filter(congress=congress)}

    assert sorted(seats) == ["A-1-1", "A-1-2", "A-1-3", "A-2-1", "A-2-2", "K-1-1", "S-1-1", "S-1-2"]
    assert (seats["S-1-2"].zone, seats["S-1-2"].x, seats["S-1-2"].y) == (
        "stage",
        (100 + 25) // PIXELS_PER_DM,
        50 // PIXELS_PER_DM,
    )
    assert (seats["A-1-1"].zone, seats["A-1-1"].accessible) == ("delegates", True)
    assert (seats["A-1-2"].x, seats["A-1-2"].y) == (round(35.4 / PIXELS_PER_DM), 40)
    assert seats["A-2-2"].y == 48
    assert seats["K-1-1"].zone == "guests"
    assert [s.rank for s in Seat.objects.filter(congress=congress, zone="delegates")].count(
        None
    ) == 0  # ranked for the solver


def _problems(congress, secretary, plan: Any) -> list[str]:
    before = _layout(congress)
    with pytest.raises(ValidationError) as refused:
        services.hall_import(secretary, congress, "plan.json", _stream(plan))
    assert _layout(congress) == before  # nothing written
    return refused.value.messages


@time_machine.travel(BEFORE, tick=False)
def test_every_problem_of_a_bad_plan_is_named_in_vietnamese_and_nothing_is_written(
    congress, secretary
):
    bad = copy.deepcopy(EDITOR)
    bad["extra"] = 1
    zone_a = bad["zones"][1]
    zone_a["rows"][0]["seats"][1]["category"] = "VIP"  # not among the plan's categories
    zone_a["rows"][0]["seats"][2]["seat_guid"] = "a11"  # an id twice
    zone_a["rows"][1]["row_number"] = "B"
    del zone_a["rows"][0]["seats"][0]["position"]
    bad["zones"][2]["rows"][0]["seats"].append(_seat("k1b", "1", 30, 0, "Khách mời"))
    bad["zones"][2]["rows"][0]["seats"].append(_seat("k2", "2", 60, 0, "Đại biểu"))
    bad["categories"].append({"name": "Ghế VIP"})
    bad["zones"][0]["rows"][0]["seats"][0]["category"] = "Ghế VIP"

    messages = _problems(congress, secretary, bad)
    text = "\n".join(messages)
    assert "Sơ đồ: có khóa không thuộc sơ đồ pretix: extra." in text
    assert "Khu vực A, hàng 1, ghế thứ 1: thiếu khóa position." in text
    assert "hạng ghế «VIP» không có trong danh sách hạng ghế của sơ đồ" in text
    assert "mã ghế «a11» trùng với một ghế khác" in text
    assert "Khu vực A, hàng thứ 2: số hàng «B» phải là số nguyên từ 1 đến 9999." in text
    assert "Khu vực K, hàng 1, ghế thứ 2: ghế K-1-1 đã có (mã «k1»)." in text
    assert "khu vực K có cả ghế guests và delegates" in text
    assert "hạng ghế «Ghế VIP» không cho biết loại ghế" in text
    assert all(m.code == Code.HALL_INVALID for m in _errors(congress, secretary, bad))


def _errors(congress, secretary, plan: Any) -> list[ValidationError]:
    with pytest.raises(ValidationError) as refused:
        services.hall_import(secretary, congress, "plan.json", _stream(plan))
    return refused.value.error_list


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ([], "Sơ đồ: phải là một đối tượng JSON."),
        ({"name": "H"}, "Sơ đồ: thiếu khóa categories, zones."),
        (
            {"name": "H", "categories": [{"name": "stage"}], "zones": [
                {"name": "S", "position": {"x": 0, "y": 0}, "rows": [{"row_number": "1", "seats": [
                    _seat("s", "1", 0, 0, "stage")]}]}]},
            "Sơ đồ không có ghế đại biểu nào.",
        ),
        (
            {"name": "H", "categories": [], "zones": [{"position": {"x": 0, "y": 0}, "rows": []}]},
            "Khu vực thứ 1: cần tên (khu vực của hội trường), tối đa 16 ký tự.",
        ),
        (
            {"name": "H", "categories": [{"name": "delegates"}], "zones": [
                {"name": "A", "position": {"x": -500, "y": 0}, "rows": [{"row_number": "1",
                 "seats": [_seat("a", "1", 0, 0, "delegates")]}]}]},
            "Khu vực A, hàng 1, ghế thứ 1: vị trí nằm ngoài hội trường",
        ),
    ],
)  # fmt: skip
def test_a_plan_that_cannot_be_a_hall_is_refused_in_words(congress, secretary, plan, message):
    assert any(message in m for m in _problems(congress, secretary, plan))


@time_machine.travel(BEFORE, tick=False)
def test_a_file_that_is_not_json_is_refused_as_unreadable(congress, secretary):
    with pytest.raises(ValidationError) as refused:
        services.hall_import(secretary, congress, "plan.json", io.BytesIO(b"\xff{not json"))
    assert refused.value.code == Code.HALL_UNREADABLE
    assert "Không đọc được tệp JSON" in refused.value.messages[0]


@time_machine.travel(BEFORE, tick=False)
def test_the_page_and_the_api_take_a_pretix_plan(api, congress, secretary):
    upload = _stream(EDITOR)
    upload.name = "so-do.json"
    page = client_for(secretary).post(
        reverse("congress:hall_import", args=[congress.pk]), {"file": upload}, follow=True
    )
    assert "8 ghế" in page.content.decode()
    assert Seat.objects.filter(congress=congress).count() == 8

    bad = copy.deepcopy(EDITOR)
    bad["zones"][1]["rows"][0]["row_number"] = "X"
    upload = _stream(bad)
    upload.name = "so-do.json"
    client = api(secretary)
    answer = client.client.post(
        f"/api/v1/congress/{congress.pk}/hall", {"file": upload}, headers=client.headers
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "hall_invalid"
    assert any("số hàng «X»" in m for m in answer.json()["fields"]["file"])
    assert Seat.objects.filter(congress=congress).count() == 8
