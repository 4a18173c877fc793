"""The page's layout in the browser: one colour for the primary button."""

import pytest

from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ACCENT = "rgb(194, 65, 12)"


def background(locator):
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


def test_bootstraps_primary_button_wears_the_brands_accent_like_the_ask_button(
    live_server, english_page
):
    page = english_page
    factories.user(username="ada", password=PASSWORD)
    question = factories.question()
    log_in(page, live_server.url, "ada")

    page.goto(live_server.url + question.get_absolute_url())

    assert "btn-primary" in page.get_by_role("button", name="Post your answer").get_attribute(
        "class"
    )
    assert background(page.get_by_role("button", name="Post your answer")) == ACCENT
    assert background(page.get_by_role("link", name="Ask Question")) == ACCENT
