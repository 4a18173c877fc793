from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from questions.models import ReputationEvent
from tests import factories


def vote(user, post, value):
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("questions:vote", args=[post.pk]), {"value": value}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200, response.json()
    return response


def reputation(user):
    return User.objects.get(pk=user.pk).reputation


def assert_no_drift():
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    assert "No drift." in out.getvalue()


@pytest.fixture
def author_with_100(author):
    """The author of `question`, with reputation enough to show what a vote takes away."""
    factories.reputation(author, amount=100)
    return author


@pytest.fixture
def authors_answer(author_with_100):
    """An answer by `author_with_100` to someone else's question."""
    return factories.answer(factories.question(), author=author_with_100)


@pytest.mark.django_db
@pytest.mark.parametrize("post", ["question", "authors_answer"], ids=["question", "answer"])
def test_an_upvote_gives_the_author_ten(request, author_with_100, voter, post):
    vote(voter, request.getfixturevalue(post), "up")

    assert reputation(author_with_100) == 110
    assert reputation(voter) == 200
    assert_no_drift()


@pytest.mark.django_db
def test_a_downvote_on_a_question_costs_the_author_two_and_the_voter_nothing(
    author_with_100, voter, question
):
    vote(voter, question, "down")

    assert (reputation(author_with_100), reputation(voter)) == (98, 200)
    assert_no_drift()


@pytest.mark.django_db
def test_a_downvote_on_an_answer_costs_the_author_two_and_the_voter_one(
    author_with_100, voter, authors_answer
):
    vote(voter, authors_answer, "down")

    assert (reputation(author_with_100), reputation(voter)) == (98, 199)
    assert_no_drift()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["up", "down"])
def test_undoing_a_vote_gives_back_exactly_what_it_took(
    author_with_100, voter, authors_answer, value
):
    vote(voter, authors_answer, value)
    vote(voter, authors_answer, "undo")

    assert (reputation(author_with_100), reputation(voter)) == (100, 200)
    assert_no_drift()


@pytest.mark.django_db
def test_switching_a_vote_reverses_the_old_one_and_applies_the_new(
    author_with_100, voter, authors_answer
):
    vote(voter, authors_answer, "up")
    vote(voter, authors_answer, "down")

    assert (reputation(author_with_100), reputation(voter)) == (98, 199)

    vote(voter, authors_answer, "up")

    assert (reputation(author_with_100), reputation(voter)) == (110, 200)
    assert_no_drift()


@pytest.mark.django_db
def test_the_ledger_records_each_change_with_the_post_and_the_voter(
    author_with_100, voter, authors_answer
):
    vote(voter, authors_answer, "down")

    events = ReputationEvent.objects.filter(post=authors_answer).order_by("kind")
    assert [(e.user_id, e.voter_id, e.kind, e.delta) for e in events] == [
        (author_with_100.pk, voter.pk, ReputationEvent.Kind.DOWNVOTED, -2),
        (voter.pk, voter.pk, ReputationEvent.Kind.DOWNVOTING, -1),
    ]


@pytest.mark.django_db
def test_upvotes_give_at_most_the_daily_cap(settings, author_with_100, question):
    settings.FORUM_REPUTATION_DAILY_CAP = 25
    voters = [factories.user(reputation=20) for _ in range(4)]

    for voter in voters:
        vote(voter, question, "up")

    assert reputation(author_with_100) == 125
    assert list(
        ReputationEvent.objects.filter(kind=ReputationEvent.Kind.UPVOTED)
        .order_by("pk")
        .values_list("delta", flat=True)
    ) == [10, 10, 5, 0]
    assert_no_drift()


@pytest.mark.django_db
def test_undoing_a_capped_upvote_takes_back_only_what_it_gave(settings, author_with_100, question):
    settings.FORUM_REPUTATION_DAILY_CAP = 15
    first, second = factories.user(reputation=20), factories.user(reputation=20)
    vote(first, question, "up")
    vote(second, question, "up")

    vote(second, question, "undo")

    assert reputation(author_with_100) == 110
    assert_no_drift()


