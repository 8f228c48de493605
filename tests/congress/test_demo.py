"""The demo congress, loaded through the services: the secretary finds it ready to seat,
badge and check in."""

import pytest

from dondoc.congress.models import (
    BoardTask,
    Congress,
    Credentials,
    Delegate,
    SeatAssignment,
    Speech,
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
    _speeches_and_boards_are_there(created, congress)


def _speeches_and_boards_are_there(created, congress):
    """Speeches from several delegations in every state; boards with tracking tasks."""
    speeches = Speech.objects.filter(session__congress=congress)
    assert speeches.count() == created["speeches"] >= 16
    assert speeches.values("delegation").distinct().count() >= 10
    states = set(speeches.values_list("state", flat=True))
    assert states == {"proposed", "changes", "approved", "declined"}
    by_heads = speeches.exclude(proposed_by__username="thuky")
    assert by_heads.filter(delegation__head__username="daumoi.hanoi").exists()
    assert congress.speech_structure.targets.count() == 7
    ordered = speeches.filter(state="approved", mode="oral").order_by("session", "position")
    assert all(s.position for s in ordered)
    links = BoardTask.objects.filter(board__congress=congress).select_related("task")
    assert links.count() == created["board_tasks"] >= 10
    assert {link.board.kind for link in links} == {
        "documents",
        "personnel",
        "statute",
        "organization",
        "credentials",
    }
    assert all(link.task.due_on and link.task.lead_agency_id for link in links)
