"""Refusals where they fit: a vote refused for want of reputation opens beside the arrows,
as wide as its sentence, and closes with Escape; the toolbar's Image button tells a new
member why they cannot add images yet."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newcomer(db):
    factories.tag("grammar")
    return factories.user(username="nell", display_name="Nell", password=PASSWORD)


def test_a_refused_vote_opens_beside_the_arrows_and_closes_with_escape(
    live_server, english_page, newcomer
):
    question = factories.question(title="A question to vote on", tags=["grammar"])
    page = english_page
    log_in(page, live_server.url, "nell")
    page.goto(live_server.url + question.get_absolute_url())

    widget = page.locator("[data-vote]").first
    widget.get_by_role("button", name="Vote up").click()

    message = widget.locator("[data-vote-message]")
    expect(message).to_have_text("You need 15 reputation to vote up.")
    expect(message).to_be_visible()
    column, box = widget.bounding_box(), message.bounding_box()
    # Beside the column, not in it, and on one or two lines rather than five.
    assert box["x"] >= column["x"] + column["width"]
    assert box["width"] > 150
    assert box["height"] < 50
    # The score is unchanged and nothing else moved under it.
    expect(widget.locator("[data-vote-score]")).to_have_text("0")

    page.keyboard.press("Escape")
    expect(message).to_be_hidden()


def test_the_image_button_tells_a_new_member_why_images_must_wait(
    live_server, english_page, newcomer
):
    page = english_page
    log_in(page, live_server.url, "nell")
    page.goto(live_server.url + "/questions/ask/")
    body = page.get_by_label("Body")
    body.fill("Here is my picture:")

    page.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Image").click()

    note = page.locator(".editor-message")
    expect(note).to_be_visible()
    expect(note).to_contain_text("You need 10 reputation to post images.")
    expect(body).to_have_value("Here is my picture:")
    body.press("End")
    page.keyboard.type(" a cat")
    expect(note).to_be_hidden()
