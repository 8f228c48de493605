"""The hall edited seat by seat: a seat out of use or reserved is left out by the solver, a
seat someone sits in cannot be put out of use; one delegate moved by hand to another seat, the
seat's row locked, a seat already taken refused with a clear 409 (`seat_taken`), nothing
changed; who may do it; the page and the API."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dondoc.audit.models import AuditEntry
from dondoc.congress import selectors, services
from dondoc.congress.access import CongressActionRefused
from dondoc.congress.models import Delegate, Seat, SeatAssignment, SeatStatus
from dondoc.congress.services import DelegateData
from tests.congress.conftest import profile
from tests.congress.test_pages import client_for

BEFORE = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


def _seat(congress, label: str) -> Seat:
    seat = selectors.seat_labelled(congress, label)
    assert seat is not None, label
    return seat


def _seat_of(delegate: Delegate) -> str | None:
    found = SeatAssignment.objects.filter(delegate=delegate).select_related("seat").first()
    return str(found.seat) if found else None


def _two_seated(congress) -> tuple[Delegate, Delegate]:
    first, second = (
        Delegate.objects.filter(
            congress=congress,
            standing="official",
            presidium=False,
            needs_accessible_seat=False,
            seat_assignment__isnull=False,
        )
        .select_related("congress")
        .order_by("pk")[:2]
    )
    return first, second


@pytest.mark.django_db
@time_machine.travel(BEFORE, tick=False)
def test_blocked_and_reserved_seats_are_left_empty_by_the_solver(congress, secretary):
    blocked, reserved = _seat(congress, "A-1-2"), _seat(congress, "A-1-3")
    services.seat_mark(secretary, blocked, SeatStatus.BLOCKED)
    services.seat_mark(secretary, reserved, SeatStatus.RESERVED, accessible=True)
    services.seating_solve(secretary, congress)

    assert not SeatAssignment.objects.filter(seat__in=[blocked, reserved]).exists()
    reserved.refresh_from_db()
    assert (reserved.status, reserved.accessible) == ("reserved", True)
    assert AuditEntry.objects.filter(action="seat_mark").count() == 2
    chart = client_for(secretary).get(reverse("congress:seating", args=[congress.pk]))
    assert "A-1-2 — không sử dụng" in chart.content.decode()
    assert "A-1-3 — giữ chỗ" in chart.content.decode()


@pytest.mark.django_db
@time_machine.travel(BEFORE, tick=False)
def test_a_seat_someone_sits_in_cannot_be_put_out_of_use(congress, secretary):
    services.seating_solve(secretary, congress)
    taken = SeatAssignment.objects.filter(seat__congress=congress).select_related("seat").first()
    with pytest.raises(CongressActionRefused) as refused:
        services.seat_mark(secretary, taken.seat, SeatStatus.BLOCKED)
    assert refused.value.code == "seat_occupied"
    taken.seat.refresh_from_db()
    assert taken.seat.status == "open"
    services.seat_mark(secretary, taken.seat, SeatStatus.RESERVED)  # reserving it is fine


@pytest.mark.django_db
@time_machine.travel(BEFORE, tick=False)
def test_a_delegate_moves_to_a_free_seat_and_is_refused_a_taken_one(congress, secretary):
    services.seating_solve(secretary, congress)
    first, second = _two_seated(congress)
    free = (
        Seat.objects.filter(congress=congress, zone="delegates", assignment__isnull=True)
        .order_by("pk")
        .first()
    )
    services.delegate_move(secretary, first, free)
    assert _seat_of(first) == str(free)
    entry = AuditEntry.objects.get(action="delegate_move")
    assert entry.changes["seat"][1] == str(free)

    before = _seat_of(second)
    with pytest.raises(CongressActionRefused) as refused:
        services.delegate_move(secretary, second, free)
    assert refused.value.code == "seat_taken"
    assert "đã có người ngồi" in str(refused.value)
    assert (_seat_of(first), _seat_of(second)) == (str(free), before)


@pytest.mark.django_db
@time_machine.travel(BEFORE, tick=False)
def test_a_move_is_refused_to_a_blocked_seat_another_zone_or_a_seat_not_accessible(
    congress, secretary
):
    services.seating_solve(secretary, congress)
    first, _second = _two_seated(congress)
    where = _seat_of(first)
    blocked = _seat(congress, "D-2-3")
    SeatAssignment.objects.filter(seat=blocked).delete()
    services.seat_mark(secretary, blocked, SeatStatus.BLOCKED)
    with pytest.raises(CongressActionRefused) as refused:
        services.delegate_move(secretary, first, blocked)
    assert refused.value.code == "seat_blocked"
    with pytest.raises(ValidationError, match="thuộc khu Khách mời"):
        services.delegate_move(secretary, first, _seat(congress, "K-1-1"))
    needs = Delegate.objects.select_related("congress").get(
        congress=congress, needs_accessible_seat=True
    )
    plain = Seat.objects.filter(
        congress=congress, zone="delegates", accessible=False, assignment__isnull=True
    ).first()
    with pytest.raises(ValidationError, match="cần chỗ ngồi thuận tiện"):
        services.delegate_move(secretary, needs, plain)
    presidium = Delegate.objects.select_related("congress").get(congress=congress, presidium=True)
    with pytest.raises(ValidationError, match="không phải khu của đại biểu này"):
        services.delegate_move(secretary, presidium, plain)
    reserved = _seat(congress, "D-2-4")
    SeatAssignment.objects.filter(seat=reserved).delete()
    services.seat_mark(secretary, reserved, SeatStatus.RESERVED)
    services.delegate_move(secretary, first, reserved)  # a reserved seat takes a move by hand
    assert _seat_of(first) == "D-2-4" != where


@pytest.mark.django_db
@time_machine.travel(BEFORE, tick=False)
def test_only_the_secretariat_edits_seats_and_moves_delegates(
    congress, secretary, verifier, office_user
):
    services.seating_solve(secretary, congress)
    first, _second = _two_seated(congress)
    free = Seat.objects.filter(congress=congress, zone="delegates", assignment__isnull=True)[0]
    for who in (verifier, office_user):
        with pytest.raises(CongressActionRefused):
            services.seat_mark(who, free, SeatStatus.BLOCKED)
        with pytest.raises(CongressActionRefused):
            services.delegate_move(who, first, free)
    free.refresh_from_db()
    assert free.status == "open"


@pytest.mark.django_db
@time_machine.travel(BEFORE, tick=False)
def test_the_pages_edit_a_seat_and_move_a_delegate(congress, secretary):
    services.seating_solve(secretary, congress)
    first, second = _two_seated(congress)
    client = client_for(secretary)
    edited = client.post(
        reverse("congress:seat_edit", args=[congress.pk]),
        {"seat": "K-1-1", "status": "blocked", "accessible": "1"},
        follow=True,
    )
    assert "Đã ghi ghế K-1-1" in edited.content.decode()
    assert (_seat(congress, "K-1-1").status, _seat(congress, "K-1-1").accessible) == (
        "blocked",
        True,
    )
    missing = client.post(
        reverse("congress:seat_edit", args=[congress.pk]), {"seat": "Z-9-9"}, follow=True
    )
    assert "Không có ghế «Z-9-9»" in missing.content.decode()

    move = reverse("congress:delegate_move", args=[congress.pk, first.pk])
    taken = client.post(move, {"seat": _seat_of(second)}, follow=True)
    assert "đã có người ngồi" in taken.content.decode()
    free = Seat.objects.filter(congress=congress, zone="delegates", assignment__isnull=True)[0]
    moved = client.post(move, {"seat": str(free)}, follow=True)
    assert f"sang ghế {free}" in moved.content.decode()
    assert _seat_of(first) == str(free)


@pytest.mark.django_db
@time_machine.travel(BEFORE, tick=False)
def test_the_api_edits_a_seat_and_answers_409_for_a_taken_one(
    api, congress, secretary, office_user
):
    services.seating_solve(secretary, congress)
    first, second = _two_seated(congress)
    base = f"/api/v1/congress/{congress.pk}"
    free = Seat.objects.filter(congress=congress, zone="delegates", assignment__isnull=True)[0]
    edited = api(secretary).patch(f"{base}/seats/{free}", {"status": "reserved"})
    assert edited.json() == {
        "label": str(free),
        "zone": "delegates",
        "status": "reserved",
        "accessible": free.accessible,
    }
    assert api(office_user).patch(f"{base}/seats/{free}", {"status": "open"}).status_code == 403
    assert api(secretary).patch(f"{base}/seats/Z-1-1", {"status": "open"}).status_code == 404
    bad = api(secretary).patch(f"{base}/seats/{free}", {"status": "broken"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_choice")

    taken = api(secretary).post(f"{base}/delegates/{first.pk}/seat", {"seat": _seat_of(second)})
    assert (taken.status_code, taken.json()["code"]) == (409, "seat_taken")
    moved = api(secretary).post(f"{base}/delegates/{first.pk}/seat", {"seat": str(free)})
    assert (moved.status_code, moved.json()["seat"]) == (200, str(free))
    occupied = api(secretary).patch(f"{base}/seats/{free}", {"status": "blocked"})
    assert (occupied.status_code, occupied.json()["code"]) == (409, "seat_occupied")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_two_moves_to_the_same_seat_at_once_one_wins_the_other_is_refused(secretary):
    today = timezone.localdate()
    congress = services.congress_create(
        secretary, "Hội nghị Trung ương", "plenum", today, today + dt.timedelta(days=1)
    )
    delegation = services.delegation_create(secretary, congress, "TW", "Trung ương", 1)
    services.delegates_register(
        secretary,
        congress,
        [
            DelegateData(delegation, f"Ủy viên {i:02d}", "elected", "official", profile(i))
            for i in range(2)
        ],
    )
    services.hall_create(secretary, congress, rows=1, width=4, stage=1)
    target = Seat.objects.get(congress=congress, section="A", row=1, number=2)
    people = list(Delegate.objects.filter(congress=congress).select_related("congress"))
    start = threading.Barrier(2)
    answers: list[str] = []

    def move(delegate: Delegate) -> None:
        try:
            start.wait()
            services.delegate_move(secretary, delegate, target)
            answers.append("moved")
        except CongressActionRefused as refused:
            answers.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(d,)) for d in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["moved", "seat_taken"]
    assert SeatAssignment.objects.filter(seat=target).count() == 1
