"""Every link members write (post bodies, comments, a profile's About and website, bodies
imported from a Stack Exchange dump) carries rel="nofollow ugc": search engines give it no
weight, so spam links earn their writers nothing (a newcomer's most of all)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts import services as account_services
from core.markdown import clean_post_html
from questions import services
from questions.models import Post
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

# The ways a text can link: inline, reference, autolink, a bare URL, a link with a title,
# an image inside a link, and raw HTML (Stack Exchange's allowed subset) with its own rel.
POST_BODY = """\
Some [inline link](https://spam.example/a) and a [reference][ref], <https://spam.example/c>,
a bare https://spam.example/d and [titled](https://spam.example/e "Title").

[![badge](https://spam.example/f.png)](https://spam.example/g)

<a href="https://spam.example/h" rel="follow">raw</a>

[ref]: https://spam.example/b
"""
COMMENT = "See [my shop](https://spam.example/i) or https://spam.example/j, @Asker."
USER_CONTENT = ("post-body", "comment-text", "profile-about", "profile-website")


class UserLinks(HTMLParser):
    """The links inside the page's user content (elements with one of USER_CONTENT's
    classes), with their rel attribute."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # how deep inside user content; 0: outside
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if self.depth:
            self.depth += tag not in {"img", "br", "hr", "input"}
        elif classes & set(USER_CONTENT) and tag not in {"img", "br", "hr"}:
            self.depth = 1
        if tag == "a" and self.depth:
            self.links.append((attrs.get("href"), set((attrs.get("rel") or "").split())))

    def handle_endtag(self, tag):
        if self.depth and tag not in {"img", "br", "hr", "input"}:
            self.depth -= 1


def user_links(html):
    parser = UserLinks()
    parser.feed(html)
    return parser.links


def assert_all_nofollow(links):
    assert links
    for href, rel in links:
        assert {"nofollow", "ugc"} <= rel, (href, rel)


def test_every_link_a_newcomer_writes_on_a_thread_is_nofollow_ugc():
    asker = factories.user(display_name="Asker", reputation=1)
    newcomer = factories.user(display_name="Newcomer", reputation=1)
    question = services.question_create(
        author=asker, title="Where can I buy good watches?", body=POST_BODY, tags=["shopping"]
    )
    answer = services.answer_create(author=newcomer, question=question, body=POST_BODY)
    services.comment_create(author=newcomer, post=question, body=COMMENT)
    services.comment_create(author=newcomer, post=answer, body=COMMENT)

    html = client_for(None).get(question.get_absolute_url()).content.decode()

    links = user_links(html)
    hrefs = {href for href, _rel in links}
    # Both posts' links a to h, both comments' i, j and the mention's link to the asker.
    assert {f"https://spam.example/{name}" for name in "abcdeghij"} <= hrefs
    assert any(href.startswith("/users/") for href in hrefs)
    assert_all_nofollow(links)


def test_a_profiles_about_me_and_website_are_nofollow_ugc():
    member = factories.user(display_name="Seller", reputation=1)
    account_services.profile_update(
        user=member,
        display_name="Seller",
        about_markdown="Visit [my shop](https://spam.example/about) today!",
        website="https://spam.example/site",
        location="",
    )

    html = (
        client_for(None)
        .get(reverse("questions:profile", args=[member.pk, member.slug]))
        .content.decode()
    )

    links = user_links(html)
    assert {href for href, _ in links} >= {
        "https://spam.example/about",
        "https://spam.example/site",
    }
    assert_all_nofollow(links)


def test_an_imported_bodys_links_are_nofollow_ugc_whatever_rel_the_dump_gave_them():
    question = factories.question(title="An imported question")
    dump_body = (
        '<p><a href="https://spam.example/x" rel="follow">x</a> '
        '<a href="https://spam.example/y">y</a></p>'
    )
    Post.objects.filter(pk=question.pk).update(body_html=clean_post_html(dump_body))

    links = user_links(client_for(None).get(question.get_absolute_url()).content.decode())

    assert {href for href, _ in links} == {"https://spam.example/x", "https://spam.example/y"}
    assert_all_nofollow(links)
