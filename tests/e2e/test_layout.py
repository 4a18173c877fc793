"""The page's layout in the browser: one colour for the primary button, a compact header on
phones, the thread beside its sidebar on wide screens, a post's actions in one row."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PASSWORD, background, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ACCENT = "rgb(194, 65, 12)"


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


def test_a_phone_shows_one_compact_header_row_whose_menu_button_opens_the_links(
    live_server, browser
):
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/tags/")
    header = page.get_by_role("navigation", name="Main navigation")
    questions_link = header.get_by_role("link", name="Questions", exact=True)

    assert page.locator(".site-header").bounding_box()["height"] <= 64
    expect(page.get_by_role("searchbox", name="Search")).to_be_visible()
    expect(questions_link).to_be_hidden()

    header.locator("summary", has_text="Menu").click()

    expect(questions_link).to_be_visible()
    expect(header.get_by_role("link", name="Log in")).to_be_visible()
    context.close()


def test_a_wide_screen_shows_the_links_without_a_menu_button(live_server, english_page):
    page = english_page
    page.goto(live_server.url + "/tags/")

    header = page.get_by_role("navigation", name="Main navigation")
    expect(header.get_by_role("link", name="Questions", exact=True)).to_be_visible()
    expect(header.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.locator(".site-menu-button")).to_be_hidden()
    assert page.locator(".site-header").bounding_box()["height"] <= 64


@pytest.mark.parametrize(("width", "beside"), [(1366, True), (390, False)])
def test_the_thread_reads_in_a_column_with_the_sidebar_beside_it_only_on_wide_screens(
    live_server, browser, width, beside
):
    question = factories.question(tags=["quenya"], body="Lorem ipsum dolor sit amet. " * 40)
    factories.question(title="Vowel length in Quenya", tags=["quenya"])
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + question.get_absolute_url())

    thread = page.locator("article.thread").bounding_box()
    sidebar = page.locator(".thread-sidebar").bounding_box()
    body = page.locator(".post-question .post-body")
    characters_a_line = body.evaluate(
        "element => element.clientWidth / parseFloat(getComputedStyle(element).fontSize) * 2"
    )

    for box in ("Related questions", "Hot questions in its tags"):
        aside = page.get_by_role("complementary", name=box)
        expect(aside.get_by_role("link", name="Vowel length in Quenya")).to_be_visible()
    if beside:
        assert sidebar["x"] >= thread["x"] + thread["width"]
        assert sidebar["y"] < thread["y"] + thread["height"]
        expect(page.get_by_role("complementary", name="About this question")).to_be_visible()
        # About 75 characters (of roughly half an em each) a line.
        assert 60 <= characters_a_line <= 90
    else:
        assert sidebar["y"] >= thread["y"] + thread["height"]
        expect(page.get_by_role("complementary", name="About this question")).to_be_hidden()
    context.close()


def test_a_posts_links_and_dialogs_are_one_row_of_one_size_and_a_dialog_opens_under_it(
    live_server, english_page
):
    page = english_page
    factories.moderator(username="mia", password=PASSWORD)
    question = factories.question()
    log_in(page, live_server.url, "mia")
    page.goto(live_server.url + question.get_absolute_url())
    menu = page.locator(".post-question .post-menu")

    def font_size(locator):
        return locator.evaluate("element => getComputedStyle(element).fontSize")

    permalink = menu.get_by_role("link", name="Permalink")
    flag = menu.locator("summary", has_text="Flag")
    assert font_size(permalink) == font_size(flag)

    menu.locator("summary", has_text="Moderate").click()

    reason = menu.get_by_label("Reason (for the audit log)")
    expect(reason).to_be_visible()
    assert reason.bounding_box()["y"] > flag.bounding_box()["y"]


def test_on_a_phone_the_closed_menu_shows_a_dot_for_unread_inbox_entries(live_server, browser):
    from notifications.models import Notification

    ada = factories.user(username="ada", password=PASSWORD)
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, live_server.url, "ada")
    page.set_viewport_size({"width": 390, "height": 800})
    button = page.locator(".site-menu-button")

    def dot():
        return button.evaluate("element => getComputedStyle(element, '::after').content")

    page.goto(live_server.url + "/tags/")
    assert dot() == "none"

    question = factories.question(author=ada)
    Notification.objects.create(
        recipient=ada,
        kind="answer",
        key="answer:1",
        actor=factories.user(),
        question=question,
        post=question,
        created_at=question.created_at,
    )
    cache.clear()  # the header's count is cached; the services that write the inbox clear it
    page.goto(live_server.url + "/tags/")
    assert dot() == '""'
    context.close()
