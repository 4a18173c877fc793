"""Comment upvotes: who may cast them, the daily limit, no reputation, the count shown, the
best-voted comments first, the thread's queries, and many votes at once (PostgreSQL)."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from questions.models import Comment, CommentVote, DailyVoteCount, ReputationEvent
from tests import factories
from tests.clients import client_for, thread_queries
from tests.concurrency import post_at_once

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
LONG_AGO = timezone.now() - timedelta(days=30)


def vote_url(comment):
    return reverse("questions:comment_vote", args=[comment.pk])


def vote(user, comment, value="up"):
    return client_for(user).post(vote_url(comment), {"value": value}, **JSON)


def score(comment):
    return Comment.objects.get(pk=comment.pk).score


@pytest.fixture
def comment(question):
    return factories.comment(question, body="Which grammar do you mean, the old or the new?")


@pytest.fixture
def voter(db):
    """Has just the reputation to vote up (15)."""
    return factories.user(display_name="Voter", reputation=15)


# Casting and withdrawing


def test_an_upvote_counts_on_the_comment_and_answers_as_json(voter, comment):
    response = vote(voter, comment)

    assert response.status_code == 200
    assert response.json() == {"score": 1, "voted": True, "message": "You voted this comment up."}
    assert score(comment) == 1
    assert CommentVote.objects.get().user == voter


def test_voting_up_again_or_undo_withdraws_the_vote(voter, comment):
    vote(voter, comment)
    again = vote(voter, comment)
    vote(voter, comment)
    undo = vote(voter, comment, "undo")
    nothing = vote(voter, comment, "undo")

    assert again.json()["voted"] is False
    assert undo.json() == {
        "score": 0,
        "voted": False,
        "message": "Your vote on this comment has been withdrawn.",
    }
    assert nothing.json()["score"] == 0
    assert score(comment) == 0
    assert not CommentVote.objects.exists()


def test_a_comment_upvote_gives_no_reputation(voter, comment):
    author = comment.author
    before = User.objects.get(pk=author.pk).reputation

    vote(voter, comment)

    assert User.objects.get(pk=author.pk).reputation == before
    assert not ReputationEvent.objects.filter(user=author).exists()


def test_without_javascript_the_form_posts_and_comes_back_to_the_comment(voter, question, comment):
    client = client_for(voter)

    response = client.post(vote_url(comment), {"value": "up"})

    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#comment-{comment.pk}"
    html = client.get(response["Location"]).content.decode()
    assert "You voted this comment up." in html
    assert 'aria-pressed="true" title="This comment adds something useful to the post"' in html
    assert '<span class="comment-score" title="score" data-comment-score>1</span>' in html


def test_a_refusal_without_javascript_is_a_message_on_the_thread(question, comment):
    client = client_for(factories.user(reputation=14))

    response = client.post(vote_url(comment), {"value": "up"}, follow=True)

    assert "You need 15 reputation to vote up comments." in response.content.decode()
    assert score(comment) == 0


@pytest.mark.parametrize(
    ("who", "status", "reason"),
    [
        ("newcomer", 403, "You need 15 reputation to vote up comments."),
        ("comment's author", 403, "You can't vote on your own comment."),
        ("suspended", 403, "Your account is suspended until"),
        ("visitor", 403, "You need to log in first."),
    ],
)
def test_who_may_not_vote_a_comment_up(comment, who, status, reason):
    user = {
        "newcomer": factories.user(reputation=14),
        "comment's author": comment.author,
        "suspended": factories.user(
            reputation=500, suspended_until=timezone.now() + timedelta(days=1)
        ),
        "visitor": None,
    }[who]

    response = vote(user, comment)

    assert response.status_code == status
    assert response.json()["error"].startswith(reason)
    assert score(comment) == 0


def test_visitors_without_javascript_are_sent_to_log_in(comment):
    response = Client().post(vote_url(comment), {"value": "up"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_post_author_and_a_moderator_may_vote_a_comment_up(question, comment):
    assert vote(question.author, comment).status_code == 403  # 1 reputation
    factories.reputation(question.author, amount=15)

    assert vote(question.author, comment).status_code == 200
    assert vote(factories.moderator(), comment).status_code == 200
    assert score(comment) == 2


def test_comments_on_a_locked_post_take_no_votes(voter):
    comment = factories.comment(factories.question(locked_at=timezone.now()))

    response = vote(voter, comment)

    assert response.status_code == 403
    assert response.json()["error"] == "This post is locked."


def test_a_deleted_comment_takes_no_votes_and_is_not_found(voter, question, comment):
    client_for(comment.author).post(reverse("moderation:comment_delete", args=[comment.pk]))

    assert vote(voter, comment).status_code == 404
    response = vote(factories.moderator(), comment)
    assert response.status_code == 403
    assert response.json()["error"] == "This comment has been deleted."


def test_a_vote_is_up_or_undo(voter, comment):
    response = vote(voter, comment, "down")

    assert response.status_code == 400
    assert score(comment) == 0


def test_voting_needs_a_post_with_the_csrf_token(voter, comment):
    assert client_for(voter).get(vote_url(comment)).status_code == 405
    response = client_for(voter, enforce_csrf_checks=True).post(vote_url(comment), {"value": "up"})
    assert response.status_code == 403
    assert score(comment) == 0


# The daily limit


def test_thirty_comment_votes_a_day_and_withdrawing_gives_none_back(voter, question, settings):
    assert settings.FORUM_COMMENT_VOTES_PER_DAY == 30
    settings.FORUM_COMMENT_VOTES_PER_DAY = 3
    comments = [factories.comment(question) for _ in range(4)]
    for comment in comments[:3]:
        assert vote(voter, comment).status_code == 200
    vote(voter, comments[0], "undo")

    refused = vote(voter, comments[3])

    assert refused.status_code == 403
    assert refused.json()["error"] == (
        "You have used all of today's 3 comment votes. More tomorrow (UTC)."
    )
    assert DailyVoteCount.objects.get(user=voter).comment_votes == 3
    # Withdrawing a vote is still allowed.
    assert vote(voter, comments[1], "undo").json()["voted"] is False


def test_comment_votes_leave_the_post_votes_of_the_day_alone(voter, question, settings):
    settings.FORUM_COMMENT_VOTES_PER_DAY = 1
    vote(voter, factories.comment(question))

    response = client_for(voter).post(
        reverse("questions:vote", args=[question.pk]), {"value": "up"}, **JSON
    )

    assert response.status_code == 200
    counter = DailyVoteCount.objects.get(user=voter)
    assert (counter.votes, counter.comment_votes) == (1, 1)


# What the thread shows


def test_the_button_is_shown_to_those_who_may_vote(voter, question, comment):
    own = factories.comment(question, author=voter)

    html = client_for(voter).get(question.get_absolute_url()).content.decode()
    assert f'action="{vote_url(comment)}"' in html
    assert f'action="{vote_url(own)}"' not in html
    for user in (None, factories.user(reputation=14), comment.author):
        html = client_for(user).get(question.get_absolute_url()).content.decode()
        assert f'action="{vote_url(comment)}"' not in html


def test_the_score_is_shown_to_everyone_once_above_zero_in_both_languages(question, comment):
    factories.comment_vote(comment)
    factories.comment_vote(comment)

    english = client_for(None).get(question.get_absolute_url()).content.decode()
    german = Client().get(question.get_absolute_url()).content.decode()

    assert '<span class="comment-score" title="score">2</span>' in english
    assert '<span class="comment-score" title="Bewertung">2</span>' in german


def numbers_of(html, *, hidden=False):
    """The numbers of the comments shown (or hidden) in the page, in order."""
    state = " hidden" if hidden else ""
    return re.findall(
        rf'<li class="comment" id="comment-\d+"{state}>\s*(?:<span class="comment-score"[^>]*>'
        r'\d+</span>\s*)?<div class="comment-body">\s*<span class="comment-text">'
        r"Comment number (\d)",
        html,
    )


def test_past_five_comments_the_best_voted_five_show_in_their_order_in_time(question):
    comments = [
        factories.comment(
            question, body=f"Comment number {n}", created_at=LONG_AGO + timedelta(minutes=n)
        )
        for n in range(1, 8)
    ]
    for number, votes in ((7, 3), (6, 1), (2, 2)):
        for _ in range(votes):
            factories.comment_vote(comments[number - 1])
    client = client_for(None)

    html = client.get(question.get_absolute_url()).content.decode()
    assert numbers_of(html) == ["1", "2", "3", "6", "7"]
    assert numbers_of(html, hidden=True) == ["4", "5"]
    assert "Show 2 more comments</a>" in html

    everything = client.get(f"{question.get_absolute_url()}?showcomments={question.pk}")
    assert numbers_of(everything.content.decode()) == [str(n) for n in range(1, 8)]


def test_the_link_to_the_others_speaks_german_too(question):
    for n in range(1, 8):
        factories.comment(question, body=f"Comment number {n}")

    assert "2 weitere Kommentare anzeigen</a>" in (
        Client().get(question.get_absolute_url()).content.decode()
    )


def test_five_comments_or_fewer_all_show_whatever_their_votes(question):
    comments = [factories.comment(question, body=f"Comment number {n}") for n in range(1, 6)]
    factories.comment_vote(comments[4])

    html = client_for(None).get(question.get_absolute_url()).content.decode()

    assert numbers_of(html) == ["1", "2", "3", "4", "5"]
    assert "more comment" not in html


# Queries


def thread_with_comments(count, *, voter):
    """A question whose answer has `count` comments, each voted up by `voter` and one
    deleted."""
    question = factories.question(tags=["a"])
    answer = factories.answer(question)
    for n in range(count):
        comment = factories.comment(answer, body=f"Comment number {n} on the answer.")
        factories.comment_vote(comment, user=voter)
    factories.comment(answer, deleted_at=timezone.now())
    return question


@pytest.mark.parametrize("who", ["visitor", "voter", "moderator"])
def test_the_thread_costs_the_same_queries_for_one_comment_as_for_fifty(
    voter, who, django_assert_max_num_queries
):
    viewer = {"visitor": None, "voter": voter, "moderator": factories.moderator()}[who]
    client = client_for(viewer)
    one = thread_with_comments(1, voter=voter)
    fifty = thread_with_comments(50, voter=voter)

    assert thread_queries(client, one) == thread_queries(client, fifty)
    # The session, the user, their unread messages, their inbox count and the thread's
    # five queries: the comments' votes, flags and deleters come with the comments.
    with django_assert_max_num_queries(9):
        html = client.get(fifty.get_absolute_url()).content.decode()
    if who == "voter":
        assert html.count('aria-pressed="true" title="This comment adds') == 50
    if who == "moderator":
        assert html.count('class="comment comment-deleted"') == 1


# Stored counts


@pytest.mark.drift
def test_recount_finds_and_repairs_a_comment_score_that_drifted(comment, voter):
    vote(voter, comment)
    Comment.objects.filter(pk=comment.pk).update(score=7)

    out = StringIO()
    call_command("recount", stdout=out)

    assert "comment score: 1 drifted" in out.getvalue()
    assert score(comment) == 1


# At once (PostgreSQL)

VOTERS = 8
THREADS_PER_VOTER = 3
CLICKS_PER_THREAD = 3  # 9 clicks per voter, each undoing the one before: it ends voted


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write: there is no concurrency to test.",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_repeated_comment_votes_leave_the_score_exact(settings):
    comment = factories.comment(factories.question())
    voters = [factories.user(reputation=15) for _ in range(VOTERS)]
    url = vote_url(comment)
    jobs = []
    for voter in voters * THREADS_PER_VOTER:
        client = Client()
        client.force_login(voter)
        jobs.append((client, url, [{"value": "up"}] * CLICKS_PER_THREAD))

    statuses = post_at_once(jobs, HTTP_ACCEPT="application/json")

    assert statuses == [200] * (len(jobs) * CLICKS_PER_THREAD)
    assert score(comment) == VOTERS
    assert CommentVote.objects.filter(comment=comment).count() == VOTERS
    assert set(DailyVoteCount.objects.values_list("comment_votes", flat=True)) == {5}
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    assert "No drift." in out.getvalue()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write: there is no concurrency to test.",
)
@pytest.mark.django_db(transaction=True)
def test_the_daily_limit_holds_for_votes_sent_at_once(settings):
    settings.FORUM_COMMENT_VOTES_PER_DAY = 3
    question = factories.question()
    comments = [factories.comment(question) for _ in range(8)]
    voter = factories.user(reputation=15)
    jobs = []
    for comment in comments:
        client = Client()
        client.force_login(voter)
        jobs.append((client, vote_url(comment), [{"value": "up"}]))

    statuses = post_at_once(jobs, HTTP_ACCEPT="application/json")

    assert sorted(statuses) == [200] * 3 + [403] * 5
    assert CommentVote.objects.filter(user=voter).count() == 3
    assert DailyVoteCount.objects.get(user=voter).comment_votes == 3
