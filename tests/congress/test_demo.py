"""The demo congress, loaded through the services: the secretary finds it ready to seat,
badge and check in."""

import pytest

from dondoc.congress.models import (
    Congress,
    Credentials,
    Delegate,
    SeatAssignment,
    VisitorSeat,
)
from dondoc.demo.load import demo_load


@pytest.mark.django_db
def test_demo_has_a_seated_congress_of_a_few_hundred_delegates_partly_verified():
    created = demo_load(tasks=50, seed=7)
    congress = Congress.objects.get()
    delegates = Delegate.objects.filter(congress=congress)
    assert 200 <= created["delegates"] == delegates.count() <= 600
    assert delegates.filter(credentials=Credentials.VERIFIED).count() > delegates.count() // 2
    assert SeatAssignment.objects.count() == created["seated"] > 200
    assert congress.boards.filter(kind="credentials", members__username="truong.btctw").exists()
    assert congress.sessions.count() == 10
    assert congress.guests.filter(reply="accepted").count() > 20
    assert congress.press_passes.filter(state="approved").count() > 40
    accepted = congress.guests.filter(reply="accepted").count()
    approved = congress.press_passes.filter(state="approved").count()
    assert VisitorSeat.objects.filter(guest__isnull=False).count() == accepted
    assert VisitorSeat.objects.filter(press__isnull=False).count() == approved
    assert congress.delegations.filter(kind="central").count() == 3
