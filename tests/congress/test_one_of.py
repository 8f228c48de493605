"""One-of rules of a congress held under real races (issue #11, item 2): requests at once, each
on its own PostgreSQL connection; the rule holds and every loser gets a clear refusal, never a
database error (a 500). Check-ins at many entrances: tests/congress/test_checkin_concurrency.py."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from dondoc.audit.models import AuditEntry
from dondoc.congress import services
from dondoc.congress.models import (
    AgendaRevision,
    Board,
    Congress,
    CongressSession,
    Delegation,
    PressPass,
)
from dondoc.congress.services import PressData
from tests.races import RACERS, needs_postgresql, race

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plenum(secretary) -> Congress:
    today = timezone.localdate()
    return services.congress_create(
        secretary, "Hội nghị Trung ương", "plenum", today + dt.timedelta(days=30),
        today + dt.timedelta(days=31),
    )  # fmt: skip


def test_one_press_card_registered_twenty_times_at_once_is_registered_once(secretary, plenum):
    outcomes = race(
        lambda n: services.press_request(
            secretary, plenum, PressData(f"Phóng viên {n}", "Báo Nhân Dân", "reporter", "NB-0042")
        )
    )
    assert outcomes == Counter({"stored": 1, "card_taken": RACERS - 1})
    assert PressPass.objects.filter(congress=plenum, card_number="NB-0042").count() == 1
    assert AuditEntry.objects.filter(action="press_request").count() == 1


def test_agenda_revisions_made_at_once_are_numbered_once_each(secretary, plenum):
    session = services.session_add(secretary, plenum, plenum.opens_on, 1, "Phiên khai mạc")

    def revise(n: int) -> None:
        fresh = CongressSession.objects.get(pk=session.pk)
        services.agenda_revise(secretary, fresh, [(f"Khai mạc {n}", "", 30)], f"Sửa lần {n}")

    outcomes = race(revise, racers=10)
    assert outcomes == Counter({"stored": 10})
    numbers = sorted(
        AgendaRevision.objects.filter(congress=plenum).values_list("number", flat=True)
    )
    assert numbers == list(range(1, 11))
    assert AuditEntry.objects.filter(action="agenda_revise").count() == 10


def test_one_board_kind_created_twenty_times_at_once_is_created_once(secretary, plenum):
    outcomes = race(
        lambda n: services.board_create(secretary, plenum, "documents", f"Tiểu ban {n}", [])
    )
    assert outcomes == Counter({"stored": 1, "board_exists": RACERS - 1})
    assert Board.objects.filter(congress=plenum, kind="documents").count() == 1
    assert AuditEntry.objects.filter(action="board_create").count() == 1


def test_one_delegation_code_created_twenty_times_at_once_is_created_once(secretary, plenum):
    outcomes = race(
        lambda n: services.delegation_create(secretary, plenum, "HN", f"Đoàn Hà Nội {n}", n)
    )
    assert outcomes == Counter({"stored": 1, "delegation_code_taken": RACERS - 1})
    assert Delegation.objects.filter(congress=plenum, code="HN").count() == 1
    assert AuditEntry.objects.filter(action="delegation_create").count() == 1
