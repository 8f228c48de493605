"""A delegate moved to a seat by hand is pinned: the next automatic seating keeps them there
(their seat is not the solver's to give), while the others are seated around them; unpinning
(bỏ ghim, audited) lets the solver move them again. The seating chart marks pinned seats, the
delegate's page offers "Bỏ ghim"; who may; the API."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.congress import services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.models import Delegate, Seat, SeatAssignment
from tests.congress.test_pages import client_for
from tests.congress.test_seat_edit import _seat_of, _two_seated

pytestmark = pytest.mark.django_db
BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


def _free_seat_at_the_back(congress) -> Seat:
    return (
        Seat.objects.filter(
            congress=congress, zone="delegates", assignment__isnull=True, accessible=False
        )
        .order_by("-rank")
        .first()
    )


@time_machine.travel(BEFORE, tick=False)
def test_re_seating_keeps_a_pinned_delegate_and_moves_an_unpinned_one(congress, secretary):
    services.seating_solve(secretary, congress)
    pinned, unpinned = _two_seated(congress)
    back = _free_seat_at_the_back(congress)
    services.delegate_move(secretary, pinned, back)
    other = _free_seat_at_the_back(congress)
    services.delegate_move(secretary, unpinned, other)
    assert services.delegate_unpin(secretary, unpinned) is True
    assert AuditEntry.objects.filter(action="delegate_unpin").count() == 1

    result = services.seating_solve(secretary, congress)

    assert _seat_of(pinned) == str(back)  # kept, far from the rest of the delegation
    assert _seat_of(unpinned) != str(other)  # back into their delegation's block
    assert not SeatAssignment.objects.filter(seat=other).exists()
    assert result.pinned == 1
    assert SeatAssignment.objects.get(delegate=pinned).pinned
    assert not SeatAssignment.objects.get(delegate=unpinned).pinned
    entry = AuditEntry.objects.filter(action="seating_solve").latest("pk")
    assert entry.changes["pinned"] == [None, 1]


@time_machine.travel(BEFORE, tick=False)
def test_a_pinned_seat_is_not_given_to_anyone_else_by_a_first_seating(congress, secretary):
    front = Seat.objects.filter(congress=congress, zone="delegates").order_by("rank").first()
    last = (
        Delegate.objects.filter(
            congress=congress, standing="official", presidium=False, needs_accessible_seat=False
        )
        .select_related("congress")
        .order_by("-delegation__protocol_order", "-pk")[0]
    )
    services.delegate_move(secretary, last, front)  # the first delegation's seat, by protocol

    result = services.seating_solve(secretary, congress)

    assert _seat_of(last) == str(front)
    officials = Delegate.objects.filter(congress=congress, standing="official").count()
    assert result.seated == officials  # everyone else seated around the pinned seat
    assert SeatAssignment.objects.filter(seat=front).count() == 1


@time_machine.travel(BEFORE, tick=False)
def test_a_pin_lapses_when_the_delegate_is_no_longer_seated(congress, secretary, verifier):
    services.seating_solve(secretary, congress)
    first, _second = _two_seated(congress)
    back = _free_seat_at_the_back(congress)
    services.delegate_move(secretary, first, back)
    services.credentials_decide(verifier, first, "rejected", "Không đủ điều kiện")
    services.seating_solve(secretary, congress)
    assert _seat_of(first) is None


@time_machine.travel(BEFORE, tick=False)
def test_only_the_secretariat_unpins(congress, secretary, verifier, office_user):
    services.seating_solve(secretary, congress)
    first, _second = _two_seated(congress)
    services.delegate_move(secretary, first, _free_seat_at_the_back(congress))
    for who in (verifier, office_user):
        with pytest.raises(CongressActionRefused):
            services.delegate_unpin(who, first)
    assert SeatAssignment.objects.get(delegate=first).pinned
    assert services.delegate_unpin(secretary, first) is True
    assert services.delegate_unpin(secretary, first) is False  # nothing left to record
    assert AuditEntry.objects.filter(action="delegate_unpin").count() == 1


@time_machine.travel(BEFORE, tick=False)
def test_the_chart_marks_pinned_seats_and_the_delegate_page_unpins(congress, secretary):
    services.seating_solve(secretary, congress)
    first, second = _two_seated(congress)
    back = _free_seat_at_the_back(congress)
    services.delegate_move(secretary, first, back)
    client = client_for(secretary)

    chart = client.get(reverse("congress:seating", args=[congress.pk])).content.decode()
    assert chart.count('<g class="pinned">') == 1
    assert f"{back}: {first.full_name}" in chart
    assert "— đã ghim</title>" in chart
    assert "Ghế đã ghim" in chart  # the legend

    page = client.get(reverse("congress:delegate", args=[congress.pk, first.pk])).content.decode()
    assert "đã ghim" in page
    assert "Bỏ ghim" in page
    other = client.get(reverse("congress:delegate", args=[congress.pk, second.pk]))
    assert "Bỏ ghim" not in other.content.decode()

    done = client.post(
        reverse("congress:delegate_unpin", args=[congress.pk, first.pk]), follow=True
    )
    assert "Đã bỏ ghim" in done.content.decode()
    assert not SeatAssignment.objects.get(delegate=first).pinned
    chart = client.get(reverse("congress:seating", args=[congress.pk])).content.decode()
    assert '<g class="pinned">' not in chart


@time_machine.travel(BEFORE, tick=False)
def test_the_api_unpins(api, congress, secretary, office_user):
    services.seating_solve(secretary, congress)
    first, _second = _two_seated(congress)
    back = _free_seat_at_the_back(congress)
    base = f"/api/v1/congress/{congress.pk}/delegates/{first.pk}"
    moved = api(secretary).post(f"{base}/seat", {"seat": str(back)}).json()
    assert (moved["seat"], moved["seat_pinned"]) == (str(back), True)
    listed = api(secretary).get(f"/api/v1/congress/{congress.pk}/delegates", limit=500).json()
    assert [i["id"] for i in listed["items"] if i["seat_pinned"]] == [first.pk]
    refused = api(office_user).request("delete", f"{base}/seat/pin")
    assert refused.status_code == 403
    done = api(secretary).request("delete", f"{base}/seat/pin")
    assert done.json() == {"delegate": first.pk, "seat": str(back), "pinned": False}
    assert not SeatAssignment.objects.get(delegate=first).pinned
