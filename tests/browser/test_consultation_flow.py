"""Consultation in a real browser. A citizen comments on the public page without signing in,
on a desktop and on a phone: Tán thành on one article, Không tán thành (refused until a reason
is given), Đồng ý một phần with text; the page's proof of work runs in the browser before each
post. Then the office opens the synthesis, reads a theme and answers it."""

import datetime as dt

import pytest
from django.utils import timezone

from dondoc.consultation import services
from dondoc.consultation.models import Comment, Response, Stance, Theme
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_task_flow import sign_in
from tests.consultation.conftest import DRAFT_TEXT
from tests.consultation.test_through_runs import JOBS, PRICE, RESETTLEMENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
ARTICLE_1 = "Điều 1 Phạm vi điều chỉnh"
ARTICLE_2 = "Điều 2 Bồi thường khi Nhà nước thu hồi đất"


@pytest.fixture
def draft(office_user, settings):
    settings.CONSULTATION_POW_DIGITS = 3  # the browser really searches (≈ 4,000 hashes)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    draft = services.draft_import(office_user, "Dự thảo Luật Đất đai (sửa đổi)", text=DRAFT_TEXT)
    today = timezone.localdate()
    services.round_open(
        office_user, draft, today - dt.timedelta(days=1), today + dt.timedelta(days=30)
    )
    return draft


def comment(page, stance: str, section: str | None = None, text: str = "") -> None:
    page.get_by_label(stance, exact=True).check()
    if section:
        page.get_by_label("Góp ý vào phần").select_option(label=section)
    if text:
        page.get_by_label("Nội dung góp ý").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi ý kiến").click()


def test_a_citizen_comments_on_sections_from_a_desktop_and_a_phone(live_server, browser, draft):
    url = f"{live_server.url}/consultation/public/{draft.pk}/"
    desktop = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    page.goto(url)
    assert ARTICLE_2 in page.locator("main").inner_text()
    comment(page, "Tán thành", ARTICLE_1)
    assert page.get_by_role("status").inner_text() == "Cảm ơn bạn, ý kiến đã được ghi nhận."

    comment(page, "Không tán thành", ARTICLE_2)  # no reason: refused, nothing stored
    assert "cần nêu rõ nội dung góp ý" in page.locator("main").inner_text()
    assert Comment.objects.count() == 1
    reason = "Giá bồi thường phải sát giá thị trường tại thời điểm thu hồi."
    comment(page, "Không tán thành", ARTICLE_2, reason)
    assert page.get_by_role("status").is_visible()
    desktop.close()

    phone = browser.new_context(locale="vi-VN", **PHONE)
    page = phone.new_page()
    page.goto(url)
    # the form fits the phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("Bạn là").select_option(label="Chuyên gia, nhà khoa học")
    partly = "Đồng ý nhưng cần quy định rõ thời hạn chi trả tiền bồi thường."
    comment(page, "Đồng ý một phần", ARTICLE_2, partly)
    assert page.get_by_role("status").is_visible()
    page.screenshot(path=str(ARTIFACTS / "consultation-public-phone.png"), full_page=True)
    phone.close()

    stored = list(
        Comment.objects.order_by("pk").values_list("stance", "chosen_section__number", "text",
                                                   "category", "channel")
    )  # fmt: skip
    assert stored == [
        (Stance.AGREE, "Điều 1", "", "citizen", "web"),
        (Stance.DISAGREE, "Điều 2", reason, "citizen", "web"),
        (Stance.PARTIAL, "Điều 2", partly, "expert", "web"),
    ]


def test_the_office_opens_the_synthesis_reads_a_theme_and_answers_it(
    live_server, browser, draft, office_user
):
    article = draft.sections.get(number="Điều 2").pk
    rows = [("partial", text, "citizen", "web", article) for text in PRICE + RESETTLEMENT + JOBS]
    services._comments_import(draft.rounds.get(), rows)

    page = browser.new_context(locale="vi-VN").new_page()
    sign_in(page, live_server.url, office_user.username)
    page.goto(f"{live_server.url}/consultation/{draft.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Tổng hợp ý kiến").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Tổng hợp lại").click()
    themes = page.locator("article.theme")
    assert themes.count() >= 2
    assert "24 ý kiến" in page.locator("main").inner_text()

    theme = Theme.objects.get(comments__text=PRICE[0], comments__campaign__isnull=True)
    card = page.locator(f"#theme-{theme.pk}")
    with page.expect_navigation():
        card.get_by_role("link", name="Đổi tên, gộp, tách chủ đề").click()
    reading = page.locator("main").inner_text()
    assert theme.label in reading
    assert PRICE[0] in reading  # the theme's comments, one by one
    with page.expect_navigation():
        page.get_by_role("link", name="Về trang tổng hợp").click()

    card = page.locator(f"#theme-{theme.pk}")
    card.locator("select[name=kind]").select_option(label="Tiếp thu")
    answer = "Tiếp thu: giá đất bồi thường theo giá thị trường tại thời điểm thu hồi."
    card.locator("textarea[name=explanation]").fill(answer)
    card.locator("select[name=revised_section]").select_option(label=ARTICLE_2)
    with page.expect_navigation():
        card.get_by_role("button", name="Ghi tiếp thu, giải trình").click()
    assert answer in page.locator(f"#theme-{theme.pk}").inner_text()
    page.screenshot(path=str(ARTIFACTS / "consultation-synthesis-answered.png"), full_page=True)
    response = Response.objects.get(theme=theme)
    assert (response.kind, response.revised_section_id) == ("accepted", article)
