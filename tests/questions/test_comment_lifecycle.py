"""A comment after it is posted: its author edits it for a few minutes and deletes it at
any time; the post's comment count and the cached pages follow."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from questions.models import Comment, Post
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

TEXT = "Which grammar do you mean, the Qenya lexicon or the later notes?"
CHANGED = "Which grammar do you mean: the Etymologies or the later notes?"


def edit_url(comment):
    return reverse("questions:comment_edit", args=[comment.pk])


def delete_url(comment):
    return reverse("moderation:comment_delete", args=[comment.pk])


@pytest.fixture
def commenter(db):
    return factories.user(display_name="Commenter", reputation=50, password=factories.PASSWORD)


@pytest.fixture
def comment(question, commenter):
    """Posted just now by `commenter` on `question`."""
    return factories.comment(question, author=commenter, body=TEXT)


def minutes_ago(minutes):
    return timezone.now() - timedelta(minutes=minutes)


def comments_of(html, post):
    """The HTML of the post's comments section."""
    start = html.index(f'id="comments-{post.pk}"')
    return html[start : html.index("</section>", start)]


# Editing


def test_the_author_edits_a_fresh_comment_in_the_form_under_it(question, comment, commenter):
    client = client_for(commenter)
    html = comments_of(client.get(question.get_absolute_url()).content.decode(), question)
    assert '<details class="comment-dialog comment-edit">' in html
    assert f'action="{edit_url(comment)}"' in html
    assert f"{TEXT}</textarea>" in html

    response = client.post(edit_url(comment), {"body": CHANGED})

    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.body_markdown == CHANGED
    assert comment.edited_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "Your comment has been edited." in page
    assert CHANGED in page
    assert '<span class="comment-edited">edited</span>' in comments_of(page, question)


def test_an_edited_comment_says_so_in_german_and_english(question, comment, commenter):
    client_for(commenter).post(edit_url(comment), {"body": CHANGED})

    german = Client().get(question.get_absolute_url()).content.decode()
    english = Client(headers={"accept-language": "en"}).get(question.get_absolute_url())

    assert '<span class="comment-edited">bearbeitet</span>' in german
    assert '<span class="comment-edited">edited</span>' in english.content.decode()


def test_the_edit_page_works_without_the_thread_in_both_languages(question, comment, commenter):
    german = Client()
    german.force_login(commenter)

    for client, lang in ((german, "de"), (client_for(commenter), "en")):
        response = client.get(edit_url(comment))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html
        assert f"{TEXT}</textarea>" in html
        assert question.title in html


def test_an_edit_that_is_too_short_comes_back_with_the_error_and_the_text(comment, commenter):
    response = client_for(commenter).post(edit_url(comment), {"body": "Too short."})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Comment must be at least 15 characters; you entered 10." in html
    assert "Too short.</textarea>" in html
    comment.refresh_from_db()
    assert comment.body_markdown == TEXT
    assert comment.edited_at is None


def test_saving_the_same_text_marks_nothing_edited(question, comment, commenter):
    client_for(commenter).post(edit_url(comment), {"body": f"  {TEXT} "})

    comment.refresh_from_db()
    assert comment.edited_at is None


def test_an_edit_links_the_mentions_again(question, author, commenter):
    comment = factories.comment(question, author=commenter, body=TEXT)

    client_for(commenter).post(edit_url(comment), {"body": f"@Author {CHANGED}"})

    comment.refresh_from_db()
    assert f'href="{author.get_absolute_url()}"' in comment.body_html


def test_after_five_minutes_the_comment_cannot_be_edited(question, commenter):
    comment = factories.comment(question, author=commenter, body=TEXT, created_at=minutes_ago(6))
    client = client_for(commenter)

    response = client.post(edit_url(comment), {"body": CHANGED})

    assert response.status_code == 403
    assert "A comment can be edited only within 5 minutes of posting it." in (
        response.content.decode()
    )
    assert Comment.objects.get(pk=comment.pk).body_markdown == TEXT
    assert "comment-edit" not in comments_of(
        client.get(question.get_absolute_url()).content.decode(), question
    )


def test_the_edit_window_is_a_setting(question, commenter, settings):
    settings.FORUM_COMMENT_EDIT_MINUTES = 10
    comment = factories.comment(question, author=commenter, body=TEXT, created_at=minutes_ago(7))

    response = client_for(commenter).post(edit_url(comment), {"body": CHANGED})

    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).body_markdown == CHANGED


