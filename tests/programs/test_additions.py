"""Adding an item (bổ sung) is a request like postponing: the office or the future lead agency
asks, the authority configured for the body decides; until then the item accepts nothing else,
and the plan it entered with stays beside it. The authority also decides postponements."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.programs import services
from dondoc.programs.access import ItemAction, ItemActionRefused, item_actions
from dondoc.programs.adherence import adherence_facts, by_month
from dondoc.programs.error_codes import ProgramErrorCode as Code
from dondoc.programs.models import (
    ItemKind,
    ItemState,
    ProgramItem,
    RescheduleDecision,
    RescheduleKind,
)
from tests.agencies.conftest import signed_in
from tests.programs.conftest import TODAY

pytestmark = pytest.mark.django_db


def propose(actor, program, lead, month=12, reason="Phát sinh yêu cầu mới từ thực tiễn."):
    return services.item_add_request(
        actor, program, title="Báo cáo tình hình thực hiện chính sách mới", kind=ItemKind.REPORT,
        planned_month=month, lead_agency=lead, reason=reason,
    )  # fmt: skip


def test_the_lead_agency_asks_and_the_item_waits_until_decided(
    fixed_day, program, lead_agency, lead_focal, leader
):
    item = propose(lead_focal, program, lead_agency)
    assert item.state == ItemState.PROPOSED
    (request,) = item.reschedules.all()
    assert (request.kind, request.decision, request.to_month) == (
        RescheduleKind.ADD, RescheduleDecision.PENDING, 12,
    )  # fmt: skip
    # Nothing else while proposed: not even the lead agency's content.
    assert item_actions(lead_focal, item, TODAY) == {ItemAction.VIEW}
    with pytest.raises(ItemActionRefused) as refused:
        services.item_edit_content(lead_focal, item, problem="…")
    assert refused.value.code == Code.ADDITION_PENDING
    assert ItemAction.DECIDE_RESCHEDULE in item_actions(leader, item, TODAY)
    services.reschedule_decide(leader, item, approve=True)
    item.refresh_from_db()
    assert item.state == ItemState.DRAFTING
    assert ItemAction.EDIT_CONTENT in item_actions(lead_focal, item, TODAY)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"program_item_add_request", "program_item_drafting"} <= actions


def test_a_refused_addition_stays_out_of_the_program_and_of_adherence(
    fixed_day, program, lead_agency, office_user, leader
):
    item = propose(office_user, program, lead_agency, month=3)
    services.reschedule_decide(leader, item, approve=False, reason="Chưa cần thiết.")
    item.refresh_from_db()
    assert item.state == ItemState.NOT_ADDED
    assert item_actions(leader, item, TODAY) == {ItemAction.VIEW}
    assert adherence_facts(ProgramItem.objects.filter(pk=item.pk)) == []


def test_an_approved_addition_counts_as_added_in_its_month(
    fixed_day, program, item, lead_agency, office_user, leader
):
    added = propose(office_user, program, lead_agency, month=12)
    pending = propose(office_user, program, lead_agency, month=12)
    services.reschedule_decide(leader, added, approve=True)
    rows, total = by_month(adherence_facts(ProgramItem.objects.filter(program=program)), TODAY)
    # The adopted item and the approved addition; the pending request is not in the program.
    assert [(r.label, r.planned, r.added) for r in rows] == [("Tháng 12", 2, 1)]
    assert (total.planned, total.added) == (2, 1)
    assert pending.state == ItemState.PROPOSED


def test_an_agency_asks_only_for_items_it_would_lead_and_readers_not_at_all(
    fixed_day, program, lead_agency, coord_agency, lead_focal, inspector, leader
):
    with pytest.raises(ValidationError) as refused:
        propose(lead_focal, program, coord_agency)
    assert refused.value.error_dict["lead_agency"][0].code == Code.NOT_ALLOWED
    for reader in (inspector, leader):
        with pytest.raises(PermissionDenied):
            propose(reader, program, lead_agency)
    with pytest.raises(ValidationError) as no_reason:
        propose(lead_focal, program, lead_agency, reason=" ")
    assert no_reason.value.error_dict["reason"][0].code == Code.REASON_REQUIRED
    assert not ProgramItem.objects.filter(state=ItemState.PROPOSED).exists()


def test_an_item_in_the_program_cannot_be_asked_to_be_added_again(fixed_day, item, lead_focal):
    with pytest.raises(ValidationError) as refused:
        services.reschedule_request(
            lead_focal, item, kind=RescheduleKind.ADD, reason="Bổ sung", to_month=12
        )
    assert refused.value.error_dict["kind"][0].code == Code.KIND_INVALID


@override_settings(PROGRAMS_RESCHEDULE_AUTHORITY="bct=office")
def test_the_authority_configured_for_the_body_decides_and_no_one_else(
    fixed_day, program, item, lead_agency, lead_focal, office_user, leader
):
    proposed = propose(lead_focal, program, lead_agency)
    assert ItemAction.DECIDE_RESCHEDULE not in item_actions(leader, proposed, TODAY)
    with pytest.raises(ItemActionRefused) as refused:
        services.reschedule_decide(leader, proposed, approve=True)
    assert refused.value.by_role
    services.reschedule_decide(office_user, proposed, approve=True)
    proposed.refresh_from_db()
    assert proposed.state == ItemState.DRAFTING
    # The leaders still decide the proposals themselves.
    assert ItemAction.DECIDE in item_actions(leader, ProgramItem(
        pk=item.pk, program=program, lead_agency=lead_agency, state=ItemState.SUBMITTED
    ), TODAY)  # fmt: skip


def test_the_page_and_the_api_carry_the_request(
    fixed_day, program, lead_agency, lead_focal, leader, api
):
    web = signed_in(lead_focal)
    page = web.get(reverse("programs:program_detail", args=[program.pk]))
    assert 'id="item-add-request"' in page.content.decode()
    response = web.post(reverse("programs:item_add_request", args=[program.pk]), {
        "title": "Đề án bổ sung về chuyển đổi số", "kind": ItemKind.PROPOSAL,
        "planned_month": "11", "lead_agency": lead_agency.code, "reason": "Yêu cầu mới.",
    })  # fmt: skip
    item = ProgramItem.objects.get(title="Đề án bổ sung về chuyển đổi số")
    assert response.url == reverse("programs:item_detail", args=[item.pk])
    shown = web.get(response.url).content.decode()
    assert "Bổ sung vào chương trình: dự kiến tháng 11" in shown
    created = api(lead_focal).post(f"programs/{program.pk}/addition-requests", {
        "title": "Báo cáo bổ sung", "kind": "bao_cao", "planned_month": 12,
        "lead": lead_agency.code, "reason": "Phát sinh.",
    })  # fmt: skip
    assert created.status_code == 201
    assert created.json()["state"] == "proposed"
    decided = api(leader).post(
        f"programs/items/{created.json()['id']}/reschedule-decision", {"approve": True}
    )
    assert (decided.status_code, decided.json()["state"]) == (200, "drafting")
    elsewhere = api(lead_focal).post(f"programs/{program.pk}/addition-requests", {
        "title": "X", "kind": "bao_cao", "planned_month": 12, "lead": "VPTW", "reason": "Y",
    })  # fmt: skip
    assert elsewhere.status_code in {400, 422}
