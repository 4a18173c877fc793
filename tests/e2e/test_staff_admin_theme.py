"""The staff /admin/ in the theme chosen on the site, from the first paint, and its own toggle
telling the site (templates/admin/base_site.html, static/staff/theme.js)."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PASSWORD, background, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SITE_WHITE = "rgb(255, 255, 255)"
ADMIN_DARK = "rgb(18, 18, 18)"


def test_the_staff_admin_opens_in_the_sites_theme_and_its_toggle_changes_both(
    live_server, english_page
):
    page = english_page
    page.emulate_media(color_scheme="light")
    factories.user(username="manager", is_staff=True, password=PASSWORD)
    log_in(page, live_server.url, "manager")
    page.get_by_role("button", name="Dark").click()

    page.goto(live_server.url + "/admin/")

    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert background(page.locator("body")) == ADMIN_DARK

    # Django's toggle, from dark with a light system: light.
    with page.expect_response(lambda response: response.url.endswith("/theme/")):
        page.locator("#user-tools .theme-toggle").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"

    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    page.goto(live_server.url + "/tags/")
    expect(page.get_by_role("button", name="Light")).to_have_attribute("aria-pressed", "true")
    assert background(page.locator("body")) == SITE_WHITE
