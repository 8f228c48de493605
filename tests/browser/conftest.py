"""A real browser: Debian's chromium driven by Playwright.

On a fresh machine the README's test command installs chromium itself when it can (root with
apt-get), so `uv run pytest` needs nothing prepared beforehand."""

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
INSTALL_LOCK = Path(tempfile.gettempdir()) / "dondoc-chromium.lock"  # two test runs, one apt


def ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        with open(INSTALL_LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            _apt_install(apt)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")


def _apt_install(apt: str) -> None:
    if Path(CHROMIUM).exists():  # another run installed it while this one waited
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "update", "-qq"], env=env, check=False)
    packages = ["chromium", "fonts-dejavu-core"]
    subprocess.run([apt, "install", "-y", "-qq", *packages], env=env, check=False)


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the session: a second sync instance cannot start inside the first's
    event loop, so tests that need their own browser launch it from this one."""
    from playwright.sync_api import sync_playwright

    ensure_chromium()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def htmx_settled(page, selector: str) -> None:
    """Waits until htmx has settled what it swapped in under `selector`: before that, the new
    form has no htmx handler yet (its button would post the page the old way) and htmx's
    autofocus is still to come."""
    page.wait_for_function(
        "selector => { const found = document.querySelector(selector);"
        " return found && found['htmx-internal-data']"
        " && !document.querySelector('.htmx-added, .htmx-settling, .htmx-swapping'); }",
        arg=selector,
    )
