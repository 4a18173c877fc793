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
