"""Domain events (core/events.py): delivered after the transaction commits, never when it
rolls back, to the subscribers of their class and of its bases; and each service
publishes its fact. These tests commit for real (`transaction=True`): they do not lean on
the test harness that emulates commits (tests/commits.py)."""

import logging
from dataclasses import FrozenInstanceError

import pytest
from django.db import transaction
from django.urls import reverse

from core import events as core_events
from moderation import events as moderation_events
from moderation import services as moderation_services
from moderation.models import CloseVote, Flag
from questions import events, services, voting
from questions.models import Post, Question
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db(transaction=True)


class Recorder:
    """Subscribes to `event_type` for the length of a test and keeps what it hears."""

    def __init__(self, event_type):
        self.event_type = event_type
        self.heard = []

    def __call__(self, event):
        self.heard.append(event)

    def of(self, event_type):
        return [event for event in self.heard if type(event) is event_type]


@pytest.fixture
def heard():
    recorders = []

    def subscribe(event_type=core_events.Event):
        recorder = Recorder(event_type)
        core_events.subscribe(event_type, recorder)
        recorders.append(recorder)
        return recorder

    yield subscribe
    for recorder in recorders:
        core_events.unsubscribe(recorder.event_type, recorder)


@pytest.fixture
def tagged_question():
    """Asked by a member who may vote and flag, tagged for the tag's events."""
    return factories.question(author=factories.user(reputation=100), tags=["grammar"])


def test_an_event_is_delivered_after_the_transaction_commits_not_before(heard, tagged_question):
    recorder = heard(events.AnswerPosted)
    author = factories.user()

    with transaction.atomic():
        answer = services.answer_create(
            author=author, question=tagged_question, body="An answer of length."
        )
        assert recorder.heard == []

    assert recorder.heard == [
        events.AnswerPosted(post_id=answer.pk, question_id=tagged_question.pk, author_id=author.pk)
    ]


def test_an_event_of_a_transaction_that_rolls_back_is_never_delivered(heard, tagged_question):
    recorder = heard()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.answer_create(
            author=factories.user(), question=tagged_question, body="Never posted."
        )
        raise RuntimeError("the request failed after the write")
    with transaction.atomic():
        pass  # a later commit does not deliver it either

    assert recorder.heard == []
    assert tagged_question.answers.count() == 0


def test_an_event_of_a_rolled_back_savepoint_is_dropped_and_the_rest_delivered(
    heard, tagged_question
):
    recorder = heard()
    author = factories.user()

    with transaction.atomic():
        try:
            with transaction.atomic():
                services.answer_create(author=author, question=tagged_question, body="Rolled back.")
                raise RuntimeError
        except RuntimeError:
            pass
        comment = services.comment_create(
            author=author, post=tagged_question, body="This one stays."
        )

    assert recorder.heard == [
        events.CommentPosted(
            post_id=tagged_question.pk,
            question_id=tagged_question.pk,
            comment_id=comment.pk,
            author_id=author.pk,
        )
    ]


def test_outside_a_transaction_an_event_is_delivered_at_once(heard):
    recorder = heard(events.TagDescribed)

    core_events.publish(events.TagDescribed(tag_id=1, editor_id=None))

    assert recorder.heard == [events.TagDescribed(tag_id=1, editor_id=None)]


def test_a_subscriber_of_a_base_class_hears_the_events_of_every_subclass(heard, tagged_question):
    post_events = heard(events.PostChanged)
    moderator = factories.moderator()

    voting.post_vote(post=tagged_question, user=factories.user(reputation=100), value=1)
    moderation_services.post_lock(post=tagged_question, moderator=moderator, reason="Heated.")

    assert [type(event) for event in post_events.heard] == [
        events.VoteCast,
        moderation_events.PostModerated,
    ]
    locked = post_events.heard[1]
    assert (locked.state, locked.on, locked.actor_id) == ("locked", True, moderator.pk)


def test_a_failing_subscriber_is_logged_and_the_others_still_hear_the_event(
    heard, tagged_question, settings, caplog
):
    settings.FORUM_EVENT_ERRORS_RAISE = False

    def broken(event):
        raise ValueError("a subscriber's bug")

    core_events.subscribe(events.CommentPosted, broken)
    try:
        recorder = heard(events.CommentPosted)
        with caplog.at_level(logging.ERROR, logger="core.events"):
            services.comment_create(
                author=tagged_question.author, post=tagged_question, body="Still posted."
            )
    finally:
        core_events.unsubscribe(events.CommentPosted, broken)

    assert len(recorder.heard) == 1
    assert "a subscriber's bug" in caplog.text
    assert tagged_question.comments.count() == 1


