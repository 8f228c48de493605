"""The Content-Security-Policy in a real browser: the key pages load and work with no violation
(no inline script, no eval by htmx, no inline <style>), and nothing they ask for is missing."""

import datetime as dt

import pytest
from django.utils import timezone

from dondoc.tracking import services
from tests.browser.test_task_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects what the browser refused; runs before any script of the page.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched(browser):
    """A page that records CSP violations, console errors and failed requests."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    yield page, problems
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_key_pages_load_without_any_csp_violation(
    live_server, watched, office_user, office_agency, lead_agency
):
    page, problems = watched
    document = services.document_register(
        office_user, symbol="35-KL/TW", issuing_body=office_agency,
        issued_on=dt.date(2025, 3, 1), title="Kết luận về tổ chức bộ máy",
    )  # fmt: skip
    task = services.task_create(
        office_user, title="Rà soát quy chế làm việc", lead_agency=lead_agency, document=document,
        due_on=timezone.localdate() + dt.timedelta(days=10), expected_product="Báo cáo",
    )  # fmt: skip
    sign_in(page, live_server.url, office_user.username)
    pages = [
        "/",
        "/tasks/",
        f"/tasks/{task.pk}/",
        "/documents/",
        f"/documents/{document.pk}/",
        "/dashboard/",
        "/urging/notifications/",
        "/reviews/",
        "/agencies/",
        "/api/v1/docs",
    ]
    seen: dict[str, list[str]] = {}
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        seen[path] = violations(page)

    assert seen == {path: [] for path in pages}
    assert problems == []


def test_filters_still_refresh_the_list_without_inline_script_or_eval(
    live_server, watched, office_user, lead_agency
):
    page, problems = watched
    sign_in(page, live_server.url, office_user.username)
    page.goto(f"{live_server.url}/tasks/")

    page.check("input[name=status][value=overdue]")

    page.wait_for_url("**status=overdue**")
    assert violations(page) == []
    assert problems == []


def test_login_page_shows_the_icon_and_no_violation(live_server, watched, db):
    page, problems = watched

    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("networkidle")
    icon = page.evaluate("fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)")

    assert icon == 200
    assert violations(page) == []
    assert problems == []
