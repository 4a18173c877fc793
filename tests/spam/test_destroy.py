"""Destroying a spammer and undoing it through the services: everything it changes, the
counters exact after both (recount), and the threads' pages exactly as before the undo."""

import pytest
from django.core.management import call_command

from accounts.roles import is_suspended
from moderation.models import Flag, ModeratorAction, Suspension
from questions import services as question_services
from questions.models import Comment, CommentVote, Post, ReputationEvent, Vote
from spam import services
from spam.models import Change, Destruction
from tests import factories
from tests.spam.conftest import assert_same_pages, recount, thread_pages

pytestmark = pytest.mark.django_db

NO_DRIFT = "No drift."


def fresh(row):
    row.refresh_from_db()
    return row


def test_destroying_a_spammer_deletes_their_content_reverses_their_votes_and_suspends_them(
    spammed, spammer, asker, helper, moderator
):
    assert NO_DRIFT in recount()
    asker_reputation, helper_reputation = fresh(asker).reputation, fresh(helper).reputation

    destruction = services.spammer_destroy(user=spammer, moderator=moderator, reason="Watches")

    answer, own, comment = (fresh(spammed[name]) for name in ("answer", "own", "comment"))
    assert answer.deleted_at and own.deleted_at and comment.deleted_at
    assert answer.deleted_by == moderator
    assert not Vote.objects.filter(user=spammer).exists()
    assert not CommentVote.objects.filter(user=spammer).exists()
    assert fresh(spammed["question"]).score == 0
    assert fresh(spammed["helpful"]).score == 0
    assert fresh(spammed["flag"]).status == Flag.Status.HELPFUL
    spammer.refresh_from_db()
    assert (spammer.about_markdown, spammer.website, spammer.location) == ("", "", "")
    assert is_suspended(spammer)
    # The helper's upvote of the spammer's answer gives them nothing any more, and the
    # spammer's upvote of the asker's question gives the asker nothing; the asker's upvote
    # of the helper's answer under the spammer's question stands.
    assert spammer.reputation == 20
    assert fresh(helper).reputation == helper_reputation
    assert fresh(asker).reputation == asker_reputation - 10
    assert destruction.summary == {
        "vote": 1,
        "comment_vote": 1,
        "reputation": 1,
        "post": 2,
        "comment": 1,
        "flag": 1,
        "profile": 1,
        "suspension": 1,
    }
    audited = ModeratorAction.objects.filter(verb=ModeratorAction.Verb.SPAMMER_DESTROYED)
    assert [(row.actor, row.target) for row in audited] == [(moderator, spammer)]
    assert "Watches" in audited.get().reason
    assert NO_DRIFT in recount()


def test_undo_restores_exactly_the_state_before_and_the_pages_read_the_same(
    spammed, spammer, asker, helper, moderator
):
    before = thread_pages(spammed, None, helper, moderator)
    reputations = {user.pk: fresh(user).reputation for user in (spammer, asker, helper)}
    votes = list(Vote.objects.filter(user=spammer).values_list("post", "value", "created_at"))
    destruction = services.spammer_destroy(user=spammer, moderator=moderator)

    assert services.destruction_undo(destruction=destruction, moderator=moderator) is True

    assert_same_pages(thread_pages(spammed, None, helper, moderator), before)
    assert {user.pk: fresh(user).reputation for user in (spammer, asker, helper)} == reputations
    assert (
        list(Vote.objects.filter(user=spammer).values_list("post", "value", "created_at")) == votes
    )
    assert fresh(spammed["flag"]).status == Flag.Status.PENDING
    spammer.refresh_from_db()
    assert spammer.website == "https://spam-shop.example/" and spammer.location == "Everywhere"
    assert not is_suspended(spammer)
    assert Suspension.objects.get(user=spammer).lifted_by == moderator
    assert NO_DRIFT in recount()
    assert ModeratorAction.objects.filter(verb=ModeratorAction.Verb.SPAMMER_RESTORED).count() == 1


def test_destroy_again_after_an_undo_makes_a_new_destruction(spammed, spammer, moderator):
    first = services.spammer_destroy(user=spammer, moderator=moderator)
    services.destruction_undo(destruction=first, moderator=moderator)

    again = services.spammer_destroy(user=spammer, moderator=moderator)

    assert again.pk != first.pk and again.summary == first.summary
    assert fresh(spammed["answer"]).deleted_at
    assert NO_DRIFT in recount()


def test_a_second_destroy_or_undo_changes_nothing(spammed, spammer, moderator):
    destruction = services.spammer_destroy(user=spammer, moderator=moderator)

    assert services.spammer_destroy(user=spammer, moderator=moderator) is None
    assert services.destruction_undo(destruction=destruction, moderator=moderator) is True
    assert services.destruction_undo(destruction=destruction, moderator=moderator) is False
    assert Destruction.objects.count() == 1
    assert NO_DRIFT in recount()


def test_undo_keeps_what_others_changed_since(spammed, spammer, moderator, helper, asker):
    """The edit a moderator made to the deleted answer stays its text; the post another
    moderator undeleted and deleted again stays deleted; a profile field the member filled
    in since is theirs."""
    destruction = services.spammer_destroy(user=spammer, moderator=moderator)
    answer, own = fresh(spammed["answer"]), fresh(spammed["own"])
    question_services.post_edit(post=answer, editor=moderator, body="Link removed by a moderator.")
    other = factories.moderator()
    question_services.post_undelete(post=own, user=other)
    question_services.post_delete(post=own, user=other)
    type(spammer).objects.filter(pk=spammer.pk).update(location="Berlin")

    services.destruction_undo(destruction=destruction, moderator=moderator)

    answer.refresh_from_db()
    assert answer.deleted_at is None
    assert answer.body_markdown == "Link removed by a moderator."
    assert fresh(own).deleted_by == other
    spammer.refresh_from_db()
    assert spammer.location == "Berlin" and spammer.website == "https://spam-shop.example/"
    assert NO_DRIFT in recount()


def test_a_suspension_made_before_stays_after_the_undo(spammed, spammer, moderator):
    from moderation import services as moderation

    moderation.user_suspend(user=spammer, moderator=moderator, days=3, reason="Rude")
    destruction = services.spammer_destroy(user=spammer, moderator=moderator)

    services.destruction_undo(destruction=destruction, moderator=moderator)

    assert not Change.objects.filter(kind=Change.Kind.SUSPENSION).exists()
    assert is_suspended(fresh(spammer))


def test_an_old_destruction_can_no_longer_be_undone(spammed, spammer, moderator, settings):
    destruction = services.spammer_destroy(user=spammer, moderator=moderator)
    settings.FORUM_SPAM_UNDO_DAYS = 0

    assert services.destruction_undo(destruction=destruction, moderator=moderator) is False
    assert fresh(spammed["answer"]).deleted_at


def test_the_reputation_a_deleted_answer_gave_is_reversed_through_the_ledger(
    spammed, spammer, moderator
):
    answer = spammed["answer"]
    services.spammer_destroy(user=spammer, moderator=moderator)

    events = ReputationEvent.objects.filter(post=answer, user=spammer).order_by("pk")
    assert [(event.kind, event.reverses, event.delta) for event in events] == [
        ("upvoted", False, 10),
        ("upvoted", True, -10),
    ]
    call_command("recount", "--dry-run")
    assert Comment.objects.filter(author=spammer, deleted_at__isnull=True).count() == 0
    assert Post.objects.filter(author=spammer, deleted_at__isnull=True).count() == 0
