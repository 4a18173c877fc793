from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from questions import services, voting
from questions.models import DailyVoteCount, Post, Vote
from tests import factories
from tests.clients import client_for

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_ACCEPT_LANGUAGE": "en"}


def vote(client, post, value, **headers):
    return client.post(
        reverse("questions:vote", args=[post.pk]), {"value": value}, **{**JSON, **headers}
    )


def form_vote(client, post, value):
    return client.post(
        reverse("questions:vote", args=[post.pk]),
        {"value": value},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )


def score(post):
    return Post.objects.get(pk=post.pk).score


def assert_no_drift():
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    assert "No drift." in out.getvalue()


@pytest.fixture
def voter_client(voter):
    return client_for(voter)


@pytest.mark.django_db
def test_an_upvote_raises_the_score_and_answers_the_new_state_as_json(voter_client, answer):
    response = vote(voter_client, answer, "up")

    assert response.status_code == 200
    assert response.json() == {"score": 1, "vote": 1, "message": "You voted this post up."}
    assert score(answer) == 1
    assert_no_drift()


@pytest.mark.django_db
def test_voting_up_again_undoes_the_vote(voter_client, question):
    vote(voter_client, question, "up")

    response = vote(voter_client, question, "up")

    assert response.json() == {"score": 0, "vote": 0, "message": "Your vote has been withdrawn."}
    assert not Vote.objects.filter(post=question).exists()
    assert_no_drift()


@pytest.mark.django_db
def test_an_explicit_undo_withdraws_the_vote_and_without_a_vote_changes_nothing(
    voter_client, answer
):
    vote(voter_client, answer, "down")

    assert vote(voter_client, answer, "undo").json()["vote"] == 0
    assert vote(voter_client, answer, "undo").json() == {
        "score": 0,
        "vote": 0,
        "message": "Your vote has been withdrawn.",
    }
    assert score(answer) == 0
    assert_no_drift()


@pytest.mark.django_db
def test_a_vote_switches_from_up_to_down_and_back(voter_client, answer):
    vote(voter_client, answer, "up")

    assert vote(voter_client, answer, "down").json()["score"] == -1
    assert vote(voter_client, answer, "up").json() == {
        "score": 1,
        "vote": 1,
        "message": "You voted this post up.",
    }
    assert Vote.objects.get(post=answer).value == 1
    assert_no_drift()


@pytest.mark.django_db
def test_votes_of_several_users_add_up(answer):
    for _ in range(3):
        vote(client_for(factories.user(reputation=20)), answer, "up")
    vote(client_for(factories.user(reputation=200)), answer, "down")

    assert score(answer) == 2
    assert_no_drift()


@pytest.mark.django_db
def test_nobody_votes_on_their_own_post(answer):
    response = vote(client_for(answer.author), answer, "up")

    assert response.status_code == 403
    assert response.json() == {"error": "You can't vote on your own post."}
    assert score(answer) == 0


@pytest.mark.django_db
def test_voting_up_needs_15_reputation(answer):
    response = vote(client_for(factories.user(reputation=14)), answer, "up")

    assert response.status_code == 403
    assert response.json() == {"error": "You need 15 reputation to vote up."}


@pytest.mark.django_db
def test_voting_down_needs_125_reputation_while_voting_up_does_not(answer):
    client = client_for(factories.user(reputation=124))

    assert vote(client, answer, "down").json() == {"error": "You need 125 reputation to vote down."}
    assert vote(client, answer, "up").status_code == 200


@pytest.mark.django_db
def test_a_vote_can_be_withdrawn_without_the_privilege_it_needed(answer):
    newcomer = factories.user(reputation=15)
    client = client_for(newcomer)
    vote(client, answer, "up")
    factories.reputation(newcomer, amount=1)

    assert vote(client, answer, "up").json()["vote"] == 0


@pytest.mark.django_db
def test_moderators_vote_whatever_their_reputation(answer):
    moderator = factories.user(is_moderator=True)

    assert vote(client_for(moderator), answer, "down").json()["score"] == -1


@pytest.mark.django_db
def test_suspended_users_cannot_vote(answer):
    suspended = factories.user(reputation=500, suspended_until=timezone.now() + timedelta(days=3))

    response = vote(client_for(suspended), answer, "up")

    assert response.status_code == 403
    assert response.json()["error"].startswith("Your account is suspended until")


@pytest.mark.django_db
def test_deleted_posts_take_no_votes_even_from_moderators_who_see_them(answer):
    services.post_delete(post=answer, user=None)
    moderator = factories.user(is_moderator=True)

    response = vote(client_for(moderator), answer, "up")

    assert response.status_code == 403
    assert response.json() == {"error": "This post has been deleted."}


