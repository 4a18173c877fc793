"""Each rule that refuses a bounty, through the pages: the reason is said, nothing changes,
and a refused form keeps what was chosen."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from bounties import services
from bounties.models import Bounty
from questions.models import Post, ReputationEvent
from questions.services import post_delete
from tests import factories
from tests.clients import client_for


@pytest.fixture
def offerer(db):
    return factories.user(display_name="Offerer", reputation=1000)


def old_question(**kwargs):
    return factories.question(created_at=timezone.now() - timedelta(days=3), **kwargs)


def start(client, question, *, amount=100, reason="attention"):
    return client.post(f"/questions/{question.pk}/bounty/", {"amount": amount, "reason": reason})


def nothing_happened(user):
    assert not Bounty.objects.exists()
    assert not ReputationEvent.objects.filter(kind__startswith="bounty").exists()
    assert User.objects.get(pk=user.pk).reputation == user.reputation


def test_a_visitor_is_sent_to_log_in(db):
    question = old_question()

    response = start(client_for(None), question)

    assert response.status_code == 302
    assert response["Location"].startswith("/users/login/")
    assert not Bounty.objects.exists()


def test_a_suspended_member_may_not_start_a_bounty(offerer):
    offerer.suspended_until = timezone.now() + timedelta(days=3)
    offerer.save(update_fields=["suspended_until"])
    question = old_question()

    response = start(client_for(offerer), question)

    assert response.status_code == 403
    assert "Your account is suspended until" in response.content.decode()
    assert (
        "Start a bounty"
        not in client_for(offerer).get(question.get_absolute_url()).content.decode()
    )
    nothing_happened(offerer)


def test_below_75_reputation_a_member_may_not_start_a_bounty(db):
    member = factories.user(reputation=74)

    response = start(client_for(member), old_question(), amount=50)

    assert response.status_code == 403
    assert "You need 75 reputation to offer a bounty." in response.content.decode()
    nothing_happened(member)


def test_a_question_younger_than_two_days_takes_no_bounty(offerer):
    question = factories.question(created_at=timezone.now() - timedelta(days=1, hours=23))

    response = start(client_for(offerer), question)

    assert response.status_code == 403
    assert "A question may have a bounty from two days after it was asked" in (
        response.content.decode()
    )
    nothing_happened(offerer)


def test_a_closed_question_takes_no_bounty(offerer):
    question = old_question(closed_at=timezone.now(), close_reason="off-topic")

    response = start(client_for(offerer), question)

    assert response.status_code == 403
    assert "A closed question takes no bounty." in response.content.decode()


def test_a_question_with_an_active_bounty_takes_no_second_one(offerer):
    question = old_question()
    other = factories.user(reputation=1000)
    services.bounty_start(question=question, user=other, amount=50, reason="attention")

    response = start(client_for(offerer), question)

    assert response.status_code == 403
    assert "This question has an active bounty already." in response.content.decode()
    assert Bounty.objects.count() == 1


@pytest.mark.parametrize("amount", [0, 25, 75, 550, -50, "lots"])
def test_an_amount_off_the_steps_is_refused_by_the_form(offerer, amount):
    question = old_question()

    response = start(client_for(offerer), question, amount=amount)

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    nothing_happened(offerer)


def test_a_reason_off_the_list_is_refused_and_the_amount_stays_chosen(offerer):
    response = start(client_for(offerer), old_question(), amount=350, reason="because")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice." in html
    assert '<option value="350" selected>' in html
    nothing_happened(offerer)


def test_a_bounty_may_not_take_all_of_a_members_reputation_and_the_form_keeps_the_choice(db):
    member = factories.user(reputation=200)

    response = start(client_for(member), old_question(), amount=200, reason="canonical")

    assert response.status_code == 400
    html = response.content.decode()
    assert "You have 200 reputation: a bounty of 200 would leave you less than 1." in html
    assert '<option value="200" selected>' in html
    assert re.search(r'name="reason" value="canonical"[^>]* checked>', html)
    nothing_happened(member)


def test_a_member_has_at_most_three_active_bounties(offerer):
    for _ in range(3):
        services.bounty_start(question=old_question(), user=offerer, amount=50, reason="details")
    offerer.refresh_from_db()

    response = start(client_for(offerer), old_question(), amount=50)

    assert response.status_code == 400
    assert "You have 3 active bounties already" in response.content.decode()
    assert Bounty.objects.count() == 3


def test_a_second_bounty_on_the_same_question_must_double_the_first(offerer):
    question = old_question()
    answer = factories.answer(question)
    services.bounty_start(question=question, user=offerer, amount=100, reason="attention")
    services.bounty_award(question=question, answer=answer, user=offerer)
    client = client_for(offerer)

    refused = start(client, question, amount=150)

    assert refused.status_code == 400
    assert "another must be at least twice as much, 200." in refused.content.decode()
    assert start(client, question, amount=200).status_code == 302


def test_the_start_page_shows_the_form_and_a_get_changes_nothing(offerer):
    question = old_question()

    response = client_for(offerer).get(f"/questions/{question.pk}/bounty/")

    assert response.status_code == 200
    assert "Draw attention" in response.content.decode()
    nothing_happened(offerer)


def test_starting_needs_the_csrf_token(offerer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(offerer)

    response = start(client, old_question())

    assert response.status_code == 403
    nothing_happened(offerer)


# Awarding


@pytest.fixture
def bountied(offerer):
    question = old_question()
    answer = factories.answer(question, author=factories.user(reputation=1))
    services.bounty_start(question=question, user=offerer, amount=100, reason="attention")
    return question, answer


def award(client, answer):
    return client.post(f"/answers/{answer.pk}/award-bounty/")


def still_active(question):
    assert Bounty.objects.get(question=question).status == Bounty.Status.ACTIVE
    assert Post.objects.get(pk=question.pk).bounty_amount == 100
    assert not ReputationEvent.objects.filter(kind="bounty_awarded").exists()


def test_only_the_offerer_may_award_the_bounty(bountied):
    question, answer = bountied
    someone = factories.user(reputation=5000)
    client = client_for(someone)

    response = award(client, answer)

    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Only the member who offered the bounty may award it." in html
    assert "Award the bounty" not in html
    still_active(question)


def test_the_offerer_may_not_award_their_own_answer(offerer, bountied):
    question, _ = bountied
    own = factories.answer(question, author=offerer)
    client = client_for(offerer)

    response = award(client, own)

    html = client.get(response["Location"]).content.decode()
    assert "You cannot award your own bounty to your own answer." in html
    assert f'action="/answers/{own.pk}/award-bounty/"' not in html
    still_active(question)


def test_a_deleted_answer_may_not_receive_the_bounty(offerer, bountied, moderator):
    question, answer = bountied
    post_delete(post=answer, user=moderator)

    response = award(client_for(moderator), answer)
    assert Bounty.objects.get(question=question).status == Bounty.Status.ACTIVE
    # The offerer does not see it at all.
    assert award(client_for(offerer), answer).status_code == 404
    assert response.status_code == 302
    still_active(question)


def test_after_the_grace_period_the_offerer_may_no_longer_award(offerer):
    question = factories.question(created_at=timezone.now() - timedelta(days=20))
    answer = factories.answer(question)
    services.bounty_start(
        question=question,
        user=offerer,
        amount=100,
        reason="attention",
        now=timezone.now() - timedelta(days=8, hours=1),
    )
    client = client_for(offerer)

    response = award(client, answer)

    assert (
        "The time to award this bounty has passed."
        in client.get(response["Location"]).content.decode()
    )
    still_active(question)


def test_awarding_twice_pays_once(offerer, bountied):
    question, answer = bountied
    client = client_for(offerer)

    award(client, answer)
    again = award(client, answer)

    assert "This question has no active bounty." in client.get(again["Location"]).content.decode()
    assert ReputationEvent.objects.filter(kind="bounty_awarded").count() == 1


def test_awarding_is_post_only(offerer, bountied):
    _, answer = bountied

    assert client_for(offerer).get(f"/answers/{answer.pk}/award-bounty/").status_code == 405


def test_a_suspended_offerer_may_not_award(offerer, bountied):
    question, answer = bountied
    User.objects.filter(pk=offerer.pk).update(suspended_until=timezone.now() + timedelta(days=1))
    client = client_for(User.objects.get(pk=offerer.pk))

    response = award(client, answer)

    assert "Your account is suspended until" in client.get(response["Location"]).content.decode()
    still_active(question)


def test_refusals_are_told_in_german(db):
    from django.test import Client

    member = factories.user(reputation=200)
    client = Client(headers={"accept-language": "de"})
    client.force_login(member)

    response = start(client, old_question(), amount=200)

    assert "Du hast 200 Reputation: Eine Prämie von 200 ließe dir weniger als 1." in (
        response.content.decode()
    )
