"""Assisted entry in a real browser, at desktop and phone sizes: paste a text, see where each
proposal came from, split a proposal naming three leads, map a name the registry does not hold
to an agency, confirm; the next text naming it resolves by itself. Screenshots go to
test-artifacts/."""

import pytest
from django.utils import timezone

from dondoc.agencies.models import Agency, AgencyAlias, AgencyKind
from dondoc.tracking.models import Task
from tests.browser.test_office_day import DESKTOP, PHONE, fits_the_screen, new_page, shot
from tests.browser.test_task_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_paste_mark_split_map_confirm_and_the_alias_resolves_next_time(
    live_server, browser, office_user, lead_agency, other_agency, size
):
    planning = Agency.objects.create(
        code="SKHDT", name="Sở Kế hoạch và Đầu tư", kind=AgencyKind.OTHER
    )
    today = timezone.localdate()
    year = today.year + 1
    text = (
        "Bộ Chính trị kết luận như sau:\n"
        f"1. Giao Ban Tổ chức Trung ương; Thành ủy Hà Nội; Sở KH-ĐT rà soát quy định về "
        f"tuyển dụng, báo cáo trước ngày 15/12/{year}.\n"
        f"2. Giao Sở KH-ĐT chủ trì tổng hợp danh mục dự án, hoàn thành trong tháng 3/{year}."
    )
    page = new_page(browser, DESKTOP if size == "desktop" else PHONE)
    sign_in(page, live_server.url, office_user.username)

    def paste(words: str) -> None:
        page.goto(f"{live_server.url}/tasks/assist/")
        page.fill("input[name=issued_on]", today.isoformat())
        page.fill("textarea[name=text]", words)
        page.get_by_role("button", name="Đọc văn bản và đề xuất nhiệm vụ").click()
        page.wait_for_load_state()

    paste(text)
    source = page.get_by_test_id("source-text")
    assert source.locator("mark.span-mark").count() == 2  # where each proposal came from
    assert (
        "Giao Ban Tổ chức Trung ương; Thành ủy Hà Nội; Sở KH-ĐT"
        in source.locator("#span-1").inner_text()
    )
    assert page.get_by_test_id("multi-lead").count() == 1
    assert fits_the_screen(page)
    shot(page, f"assist-review-{size}")

    page.get_by_role("button", name="Tách thành 3 nhiệm vụ, mỗi cơ quan một nhiệm vụ").click()
    page.wait_for_load_state()
    rows = page.locator("fieldset.assist-row")
    assert rows.count() == 4
    leads = rows.locator("select[name$=lead_agency]")
    assert leads.nth(0).input_value() == str(lead_agency.pk)
    assert leads.nth(1).input_value() == str(other_agency.pk)
    for index in (2, 3):  # "Sở KH-ĐT", not in the registry: mapped by hand, remembered
        assert leads.nth(index).input_value() == ""
        leads.nth(index).select_option(str(planning.pk))
        assert rows.nth(index).locator("input[name$=teach_alias]").is_checked()
    assert fits_the_screen(page)
    shot(page, f"assist-split-{size}")
    page.get_by_role("button", name="Xác nhận và giao nhiệm vụ").click()
    page.wait_for_load_state()
    assert "Đã giao 4 nhiệm vụ" in page.locator("main").inner_text()
    assert (
        "Đã ghi nhớ “Sở KH-ĐT” là tên gọi khác của Sở Kế hoạch và Đầu tư"
        in page.locator("body").inner_text()
    )
    assert sorted(Task.objects.values_list("lead_agency__code", flat=True)) == [
        "BTCTW", "HANOI", "SKHDT", "SKHDT",
    ]  # fmt: skip
    assert AgencyAlias.objects.get().agency == planning

    paste(f"Giao Sở KH-ĐT chủ trì đánh giá giải ngân, báo cáo trước ngày 20/12/{year}.")
    (row,) = page.locator("fieldset.assist-row").all()
    assert row.locator("select[name$=lead_agency]").input_value() == str(planning.pk)
    assert page.get_by_test_id("lead-warning").count() == 0
    shot(page, f"assist-alias-resolved-{size}")
    page.context.close()
