"""A bounty's life through the site: started on the thread, awarded by its offerer, settled
by the periodic task after the grace period (half to the top new answer, or nobody), given
back when the question is deleted; the ledger and `recount` agree all along."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from bounties import services, tasks
from bounties.models import DURATION, GRACE, Bounty
from notifications.models import Notification
from questions.models import Post, ReputationEvent
from questions.services import post_delete
from tests import factories
from tests.clients import client_for

Kind = ReputationEvent.Kind


@pytest.fixture
def offerer(db):
    return factories.user(display_name="Offerer", reputation=500)


@pytest.fixture
def old_question(offerer):
    """Asked three days ago: old enough for a bounty."""
    return factories.question(
        author=offerer,
        title="How do I mark evidentiality in a verb?",
        created_at=timezone.now() - timedelta(days=3),
    )


def reputation_of(user):
    return User.objects.get(pk=user.pk).reputation


def no_drift():
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    return "No drift." in out.getvalue()


def start(client, question, *, amount=100, reason="attention"):
    return client.post(f"/questions/{question.pk}/bounty/", {"amount": amount, "reason": reason})


def started_days_ago(question, offerer, *, days, amount=100):
    """A bounty started `days` ago through the service, as if the site had run since."""
    return services.bounty_start(
        question=question,
        user=offerer,
        amount=amount,
        reason=Bounty.Reason.CANONICAL,
        now=timezone.now() - timedelta(days=days),
    )


def test_starting_a_bounty_takes_the_reputation_at_once_and_shows_on_the_thread(
    offerer, old_question
):
    client = client_for(offerer)

    response = start(client, old_question, amount=150, reason="outdated")

    assert response.status_code == 302
    assert response["Location"] == old_question.get_absolute_url()
    bounty = Bounty.objects.get(question=old_question)
    assert (bounty.amount, bounty.reason, bounty.status) == (150, "outdated", "active")
    assert bounty.ends_at == bounty.started_at + DURATION
    assert reputation_of(offerer) == 350
    assert ReputationEvent.objects.filter(user=offerer, kind=Kind.BOUNTY_OFFERED).get().delta == (
        -150
    )
    question = Post.objects.get(pk=old_question.pk)
    assert (question.bounty_amount, question.bounty_ends_at) == (150, bounty.ends_at)
    html = client.get(old_question.get_absolute_url()).content.decode()
    assert "This question has a bounty of +150 reputation." in html
    assert "Current answers are outdated" in html
    assert "It is your bounty" in html
    assert "Start a bounty" not in html
    assert no_drift()


def test_the_thread_offers_the_form_to_who_may_start_a_bounty_only(offerer, old_question):
    eligible = client_for(factories.user(reputation=75 + 1))
    newcomer = client_for(factories.user(reputation=74))

    assert "Start a bounty" in eligible.get(old_question.get_absolute_url()).content.decode()
    assert "Start a bounty" not in newcomer.get(old_question.get_absolute_url()).content.decode()
    visitor = client_for(None)
    assert "Start a bounty" not in visitor.get(old_question.get_absolute_url()).content.decode()


def test_the_offerer_awards_the_whole_bounty_to_an_answer_and_its_author_is_told(
    offerer, old_question
):
    answerer = factories.user(display_name="Answerer", reputation=10)
    answer = factories.answer(old_question, author=answerer)
    client = client_for(offerer)
    start(client, old_question, amount=200)
    thread = client.get(old_question.get_absolute_url()).content.decode()
    assert "Award the bounty (+200)" in thread

    response = client.post(f"/answers/{answer.pk}/award-bounty/")

    assert response.status_code == 302
    assert response["Location"] == answer.get_absolute_url()
    bounty = Bounty.objects.get(question=old_question)
    assert (bounty.status, bounty.answer_id, bounty.awarded_amount) == ("awarded", answer.pk, 200)
    assert reputation_of(answerer) == 210
    assert reputation_of(offerer) == 300
    assert Post.objects.get(pk=old_question.pk).bounty_amount == 0
    entry = Notification.objects.get(recipient=answerer, kind=Notification.Kind.BOUNTY)
    assert (entry.detail, entry.post_id, entry.actor_id) == ("awarded", answer.pk, offerer.pk)
    thread = client_for(answerer).get(old_question.get_absolute_url()).content.decode()
    assert "+200 bounty awarded" in thread
    assert "This question has a bounty" not in thread
    inbox = client_for(answerer).get("/inbox/").content.decode()
    assert "Your answer was awarded a bounty" in inbox
    assert no_drift()


def test_after_the_grace_period_the_task_gives_half_to_the_best_answer_posted_since_the_start(
    offerer, old_question
):
    old_question.created_at = timezone.now() - timedelta(days=20)
    old_question.save(update_fields=["created_at"])
    bounty = started_days_ago(old_question, offerer, days=9)
    before = factories.user(reputation=1)
    factories.answer(
        old_question, author=before, score=9, created_at=bounty.started_at - timedelta(hours=1)
    )
    later_tie = factories.user(reputation=1)
    winner = factories.user(reputation=1)
    own = factories.answer(old_question, author=offerer, score=7, created_at=bounty.started_at)
    best = factories.answer(
        old_question, author=winner, score=3, created_at=bounty.started_at + timedelta(days=1)
    )
    factories.answer(
        old_question, author=later_tie, score=3, created_at=bounty.started_at + timedelta(days=2)
    )

    result = tasks.bounties_settle.delay().get()

    assert result["settled"] == {"auto_awarded": 1}
    bounty.refresh_from_db()
    assert (bounty.status, bounty.answer_id, bounty.awarded_amount) == (
        "auto_awarded",
        best.pk,
        50,
    )
    assert own.pk != bounty.answer_id
    assert reputation_of(winner) == 51
    assert reputation_of(before) == 1
    assert reputation_of(offerer) == 400
    assert Post.objects.get(pk=old_question.pk).bounty_amount == 0
    told = Notification.objects.filter(kind=Notification.Kind.BOUNTY)
    assert set(told.values_list("recipient_id", "detail")) == {
        (winner.pk, "awarded"),
        (offerer.pk, "auto_awarded"),
    }
    # Run again: nothing is left to settle, and nobody is told twice.
    assert tasks.bounties_settle.delay().get()["settled"] == {}
    assert told.count() == 2
    assert no_drift()


def test_with_no_answer_scoring_two_since_the_start_nobody_gets_the_bounty(offerer, old_question):
    old_question.created_at = timezone.now() - timedelta(days=20)
    old_question.save(update_fields=["created_at"])
    bounty = started_days_ago(old_question, offerer, days=9)
    answerer = factories.user(reputation=1)
    factories.answer(
        old_question, author=answerer, score=1, created_at=bounty.started_at + timedelta(hours=2)
    )

    assert tasks.bounties_settle.delay().get()["settled"] == {"expired": 1}

    bounty.refresh_from_db()
    assert (bounty.status, bounty.answer_id, bounty.awarded_amount) == ("expired", None, 0)
    assert reputation_of(answerer) == 1
    assert reputation_of(offerer) == 400
    entry = Notification.objects.get(kind=Notification.Kind.BOUNTY)
    assert (entry.recipient_id, entry.detail) == (offerer.pk, "expired")
    assert no_drift()


def test_a_bounty_in_its_grace_period_is_left_for_its_offerer_to_award(offerer, old_question):
    old_question.created_at = timezone.now() - timedelta(days=20)
    old_question.save(update_fields=["created_at"])
    # Its week is over, its grace period not.
    bounty = started_days_ago(old_question, offerer, days=7.5)
    answerer = factories.user(reputation=1)
    answer = factories.answer(old_question, author=answerer, score=5)

    assert tasks.bounties_settle.delay().get()["settled"] == {}
    bounty.refresh_from_db()
    assert bounty.status == "active"
    assert timezone.now() < bounty.ends_at + GRACE

    response = client_for(offerer).post(f"/answers/{answer.pk}/award-bounty/")
    assert response.status_code == 302
    assert reputation_of(answerer) == 101


def test_the_offerer_is_reminded_a_day_before_the_end_once(offerer, old_question):
    old_question.created_at = timezone.now() - timedelta(days=20)
    old_question.save(update_fields=["created_at"])
    started_days_ago(old_question, offerer, days=6.5)

    assert tasks.bounties_settle.delay().get()["reminded"] == 1
    assert tasks.bounties_settle.delay().get()["reminded"] == 0
    entry = Notification.objects.get(kind=Notification.Kind.BOUNTY)
    assert (entry.recipient_id, entry.detail) == (offerer.pk, "ending")
    inbox = client_for(offerer).get("/inbox/").content.decode()
    assert "Your bounty ends in less than a day" in inbox


def test_deleting_the_question_gives_an_active_bounty_back(offerer, old_question, moderator):
    start(client_for(offerer), old_question, amount=250)
    assert reputation_of(offerer) == 250

    post_delete(post=old_question, user=moderator)

    bounty = Bounty.objects.get(question=old_question)
    assert bounty.status == "refunded"
    assert reputation_of(offerer) == 500
    assert ReputationEvent.objects.get(user=offerer, kind=Kind.BOUNTY_REFUNDED).delta == 250
    assert Post.objects.get(pk=old_question.pk).bounty_amount == 0
    entry = Notification.objects.get(kind=Notification.Kind.BOUNTY)
    assert (entry.recipient_id, entry.detail) == (offerer.pk, "refunded")
    assert no_drift()


def test_deleting_an_answer_leaves_the_bounty_running(offerer, old_question, moderator):
    answer = factories.answer(old_question)
    start(client_for(offerer), old_question)

    post_delete(post=answer, user=moderator)

    assert Bounty.objects.get(question=old_question).status == "active"
    assert reputation_of(offerer) == 400


def test_a_second_bounty_after_the_first_is_awarded_runs_and_recount_finds_no_drift(
    offerer, old_question
):
    answer = factories.answer(old_question, author=factories.user(reputation=1))
    client = client_for(offerer)
    start(client, old_question, amount=50)
    client.post(f"/answers/{answer.pk}/award-bounty/")

    assert start(client, old_question, amount=100).status_code == 302

    assert reputation_of(offerer) == 350
    assert Bounty.objects.filter(question=old_question, status="active").count() == 1
    assert no_drift()


def test_the_question_history_and_the_profile_tab_list_the_bounties(offerer, old_question):
    answerer = factories.user(display_name="Answerer", reputation=1)
    answer = factories.answer(old_question, author=answerer)
    client = client_for(offerer)
    start(client, old_question, amount=50, reason="reference")
    client.post(f"/answers/{answer.pk}/award-bounty/")
    start(client, old_question, amount=100, reason="details")

    history = client_for(None).get(f"/questions/{old_question.pk}/bounties/").content.decode()
    assert "Authoritative reference needed" in history
    assert "Awarded: +50" in history
    assert "Improve details" in history

    offered = client_for(None).get(f"/users/{offerer.pk}/{offerer.slug}/bounties/")
    assert offered.status_code == 200
    assert offered.content.decode().count('class="bounty-row"') == 2
    earned = client_for(None).get(f"/users/{answerer.pk}/{answerer.slug}/bounties/")
    assert "Awarded: +50" in earned.content.decode()
    profile = client_for(None).get(answerer.get_absolute_url()).content.decode()
    assert f'href="/users/{answerer.pk}/{answerer.slug}/bounties/"' in profile
    stale = client_for(None).get(f"/users/{answerer.pk}/old-name/bounties/")
    assert stale.status_code == 301
    assert stale["Location"] == f"/users/{answerer.pk}/{answerer.slug}/bounties/"


def test_a_member_reads_the_bounty_in_german(offerer, old_question):
    start(client_for(offerer), old_question, amount=100, reason="canonical")
    client = Client(headers={"accept-language": "de"})
    client.force_login(factories.user(reputation=1))

    html = client.get(old_question.get_absolute_url()).content.decode()

    assert "Diese Frage hat eine Prämie von +100 Reputation." in html
    assert "Kanonische Antwort erforderlich" in html
    assert "Hervorgehoben" in client.get("/").content.decode()


def test_beat_runs_the_settling_task_every_ten_minutes(settings):
    from forum.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["bounties-settle"]

    assert entry["task"] in app.tasks
    assert entry["schedule"] == 600.0