@pytest.mark.django_db
def test_answers_to_a_deleted_question_take_no_votes(question, answer):
    services.post_delete(post=question, user=None)

    assert vote(client_for(factories.user(is_moderator=True)), answer, "up").json() == {
        "error": "This post has been deleted."
    }


@pytest.mark.django_db
def test_others_do_not_learn_that_a_deleted_post_exists(voter_client, answer):
    services.post_delete(post=answer, user=None)

    assert vote(voter_client, answer, "up").status_code == 404


@pytest.mark.django_db
def test_locked_posts_take_no_votes(voter_client, question):
    Post.objects.filter(pk=question.pk).update(locked_at=timezone.now())

    assert vote(voter_client, question, "up").json() == {"error": "This post is locked."}


@pytest.mark.django_db
def test_a_vote_is_locked_five_minutes_after_it_was_cast(voter_client, answer):
    vote(voter_client, answer, "up")
    Vote.objects.filter(post=answer).update(created_at=timezone.now() - timedelta(minutes=6))

    for value in ("up", "down", "undo"):
        response = vote(voter_client, answer, value)
        assert response.status_code == 403
        assert response.json()["error"].startswith("Your vote is locked in")
    assert score(answer) == 1


@pytest.mark.django_db
def test_a_vote_can_still_change_within_five_minutes(voter_client, answer):
    vote(voter_client, answer, "up")
    Vote.objects.filter(post=answer).update(created_at=timezone.now() - timedelta(minutes=4))

    assert vote(voter_client, answer, "down").json()["vote"] == -1


@pytest.mark.django_db
def test_an_edit_after_the_vote_unlocks_it(voter_client, answer):
    vote(voter_client, answer, "up")
    Vote.objects.filter(post=answer).update(created_at=timezone.now() - timedelta(hours=1))
    services.post_edit(post=answer, editor=answer.author, body="A better answer, with sources.")

    response = vote(voter_client, answer, "undo")

    assert response.json()["vote"] == 0
    assert_no_drift()


@pytest.mark.django_db
def test_an_edit_before_the_vote_does_not_unlock_it(voter_client, answer):
    services.post_edit(post=answer, editor=answer.author, body="A better answer, with sources.")
    vote(voter_client, answer, "up")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Post.objects.filter(pk=answer.pk).update(last_edited_at=an_hour_ago - timedelta(minutes=1))
    Vote.objects.filter(post=answer).update(created_at=an_hour_ago)

    assert vote(voter_client, answer, "undo").status_code == 403


@pytest.mark.django_db
def test_forty_votes_a_day_and_the_last_ten_only_on_questions(voter_client):
    answers = [factories.answer(factories.question()) for _ in range(31)]
    questions = [factories.question() for _ in range(11)]
    for answer in answers[:30]:
        assert vote(voter_client, answer, "up").status_code == 200

    response = vote(voter_client, answers[30], "up")
    assert response.status_code == 403
    assert response.json() == {"error": "Your remaining votes today are for questions only."}

    for question in questions[:10]:
        assert vote(voter_client, question, "up").status_code == 200
    response = vote(voter_client, questions[10], "up")
    assert response.status_code == 403
    assert response.json() == {
        "error": "You have cast all of today's 40 votes. More tomorrow (UTC)."
    }
    assert_no_drift()


@pytest.mark.django_db
def test_undoing_a_vote_does_not_give_it_back_but_undoing_is_never_refused(
    settings, voter_client, question
):
    settings.FORUM_VOTES_PER_DAY = 2
    settings.FORUM_QUESTION_ONLY_VOTES = 0
    vote(voter_client, question, "up")
    vote(voter_client, question, "up")
    vote(voter_client, question, "down")

    assert (
        vote(voter_client, question, "up")
        .json()["error"]
        .startswith("You have cast all of today's 2 votes")
    )
    assert vote(voter_client, question, "undo").json()["vote"] == 0
    assert vote(voter_client, question, "down").status_code == 403


@pytest.mark.django_db
def test_yesterdays_votes_do_not_count_against_today(settings, voter, voter_client, question):
    settings.FORUM_VOTES_PER_DAY = 1
    DailyVoteCount.objects.create(
        user=voter, day=timezone.now().date() - timedelta(days=1), votes=1
    )

    assert vote(voter_client, question, "up").status_code == 200


@pytest.mark.django_db
def test_a_vote_other_than_up_down_or_undo_is_bad_input(voter_client, answer):
    response = vote(voter_client, answer, "sideways")

    assert response.status_code == 400
    assert response.json() == {"error": "A vote is up, down or undo."}


