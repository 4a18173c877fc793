"""Asking, answering, voting and flagging with the keyboard alone: every control is reached
with Tab, shows where the focus is, and is worked with the keys a keyboard user presses
(typing, Enter on buttons and links, the arrow keys in a radio group, Enter on a <summary>)."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from moderation.models import Flag
from questions.models import Post, Vote
from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    # Typing key by key asks the server for similar titles and tags at every key. On
    # SQLite the live server's threads share the test's one in-memory connection, and two
    # of those requests at once can leave one waiting for ever (seen in CI); PostgreSQL
    # gives each thread its own connection.
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="concurrent requests on SQLite's shared connection"
    ),
]

MAX_TABS = 150


def tab_to(page, selector, *, first=False):
    """Presses Tab until the element matching `selector` (the first of several, with
    `first`) has the focus; fails when Tab never reaches it. Checks that the focused
    element shows an outline or a ring."""
    target = page.locator(selector)
    if first:
        target = target.first
    else:
        expect(target).to_have_count(1)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            visible_focus = target.evaluate(
                """element => {
                    const style = getComputedStyle(element);
                    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
                        || style.boxShadow !== "none";
                }"""
            )
            assert visible_focus, f"{selector} has the focus but shows no outline"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_ask_answer_vote_and_flag_with_the_keyboard_alone(live_server, english_page):
    page = english_page
    base = live_server.url
    factories.user(username="asker", reputation=20, password=PASSWORD)
    factories.user(username="helper", reputation=50, password=PASSWORD)
    factories.tag("lojban")

    log_in(page, base, "asker")
    page.goto(base + "/questions/ask/")
    tab_to(page, "#id_title")
    page.keyboard.type("How do I say good morning in Lojban politely?")
    tab_to(page, "#id_body")
    page.keyboard.type(
        "I know coi for hello, but I would like a polite morning greeting for a letter."
    )
    tab_to(page, "#id_tags")
    page.keyboard.type("lojban")
    tab_to(page, "#ask-form button[type=submit]:not([name])")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("How do I say good morning in Lojban politely?")
    question = Post.objects.questions().get()

    log_in(page, base, "helper")
    page.goto(base + question.get_absolute_url())
    tab_to(page, "#answer-form textarea")
    page.keyboard.type("Say coi at the start and add a time word; ki'e ends the letter kindly.")
    tab_to(page, "#answer-form button[type=submit]:not([name])")
    page.keyboard.press("Enter")
    answer = page.locator(".post-answer").first
    expect(answer).to_contain_text("ki'e ends the letter kindly")

    # A vote on the question, in place; the result is announced in the live region.
    page.goto(base + question.get_absolute_url())
    vote_up = "#question .vote-up"
    tab_to(page, vote_up)
    page.keyboard.press("Enter")
    expect(page.locator("#question [data-vote-score]")).to_have_text("+1")
    assert Vote.objects.filter(post=question, value=1).count() == 1

    # The flag dialog opens with Enter on its summary; a reason is chosen with Space.
    tab_to(page, "#question .flag-dialog > summary")
    page.keyboard.press("Enter")
    # A radio group is one Tab stop; the arrow keys move through it and choose.
    tab_to(page, "#question .flag-dialog input[name=reason]", first=True)
    reason = page.locator("#question .flag-dialog input[name=reason][value=low_quality]")
    for _ in range(10):
        if reason.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(reason).to_be_checked()
    tab_to(page, "#question .flag-dialog button[type=submit]")
    page.keyboard.press("Enter")
    # Back on the thread, the member who flagged has no Flag dialog on it any more.
    expect(page.locator("#question .flag-dialog")).to_have_count(0)
    assert Flag.objects.filter(post=question, reason="low_quality").count() == 1
