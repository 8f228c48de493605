"""A proposal in a real browser: the lead agency drafts and asks for comments, an invited agency
answers while another stays silent and is reminded, the lead agency handles the answer (the
appraisal form stays disabled until then), the office returns the appraisal once, then
passes and submits it; the 8-week view shows it ready; a leader approves it, registering the
resulting document and handing its task to tracking."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from dondoc.agencies.models import Agency, AgencyKind
from dondoc.programs.models import Body, ItemKind, ItemState, ProgramItem, ProgramKind, WorkProgram
from dondoc.programs.services import invitations_remind
from dondoc.tracking.models import Task
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_sign_in import enrol_second_factor
from tests.browser.test_sign_in import sign_in as start_sign_in
from tests.browser.test_task_flow import sign_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = {
    "problem": "Bộ máy còn chồng chéo chức năng.",
    "options": "Hợp nhất; hoặc điều chỉnh chức năng.",
    "resources": "Biên chế hiện có.",
    "roadmap": "Quý I khảo sát; quý II dự thảo.",
    "responsibilities": "Ban Tổ chức Trung ương chủ trì.",
}


def act(page, action: str, button: str) -> None:
    """Post one action's form and wait for the page it leads to (not the one already shown)."""
    with page.expect_navigation():
        page.locator(f"#action-{action}").get_by_role("button", name=button).click()


