"""One-of rules of the work programs held under real races (issue #11, item 2): twenty
requests at once, each on its own PostgreSQL connection; exactly one is stored, every other one
gets the same clear refusal (never a database error, which a page would show as a 500)."""

import datetime as dt
from collections import Counter

import pytest

from dondoc.audit.models import AuditEntry
from dondoc.programs import services
from dondoc.programs.models import (
    Body,
    CommentRound,
    Invitation,
    ItemKind,
    ProgramItem,
    ProgramKind,
    RescheduleDecision,
    RescheduleKind,
    RescheduleRequest,
    WorkProgram,
)
from tests.programs.conftest import TODAY
from tests.races import RACERS, needs_postgresql, race

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]
DEADLINE = TODAY + dt.timedelta(days=14)


def fresh(item: ProgramItem) -> ProgramItem:
    return ProgramItem.objects.get(pk=item.pk)


def test_twenty_simultaneous_reschedule_requests_leave_one_pending(item, lead_focal):
    outcomes = race(
        lambda n: services.reschedule_request(
            lead_focal, fresh(item), kind=RescheduleKind.WITHDRAW, reason=f"Lý do {n}", day=TODAY
        )
    )
    assert outcomes == Counter({"stored": 1, "reschedule_pending": RACERS - 1})
    assert RescheduleRequest.objects.filter(item=item, decision="pending").count() == 1
    assert AuditEntry.objects.filter(action="program_reschedule_request").count() == 1


def test_a_reschedule_request_decided_by_twenty_clicks_at_once_is_decided_once(
    item, lead_focal, leader
):
    services.reschedule_request(
        lead_focal, item, kind=RescheduleKind.WITHDRAW, reason="Chưa đủ điều kiện", day=TODAY
    )
    outcomes = race(
        lambda n: services.reschedule_decide(leader, fresh(item), approve=True, day=TODAY)
    )
    # A loser that read the item before the winner's commit waits on the request's row and
    # finds it decided; one that read it after finds the item withdrawn, as a later click does.
    assert outcomes.pop("stored") == 1
    assert set(outcomes) <= {"no_pending_reschedule", "item_withdrawn"}
    assert outcomes.total() == RACERS - 1
    assert RescheduleRequest.objects.get(item=item).decision == RescheduleDecision.APPROVED


def test_twenty_simultaneous_round_openings_open_one_round(item, lead_focal, invited_agency):
    outcomes = race(
        lambda n: services.round_open(
            lead_focal, fresh(item), agencies=[invited_agency], deadline=DEADLINE, day=TODAY
        )
    )
    assert outcomes == Counter({"stored": 1, "not_being_drafted": RACERS - 1})
    assert CommentRound.objects.filter(item=item).count() == 1
    assert Invitation.objects.filter(round__item=item).count() == 1
    assert AuditEntry.objects.filter(action="program_round_open").count() == 1


def test_an_invitation_answered_twenty_times_at_once_keeps_one_opinion(
    item, lead_focal, invited_agency, invited_focal
):
    services.round_open(lead_focal, item, agencies=[invited_agency], deadline=DEADLINE, day=TODAY)
    outcomes = race(
        lambda n: services.invitation_answer(
            invited_focal, fresh(item), opinion=f"Ý kiến {n}", day=TODAY
        )
    )
    # The losers get what the access rule says once the agency has answered (it owes nothing).
    assert outcomes == Counter({"stored": 1, "not_allowed": RACERS - 1})
    answers = AuditEntry.objects.filter(action="program_answer")
    assert answers.count() == 1
    kept = Invitation.objects.get(round__item=item).opinion
    assert kept == answers.get().changes["opinion"][1]


def test_twenty_simultaneous_derivations_make_one_years_program(office_user, lead_agency):
    term = services.program_create(
        office_user, title="Toàn khóa", body=Body.SECRETARIAT, kind=ProgramKind.TERM,
        year=2026, end_year=2030,
    )  # fmt: skip
    services.item_create(
        office_user, term, title="Đề án", kind=ItemKind.PROPOSAL, planned_month=3,
        planned_year=2027, lead_agency=lead_agency,
    )  # fmt: skip
    outcomes = race(
        lambda n: services.year_program_derive(
            office_user, WorkProgram.objects.get(pk=term.pk), year=2027
        )
    )
    assert outcomes == Counter({"stored": RACERS})  # deriving again carries nothing twice
    assert WorkProgram.objects.filter(kind=ProgramKind.YEAR).count() == 1
    assert AuditEntry.objects.filter(action="program_create").count() == 2  # term, year
    year = WorkProgram.objects.get(body=Body.SECRETARIAT, kind=ProgramKind.YEAR, year=2027)
    assert ProgramItem.objects.filter(program=year).count() == 1  # carried once
