"""Browser journeys: Playwright for Python driving Debian's Chromium (never a downloaded one)."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery staple"
DEMO_DUMP = Path(__file__).resolve().parents[2] / "questions" / "demo_data"


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI", "").lower() == "true":
        # CI always installs Chromium; a journey that silently skips there proves nothing.
        raise pytest.UsageError(
            f"Chromium is missing at {CHROMIUM}; CI must run the browser journeys."
        )
    skip = pytest.mark.skip(
        reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; the tests' own
    # database calls are still synchronous and safe.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _page(browser, locale):
    """A fresh browser context (no cookies) whose visitor prefers `locale`."""
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page(browser):
    """A visitor whose browser asks for German."""
    yield from _page(browser, "de-DE")


@pytest.fixture
def english_page(browser):
    yield from _page(browser, "en-US")


@pytest.fixture
def demo_site(live_server):
    """The demo dump, served."""
    call_command(
        "import_stackexchange", str(DEMO_DUMP), site_url="https://demo.stapel.example", quiet=True
    )
    return live_server


def background(locator):
    """The computed background colour of the locator's element."""
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


def log_in(page, base_url, username):
    """Logs `username` in through the form, as whoever used the browser before logs out."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.goto(base_url + "/users/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
