"""The typed task pickers in a real browser: a parent found by words of its title typed without
diacritics, an ambiguous prerequisite refused with a clear message, the form on a phone.
Every wait is on the server's answer (CI machines are slow), never a fixed sleep."""

import contextlib
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from dondoc.tracking import services
from tests.browser.test_office_day import DESKTOP, PHONE, fits_the_screen, new_page, shot
from tests.browser.test_task_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def lookup_answer(page, typed: str):
    """The suggestions' request for what was typed (the focus's empty request is not it)."""
    key = typed.split()[0]
    return page.expect_response(lambda r: "/tasks/lookup/" in r.url and key in r.url)


def type_and_wait(page, field, typed: str) -> list[str]:
    """Types into a picker, waits for the server's suggestions, returns their values."""
    field.click()
    with lookup_answer(page, typed) as answer:
        field.fill(typed)
    assert answer.value.status == 200
    options = page.locator(f"#{field.get_attribute('list')} option")
    # The answer is swapped into the list just after it arrives; no suggestion at all leaves it
    # empty, and the caller's assertion says so.
    with contextlib.suppress(PlaywrightTimeoutError):
        options.first.wait_for(state="attached", timeout=5000)
    return [options.nth(i).get_attribute("value") or "" for i in range(options.count())]


@pytest.fixture
def tasks(office_user, lead_agency):
    due = timezone.localdate() + dt.timedelta(days=30)

    def make(title: str):
        return services.task_create(
            office_user, title=title, lead_agency=lead_agency, due_on=due, expected_product="Đề án"
        )

    return {
        "parent": make("Đề án chuyển đổi số quốc gia"),
        "child": make("Xây dựng kho dữ liệu dùng chung"),
        "report_year": make("Báo cáo tổng kết năm 2026"),
        "report_quarter": make("Báo cáo tổng kết quý IV"),
    }


def test_parent_typed_without_diacritics_is_found_and_saved(
    live_server, browser, office_user, tasks
):
    parent, child = tasks["parent"], tasks["child"]
    page = new_page(browser, DESKTOP)
    sign_in(page, live_server.url, office_user.username)
    page.goto(f"{live_server.url}/tasks/{child.pk}/edit/")
    suggestions = type_and_wait(page, page.locator("input[name=parent]"), "chuyen doi so")
    assert len(suggestions) == 1
    assert suggestions[0].startswith(f"#{parent.pk} ")
    assert "Đề án chuyển đổi số quốc gia" in suggestions[0]

    page.locator("input[name=parent]").fill(suggestions[0])  # what choosing the suggestion does
    with page.expect_response(lambda r: r.request.method == "POST") as saved:
        page.get_by_role("button", name="Lưu").click()
    assert saved.value.status in (200, 302)
    page.wait_for_url(f"{live_server.url}/tasks/{child.pk}/")
    row = page.locator("main tr", has_text="Thuộc nhiệm vụ")
    assert "Đề án chuyển đổi số quốc gia" in row.inner_text()
    child.refresh_from_db()
    assert child.parent_id == parent.pk


def test_an_ambiguous_prerequisite_is_refused_with_a_clear_message(
    live_server, browser, office_user, tasks
):
    child = tasks["child"]
    page = new_page(browser, DESKTOP)
    sign_in(page, live_server.url, office_user.username)
    page.goto(f"{live_server.url}/tasks/{child.pk}/")
    field = page.locator("#dependency input[name=waits_for]")
    suggestions = type_and_wait(page, field, "bao cao tong ket")
    assert len(suggestions) == 2  # both reports are suggested

    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.locator("#dependency").get_by_role("button", name="Thêm").click()
    page.wait_for_load_state()
    assert sent.value.status in (200, 400)
    text = page.locator("main").inner_text()
    assert "Có nhiều nhiệm vụ khớp “bao cao tong ket”" in text
    assert "chọn đúng một nhiệm vụ trong danh sách gợi ý" in text
    shot(page, "picker-ambiguous")


def test_the_task_form_and_its_picker_fit_a_phone(live_server, browser, office_user, tasks):
    child = tasks["child"]
    phone = new_page(browser, PHONE)
    sign_in(phone, live_server.url, office_user.username)
    phone.goto(f"{live_server.url}/tasks/{child.pk}/edit/")
    assert fits_the_screen(phone)
    field = phone.locator("input[name=parent]")
    suggestions = type_and_wait(phone, field, "chuyen doi")
    assert [s for s in suggestions if s.startswith(f"#{tasks['parent'].pk} ")]
    box = field.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert fits_the_screen(phone)
    shot(phone, "picker-phone")
