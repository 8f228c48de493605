"""A block of seats (a section, rows a-b, seats c-d, or a rectangle dragged on the chart) given to
a delegation or to chosen delegates in one action: in seat order, pinned, skipping seats out of
use, pinned for someone else or a visitor's; all or nothing with a reason in Vietnamese. The
printed chart and the pretix export carry each seat's state (free, blocked, reserved, assigned,
pinned)."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from dondoc.audit.models import AuditEntry
from dondoc.congress import services
from dondoc.congress.models import Delegate, Delegation, Seat, SeatAssignment
from dondoc.congress.services import SeatBlock
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
WHOLE_B = SeatBlock("B", (1, 2), (1, 6))  # 12 seats, accessible at both ends of each row


def _officials(congress, code: str) -> list[Delegate]:
    return list(
        Delegate.objects.filter(
            congress=congress, delegation__code=code, standing="official", presidium=False
        )
    )


def _seats(delegates) -> dict[int, SeatAssignment]:
    return {
        a.delegate_id: a
        for a in SeatAssignment.objects.select_related("seat").filter(
            delegate__in=[d.pk for d in delegates]
        )
    }


def _seat(congress, label: str) -> Seat:
    section, row, number = label.split("-")
    return Seat.objects.get(congress=congress, section=section, row=row, number=number)


@time_machine.travel(BEFORE, tick=False)
def test_a_delegation_takes_a_block_in_seat_order_pinned_and_the_solver_keeps_it(
    congress, secretary
):
    hanoi = Delegation.objects.get(congress=congress, code="HN")
    people = _officials(congress, "HN")
    assert len(people) == 7

    result = services.seats_assign_block(secretary, congress, WHOLE_B, delegation=hanoi)

    assert (result.seated, result.displaced, result.unusable) == (7, 0, 0)
    seats = _seats(people)
    assert {a.seat.section for a in seats.values()} == {"B"}
    assert all(a.pinned for a in seats.values())
    needy = next(d for d in people if d.needs_accessible_seat)
    assert seats[needy.pk].seat.accessible
    others = sorted((a.seat.row, a.seat.number) for d, a in seats.items() if d != needy.pk)
    assert others == [(1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (2, 1)]  # seat order, no gaps
    assert AuditEntry.objects.filter(action="delegate_move").count() == 7
    entry = AuditEntry.objects.get(action="seats_assign_block")
    assert entry.changes["seated"] == [None, 7]

    services.seating_solve(secretary, congress)
    assert {d: a.seat_id for d, a in _seats(people).items()} == {
        d: a.seat_id for d, a in seats.items()
    }


@time_machine.travel(BEFORE, tick=False)
def test_a_block_too_small_seats_nobody_and_says_why(congress, secretary):
    services.seating_solve(secretary, congress)
    before = set(SeatAssignment.objects.values_list("delegate_id", "seat_id", "pinned"))
    hanoi = Delegation.objects.get(congress=congress, code="HN")

    with pytest.raises(ValidationError) as refused:
        services.seats_assign_block(
            secretary, congress, SeatBlock("B", (1, 1), (1, 6)), delegation=hanoi
        )

    assert refused.value.error_dict["block"][0].code == "seat_block"
    message = refused.value.messages[0]
    assert "chỉ còn 6 ghế dùng được" in message
    assert "cho 7 đại biểu" in message
    assert set(SeatAssignment.objects.values_list("delegate_id", "seat_id", "pinned")) == before
    assert not AuditEntry.objects.filter(action="seats_assign_block").exists()

    with pytest.raises(ValidationError) as nowhere:
        services.seats_assign_block(
            secretary, congress, SeatBlock("Z", (1, 2), (1, 6)), delegation=hanoi
        )
    assert "không có ghế nào ở khu vực Z" in nowhere.value.messages[0]


@time_machine.travel(BEFORE, tick=False)
def test_seats_out_of_use_and_pinned_for_someone_else_are_skipped(congress, secretary):
    services.seat_mark(secretary, _seat(congress, "B-1-2"), "blocked")
    hue = _officials(congress, "HUE")[0]
    services.delegate_move(secretary, hue, _seat(congress, "B-1-3"))
    hanoi = Delegation.objects.get(congress=congress, code="HN")

    # 12 seats less the blocked one and the pinned one: 10 for 7 delegates
    result = services.seats_assign_block(secretary, congress, WHOLE_B, delegation=hanoi)

    assert result.unusable == 2
    assert not SeatAssignment.objects.filter(seat=_seat(congress, "B-1-2")).exists()
    kept = SeatAssignment.objects.get(seat=_seat(congress, "B-1-3"))
    assert (kept.delegate_id, kept.pinned) == (hue.pk, True)


@time_machine.travel(BEFORE, tick=False)
def test_a_block_counts_only_seats_in_use(congress, secretary):
    for label in ("C-1-2", "C-1-3"):
        services.seat_mark(secretary, _seat(congress, label), "blocked")
    hanoi = Delegation.objects.get(congress=congress, code="HN")
    with pytest.raises(ValidationError) as refused:
        services.seats_assign_block(
            secretary, congress, SeatBlock("C", (2, 1), (4, 1)), delegation=hanoi
        )
    assert "chỉ còn 6 ghế dùng được (trong 8 ghế" in refused.value.messages[0]
    assert not SeatAssignment.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_unpinned_delegates_give_way_and_are_told_in_the_audit(congress, secretary):
    services.seating_solve(secretary, congress)
    block = SeatBlock("B", (1, 1), (1, 6))
    sitting = {
        a.delegate_id
        for a in SeatAssignment.objects.filter(seat__section="B", seat__row=1)
        if a.delegate.delegation.code != "HUE"
    }
    assert sitting  # the solver put someone else there
    hue = _officials(congress, "HUE")

    result = services.seats_assign_block(secretary, congress, block, delegates=hue)

    assert result.seated == 4
    assert result.displaced >= 1
    placed = _seats(hue)
    assert {(a.seat.section, a.seat.row) for a in placed.values()} == {("B", 1)}
    unseated = AuditEntry.objects.filter(action="delegate_unseat")
    assert unseated.count() == result.displaced
    assert {e.object_id for e in unseated} <= {str(d) for d in sitting}
    for entry in unseated:
        assert not SeatAssignment.objects.filter(delegate_id=int(entry.object_id)).exists()


@time_machine.travel(BEFORE, tick=False)
def test_a_pin_elsewhere_is_kept_for_a_delegation_and_moved_for_a_name(congress, secretary):
    hanoi = _officials(congress, "HN")
    services.delegate_move(secretary, hanoi[0], _seat(congress, "A-2-3"))
    delegation = Delegation.objects.get(congress=congress, code="HN")

    result = services.seats_assign_block(secretary, congress, WHOLE_B, delegation=delegation)
    assert (result.seated, result.kept_pinned) == (6, 1)
    assert str(_seats(hanoi)[hanoi[0].pk].seat) == "A-2-3"

    services.seats_assign_block(
        secretary, congress, SeatBlock("C", (1, 1), (1, 6)), delegates=hanoi[:2]
    )
    placed = _seats(hanoi[:2])
    assert {a.seat.section for a in placed.values()} == {"C"}
    assert all(a.pinned for a in placed.values())


@time_machine.travel(BEFORE, tick=False)
def test_chosen_delegates_are_checked_before_anything_moves(congress, secretary):
    hanoi = _officials(congress, "HN")
    chair = Delegate.objects.get(congress=congress, presidium=True)
    alternate = Delegate.objects.filter(congress=congress, standing="alternate").first()
    with pytest.raises(ValidationError) as zone:
        services.seats_assign_block(
            secretary, congress, WHOLE_B, delegates=[chair, alternate, hanoi[1]]
        )
    assert zone.value.error_dict["block"][0].code == "seat_zone"
    assert f"{chair.full_name} ngồi ở khu Đoàn Chủ tịch" in zone.value.messages[0]
    assert f"{alternate.full_name} không phải đại biểu chính thức" in zone.value.messages[0]
    assert not SeatAssignment.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_the_seating_page_assigns_a_block_for_the_secretariat_only(
    congress, secretary, verifier, office_user
):
    url = reverse("congress:seats_block", args=[congress.pk])
    form = {"section": "B", "rows": "1-2", "numbers": "6-1", "delegation": "HUE"}
    assert client_for(office_user).post(url, form).status_code in (403, 404)
    assert client_for(verifier).post(url, form).status_code in (403, 404)
    assert not SeatAssignment.objects.exists()

    client = client_for(secretary)
    page = client.post(url, form, follow=True).content.decode()
    assert "Đã xếp 4 đại biểu của Đảng bộ thành phố Huế vào khu vực B" in page
    assert {a.seat.section for a in _seats(_officials(congress, "HUE")).values()} == {"B"}

    # HUE is pinned on B-1-1 .. B-1-4: of B-1-1 and B-2-1 one seat is left for Hà Nội's 7
    page = client.post(url, {**form, "numbers": "1", "delegation": "HN"}, follow=True)
    assert "chỉ còn 1 ghế dùng được" in page.content.decode()

    chart = client.get(reverse("congress:seating", args=[congress.pk])).content.decode()
    assert 'id="seat-block"' in chart
    assert 'data-seat="B-1-1"' in chart
    assert "congress-seating.js" in chart
    reader = client_for(office_user).get(reverse("congress:seating", args=[congress.pk]))
    assert 'id="seat-block"' not in reader.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_the_api_assigns_a_block_to_chosen_delegates(api, congress, secretary, office_user):
    url = f"/api/v1/congress/{congress.pk}/seats/block"
    hue = _officials(congress, "HUE")
    body = {"section": "C", "rows": [1, 1], "numbers": [1, 6], "delegates": [d.pk for d in hue]}
    assert api(office_user).post(url, body).status_code == 403
    done = api(secretary).post(url, body)
    assert done.status_code == 200, done.content
    assert done.json() == {"seated": 4, "displaced": 0, "kept_pinned": 0, "unusable": 0}
    small = api(secretary).post(url, {**body, "numbers": [1, 2]})
    assert small.status_code == 400
    assert "seat_block" in small.content.decode()
    hanoi = Delegation.objects.get(congress=congress, code="HN")
    unknown = api(secretary).post(url, {**body, "delegates": [], "delegation": hanoi.pk + 999})
    assert unknown.status_code == 404


@time_machine.travel(BEFORE, tick=False)
def test_the_pretix_export_and_the_printed_chart_carry_each_seats_state(congress, secretary):
    services.seat_mark(secretary, _seat(congress, "D-2-6"), "blocked")
    services.seat_mark(secretary, _seat(congress, "D-2-5"), "reserved")
    services.seating_solve(secretary, congress)
    pinned = _officials(congress, "HUE")[0]
    services.delegate_move(secretary, pinned, _seat(congress, "D-2-4"))
    client = client_for(secretary)

    plan = json.loads(client.get(reverse("congress:seating_plan_json", args=[congress.pk])).content)
    category = {
        s["seat_guid"]: s["category"] for z in plan["zones"] for r in z["rows"] for s in r["seats"]
    }
    assert category["D-2-6"] == "accessible/blocked"
    assert category["D-2-5"] == "delegates/reserved"
    assert category["D-2-4"] == "delegates/pinned"
    seated = SeatAssignment.objects.filter(pinned=False).select_related("seat").first()
    assert category[str(seated.seat)].endswith("/assigned")
    assert category["D-1-3"] == "delegates"  # free
    names = {c["name"] for c in plan["categories"]}
    assert set(category.values()) <= names
    assert pinned.full_name not in json.dumps(plan, ensure_ascii=False)

    pdf = client.get(reverse("congress:seating_pdf", args=[congress.pk])).content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = text.replace("\n", " ")
    assert f"D-2-4 {pinned.full_name} (đã ghim)" in text
    assert "Không sử dụng: D-2-6" in text
    assert "Giữ chỗ: D-2-5" in text
    assert "1 đã ghim" in text
    assert "viền đậm, chấm đen" in text


@time_machine.travel(BEFORE, tick=False)
def test_an_exported_plan_brings_back_blocked_and_reserved_seats(congress, secretary):
    services.seat_mark(secretary, _seat(congress, "A-1-2"), "blocked")
    services.seat_mark(secretary, _seat(congress, "A-1-3"), "reserved")
    client = client_for(secretary)
    plan = client.get(reverse("congress:seating_plan_json", args=[congress.pk])).content
    other = services.congress_create(
        secretary, "Hội nghị Trung ương", "plenum", congress.opens_on, congress.closes_on
    )
    services.hall_import(secretary, other, "plan.json", io.BytesIO(plan))
    status = dict(
        (str(s), s.status) for s in Seat.objects.filter(congress=other, section="A", row=1)
    )
    assert (status["A-1-2"], status["A-1-3"], status["A-1-4"]) == ("blocked", "reserved", "open")


@time_machine.travel(BEFORE, tick=False)
def test_a_block_takes_as_many_queries_for_seven_delegates_as_for_four(
    congress, secretary, django_assert_num_queries, django_assert_max_num_queries
):
    hue = Delegation.objects.get(congress=congress, code="HUE")
    hanoi = Delegation.objects.get(congress=congress, code="HN")
    dbtw = Delegation.objects.get(congress=congress, code="DBTW")
    services.seats_assign_block(secretary, congress, SeatBlock("D", (1, 2), (1, 6)), dbtw)
    with django_assert_max_num_queries(30) as four:
        services.seats_assign_block(secretary, congress, WHOLE_B, delegation=hue)
    with django_assert_num_queries(len(four.captured_queries)):
        services.seats_assign_block(
            secretary, congress, SeatBlock("C", (1, 2), (1, 6)), delegation=hanoi
        )


@time_machine.travel(BEFORE, tick=False)
def test_a_delegation_with_nobody_for_the_blocks_zone_is_told_so(congress, secretary):
    hue = Delegation.objects.get(congress=congress, code="HUE")
    with pytest.raises(ValidationError) as refused:
        services.seats_assign_block(secretary, congress, SeatBlock("S", (1, 1), (1, 4)), hue)
    assert "không có đại biểu nào được xếp ở khu Đoàn Chủ tịch" in refused.value.messages[0]
    twice = _officials(congress, "HUE")[:2] * 2  # the same delegates named twice
    result = services.seats_assign_block(secretary, congress, WHOLE_B, delegates=twice)
    assert result.seated == 2
