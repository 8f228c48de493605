"""A proposal's path through the services, in order and by authority, and the reminders of the
agencies that have not answered a comment round."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.programs import services
from dondoc.programs.access import ItemActionRefused
from dondoc.programs.error_codes import ProgramErrorCode as Code
from dondoc.programs.models import HandlingOutcome, Invitation, ItemState, RescheduleKind
from dondoc.programs.services import invitations_remind
from dondoc.programs.tasks import remind_invitations_task
from tests.agencies.conftest import signed_in
from tests.programs.conftest import CONTENT, TODAY

DAY = dt.timedelta(days=1)
pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list} if hasattr(error, "error_list") else set()


def field_codes(error: ValidationError, field: str) -> list[str]:
    return [e.code for e in error.error_dict[field]]


def test_a_proposal_goes_from_drafting_to_decision(
    fixed_day, item, lead_focal, office_user, leader, invited_agency, invited_focal
):
    # A deadline that leaves fewer than five working days is refused, naming the earliest day.
    with pytest.raises(ValidationError) as too_soon:
        services.round_open(lead_focal, item, agencies=[invited_agency], deadline=TODAY + 4 * DAY)
    assert field_codes(too_soon.value, "deadline") == [Code.DEADLINE_TOO_SOON]
    assert "03/12/2026" in str(too_soon.value)  # Thursday + 5 working days
    assert item.state == ItemState.DRAFTING

    services.round_open(lead_focal, item, agencies=[invited_agency], deadline=TODAY + 7 * DAY)
    assert item.state == ItemState.COMMENTING
    services.invitation_answer(invited_focal, item, opinion="Đề nghị bổ sung lộ trình cụ thể.")
    services.round_close(lead_focal, item)
    assert item.state == ItemState.REVISING

    # Appraisal needs every comment received handled: the refusal counts what is left.
    with pytest.raises(ItemActionRefused) as unhandled:
        services.item_send_to_appraisal(lead_focal, item)
    assert unhandled.value.code == Code.COMMENTS_UNHANDLED
    assert str(unhandled.value).startswith("Còn 1 ý kiến của các cơ quan chưa được tiếp thu")
    assert item.state == ItemState.REVISING
    answer = Invitation.objects.get(round__item=item)
    services.comment_handle(
        lead_focal, item, invitation_id=answer.pk, outcome=HandlingOutcome.PARTLY,
        explanation="Bổ sung lộ trình theo quý; mốc năm giữ nguyên.",
    )  # fmt: skip

    # Appraisal needs every section: the refusal names what is missing.
    with pytest.raises(ValidationError) as incomplete:
        services.item_send_to_appraisal(lead_focal, item)
    assert codes(incomplete.value) == {Code.CONTENT_INCOMPLETE}
    assert "Vấn đề cần giải quyết" in str(incomplete.value)
    assert "Lộ trình" in str(incomplete.value)
    services.item_edit_content(lead_focal, item, **CONTENT)
    services.item_send_to_appraisal(lead_focal, item)

    # Returned once, with reasons; then passed.
    with pytest.raises(ValidationError) as no_reason:
        services.appraisal_record(
            office_user, item, passed=False, content_ok=True, procedure_ok=True, authority_ok=False
        )
    assert field_codes(no_reason.value, "reasons") == [Code.REASON_REQUIRED]
    services.appraisal_record(
        office_user, item, passed=False, content_ok=True, procedure_ok=True, authority_ok=False,
        reasons="Chưa rõ thẩm quyền quyết định của Bộ Chính trị.",
    )  # fmt: skip
    assert item.state == ItemState.REVISING
    services.item_send_to_appraisal(lead_focal, item)
    services.appraisal_record(
        office_user, item, passed=True, content_ok=True, procedure_ok=True, authority_ok=True
    )
    services.item_submit(office_user, item)
    assert item.submitted_on == TODAY
    services.item_decide(leader, item, approve=True, note="Thông qua.")
    item.refresh_from_db()
    assert (item.state, item.decided_on, item.decided_by) == (ItemState.APPROVED, TODAY, leader)
    steps = AuditEntry.objects.filter(object_id=str(item.pk)).values_list("action", flat=True)
    assert "program_item_approved" in steps
    assert "program_round_open" in steps


def test_every_comment_received_is_handled_before_appraisal_in_services_pages_and_api(
    fixed_day, item, lead_focal, invited_agency, invited_focal, second_invited, api
):
    """Two comments received, one handled: the service, the page and the API all refuse the
    appraisal (409, `comments_unhandled`, the count named) and the page says why beside a
    disabled form; once the second is handled the item goes to appraisal."""
    from tests.conftest import make_user

    services.item_edit_content(lead_focal, item, **CONTENT)
    services.round_open(
        lead_focal, item, agencies=[invited_agency, second_invited], deadline=TODAY + 7 * DAY
    )
    services.invitation_answer(invited_focal, item, opinion="Nhất trí.")
    second_focal = make_user("daumoi.ubkttw", second_invited, "focal")
    services.invitation_answer(second_focal, item, opinion="Đề nghị làm rõ nguồn lực.")
    services.round_close(lead_focal, item)
    first, second = Invitation.objects.filter(round__item=item).order_by("pk")
    services.comment_handle(
        lead_focal, item, invitation_id=first.pk, outcome=HandlingOutcome.ACCEPTED
    )
    counted = "Còn 1 ý kiến của các cơ quan chưa được tiếp thu, giải trình"

    page = signed_in(lead_focal).get(reverse("programs:item_detail", args=[item.pk]))
    body = page.content.decode()
    assert 'id="action-send_to_appraisal"' not in body
    assert 'id="blocked-send_to_appraisal"' in body
    assert counted in body
    posted = signed_in(lead_focal).post(
        reverse("programs:item_act", args=[item.pk, "send_to_appraisal"])
    )
    assert posted.status_code == 409
    assert counted in posted.content.decode()
    answer = api(lead_focal).post(f"programs/items/{item.pk}/appraisal-request")
    assert answer.status_code == 409
    assert answer.json()["code"] == Code.COMMENTS_UNHANDLED
    assert counted in answer.json()["message"]
    item.refresh_from_db()
    assert item.state == ItemState.REVISING

    services.comment_handle(
        lead_focal, item, invitation_id=second.pk, outcome=HandlingOutcome.NOT_ACCEPTED,
        explanation="Nguồn lực đã nêu tại mục III.",
    )  # fmt: skip
    page = signed_in(lead_focal).get(reverse("programs:item_detail", args=[item.pk]))
    assert 'id="blocked-send_to_appraisal"' not in page.content.decode()
    assert api(lead_focal).post(f"programs/items/{item.pk}/appraisal-request").status_code == 200
    item.refresh_from_db()
    assert item.state == ItemState.APPRAISAL


def test_steps_cannot_be_skipped(fixed_day, item, lead_focal, office_user, leader):
    with pytest.raises(ItemActionRefused) as skipped:
        services.item_send_to_appraisal(lead_focal, item)
    assert skipped.value.code == Code.COMMENT_ROUND_REQUIRED
    assert "lấy ý kiến" in str(skipped.value)
    with pytest.raises(ItemActionRefused) as early:
        services.item_submit(office_user, item)
    assert early.value.code == Code.NOT_APPRAISED
    with pytest.raises(ItemActionRefused) as undecidable:
        services.item_decide(leader, item, approve=True)
    assert undecidable.value.code == Code.NOT_SUBMITTED


def test_a_returned_proposal_needs_the_leaders_reason(fixed_day, item, leader):
    item.state = ItemState.SUBMITTED
    item.save()
    with pytest.raises(ValidationError) as no_note:
        services.item_decide(leader, item, approve=False)
    assert field_codes(no_note.value, "note") == [Code.REASON_REQUIRED]
    services.item_decide(leader, item, approve=False, note="Cần làm rõ nguồn lực.")
    assert item.state == ItemState.RETURNED


def test_the_lead_agency_is_not_invited_to_comment_on_its_own_proposal(
    fixed_day, item, lead_focal, lead_agency
):
    with pytest.raises(ValidationError) as own:
        services.round_open(lead_focal, item, agencies=[lead_agency], deadline=TODAY + 30 * DAY)
    assert field_codes(own.value, "agencies") == [Code.LEAD_INVITED]


def test_an_agency_answers_once(fixed_day, item, lead_focal, invited_agency, invited_focal):
    services.round_open(lead_focal, item, agencies=[invited_agency], deadline=TODAY + 30 * DAY)
    services.invitation_answer(invited_focal, item, opinion="Nhất trí.")
    with pytest.raises(ItemActionRefused) as again:
        services.invitation_answer(invited_focal, item, opinion="Nhất trí lần nữa.")
    assert again.value.by_role  # no answer is owed any more


def test_late_agencies_are_reminded_once_a_day_until_they_answer(
    fixed_day,
    item,
    lead_focal,
    invited_agency,
    invited_focal,
    second_invited,
    django_capture_on_commit_callbacks,
):
    deadline = TODAY + 10 * DAY
    services.round_open(
        lead_focal, item, agencies=[invited_agency, second_invited], deadline=deadline
    )
    assert invitations_remind(deadline - 3 * DAY) == 0  # reminders start two days before
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_remind(deadline - 2 * DAY) == 2
    assert invitations_remind(deadline - 2 * DAY) == 0  # a rerun the same day sends nothing
    assert [m.to for m in mail.outbox] == [["daumoi.bnctw@example.vn"]]  # UBKTTW has no e-mail
    assert "Nhắc góp ý đề án" in mail.outbox[0].subject

    services.invitation_answer(invited_focal, item, opinion="Nhất trí.")
    assert invitations_remind(deadline) == 1  # only the agency still silent
    late = Invitation.objects.get(agency=second_invited)
    assert late.reminders_sent == 2
    services.round_close(lead_focal, item)
    assert invitations_remind(deadline + 10 * DAY) == 0


def test_the_reminder_job_records_its_run(fixed_day, item, lead_focal, invited_agency):
    services.round_open(lead_focal, item, agencies=[invited_agency], deadline=TODAY + 8 * DAY)
    day = (TODAY + 6 * DAY).isoformat()
    result = remind_invitations_task.apply(kwargs={"day": day}).get()
    assert result.startswith("1 ")


# Rescheduling: a request, not an edit ---------------------------------------------------------


def test_a_postponement_is_requested_then_decided_and_the_original_plan_stays_visible(
    fixed_day, item, lead_focal, leader, office_user
):
    item.planned_month = 9
    item.save()
    with pytest.raises(ValidationError) as earlier:
        services.reschedule_request(
            lead_focal, item, kind=RescheduleKind.POSTPONE, to_month=8, reason="Chờ số liệu"
        )
    assert field_codes(earlier.value, "to_month") == [Code.NOT_LATER]
    services.reschedule_request(
        lead_focal, item, kind=RescheduleKind.POSTPONE, to_month=11, reason="Chờ tổng kết"
    )
    item.refresh_from_db()
    assert item.planned_month == 9  # nothing moves before the decision
    with pytest.raises(ItemActionRefused) as second:
        services.reschedule_request(
            office_user, item, kind=RescheduleKind.WITHDRAW, reason="Không còn phù hợp"
        )
    assert second.value.code == Code.RESCHEDULE_PENDING
    with pytest.raises(ItemActionRefused) as not_theirs:
        services.reschedule_decide(lead_focal, item, approve=True)
    assert not_theirs.value.by_role
    services.reschedule_decide(leader, item, approve=True)
    assert item.planned_month == 11
    page = signed_in(office_user).get(reverse("programs:item_detail", args=[item.pk]))
    planned = page.content.decode()
    assert "Tháng 11/2026" in planned
    assert "(kế hoạch ban đầu: tháng 9)" in planned
    assert "tháng 9 → tháng 11" in planned


def test_a_withdrawn_item_leaves_the_path_and_only_reads(fixed_day, item, lead_focal, leader):
    services.reschedule_request(
        lead_focal, item, kind=RescheduleKind.WITHDRAW, reason="Đã lồng ghép vào đề án khác"
    )
    with pytest.raises(ValidationError) as no_reason:
        services.reschedule_decide(leader, item, approve=False)
    assert field_codes(no_reason.value, "reason") == [Code.REASON_REQUIRED]
    services.reschedule_decide(leader, item, approve=True)
    assert item.state == ItemState.WITHDRAWN
    with pytest.raises(ItemActionRefused) as closed:
        services.item_edit_content(lead_focal, item, problem="x")
    assert closed.value.code == Code.ITEM_WITHDRAWN