def test_events_are_frozen_and_subscribing_twice_delivers_once(heard):
    event = events.TagDescribed(tag_id=1, editor_id=None)
    with pytest.raises(FrozenInstanceError):
        event.tag_id = 2
    recorder = heard(events.TagDescribed)
    core_events.subscribe(events.TagDescribed, recorder)

    core_events.publish(event)

    assert recorder.heard == [event]


def test_publishing_what_is_not_an_event_is_refused():
    with pytest.raises(TypeError):
        core_events.publish({"answer": 1})
    with pytest.raises(TypeError):
        core_events.subscribe(dict, print)


# What each service publishes, through the pages where a page does it.


def test_asking_answering_commenting_editing_and_voting_through_the_pages_publish_their_facts(
    heard,
):
    factories.tag("grammar")
    recorder = heard()
    asker = factories.user(reputation=200)
    answerer = factories.user(reputation=200)
    asking = client_for(asker)
    asking.post(
        reverse("questions:ask"),
        {
            "title": "How do constructed languages mark evidentiality?",
            "body": "I would like to know how languages mark the source of information.",
            "tags": "grammar",
        },
    )
    question = Question.objects.get()
    answering = client_for(answerer)
    answering.post(
        reverse("questions:answer", args=[question.pk]),
        {"body": "With suffixes on the verb, as Quechua does, for example."},
    )
    answer = question.answers.get()
    asking.post(
        reverse("questions:comment", args=[answer.pk]), {"body": "Which suffixes, exactly?"}
    )
    answering.post(
        reverse("questions:edit", args=[answer.pk]),
        {"body": "With suffixes on the verb, as Quechua does: -mi, -si and -chá."},
    )
    asking.post(reverse("questions:vote", args=[answer.pk]), {"value": "up"})
    asking.post(reverse("questions:accept", args=[answer.pk]))

    assert [type(event) for event in recorder.heard] == [
        events.QuestionAsked,
        events.AnswerPosted,
        events.CommentPosted,
        events.PostEdited,
        events.VoteCast,
        events.AnswerAccepted,
    ]
    asked, answered, commented, edited, voted, accepted = recorder.heard
    assert asked == events.QuestionAsked(
        post_id=question.pk, question_id=question.pk, author_id=asker.pk
    )
    assert answered == events.AnswerPosted(
        post_id=answer.pk, question_id=question.pk, author_id=answerer.pk
    )
    assert (commented.post_id, commented.question_id) == (answer.pk, question.pk)
    assert edited.revision_id == answer.revisions.order_by("-number").first().pk
    assert (voted.voter_id, voted.value, voted.previous) == (asker.pk, 1, 0)
    assert not voted.changes_lists  # an answer's score shows on its thread only
    assert accepted == events.AnswerAccepted(
        post_id=answer.pk, question_id=question.pk, accepter_id=asker.pk, previous_answer_id=None
    )


def test_a_refused_vote_publishes_nothing(heard, tagged_question):
    recorder = heard()
    newcomer = factories.user(reputation=1)

    response = client_for(newcomer).post(
        reverse("questions:vote", args=[tagged_question.pk]), {"value": "up"}
    )

    assert response.status_code == 302  # back to the thread, with the reason as a message
    assert recorder.heard == []
    assert tagged_question.score == Post.objects.get(pk=tagged_question.pk).score == 0


def test_deleting_and_undeleting_publish_who_did_it(heard, tagged_question):
    recorder = heard()

    services.post_delete(post=tagged_question, user=tagged_question.author)
    services.post_undelete(post=tagged_question, user=tagged_question.author)
    services.post_undelete(
        post=tagged_question, user=tagged_question.author
    )  # nothing left to undo

    assert recorder.heard == [
        events.PostDeleted(
            post_id=tagged_question.pk,
            question_id=tagged_question.pk,
            actor_id=tagged_question.author.pk,
        ),
        events.PostUndeleted(
            post_id=tagged_question.pk,
            question_id=tagged_question.pk,
            actor_id=tagged_question.author.pk,
        ),
    ]


