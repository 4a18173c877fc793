"""A visitor searches the demo site from the home page with an operator and opens a result."""

import re

import pytest
from playwright.sync_api import expect

from questions.models import Post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_searches_with_a_tag_operator_and_opens_the_thread(demo_site, page):
    translated = Post.objects.questions().get(original_language="en")

    page.goto(demo_site.url + "/")
    search_box = page.locator("#site-search-input")
    search_box.fill("[moderation] freundschaft")
    search_box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=%5Bmoderation%5D\+freundschaft$"))
    expect(page.locator("#site-search-input")).to_have_value("[moderation] freundschaft")
    result = page.locator(".search-result").filter(
        has=page.get_by_role("link", name=translated.title, exact=True)
    )
    expect(result).to_have_count(1)
    expect(result.locator(".search-snippet mark").first).to_have_text(
        re.compile(r"^freundschaft", re.IGNORECASE)
    )

    result.get_by_role("link", name=translated.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/questions/{translated.pk}/{translated.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(translated.title)
