"""A visitor reads the demo thread in German, then switches the interface to English."""

import re

import pytest
from playwright.sync_api import expect

from questions.models import Post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_opens_the_german_thread_and_switches_to_english(demo_site, page):
    translated = Post.objects.questions().get(original_language="en")

    page.goto(demo_site.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("link", name="Fragen").first).to_be_visible()

    page.get_by_role("link", name=translated.title).click()
    expect(page).to_have_url(re.compile(rf"/questions/{translated.pk}/{translated.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(translated.title)
    expect(page.get_by_role("heading", name="4 Antworten")).to_be_visible()
    expect(page.get_by_text("Automatisch aus dem Englischen übersetzt").first).to_be_visible()
    scores = page.locator("[id^=answer-] .score-value").all_inner_texts()
    assert [int(re.findall(r"[-+]?\d+", score)[-1]) for score in scores] == [30, 4, 4, 2]

    # Without JavaScript the form has a button; with it, choosing a language is enough.
    page.get_by_label("Sprache").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/questions/{translated.pk}/"))
    expect(page.get_by_role("heading", name="4 answers")).to_be_visible()
    expect(page.get_by_text("Automatically translated from English").first).to_be_visible()
