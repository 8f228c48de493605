"""Signing in, switching language and signing out, in a real browser."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def enrol_second_factor(page, base_url: str, on_secret_shown=lambda: None) -> None:
    """A leader's first sign-in: read the shown secret, answer with its current code."""
    page.wait_for_url(re.compile(r"/accounts/2fa/"))
    secret = page.locator("code").inner_text().replace(" ", "")
    on_secret_shown()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    if 30 - time.time() % 30 < 3:  # as a person would: not a code about to expire
        time.sleep(30 - time.time() % 30 + 0.5)
    page.fill("input[name=token]", f"{TOTP(key).token():06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_office_specialist_signs_in_sees_vietnamese_home_switches_to_english_and_signs_out(
    live_server, page, screenshot, office_user
):
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Đăng nhập").is_visible()

    sign_in(page, live_server.url, office_user.username)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Theo dõi, đôn đốc nhiệm vụ").is_visible()
    assert page.get_by_text("Tỷ lệ nhiệm vụ quá hạn chưa hoàn thành").is_visible()
    screenshot("home-vi")

    page.click("button[lang=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.get_by_text("Share of tasks overdue and not done").is_visible()
    screenshot("home-en")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert page.get_by_role("heading", name="Sign in").is_visible()
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url  # signed out: home needs signing in again


def test_leader_enrols_two_factor_at_first_sign_in_and_reaches_the_dashboard(
    live_server, page, screenshot, leader
):
    sign_in(page, live_server.url, leader.username)
    enrol_second_factor(page, live_server.url, lambda: screenshot("two-factor-enrolment"))
    assert page.get_by_role("heading", name="Tổng quan tình hình thực hiện nhiệm vụ").is_visible()
