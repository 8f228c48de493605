"""The full-term program (chương trình làm việc toàn khóa): its items spread over the years of
the term, each yearly program derived from it with the year's items carried in, and the
term's progress rolled up from the yearly items."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.programs import services
from dondoc.programs.access import ItemAction, ItemActionRefused, item_actions
from dondoc.programs.adherence import adherence_facts
from dondoc.programs.error_codes import ProgramErrorCode as Code
from dondoc.programs.models import (
    Body,
    ItemKind,
    ItemState,
    ProgramItem,
    ProgramKind,
    RescheduleDecision,
    RescheduleRequest,
    WorkProgram,
)
from dondoc.programs.selectors import TermStanding, items_coming, term_progress
from tests.agencies.conftest import signed_in
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def term(office_user) -> WorkProgram:
    return services.program_create(
        office_user, title="Chương trình làm việc toàn khóa XIV của Bộ Chính trị",
        body=Body.POLITBURO, kind=ProgramKind.TERM, year=2026, end_year=2030, term="XIV",
    )  # fmt: skip


def add(office_user, term, lead, title, year, month, coordinating=()):
    return services.item_create(
        office_user, term, title=title, kind=ItemKind.PROPOSAL, planned_month=month,
        planned_year=year, lead_agency=lead, coordinating=coordinating,
    )  # fmt: skip


@pytest.fixture
def term_items(term, office_user, lead_agency, coord_agency, other_agency):
    return [
        add(office_user, term, lead_agency, "Đề án về tổ chức bộ máy", 2027, 3, [coord_agency]),
        add(office_user, term, other_agency, "Báo cáo kiểm điểm giữa nhiệm kỳ", 2027, 10),
        add(office_user, term, lead_agency, "Đề án nhân sự khóa mới", 2029, 5),
    ]


def test_a_full_term_item_is_planned_for_a_year_of_the_term(term, office_user, lead_agency):
    for year in (None, 2025, 2031):
        with pytest.raises(ValidationError) as refused:
            add(office_user, term, lead_agency, "Đề án ngoài nhiệm kỳ", year, 5)
        assert refused.value.error_dict["planned_year"][0].code == Code.YEAR_INVALID
    item = add(office_user, term, lead_agency, "Đề án trong nhiệm kỳ", 2028, 5)
    assert item.planned_year == 2028


def test_a_full_term_program_needs_its_last_year(office_user):
    with pytest.raises(ValidationError) as refused:
        services.program_create(
            office_user, title="Toàn khóa", body=Body.SECRETARIAT, kind=ProgramKind.TERM,
            year=2026, end_year=2025,
        )  # fmt: skip
    assert refused.value.error_dict["end_year"][0].code == Code.YEAR_INVALID


def test_deriving_a_year_carries_that_years_items_once(
    fixed_day, term, term_items, office_user, lead_agency, coord_agency
):
    derived = services.year_program_derive(office_user, term, year=2027)
    year = derived.program
    assert derived.created
    assert (year.kind, year.body, year.year, year.term_program) == (
        ProgramKind.YEAR, Body.POLITBURO, 2027, term,
    )  # fmt: skip
    carried = {i.term_item_id: i for i in ProgramItem.objects.filter(program=year)}
    assert set(carried) == {term_items[0].pk, term_items[1].pk}  # not 2029's
    first = carried[term_items[0].pk]
    assert (first.title, first.planned_month, first.lead_agency, first.state) == (
        "Đề án về tổ chức bộ máy", 3, lead_agency, ItemState.DRAFTING,
    )  # fmt: skip
    assert list(first.coordinating_agencies.all()) == [coord_agency]
    assert AuditEntry.objects.filter(action="program_year_derive").count() == 1
    # Again: nothing twice; an item added to the term since is carried alone.
    assert services.year_program_derive(office_user, term, year=2027).carried == []
    late = add(office_user, term, lead_agency, "Báo cáo bổ sung", 2027, 12)
    again = services.year_program_derive(office_user, term, year=2027)
    assert [i.term_item_id for i in again.carried] == [late.pk]
    assert not again.created


def test_deriving_links_the_years_program_that_exists(fixed_day, term, term_items, office_user):
    existing = services.program_create(
        office_user, title="Chương trình công tác năm 2027 của Bộ Chính trị",
        body=Body.POLITBURO, kind=ProgramKind.YEAR, year=2027,
    )  # fmt: skip
    derived = services.year_program_derive(office_user, term, year=2027)
    assert derived.program == existing
    existing.refresh_from_db()
    assert existing.term_program == term


def test_deriving_is_the_offices_and_only_for_a_year_of_the_term(
    fixed_day, term, term_items, office_user, lead_focal, leader
):
    for actor in (lead_focal, leader):
        with pytest.raises(PermissionDenied):
            services.year_program_derive(actor, term, year=2027)
    with pytest.raises(ValidationError) as refused:
        services.year_program_derive(office_user, term, year=2031)
    assert refused.value.error_dict["year"][0].code == Code.YEAR_INVALID
    assert not WorkProgram.objects.filter(kind=ProgramKind.YEAR).exists()


def test_a_full_term_item_goes_along_the_path_only_in_its_yearly_program(
    fixed_day, term, term_items, office_user, lead_focal
):
    term_item = term_items[0]
    # The path runs in the yearly program; the term's own item only moves to another year.
    assert item_actions(lead_focal, term_item, TODAY) == {
        ItemAction.VIEW, ItemAction.REQUEST_YEAR_MOVE,
    }  # fmt: skip
    assert ItemAction.REQUEST_RESCHEDULE not in item_actions(office_user, term_item, TODAY)
    services.year_program_derive(office_user, term, year=2027)
    year_item = ProgramItem.objects.get(term_item=term_item)
    assert ItemAction.EDIT_CONTENT in item_actions(lead_focal, year_item, TODAY)


def test_progress_rolls_up_from_the_yearly_items(fixed_day, term, term_items, office_user, leader):
    services.year_program_derive(office_user, term, year=2027)
    carried = {i.term_item_id: i for i in ProgramItem.objects.filter(term_item__isnull=False)}
    ProgramItem.objects.filter(pk=carried[term_items[0].pk].pk).update(state=ItemState.APPROVED)
    years, total = term_progress(office_user, term)
    assert [y.year for y in years] == [2026, 2027, 2028, 2029, 2030]
    by_year = {y.year: y for y in years}
    assert by_year[2027].counts == {TermStanding.APPROVED: 1, TermStanding.IN_PROGRESS: 1}
    assert by_year[2027].done_share == 50.0
    assert by_year[2027].year_program is not None
    assert by_year[2029].counts == {TermStanding.NOT_CARRIED: 1}
    assert by_year[2029].year_program is None
    # Recomputed independently: each term item and the state of what carries it.
    states = dict(
        ProgramItem.objects.filter(term_item__isnull=False).values_list("term_item", "state")
    )
    expected = {
        t.pk: {"approved": "approved", None: "not_carried"}.get(states.get(t.pk), "in_progress")
        for t in term_items
    }
    assert {i.row.pk: str(i.standing) for i in total.items} == expected
    assert total.planned == 3
    assert total.done_share == round(100 / 3, 1)


def test_an_agency_sees_the_progress_of_its_own_items(
    fixed_day, term, term_items, office_user, lead_focal, other_focal
):
    _years, total = term_progress(lead_focal, term)
    assert {i.row.pk for i in total.items} == {term_items[0].pk, term_items[2].pk}
    _years, total = term_progress(other_focal, term)
    assert {i.row.pk for i in total.items} == {term_items[1].pk}


def test_full_term_items_are_not_counted_twice(fixed_day, term, term_items, office_user):
    """Adherence, the 8-week view and the month view count the yearly items only."""
    services.year_program_derive(office_user, term, year=2027)
    everything = ProgramItem.objects.all()
    assert len(adherence_facts(everything)) == 2
    coming = items_coming(office_user, TODAY.replace(year=2027, month=2), weeks=8)
    assert {r.row.program_id for r in coming} == {WorkProgram.objects.get(kind=ProgramKind.YEAR).pk}


# The pages --------------------------------------------------------------------------------


def test_the_term_page_shows_each_year_and_the_office_derives_from_it(
    fixed_day, term, term_items, office_user, django_assert_max_num_queries
):
    web = signed_in(office_user)
    url = reverse("programs:program_detail", args=[term.pk])
    with django_assert_max_num_queries(14):
        page = web.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Năm 2027" in body
    assert "Đề án nhân sự khóa mới" in body
    assert body.count("Chưa đưa vào chương trình năm") >= 3
    assert 'id="year-derive"' in body
    response = web.post(reverse("programs:year_program_derive", args=[term.pk]), {"year": 2027})
    year = WorkProgram.objects.get(kind=ProgramKind.YEAR, year=2027)
    assert response.status_code == 302
    assert response.url == reverse("programs:program_detail", args=[year.pk])
    year_page = web.get(response.url).content.decode()
    assert "Đề án về tổ chức bộ máy" in year_page
    assert 'id="term-program"' in year_page
    term_page = web.get(url).content.decode()
    assert "Đang chuẩn bị" in term_page
    carried = ProgramItem.objects.get(term_item=term_items[0])
    item_page = web.get(reverse("programs:item_detail", args=[carried.pk])).content.decode()
    assert 'id="term-item"' in item_page
    term_item_page = web.get(reverse("programs:item_detail", args=[term_items[0].pk]))
    assert year.title in term_item_page.content.decode()


def test_the_term_page_query_count_does_not_grow_with_items(
    fixed_day, term, term_items, office_user, lead_agency, django_assert_max_num_queries
):
    web = signed_in(office_user)
    url = reverse("programs:program_detail", args=[term.pk])
    services.year_program_derive(office_user, term, year=2027)
    with django_assert_max_num_queries(20) as captured:
        web.get(url)
    for n in range(20):
        add(office_user, term, lead_agency, f"Báo cáo chuyên đề {n}", 2026 + n % 5, n % 12 + 1)
    services.year_program_derive(office_user, term, year=2028)
    with django_assert_max_num_queries(len(captured)):
        assert web.get(url).status_code == 200


def test_an_agency_may_not_derive_a_year(fixed_day, term, term_items, lead_focal):
    web = signed_in(lead_focal)
    page = web.get(reverse("programs:program_detail", args=[term.pk])).content.decode()
    assert 'id="year-derive"' not in page
    response = web.post(reverse("programs:year_program_derive", args=[term.pk]), {"year": 2027})
    assert response.status_code == 403
    assert not WorkProgram.objects.filter(kind=ProgramKind.YEAR).exists()


def test_the_office_adds_an_item_to_a_year_of_the_term(fixed_day, term, office_user, lead_agency):
    web = signed_in(office_user)
    response = web.post(
        reverse("programs:item_new", args=[term.pk]),
        {
            "title": "Đề án về chính sách dân số", "kind": ItemKind.PROPOSAL, "planned_month": 5,
            "planned_year": 2028, "lead_agency": "BTCTW",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert ProgramItem.objects.get(program=term).planned_year == 2028


# The API ----------------------------------------------------------------------------------


def test_the_api_derives_a_year_and_reports_the_terms_progress(
    fixed_day, term, term_items, office_user, lead_focal, api
):
    office = api(office_user)
    refused = api(lead_focal).post(f"programs/{term.pk}/year-programs", {"year": 2027})
    assert refused.status_code == 403
    response = office.post(f"programs/{term.pk}/year-programs", {"year": 2027})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["created"] is True
    assert data["program"]["term_program"] == term.pk
    assert len(data["carried"]) == 2
    assert office.post(f"programs/{term.pk}/year-programs", {"year": 2040}).status_code == 400
    year_id = data["program"]["id"]
    assert office.get(f"programs/{year_id}/term-progress").status_code == 404
    progress = office.get(f"programs/{term.pk}/term-progress").json()
    assert progress["program"]["end_year"] == 2030
    assert progress["total"]["planned"] == 3
    assert progress["total"]["in_progress"] == 2
    assert progress["total"]["not_carried"] == 1
    by_id = {i["id"]: i for i in progress["item_list"]}
    assert by_id[term_items[2].pk]["standing"] == "not_carried"
    assert by_id[term_items[0].pk]["planned_year"] == 2027
    carried = by_id[term_items[0].pk]["year_item"]
    item = office.get(f"programs/items/{carried}").json()
    assert item["term_item"] == term_items[0].pk
    assert office.get(f"programs/items/{term_items[0].pk}").json()["carried"] == [carried]


def test_the_api_refuses_the_path_on_a_full_term_item(fixed_day, term, term_items, lead_focal, api):
    response = api(lead_focal).post(
        f"programs/items/{term_items[0].pk}/content", {"problem": "Vấn đề"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == Code.TERM_PLAN


def test_the_api_adds_an_item_to_a_year_of_the_term(fixed_day, term, office_user, lead_agency, api):
    payload = {
        "title": "Đề án về chính sách dân số", "kind": "de_an", "planned_month": 5,
        "lead": "BTCTW",
    }  # fmt: skip
    refused = api(office_user).post(f"programs/{term.pk}/items", payload)
    assert refused.status_code == 400
    created = api(office_user).post(f"programs/{term.pk}/items", {**payload, "planned_year": 2029})
    assert created.status_code == 201
    assert created.json()["planned_year"] == 2029


# Moving a full-term item to another year of the term ----------------------------------------


def test_a_year_move_is_asked_then_decided_and_the_original_year_stays_visible(
    fixed_day, term, term_items, office_user, lead_focal, leader
):
    item = term_items[0]  # 2027, led by the lead focal point's agency
    web = signed_in(lead_focal)
    page = web.get(reverse("programs:item_detail", args=[item.pk])).content.decode()
    assert 'id="action-request_year_move"' in page
    asked = web.post(
        reverse("programs:item_act", args=[item.pk, "request_year_move"]),
        {"request_year_move-to_year": "2028", "request_year_move-reason": "Chờ sơ kết Nghị quyết."},
    )
    assert asked.status_code == 302
    item.refresh_from_db()
    assert item.planned_year == 2027  # a request, not an edit
    decided = signed_in(leader).post(
        reverse("programs:item_act", args=[item.pk, "decide_reschedule"]),
        {"decide_reschedule-approve": "1"},
    )
    assert decided.status_code == 302
    item.refresh_from_db()
    assert item.planned_year == 2028
    shown = web.get(reverse("programs:item_detail", args=[item.pk])).content.decode()
    assert "(kế hoạch ban đầu: năm 2027)" in shown
    assert "năm 2027 → năm 2028" in shown
    actions = AuditEntry.objects.filter(object_id=str(item.pk)).values_list("action", flat=True)
    assert {"program_reschedule_request", "program_item_reschedule"} <= set(actions)
    assert services.year_program_derive(office_user, term, year=2027).carried == [
        ProgramItem.objects.get(term_item=term_items[1])
    ]  # the moved item is carried with 2028, not 2027
    carried = services.year_program_derive(office_user, term, year=2028).carried
    assert [c.term_item_id for c in carried] == [item.pk]


def test_a_year_move_is_refused_with_a_reason_in_vietnamese(
    fixed_day, term, term_items, office_user, other_focal, lead_focal
):
    item = term_items[0]
    wrong = [
        ({"to_year": 2031, "reason": "Lùi"}, Code.YEAR_INVALID,
         "Cần chọn năm dự kiến trình trong nhiệm kỳ, từ 2026 đến 2030."),
        ({"to_year": 2027, "reason": "Lùi"}, Code.YEAR_UNCHANGED,
         "Nội dung đã dự kiến trình trong năm 2027: hãy chọn năm khác."),
        ({"to_year": 2028, "reason": " "}, Code.REASON_REQUIRED, "Cần nêu lý do đề nghị điều chỉnh."),
    ]  # fmt: skip
    for fields, code, message in wrong:
        with pytest.raises(ValidationError) as refused:
            services.year_move_request(office_user, item, **fields)
        error = next(iter(refused.value.error_dict.values()))[0]
        assert (error.code, error.message % (error.params or {})) == (code, message)
    with pytest.raises(ItemActionRefused) as stranger:  # another agency's item
        services.year_move_request(other_focal, item, to_year=2028, reason="Lùi")
    assert stranger.value.code == Code.NOT_ALLOWED
    services.year_program_derive(office_user, term, year=2027)
    year_item = ProgramItem.objects.get(term_item=item)
    for carried_or_yearly, code in ((item, Code.ITEM_CARRIED), (year_item, Code.NOT_TERM_ITEM)):
        with pytest.raises(ItemActionRefused) as refused_state:
            services.year_move_request(lead_focal, carried_or_yearly, to_year=2028, reason="Lùi")
        assert refused_state.value.code == code
        assert ItemAction.REQUEST_YEAR_MOVE not in item_actions(
            lead_focal, carried_or_yearly, TODAY
        )
    assert not RescheduleRequest.objects.exists()


def test_an_item_carried_while_its_move_waits_cannot_be_moved(
    fixed_day, term, term_items, office_user, leader
):
    item = term_items[0]
    services.year_move_request(office_user, item, to_year=2029, reason="Chờ tổng kết.")
    services.year_program_derive(office_user, term, year=2027)
    with pytest.raises(ItemActionRefused) as refused:
        services.reschedule_decide(leader, item, approve=True)
    assert refused.value.code == Code.ITEM_CARRIED
    item.refresh_from_db()
    assert item.planned_year == 2027
    assert RescheduleRequest.objects.get().decision == RescheduleDecision.PENDING  # rolled back
    services.reschedule_decide(leader, item, approve=False, reason="Đã đưa vào năm 2027.")


def test_the_api_asks_a_year_move_and_says_why_it_refuses(
    fixed_day, term, term_items, office_user, lead_focal, inspector, leader, api
):
    item = term_items[1]  # led by Hà Nội, not by the lead focal point's agency
    url = f"programs/items/{item.pk}/year-move-requests"
    bad = api(office_user).post(url, {"to_year": 2025, "reason": "Lùi"})
    assert bad.status_code == 400
    assert bad.json()["code"] == Code.YEAR_INVALID
    assert api(lead_focal).post(url, {"to_year": 2028, "reason": "Lùi"}).status_code == 404
    assert api(inspector).post(url, {"to_year": 2028, "reason": "Lùi"}).status_code == 403
    asked = api(office_user).post(url, {"to_year": 2028, "reason": "Chờ kết quả sơ kết."})
    assert asked.status_code == 200
    assert asked.json()["permissions"] == ["edit_links", "view"]  # one request at a time
    again = api(office_user).post(url, {"to_year": 2029, "reason": "Lùi nữa"})
    assert (again.status_code, again.json()["code"]) == (409, Code.RESCHEDULE_PENDING)
    decided = api(leader).post(f"programs/items/{item.pk}/reschedule-decision", {"approve": True})
    assert decided.status_code == 200
    assert ProgramItem.objects.get(pk=item.pk).planned_year == 2028


def test_the_reschedule_route_offers_only_month_changes(
    fixed_day, term, term_items, office_user, api
):
    item = term_items[1]
    url = f"programs/items/{item.pk}/reschedule-requests"
    for kind in ("move_year", "add"):
        refused = api(office_user).post(url, {"kind": kind, "reason": "Chuyển"})
        assert refused.status_code == 422  # the schema says which kinds this route takes
    kinds = api(office_user).get("openapi.json").json()["components"]["schemas"]["RescheduleIn"]
    assert kinds["properties"]["kind"]["enum"] == ["postpone", "stretch", "withdraw"]
