from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from moderation.models import CloseVote, ModeratorAction
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

Verb = ModeratorAction.Verb


@pytest.fixture
def original():
    return factories.question(title="Which editor should I use?")


def voters(count):
    return [factories.user(reputation=3000) for _ in range(count)]


def vote_close(question, *, by, reason="opinion-based", duplicate_of=""):
    return client_for(by).post(
        f"/questions/{question.pk}/close/",
        {"reason": reason, "duplicate_of": duplicate_of},
        follow=True,
    )


def vote_reopen(question, *, by, reason=""):
    return client_for(by).post(f"/questions/{question.pk}/reopen/", {"reason": reason}, follow=True)


def test_the_close_page_lists_the_reasons_and_a_duplicate_field(question):
    html = client_for(voters(1)[0]).get(f"/questions/{question.pk}/close/").content.decode()

    for value in ("duplicate", "off-topic", "needs-details", "needs-focus", "opinion-based"):
        assert f'type="radio" name="reason" value="{value}"' in html
    assert 'name="duplicate_of"' in html
    assert "Answers to it would be mostly opinions" in html


def test_the_close_dialog_is_in_the_question_menu_for_those_with_the_privilege(question):
    assert (
        "close-dialog" in client_for(voters(1)[0]).get(question.get_absolute_url()).content.decode()
    )
    assert (
        "close-dialog"
        not in client_for(factories.user(reputation=2999))
        .get(question.get_absolute_url())
        .content.decode()
    )


def test_below_3000_reputation_voting_to_close_is_refused_with_the_reason(question):
    response = client_for(factories.user(reputation=2999)).post(
        f"/questions/{question.pk}/close/", {"reason": "off-topic"}
    )

    assert response.status_code == 403
    assert (
        "You need 3000 reputation to vote to close or reopen questions."
        in response.content.decode()
    )
    assert not CloseVote.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_to_vote(question):
    response = Client().get(f"/questions/{question.pk}/close/")

    assert response["Location"] == f"/users/login/?next=/questions/{question.pk}/close/"


def test_answers_have_no_close_page(question):
    answer = factories.answer(question)

    assert client_for(voters(1)[0]).get(f"/questions/{answer.pk}/close/").status_code == 404


def test_two_votes_leave_the_question_open_and_the_third_closes_it_with_the_commonest_reason(
    question,
):
    first, second, third = voters(3)
    vote_close(question, by=first, reason="needs-focus")
    response = vote_close(question, by=second)

    assert "Your vote to close was counted." in response.content.decode()
    question.refresh_from_db()
    assert question.closed_at is None

    response = vote_close(question, by=third)

    question.refresh_from_db()
    assert question.closed_at is not None
    assert question.close_reason == "opinion-based"
    assert "The question is closed." in response.content.decode()
    entry = ModeratorAction.objects.get()
    assert (entry.verb, entry.actor) == (Verb.POST_CLOSED, None)


def test_a_member_votes_once(question):
    voter = voters(1)[0]
    vote_close(question, by=voter)

    response = vote_close(question, by=voter)

    assert response.status_code == 403
    assert "You have voted on this already." in response.content.decode()


def test_votes_older_than_fourteen_days_lapse(question):
    first, second, third = voters(3)
    vote_close(question, by=first)
    vote_close(question, by=second)
    CloseVote.objects.filter(user=first).update(created_at=timezone.now() - timedelta(days=15))

    vote_close(question, by=third)

    question.refresh_from_db()
    assert question.closed_at is None


@pytest.mark.parametrize("named_as", ["number", "url", "permalink"])
def test_a_duplicate_names_its_original_by_address_or_number(question, original, named_as):
    duplicate_of = {
        "number": str(original.pk),
        "url": f"http://testserver{original.get_absolute_url()}",
        "permalink": f"/q/{original.pk}",
    }[named_as]
    for voter in voters(3):
        vote_close(question, by=voter, reason="duplicate", duplicate_of=duplicate_of)

    question.refresh_from_db()
    assert question.close_reason == "duplicate"
    assert question.duplicate_of == original


@pytest.mark.parametrize(
    ("duplicate_of", "error"),
    [
        ("", "Name the question this one duplicates."),
        ("99999", "There is no question 99999."),
        ("/users/1/someone/", "Enter a question&#x27;s address or its number."),
    ],
)
def test_a_duplicate_vote_needs_an_existing_question(question, duplicate_of, error):
    response = vote_close(question, by=voters(1)[0], reason="duplicate", duplicate_of=duplicate_of)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not CloseVote.objects.exists()


def test_a_question_is_no_duplicate_of_itself(question):
    response = vote_close(
        question, by=voters(1)[0], reason="duplicate", duplicate_of=str(question.pk)
    )

    assert "A question cannot be a duplicate of itself." in response.content.decode()


def test_the_closed_notice_shows_the_reason_and_the_duplicates_link_and_takes_no_answers(
    question, original
):
    for voter in voters(3):
        vote_close(question, by=voter, reason="duplicate", duplicate_of=str(original.pk))
    member = factories.user(reputation=100)

    html = client_for(member).get(question.get_absolute_url()).content.decode()
    assert "This question is closed and takes no new answers." in html
    assert "Reason: Duplicate" in html
    assert f'href="{original.get_absolute_url()}"' in html
    assert f'action="/questions/{question.pk}/answer/' not in html

    response = client_for(member).post(
        f"/questions/{question.pk}/answer/", {"body": "An answer all the same, long enough."}
    )
    assert response.status_code == 403


def test_a_moderators_close_vote_is_binding(question):
    moderator = factories.moderator()

    vote_close(question, by=moderator, reason="off-topic")

    question.refresh_from_db()
    assert question.close_reason == "off-topic"
    entry = ModeratorAction.objects.get()
    assert (entry.verb, entry.actor) == (Verb.POST_CLOSED, moderator)


def test_three_votes_reopen_a_closed_question(question):
    for voter in voters(3):
        vote_close(question, by=voter)
    reopeners = voters(3)
    vote_reopen(question, by=reopeners[0])
    vote_reopen(question, by=reopeners[1])
    question.refresh_from_db()
    assert question.closed_at is not None

    response = vote_reopen(question, by=reopeners[2])

    question.refresh_from_db()
    assert question.closed_at is None
    assert "The question is open again." in response.content.decode()


def test_a_moderator_reopens_at_once_with_a_reason(question):
    moderator = factories.moderator()
    vote_close(question, by=moderator)

    refused = vote_reopen(question, by=moderator)
    question.refresh_from_db()
    assert question.closed_at is not None
    assert refused.status_code == 200

    vote_reopen(question, by=moderator, reason="The question was edited into shape.")

    question.refresh_from_db()
    assert question.closed_at is None
    entry = ModeratorAction.objects.first()
    assert (entry.verb, entry.reason) == (Verb.POST_REOPENED, "The question was edited into shape.")


def test_an_open_question_cannot_be_voted_to_reopen(question):
    response = client_for(voters(1)[0]).get(f"/questions/{question.pk}/reopen/")

    assert response.status_code == 403
    assert "This question is open." in response.content.decode()
