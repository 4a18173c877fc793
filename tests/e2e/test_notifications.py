"""Someone answers a question and mentions its asker; the asker sees the bell's count,
opens the inbox, follows its link to the answer, and turns the emails about new answers
off from the link in one of them."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from notifications.models import EmailSettings
from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_answer_and_a_mention_reach_the_asker_who_unsubscribes_from_an_email(
    live_server, english_page, settings
):
    settings.FORUM_SITE_URL = live_server.url
    page = english_page
    asker = factories.user(
        username="ada",
        display_name="Ada",
        email="ada@example.org",
        language="en",
        password=PASSWORD,
    )
    factories.user(username="bea", display_name="Bea", reputation=100, password=PASSWORD)
    question = factories.question(author=asker, title="How do I mark the dual number?")

    log_in(page, live_server.url, "bea")
    page.goto(live_server.url + question.get_absolute_url())
    page.locator("#answer-form textarea").fill(
        "Many languages use a suffix on the noun; Slovene is a living example."
    )
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Slovene is a living example")).to_be_visible()
    # A comment on the question that mentions its author: the editor offers her name.
    page.get_by_text("Add a comment").first.click()
    box = page.locator(f"#comments-{question.pk} textarea")
    box.type("@Ad")
    page.get_by_role("option", name=re.compile("Ada")).click()
    expect(box).to_have_value(re.compile(r"^@ada ", re.IGNORECASE))
    box.type("see Slovene's dual endings.")
    page.locator(f"#comments-{question.pk}").get_by_role("button", name="Add comment").click()
    expect(page.locator(".comment a.mention", has_text="@Ada")).to_be_visible()

    log_in(page, live_server.url, "ada")
    bell = page.locator(".site-inbox")
    expect(bell.locator("[data-unread-count]")).to_contain_text("2")
    bell.click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    expect(page.get_by_text("Bea mentioned you in a comment")).to_be_visible()
    expect(page.get_by_text("Bea answered")).to_be_visible()
    # Opening the inbox read its entries: the bell is quiet on the next page.
    page.locator(".inbox-entry", has_text="Bea answered").get_by_role(
        "link", name="How do I mark the dual number?"
    ).click()
    expect(page).to_have_url(re.compile(r"#answer-\d+$"))
    expect(page.locator(":target")).to_contain_text("Slovene is a living example")
    expect(bell.locator("[data-unread-count]")).to_be_hidden()

    (answer_mail,) = [
        message
        for message in mail.outbox
        if message.to == ["ada@example.org"] and message.subject.startswith("New answer")
    ]
    link = re.search(r"(http\S+/unsubscribe/\S+/)", answer_mail.body).group(1)
    page.context.clear_cookies()  # the link works without logging in
    page.goto(link)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_text("you get no more emails about")).to_be_visible()
    assert EmailSettings.objects.get(user=asker).answer is False
