"""Guests and press seated by the solver in their own zones of the hall: the guests of one
party or country side by side, in protocol order from the front, inside the seating area the
secretariat gave them; journalists by outlet; re-seating moves as few as possible; a seating
area the hall lacks is refused in words and nothing is written. The chart shows them."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dondoc.congress import hall, services
from dondoc.congress.models import (
    GuestReply,
    SeatAssignment,
    SeatZone,
    VisitorSeat,
)
from dondoc.congress.seating import Person, Spot, plan
from dondoc.congress.services import GuestData, PressData
from tests.congress.test_pages import client_for

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


def _invite(secretary, congress, name, organization, rank, area="", reply=GuestReply.ACCEPTED):
    guest = services.guest_invite(
        secretary,
        congress,
        GuestData("international", name, "Đại sứ", organization, rank, area, ""),
    )
    services.guest_reply(secretary, guest, reply)
    return guest


def _accredit(secretary, congress, name, outlet, card, approve=True):
    press = services.press_request(secretary, congress, PressData(name, outlet, "reporter", card))
    if approve is not None:
        services.press_decide(secretary, press, approve, "" if approve else "Trùng thẻ")
    return press


def _line(congress, zone):
    """The zone's seats in the order the solver lays blocks along them."""
    seats = list(congress.seats.filter(zone=zone))
    return [s.pk for s in hall.line_up(seats)]


@time_machine.travel(BEFORE, tick=False)
def test_guests_and_press_are_seated_in_their_zones_by_blocks_in_protocol_order(
    congress, secretary
):
    laos = [_invite(secretary, congress, f"Khách Lào {i}", "Đảng NDCM Lào", 1) for i in range(3)]
    cuba = [
        _invite(secretary, congress, f"Khách Cuba {i}", "Đảng Cộng sản Cuba", 2) for i in range(2)
    ]
    declined = _invite(secretary, congress, "Khách vắng", "Đảng X", 3, reply=GuestReply.DECLINED)
    nd = [
        _accredit(secretary, congress, f"PV Nhân Dân {i}", "Báo Nhân Dân", f"ND{i}")
        for i in range(3)
    ]
    vtv = [_accredit(secretary, congress, f"PV VTV {i}", "VTV", f"VTV{i}") for i in range(2)]
    refused = _accredit(secretary, congress, "PV bị từ chối", "Báo Y", "Y1", approve=False)

    result = services.seating_solve(secretary, congress)

    assert (result.guests, result.press) == (5, 5)
    seat_of = {
        (v.guest_id or v.press_id, "g" if v.guest_id else "p"): v.seat
        for v in VisitorSeat.objects.select_related("seat")
    }
    assert (declined.pk, "g") not in seat_of
    assert (refused.pk, "p") not in seat_of
    assert all(seat_of[(g.pk, "g")].zone == SeatZone.GUESTS for g in laos + cuba)
    assert all(seat_of[(p.pk, "p")].zone == SeatZone.PRESS for p in nd + vtv)
    line = _line(congress, SeatZone.GUESTS)
    laos_at = sorted(line.index(seat_of[(g.pk, "g")].pk) for g in laos)
    cuba_at = sorted(line.index(seat_of[(g.pk, "g")].pk) for g in cuba)
    assert laos_at == list(range(laos_at[0], laos_at[0] + 3))  # side by side
    assert cuba_at == list(range(cuba_at[0], cuba_at[0] + 2))
    assert laos_at[-1] < cuba_at[0]  # protocol rank 1 in front of rank 2
    press_line = _line(congress, SeatZone.PRESS)
    for outlet in (nd, vtv):
        at = sorted(press_line.index(seat_of[(p.pk, "p")].pk) for p in outlet)
        assert at == list(range(at[0], at[0] + len(outlet)))
    # the delegates are seated as before: nobody sits on a visitor's seat
    taken = set(SeatAssignment.objects.values_list("seat_id", flat=True))
    assert not taken & {s.pk for s in seat_of.values()}


