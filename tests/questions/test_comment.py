import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from questions.models import Comment
from tests import factories
from tests.clients import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TEXT = "Which grammar do you mean, **Tolkien's** or the [PE 17](https://example.com/pe17) notes?"
LONG_AGO = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)


def comment_data(**changes):
    return {"body": TEXT, "submission_token": str(uuid.uuid4()), **changes}


def comment_url(post):
    return f"/posts/{post.pk}/comments/"


@pytest.fixture
def commenter(db):
    return factories.user(display_name="Commenter", reputation=50)


# Commenting


def test_commenting_adds_the_comment_under_the_post_and_returns_to_it(question, commenter):
    client = client_for(commenter)

    response = client.post(comment_url(question), comment_data())

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#comment-{comment.pk}"
    assert comment.post_id == question.pk
    assert comment.author == commenter
    question.refresh_from_db()
    assert question.comment_count == 1
    html = client.get(response["Location"]).content.decode()
    assert "Your comment has been added." in html
    assert f'id="comment-{comment.pk}"' in html


def test_comments_allow_inline_markdown_only(question, commenter):
    client_for(commenter).post(
        comment_url(question),
        comment_data(body="# Not a heading, but *this* is `code` and <b>no tag</b>"),
    )

    assert Comment.objects.get().body_html == (
        "# Not a heading, but <em>this</em> is <code>code</code> and &lt;b&gt;no tag&lt;/b&gt;"
    )


def test_comment_links_are_nofollow(question, commenter):
    client_for(commenter).post(comment_url(question), comment_data())

    assert (
        '<a href="https://example.com/pe17" rel="nofollow ugc noopener">PE 17</a>'
        in Comment.objects.get().body_html
    )


def test_control_characters_and_null_bytes_are_removed_from_comments(question, commenter):
    client_for(commenter).post(
        comment_url(question), comment_data(body="A null\x00 byte and\x1b an escape go.")
    )

    assert Comment.objects.get().body_markdown == "A null byte and an escape go."


def test_a_comment_on_an_answer_moves_the_question_to_the_top_of_the_active_tab(commenter):
    question = factories.question(
        title="How do I form the past tense in Quenya?", created_at=LONG_AGO
    )
    answer = factories.answer(question, created_at=LONG_AGO)
    newer = factories.question(title="A newer question", created_at=LONG_AGO + timedelta(days=1))

    response = client_for(commenter).post(comment_url(answer), comment_data())

    assert response["Location"].startswith(f"{question.get_absolute_url()}#comment-")
    question.refresh_from_db()
    assert question.last_activity_at > timezone.now() - timedelta(minutes=1)
    html = client_for(None).get("/?tab=active").content.decode()
    assert html.index(question.title) < html.index(newer.title)


def test_a_double_submit_creates_one_comment(question, commenter):
    client = client_for(commenter)
    data = comment_data()

    first = client.post(comment_url(question), data)
    second = client.post(comment_url(question), data)

    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_commenting_needs_the_csrf_token(question, commenter):
    assert (
        client_for(commenter, enforce_csrf_checks=True)
        .post(comment_url(question), comment_data())
        .status_code
        == 403
    )
    assert not Comment.objects.exists()


def test_the_comment_address_takes_only_posts(question, commenter):
    assert client_for(commenter).get(comment_url(question)).status_code == 405


def test_comments_on_deleted_or_unknown_posts_answer_404(question, commenter):
    deleted = factories.answer(question, deleted_at=timezone.now())
    client = client_for(commenter)

    assert client.post(comment_url(deleted), comment_data()).status_code == 404
    assert client.post("/posts/999999/comments/", comment_data()).status_code == 404


# Limits


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("C" * 14, "Comment must be at least 15 characters; you entered 14."),
        ("C" * 601, "Comment can be at most 600 characters; you entered 601."),
        ("  short  text  ", "Comment must be at least 15 characters; you entered 10."),
    ],
)
def test_a_bad_comment_comes_back_open_under_its_post_with_the_error_and_the_text(
    question, commenter, body, error
):
    client = client_for(commenter)
    data = comment_data(body=body)

    response = client.post(comment_url(question), data)

    assert not Comment.objects.exists()
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#comments-{question.pk}"
    html = client.get(response["Location"]).content.decode()
    form = html[html.index(f'id="comments-{question.pk}"') :]
    assert '<details class="comment-compose" open>' in form
    assert re.search(
        rf'id="id_comment_{question.pk}_body_error" class="invalid-feedback">'
        rf"\s*<p[^>]*><strong>{error}",
        form,
    )
    assert f"{body}</textarea>" in form
    assert f'value="{data["submission_token"]}"' in form
    assert "invalid-feedback" not in client.get(question.get_absolute_url()).content.decode()


@pytest.mark.parametrize("length", [15, 600])
def test_comments_at_the_limits_are_accepted(question, commenter, length):
    client_for(commenter).post(comment_url(question), comment_data(body="C" * length))

    assert len(Comment.objects.get().body_markdown) == length


# Who may comment


@pytest.fixture
def commenting_cast(author, answer):
    return {
        "anonymous": None,
        "question's author": author,
        "answer's author": answer.author,
        "other user": factories.user(reputation=49),
        "privileged user": factories.user(reputation=50),
        "moderator": factories.moderator(),
        "suspended user": factories.user(
            reputation=5000, suspended_until=timezone.now() + timedelta(days=1)
        ),
    }


REASON = "You need 50 reputation to comment on other people's posts."


