"""The revisions page's diffs: inline (one text, removals struck through, additions
underlined) or side by side (the old text beside the new), chosen by a link."""

import re

import pytest

from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

OLD = "Stapel kennt jede Antwort."
NEW = "Stapel kennt eine bestimmte Antwort."


@pytest.fixture
def edited(author):
    post = factories.question(title="Was kennt Stapel?", body=OLD, tags=["stapel"], author=author)
    factories.revision(post, body=OLD)
    factories.revision(post, body=NEW, title="Was kennt Stapel genau?", summary="genauer")
    return post


def bodies(html):
    return re.findall(r'<pre class="diff diff-body([^"]*)">(.*?)</pre>', html, re.S)


def test_the_inline_diff_shows_removed_and_added_words_in_one_text(edited):
    html = client_for(None).get(f"/posts/{edited.pk}/revisions/").content.decode()

    (kind, newest), (_, original) = bodies(html)
    assert kind == ""
    assert newest == "Stapel kennt <del>jede</del><ins>eine bestimmte</ins> Antwort."
    assert original == OLD
    assert "Was kennt Stapel<ins> genau</ins>?" in html


def test_side_by_side_shows_the_old_text_beside_the_new_each_marking_its_own_side(edited):
    url = f"/posts/{edited.pk}/revisions/?diff=side-by-side"
    html = client_for(None).get(url).content.decode()

    (old_kind, old), (new_kind, new), (original_kind, original) = bodies(html)
    assert (old_kind, old) == (" diff-old", "Stapel kennt <del>jede</del> Antwort.")
    assert (new_kind, new) == (" diff-new", "Stapel kennt <ins>eine bestimmte</ins> Antwort.")
    # The original has nothing to compare with: one column, as inline.
    assert (original_kind, original) == ("", OLD)
    assert '<p class="diff diff-title diff-old">' in html
    assert ">Before</h3>" in html and ">After</h3>" in html


def test_the_chosen_view_is_marked_and_the_other_is_a_link(edited):
    base = f"/posts/{edited.pk}/revisions/"

    inline = client_for(None).get(base).content.decode()
    side = client_for(None).get(base + "?diff=side-by-side").content.decode()

    assert 'href="?diff=inline" aria-current="true"' in inline
    assert 'href="?diff=side-by-side" aria-current="true"' in side
    assert 'href="?diff=inline" aria-current' not in side


def test_a_post_with_one_revision_offers_no_choice(author):
    post = factories.question(body=OLD, author=author)
    factories.revision(post, body=OLD)

    html = client_for(None).get(f"/posts/{post.pk}/revisions/").content.decode()

    assert "diff-views" not in html


def test_side_by_side_escapes_the_text_like_the_inline_view(edited, author):
    factories.revision(edited, body=NEW + " <script>alert(1)</script>")

    html = client_for(author).get(f"/posts/{edited.pk}/revisions/?diff=side-by-side").content
    html = html.decode()

    assert "<script>alert(1)</script>" not in html
    assert "<ins> &lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
