"""Check-in at an entrance from a phone-sized browser: chromium's fake camera shows a badge's QR
code (a Y4M video of the badge as the badges PDF prints it), the page reads it with the vendored jsQR; a scan made
while offline waits in the browser and is sent when the network is back, counted once."""

import datetime as dt
import re

import pypdfium2
import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from dondoc.accounts.models import RoleCode
from dondoc.congress import services
from dondoc.congress.badges import badges_pdf
from dondoc.congress.models import CheckIn, Delegate
from dondoc.congress.services import DelegateData, ProfileData
from tests.browser.conftest import CHROMIUM
from tests.browser.test_sign_in import sign_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
W, H = 640, 480


def printed_badge(delegate: Delegate) -> Image.Image:
    """The delegate's badge as printed: the first badge of the badges PDF, rendered."""
    pdf = badges_pdf(delegate.congress, [delegate], {})
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil().convert("L")
    mm = page.size[0] / 210
    return page.crop((int(12 * mm), int(12 * mm), int(102 * mm), int(142 * mm)))


def y4m_of(image: Image.Image, path) -> None:
    """A short Y4M video (what chromium's fake camera plays) showing `image`."""
    image.thumbnail((W - 40, H - 20))
    frame = Image.new("L", (W, H), 255)
    frame.paste(image, ((W - image.size[0]) // 2, (H - image.size[1]) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (W // 2 * H // 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            out.write(b"FRAME\n" + luma + chroma + chroma)


@pytest.fixture
def camera_page(tmp_path, live_server, playwright):
    def open_with(image: Image.Image):
        video = tmp_path / "badge.y4m"
        y4m_of(image, video)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        context = browser.new_context(
            locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        context.grant_permissions(["camera"])
        opened.append(browser)
        return context, context.new_page()

    opened: list = []
    yield open_with
    for browser in opened:
        browser.close()


def test_secretary_checks_in_a_delegate_from_a_phone_including_a_scan_made_offline(
    live_server, camera_page, office_agency
):
    secretary = make_user("thuky", office_agency, RoleCode.SECRETARIAT)
    today = timezone.localdate()
    congress = services.congress_create(
        secretary, "Đại hội thử", "congress", today, today + dt.timedelta(days=2)
    )
    services.session_add(secretary, congress, today, 1, "Phiên sáng")
    services.session_add(secretary, congress, today, 2, "Phiên chiều")
    delegation = services.delegation_create(
        secretary, congress, "HN", "Đảng bộ thành phố Hà Nội", 1
    )
    profile = ProfileData(1970, "female", "Kinh", "Thạc sĩ", "Bí thư", 1995)
    services.delegates_register(
        secretary,
        congress,
        [DelegateData(delegation, "Nguyễn Thị Hoa", "elected", "official", profile)],
    )
    delegate = Delegate.objects.get()
    context, page = camera_page(printed_badge(delegate))

    sign_in(page, live_server.url, secretary.username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/congress/{congress.pk}/checkin/")
    page.wait_for_selector("#camera")
    context.set_offline(True)  # the entrance loses the network; the camera keeps reading
    # Assertions poll from Playwright, not by evaluating strings in the page (the CSP forbids eval).
    expect(page.locator("#queued")).to_have_text(re.compile(r"^[1-9][0-9]*$"), timeout=20000)
    assert "Mất kết nối" in page.locator("#result").inner_text()
    assert not CheckIn.objects.exists()

    context.set_offline(False)
    expect(page.locator("#result")).to_contain_text("Nguyễn Thị Hoa", timeout=20000)
    expect(page.locator("#queued")).to_have_text("0", timeout=20000)
    assert re.search(r"Đã điểm danh", page.locator("#result").inner_text())
    assert page.locator("#present").inner_text() == "1"
    assert CheckIn.objects.filter(delegate=delegate).count() == 1  # however often it was read
