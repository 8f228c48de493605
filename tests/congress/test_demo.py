"""The demo congress, loaded through the services: the secretary finds it ready to seat,
badge and check in."""

import datetime as dt
import io
import json
from functools import partial

import docx
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dondoc.accounts.models import User
from dondoc.congress.badges import badge_token
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


@pytest.mark.django_db
def test_thuky_seats_the_demo_congress_prints_chart_and_badges_checks_in_and_reports():
    """The issue's "done means" on the demo, through the pages the secretariat uses (the phone's
    camera itself is tests/browser/test_congress_checkin.py)."""
    demo_load(tasks=50, seed=7)
    congress = Congress.objects.get()
    client = Client()
    client.force_login(User.objects.get(username="thuky"))
    page = partial(reverse, args=[congress.pk])

    solved = client.post(page("congress:seating_solve"), follow=True).content.decode()
    assert "Đã xếp chỗ cho" in solved
    for name in ("congress:seating_pdf", "congress:badges"):
        printed = client.get(page(name))
        assert printed["Content-Type"] == "application/pdf"
        assert len(PdfReader(io.BytesIO(printed.content)).pages) >= 1
    report = client.get(page("congress:credentials_report"))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(report.content)).paragraphs)
    assert "BÁO CÁO" in text

    delegate = Delegate.objects.filter(
        congress=congress, credentials=Credentials.VERIFIED, seat_assignment__isnull=False
    ).first()
    session = congress.sessions.order_by("day", "part").first()
    with time_machine.travel(dt.datetime.combine(session.day, dt.time(8), dt.UTC), tick=False):
        client.force_login(User.objects.get(username="thuky"))  # signed in at the entrance
        body = json.dumps({"token": badge_token(delegate), "session": session.pk})
        scan = client.post(page("congress:checkin_scan"), body, content_type="application/json")
    assert scan.status_code == 200, scan.content[:300]
    assert (scan.json()["created"], scan.json()["present"]) == (True, 1)