@time_machine.travel(BEFORE, tick=False)
def test_a_guest_who_accepts_late_is_seated_and_nobody_else_moves(congress, secretary):
    for i in range(4):
        _invite(secretary, congress, f"Khách Lào {i}", "Đảng NDCM Lào", 1)
    services.seating_solve(secretary, congress)
    before = dict(VisitorSeat.objects.values_list("guest_id", "seat_id"))
    late = _invite(secretary, congress, "Khách Cuba", "Đảng Cộng sản Cuba", 2)

    again = services.seating_solve(secretary, congress)

    after = dict(VisitorSeat.objects.values_list("guest_id", "seat_id"))
    assert late.pk in after
    assert again.visitor_moves == 0
    assert all(after[g] == s for g, s in before.items())


@time_machine.travel(BEFORE, tick=False)
def test_a_guest_who_declines_later_gives_up_the_seat(congress, secretary):
    guest = _invite(secretary, congress, "Khách Lào", "Đảng NDCM Lào", 1)
    services.seating_solve(secretary, congress)
    assert VisitorSeat.objects.filter(guest=guest).exists()
    services.guest_reply(secretary, guest, GuestReply.DECLINED)
    assert not VisitorSeat.objects.filter(guest=guest).exists()


@time_machine.travel(BEFORE, tick=False)
def test_a_seating_area_the_hall_lacks_is_refused_and_nothing_is_written(congress, secretary):
    _invite(secretary, congress, "Khách Lào", "Đảng NDCM Lào", 1, area="K9")
    with pytest.raises(ValidationError) as refused:
        services.seating_solve(secretary, congress)
    assert "K9" in refused.value.messages[0]
    assert not SeatAssignment.objects.exists()
    assert not VisitorSeat.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_too_many_journalists_for_the_press_zone_are_refused_in_words(congress, secretary):
    capacity = congress.seats.filter(zone=SeatZone.PRESS).count()
    for i in range(capacity + 1):
        _accredit(secretary, congress, f"PV {i}", "Báo Nhân Dân", f"C{i}")
    with pytest.raises(ValidationError) as refused:
        services.seating_solve(secretary, congress)
    assert f"{capacity} ghế cho {capacity + 1} người" in refused.value.messages[0]


@time_machine.travel(BEFORE, tick=False)
def test_a_guest_given_a_row_sits_in_that_row(congress, secretary):
    back = [_invite(secretary, congress, f"Khách {i}", "Đảng A", 1, area="K-2") for i in range(2)]
    front = _invite(secretary, congress, "Khách hàng đầu", "Đảng B", 2, area="K-1")
    services.seating_solve(secretary, congress)
    rows = dict(VisitorSeat.objects.values_list("guest_id", "seat__row"))
    assert [rows[g.pk] for g in back] == [2, 2]
    assert rows[front.pk] == 1


def test_a_block_with_a_seating_area_stays_inside_that_section():
    """Two guest sections side by side: the block asked for K2 sits in K2 even though its
    protocol rank would put it first; the free blocks keep protocol order in front."""
    spots = [Spot(i, "K1") for i in range(6)] + [Spot(10 + i, "K2") for i in range(6)]
    people = [Person(1, 1), Person(2, 1), Person(3, 2), Person(4, 2), Person(5, 3)]
    result = plan(spots, people, [1, 2, 3], areas={1: frozenset(range(10, 16))})
    section = {spot.id: spot.section for spot in spots}
    assert {section[result.seats[1]], section[result.seats[2]]} == {"K2"}
    assert section[result.seats[3]] == section[result.seats[4]] == "K1"
    assert result.seats[4] < result.seats[5]  # block 2 before block 3


@time_machine.travel(BEFORE, tick=False)
def test_the_chart_names_the_seated_guests_and_journalists(congress, secretary):
    _invite(secretary, congress, "Khách Lào Một", "Đảng NDCM Lào", 1)
    _accredit(secretary, congress, "Phóng viên Hai", "Báo Nhân Dân", "ND1")
    services.seating_solve(secretary, congress)
    page = client_for(secretary).get(reverse("congress:seating", args=[congress.pk]))
    body = page.content.decode()
    assert "Khách Lào Một (Đảng NDCM Lào)" in body
    assert "Phóng viên Hai (Báo Nhân Dân)" in body
