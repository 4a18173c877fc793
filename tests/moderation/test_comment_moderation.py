"""Moderators and flags on comments: deleting and undeleting, audited; what flags remove on
their own or by one moderator's word; and how the author of a removed comment is told."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from moderation import services
from moderation.models import Flag, ModeratorAction
from notifications.models import EMAIL_SWITCHES, EmailSettings, Notification
from questions.models import Comment, Post
from tests import factories
from tests.clients import client_for
from tests.concurrency import post_at_once

pytestmark = pytest.mark.django_db

Verb = ModeratorAction.Verb
RUDE = "Nobody asked for your opinion, go away."


def delete_url(comment):
    return reverse("moderation:comment_delete", args=[comment.pk])


def undelete_url(comment):
    return reverse("moderation:comment_undelete", args=[comment.pk])


def flag_url(comment):
    return reverse("moderation:comment_flag", args=[comment.pk])


def flag(comment, *, by, reason="no_longer_needed", text=""):
    return client_for(by).post(flag_url(comment), {"reason": reason, "text": text})


def flaggers(count):
    return [factories.user(reputation=15) for _ in range(count)]


def comment_count(post):
    return Post.objects.get(pk=post.pk).comment_count


def audit(verb):
    return ModeratorAction.objects.filter(verb=verb)


@pytest.fixture
def rude(question):
    """A comment on `question` by a member of its own."""
    return factories.comment(
        question,
        author=factories.user(display_name="Rude Ruth", email="ruth@example.org"),
        body=RUDE,
    )


def inbox(user):
    return client_for(user).get("/inbox/").content.decode()


# A moderator deletes and undeletes


def test_a_moderator_deletes_a_comment_with_a_reason_for_the_audit_log(question, rude, moderator):
    response = client_for(moderator).post(delete_url(rude), {"reason": "Name-calling."})

    assert response.status_code == 302
    assert response["Location"] == (
        f"{question.get_absolute_url()}?showcomments={question.pk}#comment-{rude.pk}"
    )
    rude.refresh_from_db()
    assert rude.deleted_at is not None
    assert rude.deleted_by == moderator
    assert comment_count(question) == 0
    (action,) = ModeratorAction.objects.all()
    assert (action.verb, action.actor, action.target, action.reason) == (
        Verb.COMMENT_DELETED,
        moderator,
        rude,
        "Name-calling.",
    )


def test_without_a_reason_a_moderator_deletes_nothing(question, rude, moderator):
    response = client_for(moderator).post(delete_url(rude), {"reason": "  "}, follow=True)

    assert "Give a reason: it goes into the audit log." in response.content.decode()
    assert Comment.objects.get(pk=rude.pk).deleted_at is None
    assert not ModeratorAction.objects.exists()


def test_moderators_see_a_deleted_comment_marked_and_no_one_else_does(question, rude, moderator):
    client_for(moderator).post(delete_url(rude), {"reason": "Name-calling."})

    html = client_for(moderator).get(question.get_absolute_url()).content.decode()
    assert f'<li class="comment comment-deleted" id="comment-{rude.pk}" hidden>' in html
    assert "by Mod; only the moderators see it." in html
    assert f'action="{undelete_url(rude)}"' in html
    shown = client_for(moderator).get(f"{question.get_absolute_url()}?showcomments={question.pk}")
    assert f'<li class="comment comment-deleted" id="comment-{rude.pk}">' in (
        shown.content.decode()
    )
    for user in (None, rude.author, question.author, factories.user(reputation=5000)):
        assert RUDE not in client_for(user).get(question.get_absolute_url()).content.decode()


def test_a_moderator_undeletes_a_comment_and_it_counts_again(question, rude, moderator):
    client = client_for(moderator)
    client.post(delete_url(rude), {"reason": "Name-calling."})

    response = client.post(undelete_url(rude), {"reason": "It was a quote."}, follow=True)

    assert "The comment was undeleted." in response.content.decode()
    rude.refresh_from_db()
    assert (rude.deleted_at, rude.deleted_by) == (None, None)
    assert comment_count(question) == 1
    assert RUDE in client_for(None).get(question.get_absolute_url()).content.decode()
    undeleted = audit(Verb.COMMENT_UNDELETED).get()
    assert (undeleted.actor, undeleted.reason) == (moderator, "It was a quote.")


def test_the_author_cannot_undelete_what_they_or_a_moderator_deleted(question, rude, moderator):
    own = factories.comment(question, author=rude.author)
    client_for(rude.author).post(delete_url(own))
    client_for(moderator).post(delete_url(rude), {"reason": "Name-calling."})

    for comment in (own, rude):
        response = client_for(rude.author).post(undelete_url(comment), {"reason": "Mine."})
        assert response.status_code == 404
    assert comment_count(question) == 0


def test_a_moderator_deleting_their_own_comment_needs_no_reason(question, moderator):
    own = factories.comment(question, author=moderator)

    client_for(moderator).post(delete_url(own))

    assert Comment.objects.get(pk=own.pk).deleted_at is not None
    assert not ModeratorAction.objects.exists()


def test_the_moderators_delete_dialog_asks_for_the_reason(question, rude, moderator):
    html = client_for(moderator).get(question.get_absolute_url()).content.decode()

    assert '<details class="comment-dialog comment-moderate">' in html
    assert f'id="comment-delete-reason-{rude.pk}" maxlength="500" required>' in html
    assert "Reason (for the audit log)" in html
    german = Client()
    german.force_login(moderator)
    assert "Grund (für das Protokoll)" in german.get(question.get_absolute_url()).content.decode()


# The author is told


def test_the_author_of_a_removed_comment_finds_why_in_the_inbox(question, rude, moderator):
    client_for(moderator).post(delete_url(rude), {"reason": "Name-calling."})

    (entry,) = Notification.objects.filter(recipient=rude.author)
    assert (entry.kind, entry.detail, entry.comment_id) == ("comment_removed", "moderator", rude.pk)
    page = inbox(rude.author)
    assert "A moderator removed your comment" in page
    assert f'href="{question.get_absolute_url()}"' in page
    assert f"#comment-{rude.pk}" not in page
    assert RUDE in page


def test_the_removed_comment_is_not_emailed_even_to_who_wants_every_email(
    question, rude, moderator
):
    EmailSettings.objects.create(user=rude.author, **dict.fromkeys(EMAIL_SWITCHES, True))

    client_for(moderator).post(delete_url(rude), {"reason": "Name-calling."})

    assert Notification.objects.filter(recipient=rude.author, kind="comment_removed").exists()
    assert mail.outbox == []
    settings_page = client_for(rude.author).get("/inbox/settings/").content.decode()
    assert 'name="comment_removed"' not in settings_page


def test_an_author_who_deletes_their_own_comment_is_told_nothing(question, rude):
    client_for(rude.author).post(delete_url(rude))

    assert not Notification.objects.filter(recipient=rude.author).exists()


# Flags remove comments


def test_three_no_longer_needed_flags_from_different_members_remove_the_comment(question, rude):
    first, second, third = flaggers(3)
    other = factories.user(reputation=15)
    flag(rude, by=other, reason="other", text="Looks like a quote from somewhere.")
    flag(rude, by=first)
    flag(rude, by=second)
    assert Comment.objects.get(pk=rude.pk).deleted_at is None

    response = client_for(third).post(flag_url(rude), {"reason": "no_longer_needed"}, follow=True)

    assert "Thank you: the comment is removed." in response.content.decode()
    rude.refresh_from_db()
    assert rude.deleted_at is not None
    assert rude.deleted_by is None
    assert comment_count(question) == 0
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.HELPFUL}
    (action,) = ModeratorAction.objects.all()
    assert (action.verb, action.actor, action.reason) == (
        Verb.COMMENT_DELETED,
        None,
        "Flagged as no longer needed.",
    )
    assert "Your comment was removed as no longer needed" in inbox(rude.author)
    for flagger in (first, second, third, other):
        assert "Your flag was marked helpful" in inbox(flagger)


def test_the_comments_flags_of_any_removing_kind_add_up_and_the_commonest_is_told(question, rude):
    for user, reason in zip(
        flaggers(3), ["unfriendly", "no_longer_needed", "unfriendly"], strict=True
    ):
        flag(rude, by=user, reason=reason)

    assert Comment.objects.get(pk=rude.pk).deleted_at is not None
    entry = Notification.objects.get(recipient=rude.author)
    assert entry.detail == "unfriendly"
    assert "Your comment was removed as unfriendly or unkind" in inbox(rude.author)


def test_something_else_flags_wait_for_a_moderator(question, rude):
    for user in flaggers(4):
        flag(rude, by=user, reason="other", text="A moderator should read this one.")

    assert Comment.objects.get(pk=rude.pk).deleted_at is None
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.PENDING}


def test_how_many_flags_remove_a_comment_is_a_setting(question, rude, settings):
    assert settings.FORUM_COMMENT_FLAGS_TO_DELETE == 3
    settings.FORUM_COMMENT_FLAGS_TO_DELETE = 2
    for user in flaggers(2):
        flag(rude, by=user, reason="harassment")

    assert Comment.objects.get(pk=rude.pk).deleted_at is not None
    assert "Your comment was removed as harassment, bigotry or abuse" in inbox(rude.author)


def test_declined_flags_do_not_count_towards_removal(question, rude, moderator):
    declined = flaggers(2)
    for user in declined:
        flag(rude, by=user)
    services.flags_decline(flags=Flag.objects.all(), moderator=moderator, note="It is fine.")
    flag(rude, by=factories.user(reputation=15))

    assert Comment.objects.get(pk=rude.pk).deleted_at is None


def test_a_moderators_flag_removes_the_comment_at_once(question, rude, moderator):
    response = client_for(moderator).post(flag_url(rude), {"reason": "harassment"}, follow=True)

    assert "Thank you: the comment is removed." in response.content.decode()
    rude.refresh_from_db()
    assert rude.deleted_by == moderator
    (action,) = ModeratorAction.objects.all()
    assert (action.verb, action.actor, action.reason) == (
        Verb.COMMENT_DELETED,
        moderator,
        "Flagged as harassment, bigotry or abuse.",
    )
    assert Flag.objects.get().status == Flag.Status.HELPFUL
    assert "Your comment was removed as harassment, bigotry or abuse" in inbox(rude.author)


def test_marking_a_comment_flag_helpful_in_the_queue_removes_the_comment(question, rude, moderator):
    flag(rude, by=factories.user(reputation=15), reason="unfriendly")
    flag(rude, by=factories.user(reputation=15), reason="other", text="It is rude to the asker.")
    chosen = Flag.objects.get(reason="unfriendly")

    response = client_for(moderator).post(
        "/moderation/moderation/flag/",
        {"action": "mark_helpful", "_selected_action": [chosen.pk]},
    )

    assert response.status_code == 302
    rude.refresh_from_db()
    assert rude.deleted_by == moderator
    assert comment_count(question) == 0
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.HELPFUL}
    assert sorted(ModeratorAction.objects.values_list("verb", flat=True)) == [
        Verb.COMMENT_DELETED,
        Verb.FLAG_HELPFUL,
    ]
    assert "Your comment was removed as unfriendly or unkind" in inbox(rude.author)


def test_the_comment_flag_page_offers_stack_exchanges_reasons_in_both_languages(rude, flagger):
    english = client_for(flagger).get(flag_url(rude)).content.decode()
    german = Client()
    german.force_login(flagger)
    german_html = german.get(flag_url(rude)).content.decode()

    for value in ("harassment", "unfriendly", "no_longer_needed", "other"):
        assert f'type="radio" name="reason" value="{value}"' in english
        assert f'type="radio" name="reason" value="{value}"' in german_html
    assert "Flag this comment" in english
    assert '<html lang="de">' in german_html


# At once (PostgreSQL)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write: there is no concurrency to test.",
)


def assert_no_drift():
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    assert "No drift." in out.getvalue()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_flags_raised_at_the_same_moment_remove_the_comment_once():
    question = factories.question()
    comment = factories.comment(question)
    jobs = []
    for user in flaggers(5):
        client = Client()
        client.force_login(user)
        jobs.append((client, flag_url(comment), [{"reason": "no_longer_needed"}]))

    statuses = post_at_once(jobs)

    assert statuses == [302] * 5
    assert Comment.objects.get(pk=comment.pk).deleted_at is not None
    assert comment_count(question) == 0
    assert audit(Verb.COMMENT_DELETED).count() == 1
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.HELPFUL}
    assert Notification.objects.filter(kind="comment_removed").count() == 1
    assert_no_drift()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_moderators_deleting_one_comment_at_once_count_it_off_once():
    question = factories.question()
    comment = factories.comment(question)
    factories.comment(question)
    jobs = []
    for moderator in (factories.moderator(), factories.moderator()):
        client = Client()
        client.force_login(moderator)
        jobs.append((client, delete_url(comment), [{"reason": "Off topic."}]))

    statuses = post_at_once(jobs)

    assert statuses == [302, 302]
    assert comment_count(question) == 1
    assert audit(Verb.COMMENT_DELETED).count() == 1
    assert_no_drift()
