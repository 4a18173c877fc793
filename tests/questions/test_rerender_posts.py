"""manage.py rerender_posts: stored HTML follows a change of the Markdown pipeline."""

from io import StringIO

import pytest
from django.core.management import call_command

from questions.models import Comment, Post
from tests import factories

pytestmark = pytest.mark.django_db


def test_posts_and_comments_rendered_by_an_older_pipeline_are_rendered_again(question):
    answer = factories.answer(question, body="See https://example.com and [tag:esperanto].")
    comment = factories.comment(answer, body="also https://example.com/x")
    unchanged = factories.comment(answer, body="Plain words.")
    Post.objects.filter(pk=answer.pk).update(body_html="<p>old</p>")
    Comment.objects.filter(pk=comment.pk).update(body_html="old")
    Comment.objects.filter(pk=unchanged.pk).update(body_html="kept as it is")
    out = StringIO()

    call_command("rerender_posts", stdout=out)

    answer.refresh_from_db()
    comment.refresh_from_db()
    unchanged.refresh_from_db()
    assert '<a href="https://example.com"' in answer.body_html
    assert 'class="post-tag"' in answer.body_html
    assert '<a href="https://example.com/x"' in comment.body_html
    assert unchanged.body_html == "kept as it is"
    assert "1 posts and 1 comments changed" in out.getvalue()


def test_a_second_run_changes_nothing(question):
    call_command("rerender_posts", stdout=StringIO())
    out = StringIO()
    call_command("rerender_posts", stdout=out)
    assert "0 posts and 0 comments changed" in out.getvalue()


def test_an_imported_post_keeps_stack_exchanges_html_until_it_is_edited_here(question):
    kept = factories.answer(
        question, body="See https://example.com", source_url="https://site.example/a/1"
    )
    edited = factories.answer(
        question, body="See https://example.com", source_url="https://site.example/a/2"
    )
    for post, number in ((kept, 1), (edited, 2)):
        factories.revision(post, source_url=f"https://site.example/revisions/{number}")
    factories.revision(edited)  # an edit made here
    Post.objects.filter(pk__in=[kept.pk, edited.pk]).update(body_html="<p>as Stack Exchange</p>")

    call_command("rerender_posts", stdout=StringIO())

    kept.refresh_from_db()
    edited.refresh_from_db()
    assert kept.body_html == "<p>as Stack Exchange</p>"
    assert '<a href="https://example.com"' in edited.body_html
