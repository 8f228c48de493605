"""The heart of the flow in a real browser: an agency reports from its inbox, the office accepts."""

import datetime as dt

import pytest
from django.utils import timezone

from dondoc.tracking import services
from tests.browser.conftest import ARTIFACTS, htmx_settled
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_focal_point_reports_completion_from_the_inbox_and_the_office_accepts_it(
    live_server, browser, office_user, lead_focal, lead_agency
):
    today = timezone.localdate()
    task = services.task_create(
        office_user, title="Xây dựng kế hoạch chuyển đổi số", lead_agency=lead_agency,
        due_on=today + dt.timedelta(days=5), expected_product="Kế hoạch",
    )  # fmt: skip

    focal = browser.new_context(locale="vi-VN").new_page()
    sign_in(focal, live_server.url, lead_focal.username)
    focal.goto(f"{live_server.url}/inbox/")
    row = focal.locator(f"#inbox-task-{task.pk}")
    row.get_by_role("link", name="Báo cáo").click()  # first click opens the form in the row
    form = focal.locator(f"#inbox-task-{task.pk} form")
    htmx_settled(focal, f"#inbox-task-{task.pk} form")
    form.locator("input[name=percent]").fill("100")
    form.locator("textarea[name=narrative]").fill("Đã ban hành kế hoạch")
    form.locator("input[name=is_final]").check()
    form.locator("[name=product]").fill("Kế hoạch số 12-KH/BTCTW")
    form.get_by_role("button", name="Gửi báo cáo").click()  # second click sends it
    focal.locator(f"#inbox-task-{task.pk} .saved").wait_for()
    assert "Chờ xác nhận" in focal.locator(f"#inbox-task-{task.pk}").inner_text()
    focal.screenshot(path=str(ARTIFACTS / "inbox-reported.png"), full_page=True)
    focal.context.close()

    office = browser.new_context(locale="vi-VN").new_page()
    sign_in(office, live_server.url, office_user.username)
    office.goto(f"{live_server.url}/tasks/{task.pk}/")
    office.get_by_role("button", name="Xác nhận hoàn thành").click()
    office.wait_for_load_state()
    assert "Hoàn thành đúng hạn" in office.locator("main").inner_text()
    office.screenshot(path=str(ARTIFACTS / "task-accepted.png"), full_page=True)
    office.context.close()
    task.refresh_from_db()
    assert task.accepted_on == today