def test_flags_publish_when_raised_and_each_flag_when_settled(heard, tagged_question):
    recorder = heard()
    reporters = [factories.user(reputation=100) for _ in range(2)]
    moderator = factories.moderator()
    for reporter in reporters:
        moderation_services.flag_create(
            reporter=reporter, reason=Flag.Reason.OTHER, post=tagged_question, text="Look."
        )

    moderation_services.flags_decline(
        flags=Flag.objects.filter(post=tagged_question),
        moderator=moderator,
        note="Nothing wrong here.",
    )

    raised = recorder.of(moderation_events.FlagRaised)
    settled = recorder.of(moderation_events.FlagSettled)
    assert [event.reporter_id for event in raised] == [reporter.pk for reporter in reporters]
    assert {(event.reporter_id, event.status, event.handler_id) for event in settled} == {
        (reporter.pk, Flag.Status.DECLINED, moderator.pk) for reporter in reporters
    }


def test_enough_spam_flags_publish_the_deletion_the_lock_and_the_settled_flags(
    heard, tagged_question, settings
):
    settings.FORUM_FLAGS_TO_HIDE = 2
    settings.FORUM_FLAGS_TO_DELETE = 3
    recorder = heard()
    for _ in range(3):
        moderation_services.flag_create(
            reporter=factories.user(reputation=100), reason=Flag.Reason.SPAM, post=tagged_question
        )

    moderated = recorder.of(moderation_events.PostModerated)
    assert [(event.state, event.on, event.actor_id) for event in moderated] == [
        ("hidden", True, None),
        ("locked", True, None),
    ]
    assert recorder.of(events.PostDeleted) == [
        events.PostDeleted(
            post_id=tagged_question.pk, question_id=tagged_question.pk, actor_id=None
        )
    ]
    assert {event.status for event in recorder.of(moderation_events.FlagSettled)} == {
        Flag.Status.HELPFUL
    }


def test_closing_by_votes_publishes_each_vote_and_the_closure(heard, tagged_question, settings):
    settings.FORUM_CLOSE_VOTES_NEEDED = 2
    recorder = heard()
    voters = [factories.user(reputation=5000) for _ in range(2)]
    for voter in voters:
        moderation_services.close_vote_cast(
            question=tagged_question,
            user=voter,
            kind=CloseVote.Kind.CLOSE,
            reason=CloseVote.Reason.OFF_TOPIC,
        )

    assert [event.user_id for event in recorder.of(moderation_events.CloseVoteCast)] == [
        voter.pk for voter in voters
    ]
    assert [(event.state, event.on) for event in recorder.of(moderation_events.PostModerated)] == [
        ("closed", True)
    ]


def test_suspending_messaging_appealing_and_roles_publish_their_facts(heard, tagged_question):
    recorder = heard()
    moderator = factories.moderator()
    manager = factories.user(is_staff=True)
    member = tagged_question.author

    suspension = moderation_services.user_suspend(
        user=member, moderator=moderator, days=3, reason="Rude."
    )
    moderation_services.suspension_lift(suspension=suspension, moderator=moderator)
    moderation_services.post_lock(post=tagged_question, moderator=moderator, reason="Heated.")
    appeal = moderation_services.appeal(
        user=member, post=tagged_question, note="Please look again."
    )
    moderation_services.escalation_resolve(
        escalation=appeal, manager=manager, resolution="Unlocked."
    )
    moderation_services.role_set(user=member, role="moderator", actor=manager)

    assert recorder.of(moderation_events.UserSuspended) == [
        moderation_events.UserSuspended(
            user_id=member.pk,
            moderator_id=moderator.pk,
            suspension_id=suspension.pk,
            ends_at=suspension.ends_at,
        )
    ]
    assert [
        event.recipient_id for event in recorder.of(moderation_events.ModeratorMessageSent)
    ] == [member.pk]
    assert len(recorder.of(moderation_events.SuspensionLifted)) == 1
    assert [event.kind for event in recorder.of(moderation_events.EscalationRaised)] == ["appeal"]
    assert recorder.of(moderation_events.EscalationResolved) == [
        moderation_events.EscalationResolved(
            escalation_id=appeal.pk, kind="appeal", manager_id=manager.pk, subject_user_id=member.pk
        )
    ]
    assert recorder.of(moderation_events.RoleChanged) == [
        moderation_events.RoleChanged(user_id=member.pk, role="moderator", actor_id=manager.pk)
    ]
