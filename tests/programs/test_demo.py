"""The demo's programs: a year's program of each body, items at every step of the path, a
comment round with an agency late to answer, an appraisal that returned a proposal once."""

import datetime as dt

import pytest

from dondoc.demo.load import demo_load
from dondoc.programs.models import (
    Appraisal,
    Body,
    CommentHandling,
    Invitation,
    ItemState,
    ProgramItem,
    ProgramKind,
    ProposalVersion,
    RescheduleRequest,
    WorkProgram,
)

TODAY = dt.date(2026, 11, 26)


def years_items(years) -> int:
    return ProgramItem.objects.filter(program__in=years).count()


@pytest.mark.django_db
def test_the_demo_holds_a_years_program_at_every_step():
    created = demo_load(tasks=40, today=TODAY)
    assert created["programs"] == 3 + 1
    years = WorkProgram.objects.filter(kind=ProgramKind.YEAR)
    assert sorted(years.values_list("body", flat=True)) == sorted(Body.values)
    for year_program in years:  # each body's program holds 60 to 120 items
        assert 60 <= year_program.items.count() <= 120, year_program.body
    titles = ProgramItem.objects.filter(program__in=years).values_list("program", "title")
    assert len(set(titles)) == len(titles)
    # The full-term program: one program over the term, this year's program derived from it.
    term = WorkProgram.objects.get(kind=ProgramKind.TERM)
    assert (term.body, term.term, term.year, term.end_year) == (
        Body.CENTRAL_COMMITTEE, "XIV", 2026, 2030,
    )  # fmt: skip
    assert set(term.items.values_list("planned_year", flat=True)) == set(range(2026, 2031))
    (derived,) = term.year_programs.all()
    assert (derived.year, derived.body) == (2026, Body.CENTRAL_COMMITTEE)
    carried = ProgramItem.objects.filter(program=derived, term_item__isnull=False)
    assert carried.count() == term.items.filter(planned_year=2026).count() == 4
    assert ProgramItem.objects.count() == years_items(years) + term.items.count()
    states = set(ProgramItem.objects.values_list("state", flat=True))
    # withdrawn included, and an addition waiting for its decision; none refused
    assert states == set(ItemState) - {ItemState.NOT_ADDED}
    additions = RescheduleRequest.objects.filter(kind="add")
    assert set(additions.values_list("decision", flat=True)) == {"approved", "pending"}
    assert all(a.requested_by.agency_id == a.item.lead_agency_id for a in additions)
    late = Invitation.objects.filter(
        answered_on__isnull=True, round__closed_on__isnull=True, round__deadline__lt=TODAY
    )
    assert late.exists()
    returned_then_passed = ProgramItem.objects.filter(appraisals__passed=False).filter(
        appraisals__passed=True
    )
    assert returned_then_passed.exists()
    assert Appraisal.objects.filter(passed=False).exclude(reasons="").exists()
    decisions = set(RescheduleRequest.objects.values_list("kind", "decision"))
    assert ("postpone", "approved") in decisions
    assert ("withdraw", "approved") in decisions or ("withdraw", "pending") in decisions
    assert any(decision == "pending" for _kind, decision in decisions)
    # Approved proposals handed their conclusion and its tasks to tracking.
    assert created["program_outcomes"] >= 1
    handed = ProgramItem.objects.filter(resulting_document__isnull=False)
    assert handed.count() == created["program_outcomes"]
    assert all(item.resulting_document.tasks.count() == 2 for item in handed)
    # The comment-handling table, revised versions (some after appraisal), leaders, sessions.
    outcomes = set(CommentHandling.objects.values_list("outcome", flat=True))
    assert outcomes == {"accepted", "partly", "not_accepted"}
    assert ProposalVersion.objects.filter(after_appraisal=True).exclude(changes_note="").exists()
    assert not ProgramItem.objects.filter(program__in=years, responsible_leader="").exists()
    assert ProgramItem.objects.filter(working_session__isnull=False).exists()
    deferred = RescheduleRequest.objects.filter(kind="defer", decision="approved")
    assert set(deferred.values_list("item__state", flat=True)) == {ItemState.DEFERRED}
