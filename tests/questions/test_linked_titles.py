"""The titles Stack Exchange showed for bare links to other sites' questions: the importer
keeps them (LinkedTitle), and an edited imported post shows its links by them."""

import html
import re
from collections import Counter

import pytest
from django.conf import settings
from django.db import transaction

from core.markdown import render_post
from questions.importers.stackexchange.titles import titled_links
from questions.models import LinkedTitle, Post
from questions.services import post_edit
from tests import factories
from tests.questions.test_import_stackexchange import CONLANG_DUMP, needs_conlang_dump, run_import

META_SITE = "https://conlang.meta.stackexchange.com"
# Post 53 of the meta dump links a question of the main site, which the dump does not hold.
LINKED = (
    "https://conlang.stackexchange.com/questions/122/is-tolkiens-dwarvish-really-based-on-hebrew"
)
LINKED_TITLE = "Is Tolkien's Dwarvish really based on Hebrew?"


def anchors(rendered):
    """(href, text) of each link in `rendered`."""
    return [
        (html.unescape(href), html.unescape(re.sub(r"<[^>]+>", "", text)))
        for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', rendered, re.S)
    ]


def edit(post, body):
    with transaction.atomic():
        post_edit(post=post, editor=factories.user(), body=body, summary="an edit")
    post.refresh_from_db()
    return post.body_html


@pytest.fixture
def conlang_meta(db):
    run_import(CONLANG_DUMP, "--site-url", META_SITE, "--quiet")
    return Post.objects.get(source_url=f"{META_SITE}/q/53")


@needs_conlang_dump
def test_the_import_keeps_the_titles_stack_exchange_showed_for_other_sites_questions(
    conlang_meta,
):
    kept = dict(LinkedTitle.objects.values_list("url", "title"))
    assert kept["https://conlang.stackexchange.com/q/122"] == LINKED_TITLE
    assert kept["https://meta.stackexchange.com/q/240634"] == (
        "How do weekly topic challenges work?"
    )
    # Every bare link to a question the dump does not hold (docs/MARKDOWN.md: 33 links to
    # 31 questions of the main site, 1 to meta.stackexchange.com); links to the dump's own
    # questions lead here and need none.
    hosts = Counter(url.split("/")[2] for url in kept)
    assert hosts == {"conlang.stackexchange.com": 31, "meta.stackexchange.com": 1}
    # A link written with its own text names no title ("relevant meta discussion").
    assert "https://scifi.meta.stackexchange.com/q/8166" not in kept


@needs_conlang_dump
def test_an_edited_imported_post_shows_the_linked_question_by_the_title_stack_exchange_showed(
    conlang_meta,
):
    assert (LINKED, LINKED_TITLE) in anchors(conlang_meta.body_html)
    assert LINKED in conlang_meta.body_markdown

    shown = edit(conlang_meta, conlang_meta.body_markdown + "\n\nEdited after the import.")

    assert (LINKED, LINKED_TITLE) in anchors(shown)
    assert "Edited after the import." in shown


@needs_conlang_dump
def test_a_link_to_another_sites_question_whose_title_is_unknown_stays_its_url(conlang_meta):
    unknown = "https://conlang.stackexchange.com/questions/99999/never-linked"
    shown = edit(conlang_meta, f"See {unknown} and {LINKED}")
    assert (unknown, unknown) in anchors(shown)
    assert (LINKED, LINKED_TITLE) in anchors(shown)


@needs_conlang_dump
def test_importing_again_keeps_each_title_once_and_unchanged(conlang_meta):
    before = sorted(LinkedTitle.objects.values_list("url", "title"))
    run_import(CONLANG_DUMP, "--site-url", META_SITE, "--quiet")
    assert sorted(LinkedTitle.objects.values_list("url", "title")) == before
    assert len(before) > 20


@pytest.mark.django_db
def test_a_question_here_wins_over_a_kept_title_and_one_query_renders_all(
    django_assert_num_queries,
):
    imported = factories.question(
        title="The imported question", source_url="https://other.stackexchange.com/q/7"
    )
    LinkedTitle.objects.create(url="https://other.stackexchange.com/q/7", title="Kept title")
    LinkedTitle.objects.create(url="https://other.stackexchange.com/q/8", title="Only kept")
    text = (
        "https://other.stackexchange.com/questions/7/slug\n\n"
        "http://other.stackexchange.com/q/8\n\n"
        f"{settings.FORUM_SITE_URL}/q/{imported.pk}"
    )
    with django_assert_num_queries(1):
        shown = render_post(text)
    assert anchors(shown) == [
        (imported.get_absolute_url(), "The imported question"),
        ("http://other.stackexchange.com/q/8", "Only kept"),
        (imported.get_absolute_url(), "The imported question"),
    ]


def test_only_bare_links_give_titles_when_the_markdown_is_known():
    rendered = (
        '<p><a href="https://a.stackexchange.com/q/1">First title</a> and '
        '<a href="https://a.stackexchange.com/q/2">see here</a> and '
        '<a href="https://a.stackexchange.com/q/3">https://a.stackexchange.com/q/3</a></p>'
    )
    markdown = (
        "https://a.stackexchange.com/q/1 and [see here](https://a.stackexchange.com/q/2) "
        "and https://a.stackexchange.com/q/3"
    )
    assert titled_links(rendered, markdown) == {("a.stackexchange.com", 1): "First title"}
    assert titled_links(rendered) == {
        ("a.stackexchange.com", 1): "First title",
        ("a.stackexchange.com", 2): "see here",
    }