def test_a_proposal_goes_from_drafting_to_decision_in_the_browser(
    live_server, browser, office_user, leader, lead_focal, lead_agency
):
    today = timezone.localdate()
    invited = Agency.objects.create(
        code="BNCTW", name="Ban Nội chính Trung ương", kind=AgencyKind.CENTRAL_BODY
    )
    silent = Agency.objects.create(
        code="UBKTTW", name="Ủy ban Kiểm tra Trung ương", kind=AgencyKind.CENTRAL_BODY
    )
    invited_focal = make_user("daumoi.bnctw", invited, "focal")
    silent_focal = make_user("daumoi.ubkttw", silent, "focal")
    silent_focal.email = "daumoi.ubkttw@example.vn"
    silent_focal.save()
    program = WorkProgram.objects.create(
        title="Chương trình công tác năm 2026 của Bộ Chính trị", body=Body.POLITBURO,
        kind=ProgramKind.YEAR, year=today.year,
    )  # fmt: skip
    item = ProgramItem.objects.create(
        program=program, title="Đề án sắp xếp tổ chức bộ máy", kind=ItemKind.PROPOSAL,
        planned_month=today.month, lead_agency=lead_agency,
    )  # fmt: skip
    url = f"{live_server.url}/programs/items/{item.pk}/"

    lead = browser.new_context(locale="vi-VN").new_page()
    sign_in(lead, live_server.url, lead_focal.username)
    lead.goto(url)
    for field, text in CONTENT.items():
        lead.locator(f"[name=edit_content-{field}]").fill(text)
    act(lead, "edit_content", "Soạn thảo nội dung đề án")
    lead.locator("[name=open_round-agencies]").fill("BNCTW, UBKTTW")
    act(lead, "open_round", "Gửi lấy ý kiến các cơ quan")
    assert "Đang lấy ý kiến" in lead.locator("#item-state").inner_text()

    answer = browser.new_context(locale="vi-VN").new_page()
    sign_in(answer, live_server.url, invited_focal.username)
    answer.goto(url)
    answer.locator("[name=answer-opinion]").fill("Nhất trí, đề nghị làm rõ lộ trình.")
    act(answer, "answer", "Gửi ý kiến của cơ quan")
    assert "Nhất trí, đề nghị làm rõ lộ trình." in answer.locator("main").inner_text()
    answer.context.close()

    deadline = item.rounds.get().deadline
    assert invitations_remind(deadline) == 1  # the silent agency only
    assert [m.to for m in mail.outbox] == [["daumoi.ubkttw@example.vn"]]
    lead.goto(url)
    assert "đã nhắc 1 lần" in lead.locator("main").inner_text()
    act(lead, "close_round", "Kết thúc đợt lấy ý kiến")
    # The answer received must be handled before appraisal: the form says so, disabled.
    blocked = lead.locator("#blocked-send_to_appraisal")
    assert "Còn 1 ý kiến" in blocked.inner_text()
    assert blocked.get_by_role("button", name="Gửi Văn phòng thẩm định").is_disabled()
    answered = item.rounds.get().invitations.get(agency=invited)
    handle = lead.locator(f"#handle-{answered.pk}")
    handle.locator("[name=handle_comment-outcome]").select_option("partly")
    handle.locator("[name=handle_comment-explanation]").fill("Bổ sung lộ trình theo quý.")
    with lead.expect_navigation():
        handle.get_by_role("button", name="Lưu").click()
    assert "Tiếp thu một phần" in lead.locator("#handling-table").inner_text()
    act(lead, "send_to_appraisal", "Gửi Văn phòng thẩm định")

    office = browser.new_context(locale="vi-VN").new_page()
    sign_in(office, live_server.url, office_user.username)
    office.goto(url)
    form = office.locator("#action-appraise")
    form.get_by_label("Trả lại để hoàn thiện").check()
    form.locator("[name=appraise-reasons]").fill("Chưa rõ thẩm quyền.")
    act(office, "appraise", "Thẩm định đề án")
    assert "Đang tiếp thu, chỉnh lý" in office.locator("#item-state").inner_text()

    lead.goto(url)
    act(lead, "send_to_appraisal", "Gửi Văn phòng thẩm định")
    lead.context.close()
    office.goto(url)
    form = office.locator("#action-appraise")
    for name in ("content_ok", "procedure_ok", "authority_ok"):
        form.locator(f"[name=appraise-{name}]").check()
    form.get_by_label("Đạt, đủ điều kiện trình").check()
    act(office, "appraise", "Thẩm định đề án")
    act(office, "submit", "Trình đề án")
    assert "Đã trình" in office.locator("#item-state").inner_text()
    office.screenshot(path=str(ARTIFACTS / "program-item-submitted.png"), full_page=True)
    office.goto(f"{live_server.url}/programs/coming/")
    coming = office.locator("#coming").inner_text()
    assert "Đề án sắp xếp tổ chức bộ máy" in coming  # planned this month, submitted: ready
    office.screenshot(path=str(ARTIFACTS / "programs-coming-8-weeks.png"), full_page=True)

    Agency.objects.create(code="BCT", name="Bộ Chính trị", kind=AgencyKind.LEADERSHIP)
    chief = browser.new_context(locale="vi-VN").new_page()
    start_sign_in(chief, live_server.url, leader.username)
    enrol_second_factor(chief, live_server.url)  # a leader signs in with a second factor
    chief.goto(url)
    form = chief.locator("#action-decide")
    form.get_by_label("Thông qua", exact=True).check()
    form.locator("[name=decide-symbol]").fill("35-KL/TW")
    form.locator("[name=decide-issued_on]").fill(today.isoformat())
    form.locator("[name=decide-document_title]").fill("Kết luận về sắp xếp tổ chức bộ máy")
    form.locator("[name=decide-issuing_body]").fill("BCT")
    due = (today + dt.timedelta(days=45)).strftime("%d/%m/%Y")
    form.locator("[name=decide-assignments]").fill(f"Xây dựng kế hoạch thực hiện | BTCTW | {due}")
    act(chief, "decide", "Quyết định")
    assert "Đã thông qua" in chief.locator("#item-state").inner_text()
    assert "35-KL/TW" in chief.locator("#resulting-document").inner_text()
    assert "Xây dựng kế hoạch thực hiện" in chief.locator("#item-tasks").inner_text()
    chief.screenshot(path=str(ARTIFACTS / "program-item-decided.png"), full_page=True)
    chief.context.close()
    office.goto(f"{live_server.url}/programs/coming/")
    assert "Đề án sắp xếp tổ chức bộ máy" not in office.locator("main").inner_text()  # decided
    office.context.close()

    item.refresh_from_db()
    assert item.state == ItemState.APPROVED
    assert item.appraisals.filter(passed=False).count() == 1
    task = Task.objects.get(program_item=item)
    assert (task.lead_agency, task.document.symbol) == (lead_agency, "35-KL/TW")
