"""A postponement into the next year moves the item itself into that year's program of its
body (not a copy), decided by the body's authority; both years' pages show the first plan
beside the change, and adherence counts the item once, in the year it was first planned."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.core.review_sections import ReviewScope
from dondoc.programs import adherence, services
from dondoc.programs.access import ItemActionRefused
from dondoc.programs.adherence import Standing
from dondoc.programs.error_codes import ProgramErrorCode as Code
from dondoc.programs.models import (
    Body,
    ItemState,
    ProgramItem,
    ProgramKind,
    RescheduleKind,
    RescheduleRequest,
    WorkProgram,
)
from tests.agencies.conftest import signed_in
from tests.programs.conftest import CONTENT, TODAY

pytestmark = pytest.mark.django_db


def _postpone_to_february(item, asker, decider):
    services.reschedule_request(
        asker, item, kind=RescheduleKind.POSTPONE, to_month=2, to_year=2027,
        reason="Chờ kết quả tổng kết cả năm",
    )  # fmt: skip
    return services.reschedule_decide(decider, item, approve=True)


def test_a_postponement_into_next_year_moves_the_same_item_into_that_years_program(
    fixed_day, item, lead_focal, leader, office_user
):
    services.item_edit_content(lead_focal, item, **CONTENT)
    services.reschedule_request(
        lead_focal, item, kind=RescheduleKind.POSTPONE, to_month=2, to_year=2027,
        reason="Chờ kết quả tổng kết cả năm",
    )  # fmt: skip
    item.refresh_from_db()
    assert (item.program.year, item.planned_month) == (2026, 12)  # nothing moves before
    # The office may not decide where the body's authority is the leaders (the default).
    with pytest.raises(ItemActionRefused) as not_theirs:
        services.reschedule_decide(office_user, item, approve=True)
    assert not_theirs.value.by_role
    services.reschedule_decide(leader, item, approve=True)

    moved = ProgramItem.objects.get(pk=item.pk)  # the same row, not a copy
    assert ProgramItem.objects.filter(title=item.title).count() == 1
    next_year = WorkProgram.objects.get(body=Body.POLITBURO, kind=ProgramKind.YEAR, year=2027)
    assert moved.program == next_year
    assert moved.planned_month == 2
    assert moved.problem == CONTENT["problem"]  # its content and history go with it
    assert moved.state == ItemState.DRAFTING
    request = RescheduleRequest.objects.get(item=item)
    assert (request.from_month, request.from_year, request.to_month, request.to_year) == (
        12, 2026, 2, 2027,
    )  # fmt: skip
    entry = AuditEntry.objects.filter(action="program_item_reschedule").get()
    assert entry.changes["year"] == [2026, 2027]
    assert entry.changes["planned_month"] == [12, 2]
    assert AuditEntry.objects.filter(action="program_create", object_id=str(next_year.pk)).exists()


def test_an_existing_next_year_program_receives_the_item(fixed_day, item, lead_focal, leader):
    existing = WorkProgram.objects.create(
        title="Chương trình công tác năm 2027 của Bộ Chính trị", body=Body.POLITBURO,
        kind=ProgramKind.YEAR, year=2027,
    )  # fmt: skip
    _postpone_to_february(item, lead_focal, leader)
    item.refresh_from_db()
    assert item.program == existing
    assert WorkProgram.objects.filter(body=Body.POLITBURO, year=2027).count() == 1


def test_only_a_later_month_of_this_year_or_a_month_of_the_next_is_accepted(
    fixed_day, item, lead_focal
):
    item.planned_month = 9
    item.save()
    asks = [({"to_month": 8}, "to_month", Code.NOT_LATER),
            ({"to_month": 8, "to_year": 2026}, "to_month", Code.NOT_LATER),
            ({"to_month": 1, "to_year": 2028}, "to_year", Code.YEAR_INVALID),
            ({"to_month": 1, "to_year": 2025}, "to_year", Code.YEAR_INVALID)]  # fmt: skip
    for ask, field, code in asks:
        with pytest.raises(ValidationError) as refused:
            services.reschedule_request(
                lead_focal, item, kind=RescheduleKind.POSTPONE, reason="Lý do", **ask
            )
        assert [e.code for e in refused.value.error_dict[field]] == [code], ask
    # An earlier month of the next year is later than any month of this one.
    request = services.reschedule_request(
        lead_focal, item, kind=RescheduleKind.STRETCH, to_month=1, to_year=2027, reason="Lý do"
    )
    assert (request.from_year, request.to_year) == (2026, 2027)
    assert not RescheduleRequest.objects.exclude(pk=request.pk).exists()


def test_a_postponed_item_is_counted_once_in_the_year_it_was_first_planned(
    fixed_day, item, lead_focal, leader
):
    _postpone_to_february(item, lead_focal, leader)
    item.refresh_from_db()
    this_year = WorkProgram.objects.get(body=Body.POLITBURO, year=2026)
    next_year = item.program
    everything = ProgramItem.objects.all()

    facts = adherence.program_facts(everything, this_year)
    assert [(f.year, f.month, f.standing(TODAY)) for f in facts] == [(2026, 12, Standing.POSTPONED)]
    assert adherence.program_facts(everything, next_year) == []  # not planned twice
    both = adherence.adherence_facts(adherence.planned_in_years(everything, 2026, 2027))
    assert len(both) == 1
    # The review of December 2026 finds it, though it now sits in the 2027 program.
    scope = ReviewScope(
        kind="all", start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31), day=TODAY
    )
    section = adherence.review_section(scope)
    assert section is not None
    assert section["total"][1] == 1  # planned
    postponed = 2 + list(Standing).index(Standing.POSTPONED)
    assert section["total"][postponed] == 1
    scope = ReviewScope(kind="all", start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 28), day=TODAY)
    assert adherence.review_section(scope) is None  # not planned again in February 2027


def test_both_years_pages_show_the_first_plan_beside_the_change(
    fixed_day, item, lead_focal, leader, office_user, other_focal
):
    _postpone_to_february(item, lead_focal, leader)
    item.refresh_from_db()
    this_year = WorkProgram.objects.get(body=Body.POLITBURO, year=2026)
    client = signed_in(office_user)

    old = client.get(reverse("programs:program_detail", args=[this_year.pk])).content.decode()
    assert item.title in old
    assert "đã lùi sang tháng 2/2027" in old
    new = client.get(reverse("programs:program_detail", args=[item.program.pk])).content.decode()
    assert item.title in new
    assert "kế hoạch ban đầu: tháng 12/2026" in new
    page = client.get(reverse("programs:item_detail", args=[item.pk])).content.decode()
    assert "(kế hoạch ban đầu: tháng 12/2026)" in page
    assert "tháng 12/2026 → tháng 2/2027" in page
    # The month view across bodies, likewise in both months.
    month = reverse("programs:month")
    december = client.get(month, {"year": 2026, "month": 12}).content.decode()
    assert item.title in december
    assert "đã lùi sang tháng 2/2027" in december
    february = client.get(month, {"year": 2027, "month": 2}).content.decode()
    assert "kế hoạch ban đầu: tháng 12/2026" in february
    assert item.title not in client.get(month, {"year": 2026, "month": 11}).content.decode()

    # An agency that may not see the item sees it in neither year.
    outsider = signed_in(other_focal)
    for program in (this_year, item.program):
        body = outsider.get(reverse("programs:program_detail", args=[program.pk]))
        assert item.title not in body.content.decode()
    assert outsider.get(reverse("programs:item_detail", args=[item.pk])).status_code == 404
    december = outsider.get(reverse("programs:month"), {"year": 2026, "month": 12})
    assert item.title not in december.content.decode()


def test_the_page_form_asks_for_a_month_of_next_year(fixed_day, item, lead_focal, leader):
    url = reverse("programs:item_act", args=[item.pk, "request_reschedule"])
    form = signed_in(lead_focal).get(reverse("programs:item_detail", args=[item.pk]))
    assert 'name="request_reschedule-to_year"' in form.content.decode()
    response = signed_in(lead_focal).post(url, {
        "request_reschedule-kind": "postpone", "request_reschedule-to_month": "3",
        "request_reschedule-to_year": "2027", "request_reschedule-reason": "Chờ số liệu quý I",
    })  # fmt: skip
    assert response.status_code == 302
    request = RescheduleRequest.objects.get(item=item)
    assert (request.to_month, request.to_year) == (3, 2027)
    decide = reverse("programs:item_act", args=[item.pk, "decide_reschedule"])
    response = signed_in(leader).post(decide, {"decide_reschedule-approve": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.program.year, item.planned_month) == (2027, 3)


def test_the_body_defers_a_submitted_item_into_next_year(fixed_day, item, leader):
    ProgramItem.objects.filter(pk=item.pk).update(state=ItemState.SUBMITTED, submitted_on=TODAY)
    item.refresh_from_db()
    # A December item: the page's deferral form proposes January of the next year.
    page = signed_in(leader).get(reverse("programs:item_detail", args=[item.pk])).content.decode()
    form = page[page.index('name="defer-to_year"') :].split("</select>")[0]
    assert '<option value="2027" selected>' in form
    services.item_defer(leader, item, reason="Chưa đủ điều kiện", to_month=4, to_year=2027)
    item.refresh_from_db()
    assert item.state == ItemState.DEFERRED
    assert (item.program.year, item.planned_month) == (2027, 4)
    deferral = RescheduleRequest.objects.get(item=item, kind=RescheduleKind.DEFER)
    assert (deferral.from_year, deferral.to_year) == (2026, 2027)


def test_the_api_postpones_into_next_year_and_answers_the_first_plan(
    fixed_day, item, lead_focal, leader, inspector, api
):
    url = f"programs/items/{item.pk}/reschedule-requests"
    ask = {"kind": "postpone", "to_month": 2, "reason": "Chờ tổng kết"}
    bad = api(lead_focal).post(url, {**ask, "to_year": 2028})
    assert (bad.status_code, bad.json()["code"]) == (400, Code.YEAR_INVALID)
    assert api(inspector).post(url, {**ask, "to_year": 2027}).status_code == 403
    assert api(lead_focal).post(url, {**ask, "to_year": 2027}).status_code == 200
    decided = api(leader).post(f"programs/items/{item.pk}/reschedule-decision", {"approve": True})
    assert decided.status_code == 200
    moved = decided.json()
    assert (moved["planned_month"], moved["original_month"], moved["original_year"]) == (
        2,
        12,
        2026,
    )
    assert moved["program"] == WorkProgram.objects.get(body=Body.POLITBURO, year=2027).pk
    report = api(leader).get("programs/adherence", year=2026, from_month=12, to_month=12)
    assert report.json()["total"]["postponed"] == 1
    report = api(leader).get("programs/adherence", year=2027, from_month=1, to_month=12)
    assert report.json()["total"]["planned"] == 0
