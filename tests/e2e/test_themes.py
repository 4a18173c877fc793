"""The theme in the browser: automatic follows the system's colour scheme; the footer's switch
works without JavaScript, and the chosen theme is there from the first paint."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import background

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WHITE = "rgb(255, 255, 255)"
DARK = "rgb(13, 17, 23)"


def test_the_automatic_theme_follows_the_system(live_server, english_page):
    page = english_page
    page.emulate_media(color_scheme="dark")
    page.goto(live_server.url + "/tags/")
    assert background(page.locator("body")) == DARK

    page.emulate_media(color_scheme="light")
    assert background(page.locator("body")) == WHITE


def test_a_visitor_without_javascript_chooses_dark_and_keeps_it(live_server, browser):
    context = browser.new_context(java_script_enabled=False, color_scheme="light", locale="en-US")
    page = context.new_page()
    page.goto(live_server.url + "/users/")

    page.get_by_role("button", name="Dark").click()

    expect(page).to_have_url(live_server.url + "/users/")
    expect(page.get_by_role("button", name="Dark")).to_have_attribute("aria-pressed", "true")
    assert background(page.locator("body")) == DARK
    # Every later page is dark before anything runs, though the system asks for light.
    page.goto(live_server.url + "/tags/")
    assert background(page.locator("body")) == DARK

    page.get_by_role("button", name="Automatic").click()
    assert background(page.locator("body")) == WHITE
    context.close()