@pytest.mark.django_db
def test_voting_takes_a_post_request(voter_client, answer):
    assert voter_client.get(reverse("questions:vote", args=[answer.pk])).status_code == 405


@pytest.mark.django_db
def test_anonymous_scripts_are_told_to_log_in(answer):
    response = vote(Client(), answer, "up")

    assert response.status_code == 403
    assert response.json() == {"error": "You need to log in first."}


@pytest.mark.django_db
def test_anonymous_form_posts_go_to_the_login_page_and_back_to_the_post(question, answer):
    response = Client().post(reverse("questions:vote", args=[answer.pk]), {"value": "up"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert f"answer-{answer.pk}" in response.url


@pytest.mark.django_db
def test_a_vote_without_the_csrf_token_is_refused(voter, answer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(voter)

    assert vote(client, answer, "up").status_code == 403
    assert score(answer) == 0


@pytest.mark.django_db
def test_a_script_sends_the_csrf_token_in_a_header(voter, answer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(voter)
    client.get(answer.parent.get_absolute_url())
    token = client.cookies["csrftoken"].value

    assert vote(client, answer, "up", HTTP_X_CSRFTOKEN=token).status_code == 200


@pytest.mark.django_db
def test_a_form_vote_redirects_back_to_the_answer_with_a_message(voter_client, question, answer):
    response = form_vote(voter_client, answer, "up")

    assert response.redirect_chain == [(f"{question.get_absolute_url()}#answer-{answer.pk}", 302)]
    assert "You voted this post up." in response.content.decode()
    assert score(answer) == 1


@pytest.mark.django_db
def test_a_refused_form_vote_redirects_back_to_the_question_with_the_reason(question):
    response = form_vote(client_for(question.author), question, "down")

    assert response.redirect_chain == [(f"{question.get_absolute_url()}#question", 302)]
    assert "You can&#x27;t vote on your own post." in response.content.decode()


@pytest.mark.django_db
def test_refusals_speak_the_sites_language(german_site, question):
    response = Client().post(
        reverse("questions:vote", args=[question.pk]),
        {"value": "up"},
        HTTP_ACCEPT="application/json",
    )

    assert response.json() == {"error": "Du musst dich zuerst anmelden."}


@pytest.mark.django_db
@pytest.mark.parametrize("earlier_votes", [0, 99])
def test_a_vote_costs_the_same_queries_whatever_the_votes_before_it(
    django_assert_num_queries, voter_client, answer, earlier_votes
):
    for _ in range(earlier_votes):
        factories.vote(answer, user=factories.user())

    # 15, and two for the profile counts: the voter's votes cast, the answer's score in
    # its author's tags (questions/profile_counts.py).
    with django_assert_num_queries(17):
        response = vote(voter_client, answer, "up")

    assert response.json()["score"] == earlier_votes + 1


def render_vote(post, question, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "includes/_vote.html", {"post": post, "question": question, "user": user}, request
    )


@pytest.mark.django_db
def test_the_vote_partial_shows_the_viewers_vote_as_pressed(voter, voter_client, question, answer):
    vote(voter_client, answer, "down")
    shown = Post.objects.annotate(viewer_vote=voting.viewer_vote(voter)).get(pk=answer.pk)

    html = render_vote(shown, question, voter)

    assert f'action="{reverse("questions:vote", args=[answer.pk])}"' in html
    assert 'value="up" class="vote-button vote-up" aria-pressed="false"' in html
    assert 'value="down" class="vote-button vote-down" aria-pressed="true"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'aria-live="polite"' in html
    assert "data-accept-form" not in html


@pytest.mark.django_db
def test_the_vote_partial_offers_the_asker_the_accept_check(question, answer):
    shown = Post.objects.annotate(viewer_vote=voting.viewer_vote(question.author)).get(pk=answer.pk)

    html = render_vote(shown, question, question.author)

    assert f'action="{reverse("questions:accept", args=[answer.pk])}"' in html
    assert 'class="vote-button accept-button" aria-pressed="false"' in html


@pytest.mark.django_db
def test_the_vote_partial_shows_the_asker_the_accepted_answer_as_pressed(question):
    accepted = factories.answer(question, accepted=True)

    html = render_vote(accepted, question, question.author)

    assert 'class="vote-button accept-button" aria-pressed="true"' in html


@pytest.mark.django_db
def test_the_vote_partial_shows_others_the_accepted_mark_and_no_accept_check(voter, question):
    accepted = factories.answer(question, accepted=True)

    html = render_vote(accepted, question, voter)

    assert "accepted-mark" in html
    assert "data-accept-form" not in html