@pytest.mark.django_db
def test_undone_upvotes_still_count_against_the_cap(settings, author_with_100, voter, question):
    settings.FORUM_REPUTATION_DAILY_CAP = 20
    vote(voter, question, "up")
    vote(voter, question, "undo")
    vote(voter, question, "up")

    vote(factories.user(reputation=20), question, "up")

    assert reputation(author_with_100) == 110
    assert_no_drift()


@pytest.mark.django_db
def test_the_cap_starts_afresh_each_utc_day(settings, author_with_100, question):
    settings.FORUM_REPUTATION_DAILY_CAP = 10
    yesterday = factories.user(reputation=20)
    vote(yesterday, question, "up")
    ReputationEvent.objects.filter(voter=yesterday).update(
        created_at=timezone.now() - timedelta(days=1)
    )

    vote(factories.user(reputation=20), question, "up")

    assert reputation(author_with_100) == 120
    assert_no_drift()


@pytest.mark.django_db
def test_the_cap_leaves_downvotes_and_acceptance_alone(settings, author_with_100, authors_answer):
    settings.FORUM_REPUTATION_DAILY_CAP = 10
    vote(factories.user(reputation=20), authors_answer, "up")
    vote(factories.user(reputation=200), authors_answer, "down")
    asker = authors_answer.parent.author
    client = Client()
    client.force_login(asker)
    client.post(reverse("questions:accept", args=[authors_answer.pk]))

    assert reputation(author_with_100) == 100 + 10 - 2 + 15
    assert_no_drift()


@pytest.mark.django_db
def test_reputation_never_falls_below_one(voter):
    newcomer = factories.user()
    answer = factories.answer(factories.question(), author=newcomer)

    vote(voter, answer, "down")

    assert reputation(newcomer) == 1
    assert ReputationEvent.objects.get(user=newcomer).delta == 0
    assert_no_drift()


@pytest.mark.django_db
def test_a_downvote_clipped_by_the_floor_gives_back_only_what_it_took(voter):
    author = factories.user(reputation=2)
    answer = factories.answer(factories.question(), author=author)
    vote(voter, answer, "down")
    assert reputation(author) == 1

    vote(voter, answer, "undo")

    assert reputation(author) == 2
    assert_no_drift()


@pytest.mark.django_db
def test_the_voter_pays_for_a_downvote_only_down_to_one(authors_answer):
    poor_moderator = factories.user(is_moderator=True)

    vote(poor_moderator, authors_answer, "down")

    assert reputation(poor_moderator) == 1
    assert_no_drift()


@pytest.mark.django_db
def test_what_the_floor_kept_from_an_undo_is_taken_back_by_the_next_undo(voter):
    author = factories.user()
    question = factories.question(author=author)
    answer = factories.answer(question, author=author)
    downvoters = [factories.user(reputation=200) for _ in range(5)]
    vote(voter, question, "up")
    for downvoter in downvoters:
        vote(downvoter, answer, "down")
    assert reputation(author) == 1

    vote(voter, question, "undo")  # the floor lets none of the -10 through
    assert reputation(author) == 1
    for downvoter in downvoters:
        vote(downvoter, answer, "undo")
    vote(voter, question, "up")
    vote(voter, question, "undo")  # takes back the +10 of both upvotes

    assert reputation(author) == 1
    assert sum(ReputationEvent.objects.filter(user=author).values_list("delta", flat=True)) == 0
    assert_no_drift()


@pytest.mark.django_db
def test_votes_on_a_post_whose_author_is_gone_move_no_reputation_but_the_score(voter):
    answer = factories.answer(factories.question(), author=None)

    response = vote(voter, answer, "down")

    assert response.json()["score"] == -1
    assert reputation(voter) == 199
    assert_no_drift()