@pytest.mark.parametrize(
    ("who", "on", "outcome"),
    [
        ("anonymous", "question", "log in"),
        ("question's author", "question", "commented"),
        ("question's author", "answer", "commented"),
        ("answer's author", "answer", "commented"),
        ("answer's author", "question", REASON),
        ("other user", "question", REASON),
        ("other user", "answer", REASON),
        ("privileged user", "question", "commented"),
        ("privileged user", "answer", "commented"),
        ("moderator", "answer", "commented"),
        ("suspended user", "question", "Your account is suspended until"),
    ],
)
def test_who_may_comment(commenting_cast, question, answer, who, on, outcome):
    post = {"question": question, "answer": answer}[on]

    response = client_for(commenting_cast[who]).post(comment_url(post), comment_data())

    if outcome == "log in":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif outcome == "commented":
        assert response.status_code == 302
        assert Comment.objects.get().post_id == post.pk
    else:
        assert response.status_code == 403
        assert outcome in response.content.decode().replace("&#x27;", "'")
        assert not Comment.objects.exists()


def test_a_locked_post_takes_comments_only_from_moderators(author):
    locked = factories.question(author=author, locked_at=timezone.now())

    refused = client_for(author).post(comment_url(locked), comment_data())
    allowed = client_for(factories.moderator()).post(comment_url(locked), comment_data())

    assert refused.status_code == 403
    assert "This post is locked." in refused.content.decode()
    assert allowed.status_code == 302


def test_members_below_fifty_see_why_they_cannot_comment_on_others_posts(question, answer):
    html = client_for(answer.author).get(question.get_absolute_url()).content.decode()

    question_comments = html[
        html.index(f'id="comments-{question.pk}"') : html.index(f'id="answer-{answer.pk}"')
    ]
    answer_comments = html[html.index(f'id="comments-{answer.pk}"') :]
    assert "comment-form" not in question_comments
    assert REASON in question_comments.replace("&#x27;", "'")
    assert f'action="/posts/{answer.pk}/comments/"' in answer_comments


def test_anonymous_visitors_get_a_link_to_log_in_to_comment(english_client, question):
    html = english_client.get(question.get_absolute_url()).content.decode()

    login = reverse("accounts:login")
    assert (
        f'href="{login}?next={question.get_absolute_url()}%23comments-{question.pk}">'
        "Add a comment</a>" in html
    )
    assert 'class="comment-form"' not in html


def test_each_comment_form_has_its_own_token_and_field_ids(question, answer, commenter):
    html = client_for(commenter).get(question.get_absolute_url()).content.decode()

    tokens = re.findall(r'name="submission_token" value="([0-9a-f-]{36})" id="id_comment_', html)
    assert len(tokens) == len(set(tokens)) == 2
    assert (
        f'id="id_comment_{question.pk}_body"' in html
        and f'id="id_comment_{answer.pk}_body"' in html
    )


# Show N more


@pytest.fixture
def seven_comments(question):
    return [
        factories.comment(
            question, body=f"Comment number {n}", created_at=LONG_AGO + timedelta(minutes=n)
        )
        for n in range(1, 8)
    ]


def numbers_of(html, *, hidden=False):
    """The numbers of the comments shown (or hidden) in the page, in order."""
    state = " hidden" if hidden else ""
    return re.findall(
        rf'<li class="comment" id="comment-\d+"{state}>\s*<div class="comment-body">\s*'
        r'<span class="comment-text">Comment number (\d)',
        html,
    )


def test_a_post_shows_its_first_five_comments_and_a_link_to_the_others(
    english_client, question, seven_comments
):
    html = english_client.get(question.get_absolute_url()).content.decode()

    assert numbers_of(html) == ["1", "2", "3", "4", "5"]
    assert numbers_of(html, hidden=True) == ["6", "7"]
    assert (
        f'<a class="comments-more" href="?showcomments={question.pk}#comments-{question.pk}" '
        f'data-show-comments="comments-{question.pk}">Show 2 more comments</a>'
    ) in html


def test_the_link_shows_all_comments_without_javascript(english_client, question, seven_comments):
    html = english_client.get(
        f"{question.get_absolute_url()}?showcomments={question.pk}"
    ).content.decode()

    assert numbers_of(html) == ["1", "2", "3", "4", "5", "6", "7"]
    assert "more comment" not in html


def test_one_more_comment_is_said_in_the_singular(english_client, question):
    for number in range(1, 7):
        factories.comment(question, body=f"Comment number {number}")

    assert (
        "Show 1 more comment<" in english_client.get(question.get_absolute_url()).content.decode()
    )


def test_the_sixth_comment_is_shown_after_posting_it(question, author):
    for n in range(5):
        factories.comment(question, body=f"Comment number {n}")

    response = client_for(author).post(comment_url(question), comment_data())

    comment = Comment.objects.latest("id")
    assert (
        response["Location"]
        == f"{question.get_absolute_url()}?showcomments={question.pk}#comment-{comment.pk}"
    )


# Posting after the session expired


def test_a_comment_posted_after_the_session_expired_waits_through_log_in(
    english_client, question, author
):
    text = "Typed while the session expired, and kept."

    response = english_client.post(comment_url(question), comment_data(body=text))

    back_to = f"{question.get_absolute_url()}#comments-{question.pk}"
    assert response["Location"] == f"{reverse('accounts:login')}?next={back_to.replace('#', '%23')}"
    assert not Comment.objects.exists()

    cache.clear()
    english_client.post(
        reverse("accounts:login"),
        {"username": author.username, "password": PASSWORD, "next": back_to},
    )

    html = english_client.get(question.get_absolute_url()).content.decode()
    form = html[html.index(f'id="comments-{question.pk}"') :]
    assert '<details class="comment-compose" open>' in form
    assert "Your session had expired, so your comment was not posted yet." in form
    assert f"{text}</textarea>" in form
    assert "invalid-feedback" not in form
