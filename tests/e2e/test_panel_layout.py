"""The moderators' flag queue in German, the longest labels the panel has: readable at a
laptop's 1,366 px (no column cut off or scrolled away, the title given room) and usable on
a 390 px phone (every cell labelled, nothing wider than the screen)."""

import pytest
from playwright.sync_api import expect

from moderation import services
from moderation.models import Flag
from tests import factories
from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUEUE = "/moderation/questions/post/"
TITLE = "Wie betont man mehrsilbige Wörter im Quenya, wenn die vorletzte Silbe kurz ist?"


@pytest.fixture
def queue(live_server):
    factories.user(username="mod", is_moderator=True, password=PASSWORD)
    for number in range(3):
        post = factories.question(title=f"{TITLE} ({number + 1})")
        for reason in (Flag.Reason.SPAM, Flag.Reason.RUDE, Flag.Reason.LOW_QUALITY):
            services.flag_create(reporter=factories.user(), reason=reason, post=post)
    return live_server.url


ONE_LINE = """e => {
  const style = getComputedStyle(e);
  const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
  const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  return e.getBoundingClientRect().height <= line * 1.5 + padding;
}"""


def _moderator_page(browser, base, width):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base + "/moderation/login/")
    page.get_by_label("Benutzername").fill("mod")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.goto(base + QUEUE)
    expect(page.locator("#result_list")).to_be_visible()
    return context, page


def _overflow(page, selector):
    """How many pixels the element is wider than the space it is given."""
    return page.evaluate(
        "s => { const e = document.querySelector(s);"
        " return e.scrollWidth - e.parentElement.clientWidth; }",
        selector,
    )


def test_the_german_flag_queue_fits_a_laptop(queue, browser):
    context, page = _moderator_page(browser, queue, 1366)
    try:
        assert _overflow(page, "#result_list") <= 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        # The flagged post's title, which opens its text in place.
        title = page.locator("#result_list tbody tr").first.locator("td.field-post summary")
        box = title.bounding_box()
        assert box["width"] >= 250, box
        # Each of the panel's tabs stands on one line ("Meldungswarteschlan|ge" no more).
        for tab in page.locator(".panel-nav a").all():
            assert tab.evaluate(ONE_LINE), tab.inner_text()
    finally:
        context.close()


def test_the_german_flag_queue_is_usable_on_a_phone(queue, browser):
    context, page = _moderator_page(browser, queue, 390)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        row = page.locator("#result_list tbody tr").first
        expect(row.locator("td.field-post summary")).to_contain_text(TITLE)
        labels = row.locator("td[data-label], th[data-label]")
        assert labels.count() >= 3
        for cell in labels.all():
            assert cell.get_attribute("data-label").strip()
    finally:
        context.close()
