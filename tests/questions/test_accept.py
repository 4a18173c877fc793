from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from questions import services
from questions.models import Post, ReputationEvent
from tests import factories
from tests.clients import client_for

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_ACCEPT_LANGUAGE": "en"}


def accept(client, answer, **headers):
    return client.post(reverse("questions:accept", args=[answer.pk]), **{**JSON, **headers})


def reputation(user):
    return User.objects.get(pk=user.pk).reputation


def accepted_answer_id(question):
    return Post.objects.get(pk=question.pk).accepted_answer_id


def assert_no_drift():
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    assert "No drift." in out.getvalue()


@pytest.fixture
def asker_with_50(author):
    """The author of `question`, with 50 reputation, which accepting an answer raises by 2."""
    factories.reputation(author, amount=50)
    return author


@pytest.fixture
def asker_client(asker_with_50):
    return client_for(asker_with_50)


@pytest.fixture
def first(question):
    return factories.answer(question, author=factories.user(reputation=100))


@pytest.fixture
def second(question):
    return factories.answer(question, author=factories.user(reputation=100))


@pytest.mark.django_db
def test_the_asker_accepts_an_answer(asker_client, question, first):
    response = accept(asker_client, first)

    assert response.status_code == 200
    assert response.json() == {
        "accepted": True,
        "accepted_answer": first.pk,
        "message": "You accepted this answer.",
    }
    assert accepted_answer_id(question) == first.pk


@pytest.mark.django_db
def test_accepting_gives_the_answerer_fifteen_and_the_asker_two(asker_with_50, asker_client, first):
    accept(asker_client, first)

    assert (reputation(first.author), reputation(asker_with_50)) == (115, 52)
    assert_no_drift()


@pytest.mark.django_db
def test_accepting_another_answer_moves_the_acceptance_and_its_reputation(
    asker_with_50, asker_client, question, first, second
):
    accept(asker_client, first)

    response = accept(asker_client, second)

    assert response.json()["accepted_answer"] == second.pk
    assert accepted_answer_id(question) == second.pk
    assert (reputation(first.author), reputation(second.author), reputation(asker_with_50)) == (
        100,
        115,
        52,
    )
    assert_no_drift()


@pytest.mark.django_db
def test_accepting_the_accepted_answer_again_takes_the_acceptance_back(
    asker_with_50, asker_client, question, first
):
    accept(asker_client, first)

    response = accept(asker_client, first)

    assert response.json() == {
        "accepted": False,
        "accepted_answer": None,
        "message": "You no longer accept this answer.",
    }
    assert accepted_answer_id(question) is None
    assert (reputation(first.author), reputation(asker_with_50)) == (100, 50)
    assert_no_drift()


@pytest.mark.django_db
def test_accepting_ones_own_answer_gives_nobody_anything(asker_with_50, asker_client, question):
    own = factories.answer(question, author=asker_with_50)

    assert accept(asker_client, own).json()["accepted"] is True
    assert reputation(asker_with_50) == 50
    assert not ReputationEvent.objects.filter(post=own).exists()

    accept(asker_client, own)
    assert reputation(asker_with_50) == 50
    assert_no_drift()


@pytest.mark.django_db
def test_taking_back_an_imported_acceptance_takes_no_reputation_it_never_gave(
    asker_with_50, asker_client, question
):
    imported = factories.answer(question, author=factories.user(reputation=100), accepted=True)

    accept(asker_client, imported)

    assert accepted_answer_id(question) is None
    assert (reputation(imported.author), reputation(asker_with_50)) == (100, 50)
    assert_no_drift()


@pytest.mark.django_db
def test_only_the_asker_accepts(first):
    response = accept(client_for(factories.user(is_moderator=True)), first)

    assert response.status_code == 403
    assert response.json() == {
        "error": "Only the person who asked the question can accept an answer."
    }


@pytest.mark.django_db
def test_an_answer_its_author_deleted_is_not_there_to_accept(asker_client, question, first):
    services.post_delete(post=first, user=first.author)

    response = accept(asker_client, first)

    assert response.status_code == 404
    assert accepted_answer_id(question) is None


@pytest.mark.django_db
def test_a_moderators_deleted_answer_shows_the_asker_the_reason(question, first):
    services.post_delete(post=first, user=None)
    User.objects.filter(pk=question.author_id).update(is_moderator=True)
    question.refresh_from_db()

    response = accept(client_for(question.author), first)

    assert response.status_code == 403
    assert response.json() == {"error": "This answer has been deleted."}


@pytest.mark.django_db
def test_a_suspended_asker_cannot_accept(asker_with_50, asker_client, first):
    User.objects.filter(pk=asker_with_50.pk).update(
        suspended_until=timezone.now() + timedelta(days=1)
    )

    assert accept(asker_client, first).status_code == 403


@pytest.mark.django_db
def test_questions_are_not_accepted(asker_client, question):
    assert accept(asker_client, question).status_code == 404


@pytest.mark.django_db
def test_accepting_takes_a_post_request(asker_client, first):
    assert asker_client.get(reverse("questions:accept", args=[first.pk])).status_code == 405


@pytest.mark.django_db
def test_anonymous_scripts_are_told_to_log_in_and_forms_go_to_the_login_page(first):
    assert accept(Client(), first).json() == {"error": "You need to log in first."}
    response = Client().post(reverse("questions:accept", args=[first.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_form_accept_redirects_back_to_the_answer_with_a_message(asker_client, question, first):
    response = asker_client.post(
        reverse("questions:accept", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert response.redirect_chain == [(f"{question.get_absolute_url()}#answer-{first.pk}", 302)]
    assert "You accepted this answer." in response.content.decode()
    assert accepted_answer_id(question) == first.pk


@pytest.mark.django_db
def test_a_refused_form_accept_redirects_back_with_the_reason(first):
    response = client_for(factories.user()).post(
        reverse("questions:accept", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert (
        "Only the person who asked the question can accept an answer." in response.content.decode()
    )


@pytest.mark.django_db
def test_an_accept_costs_a_fixed_number_of_queries(
    django_assert_num_queries, asker_client, first, second
):
    accept(asker_client, first)

    # Twelve for the acceptance; six for telling the answer's author, since without a
    # worker the task runs in the request, after the commit (the answer, the entry in a
    # savepoint: whether it exists, its insert; who wants an email).
    with django_assert_num_queries(18):
        accept(asker_client, second)
