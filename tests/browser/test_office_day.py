"""The office's day in a real browser, at phone and desktop sizes: the agency reports, raises an
obstacle and asks for an extension from a phone; the specialist sees all three in the queue,
with notifications, and acts on each inline; the agency is notified of each decision.
Screenshots go to test-artifacts/ (docs/office-queue.md shows them)."""

import datetime as dt

import pytest
from django.utils import timezone

from dondoc.tracking import services
from dondoc.urging.models import Notification
from tests.browser.conftest import ARTIFACTS, htmx_settled
from tests.browser.test_task_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def new_page(browser, viewport):
    return browser.new_context(locale="vi-VN", viewport=viewport).new_page()


def fits_the_screen(page) -> bool:
    """Nothing wider than the viewport: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def width(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not on the screen"
    return box["width"]


def one_handed(page, scope: str, field: str) -> None:
    """On a phone the form under `scope` is full width and its submit button a thumb's size."""
    assert width(page.locator(f"{scope} {field}")) >= 0.8 * PHONE["width"], field
    button = page.locator(f"{scope} button[type=submit]").first.bounding_box()
    assert button is not None
    assert button["height"] >= 44, button


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_office_day_from_the_agencys_phone_to_the_specialists_queue(
    live_server, browser, office_user, lead_focal, lead_agency
):
    today = timezone.localdate()
    task = services.task_create(
        office_user, title="Xây dựng đề án chuyển đổi số", lead_agency=lead_agency,
        due_on=today + dt.timedelta(days=5), expected_product="Đề án",
    )  # fmt: skip
    services.task_follower_set(office_user, task, office_user)

    # The focal point, on a phone: the menu is collapsed, the inbox fits, rows are cards.
    phone = new_page(browser, PHONE)
    sign_in(phone, live_server.url, lead_focal.username)
    assert phone.locator(".menu-toggle").is_visible()
    assert not phone.locator("#mainnav").is_visible()
    phone.locator(".menu-toggle").click()
    assert phone.get_by_role("link", name="Hộp việc").is_visible()
    phone.goto(f"{live_server.url}/inbox/")
    assert fits_the_screen(phone)
    row = phone.locator(f"#inbox-task-{task.pk}")
    row.get_by_role("link", name="Báo cáo").click()
    htmx_settled(phone, f"#inbox-task-{task.pk} form")
    form = phone.locator(f"#inbox-task-{task.pk} form")
    form.locator("input[name=percent]").fill("40")
    form.locator("textarea[name=narrative]").fill("Đã họp tổ biên tập")
    assert fits_the_screen(phone)
    one_handed(phone, f"#inbox-task-{task.pk} form", "textarea[name=narrative]")
    # The row is a card across the screen, not a table row cut off at the edge.
    assert width(row) >= 0.9 * PHONE["width"] - 40
    assert row.evaluate("e => getComputedStyle(e).display") == "block"  # a row group on a desk
    shot(phone, "phone-inbox-report")
    report_url = f"{live_server.url}/inbox/{task.pk}/report/"
    with phone.expect_response(
        lambda r: r.url == report_url and r.request.method == "POST"
    ) as sent:
        form.get_by_role("button", name="Gửi báo cáo").click()
    answer = sent.value
    assert answer.status == 200, (answer.status, answer.text()[:2000])
    assert answer.request.headers.get("hx-request") == "true", "the form was posted without htmx"
    phone.locator(f"#inbox-task-{task.pk} .saved").wait_for()
    shot(phone, "phone-inbox")

    phone.goto(f"{live_server.url}/tasks/{task.pk}/")
    assert fits_the_screen(phone)
    obstacle = phone.locator("#obstacle")
    obstacle.locator("textarea[name=text]").fill("Chưa có kinh phí khảo sát")
    one_handed(phone, "#obstacle", "textarea[name=text]")
    obstacle.get_by_role("button", name="Gửi").click()
    phone.wait_for_load_state()
    extension = phone.locator("#extension")
    extension.locator("input[name=requested_due_on]").fill(
        f"{today + dt.timedelta(days=40):%Y-%m-%d}"
    )
    extension.locator("textarea[name=reason]").fill("Chờ số liệu của các tỉnh")
    one_handed(phone, "#extension", "textarea[name=reason]")
    shot(phone, "phone-task-extension")
    extension.get_by_role("button", name="Gửi đề nghị").click()
    phone.wait_for_load_state()
    assert fits_the_screen(phone)
    phone.context.close()

    # The specialist, at a desk: three items in the queue, a notification for each.
    desk = new_page(browser, DESKTOP)
    sign_in(desk, live_server.url, office_user.username)
    desk.locator("#queue-badge:not([hidden])").wait_for()
    assert desk.locator("#queue-badge").inner_text().endswith("3")
    kinds = set(Notification.objects.filter(recipient=office_user).values_list("kind", flat=True))
    assert kinds == {"reported", "obstacle", "extension_asked"}
    desk.goto(f"{live_server.url}/queue/")
    items = desk.locator("ol.queue > li")
    assert items.count() == 3
    shot(desk, "queue-desktop")

    extension_item = desk.locator("li.kind-extension")
    extension_item.get_by_label("Đồng ý gia hạn").check()
    extension_item.get_by_role("button", name="Quyết định").click()
    desk.get_by_text("Đã đồng ý gia hạn").wait_for()
    obstacle_item = desk.locator("li.kind-obstacle")
    obstacle_item.locator("textarea[name=answer]").fill("Văn phòng đề nghị Ban Tài chính bố trí")
    obstacle_item.get_by_role("button", name="Trả lời").click()
    desk.get_by_text("Đã trả lời vướng mắc, kiến nghị.").wait_for()
    shot(desk, "queue-desktop-acted")

    # The agency reports completion; the specialist accepts it from the queue.
    services.task_report_progress(
        lead_focal, task, percent=100, narrative="Đã trình đề án", is_final=True,
        product="Đề án đã trình",
    )  # fmt: skip
    desk.goto(f"{live_server.url}/queue/?kind=completion")
    completion_item = desk.locator("li.kind-completion")
    completion_item.get_by_role("button", name="Xác nhận hoàn thành").click()
    desk.get_by_text("Đã xác nhận hoàn thành nhiệm vụ.").wait_for()

    # The same queue on a phone fits the screen too.
    desk_phone = new_page(browser, PHONE)
    sign_in(desk_phone, live_server.url, office_user.username)
    desk_phone.goto(f"{live_server.url}/queue/")
    assert fits_the_screen(desk_phone)
    shot(desk_phone, "phone-queue")
    desk_phone.context.close()
    desk.context.close()

    # The agency is told of each decision, with a link to the task.
    told = Notification.objects.filter(recipient=lead_focal).values_list("kind", "link")
    page = f"/tasks/{task.pk}/"
    assert {("extension_done", page), ("answered", page), ("accepted", page)} <= set(told)