@pytest.mark.parametrize("who", ["question's author", "moderator", "suspended author"])
def test_only_the_author_in_good_standing_edits_a_comment(question, comment, commenter, who):
    if who == "suspended author":
        commenter.suspended_until = timezone.now() + timedelta(days=1)
        commenter.save(update_fields=["suspended_until"])
    user = {
        "question's author": question.author,
        "moderator": factories.moderator(),
        "suspended author": commenter,
    }[who]

    response = client_for(user).post(edit_url(comment), {"body": CHANGED})

    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).body_markdown == TEXT


def test_visitors_are_sent_to_log_in_to_edit(comment):
    response = Client().get(edit_url(comment))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_editing_needs_the_csrf_token(comment, commenter):
    client = client_for(commenter, enforce_csrf_checks=True)

    assert client.post(edit_url(comment), {"body": CHANGED}).status_code == 403
    assert Comment.objects.get(pk=comment.pk).body_markdown == TEXT


def test_a_comment_on_a_locked_post_cannot_be_edited(commenter):
    question = factories.question(locked_at=timezone.now())
    comment = factories.comment(question, author=commenter, body=TEXT)

    response = client_for(commenter).post(edit_url(comment), {"body": CHANGED})

    assert response.status_code == 403
    assert "This post is locked." in response.content.decode()


# Deleting


def test_the_author_deletes_their_comment_at_any_time(question, commenter):
    old = factories.comment(question, author=commenter, body=TEXT, created_at=minutes_ago(60 * 24))
    other = factories.comment(question, body="Another comment stays where it is.")
    client = client_for(commenter)

    response = client.post(delete_url(old))

    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#comments-{question.pk}"
    old.refresh_from_db()
    assert old.deleted_at is not None
    assert old.deleted_by == commenter
    assert Post.objects.get(pk=question.pk).comment_count == 1
    page = client.get(response["Location"]).content.decode()
    assert "The comment was deleted." in page
    assert f'id="comment-{old.pk}"' not in page
    assert f'id="comment-{other.pk}"' in page


def test_the_author_is_asked_before_the_comment_is_deleted(question, comment, commenter):
    html = comments_of(
        client_for(commenter).get(question.get_absolute_url()).content.decode(), question
    )

    assert '<details class="comment-dialog comment-delete">' in html
    assert f'action="{delete_url(comment)}"' in html
    assert "Delete this comment</button>" in html


def test_a_deleted_comment_is_gone_for_everyone_but_the_moderators(question, comment, commenter):
    client_for(commenter).post(delete_url(comment))

    for user in (None, commenter, question.author):
        html = client_for(user).get(question.get_absolute_url()).content.decode()
        assert TEXT not in html
    for path in (edit_url(comment), f"/comments/{comment.pk}/flag/"):
        assert client_for(commenter).get(path).status_code == 404
    assert client_for(commenter).post(delete_url(comment)).status_code == 404
    assert (
        TEXT in client_for(factories.moderator()).get(question.get_absolute_url()).content.decode()
    )


def test_others_cannot_delete_a_members_comment(question, comment):
    response = client_for(question.author).post(delete_url(comment))

    assert response.status_code == 403
    assert "Only its author or a moderator can delete a comment." in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).deleted_at is None


def test_deleting_takes_only_posts_with_the_csrf_token(comment, commenter):
    assert client_for(commenter).get(delete_url(comment)).status_code == 405
    assert client_for(commenter, enforce_csrf_checks=True).post(
        delete_url(comment)
    ).status_code == (403)
    assert Comment.objects.get(pk=comment.pk).deleted_at is None


def test_a_visitors_cached_thread_loses_the_deleted_comment_at_once(question, comment, commenter):
    visitor = Client()
    assert TEXT in visitor.get(question.get_absolute_url()).content.decode()

    client_for(commenter).post(delete_url(comment))

    assert TEXT not in visitor.get(question.get_absolute_url()).content.decode()


def test_a_visitors_cached_thread_shows_the_edit_at_once(question, comment, commenter):
    visitor = Client()
    assert TEXT in visitor.get(question.get_absolute_url()).content.decode()

    client_for(commenter).post(edit_url(comment), {"body": CHANGED})

    assert CHANGED in visitor.get(question.get_absolute_url()).content.decode()


def test_deleting_one_of_six_comments_brings_the_sixth_out_from_behind_the_link(question):
    comments = [
        factories.comment(question, body=f"Comment number {n}", created_at=minutes_ago(60 - n))
        for n in range(1, 7)
    ]
    author = comments[0].author

    client_for(author).post(delete_url(comments[0]))

    html = client_for(None).get(question.get_absolute_url()).content.decode()
    assert len(re.findall(r'<li class="comment" id="comment-\d+">', html)) == 5
    assert "more comment" not in html
