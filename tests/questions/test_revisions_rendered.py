"""The revisions page shows each revision's own Markdown rendered by today's pipeline
(issue 19), beside the diff of its Markdown; imported revisions included."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command

from core.markdown import render_post, render_posts
from questions.models import Post
from tests import factories
from tests.clients import client_for
from tests.questions.test_revisions import DEMO_DATA, DEMO_SITE, START

pytestmark = pytest.mark.django_db


def rendered_sections(html):
    """{revision number: the HTML of its rendered section}."""
    sections = {}
    for number, body in re.findall(
        r'id="revision-(\d+)">.*?<details class="revision-rendered"[^>]*>(.*?)</details>',
        html,
        re.S,
    ):
        sections[int(number)] = body
    return sections


def revisions_page(post):
    response = client_for(None).get(f"/posts/{post.pk}/revisions/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_revision_shows_its_own_markdown_rendered(author):
    post = factories.question(author=author, body="Some **bold** words", created_at=START)
    factories.revision(post, created_at=START)
    factories.revision(
        post, body="## A heading\n\n- one\n- two", created_at=START + timedelta(days=1)
    )

    html = revisions_page(post)
    sections = rendered_sections(html)

    assert "<strong>bold</strong>" in sections[1]
    assert "<strong>" not in sections[2]
    assert "<h2>A heading</h2>" in sections[2]
    assert "<li>one</li>" in sections[2]
    # The newest is open; older ones fold (a <details> works without JavaScript).
    assert '<details class="revision-rendered" open>' in html
    assert html.count('<details class="revision-rendered">') == 1


def test_a_revision_s_raw_html_is_sanitised_as_a_post_s_is(author):
    payload = 'Hi <script>alert(1)</script><img src=x onerror="alert(2)"> <b>bold</b>'
    post = factories.question(author=author, body=payload, created_at=START)
    factories.revision(post, created_at=START)

    section = rendered_sections(revisions_page(post))[1]

    assert "<script" not in section and "onerror" not in section
    assert "<b>bold</b>" in section
    assert section.count("<div") == 1


def test_the_dialect_renders_in_revisions_with_one_title_look_up_for_all(
    author, django_assert_max_num_queries
):
    linked = factories.question(author=author, title="Where do tags come from?")
    url = f"{settings.FORUM_SITE_URL}/questions/{linked.pk}/"
    post = factories.question(author=author, body=f"See {url}", created_at=START)
    for number in range(20):
        factories.revision(
            post,
            body=f"See {url} and [tag:grammar], edit {number}",
            created_at=START + timedelta(days=number),
        )

    with django_assert_max_num_queries(3):
        html = revisions_page(post)

    sections = rendered_sections(html)
    assert len(sections) == 20
    assert all("Where do tags come from?</a>" in section for section in sections.values())
    assert 'class="post-tag"' in sections[20]


def test_render_posts_renders_as_render_post_does(author, django_assert_num_queries):
    linked = factories.question(author=author, title="A linked question")
    url = f"{settings.FORUM_SITE_URL}/q/{linked.pk}"
    sources = [f"First {url}", "No links at all", f"*Again* {url} and https://example.com/x"]

    with django_assert_num_queries(1):
        together = render_posts(sources)
    with django_assert_num_queries(2):
        alone = [render_post(source) for source in sources]

    assert together == alone
    assert "A linked question</a>" in together[2]
    with django_assert_num_queries(0):
        assert render_posts(["plain", "text"]) == ["<p>plain</p>", "<p>text</p>"]


def test_imported_revisions_are_rendered_by_our_pipeline():
    call_command("import_stackexchange", str(DEMO_DATA), site_url=DEMO_SITE, quiet=True)
    question = Post.objects.get(source_url=f"{DEMO_SITE}/q/9")

    sections = rendered_sections(revisions_page(question))

    assert sections[1].count("<p>") == 1
    assert "Der Code erscheint aber als ganz normaler Text" in sections[1]
    # Revision 2's fence and numbered list, rendered (not the Markdown shown as text).
    assert '<pre class="highlight"><code>' in sections[2]
    assert "<ol>" in sections[2]
    assert "<li>Vor jede Codezeile genau vier Leerzeichen gesetzt (keine Tabs)</li>" in sections[2]


def test_a_revisions_rendering_is_kept_so_a_second_reading_renders_nothing(
    author, django_assert_max_num_queries
):
    linked = factories.question(author=author, title="Where do tags come from?")
    url = f"{settings.FORUM_SITE_URL}/questions/{linked.pk}/"
    post = factories.question(author=author, body=f"See {url}", created_at=START)
    factories.revision(post, created_at=START)

    with django_assert_max_num_queries(3) as first:
        html = revisions_page(post)
    with django_assert_max_num_queries(3) as second:
        again = revisions_page(post)

    # The titles behind the bare link are looked up once, by the first reading.
    assert len(second.captured_queries) == len(first.captured_queries) - 1
    assert rendered_sections(again) == rendered_sections(html)
    assert "Where do tags come from?</a>" in rendered_sections(again)[1]
