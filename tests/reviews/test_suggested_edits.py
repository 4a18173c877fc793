"""Suggested edits: a member below the edit privilege suggests, the post's author or the
reviewers decide, an approved edit is the suggester's revision and +2 reputation."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from notifications.models import EmailSettings, Notification
from questions import services as question_services
from questions.models import Post, PostRevision, ReputationEvent
from reviews.models import Review, ReviewTask, SuggestedEdit
from tests import factories
from tests.clients import client_for
from tests.reviews.helpers import pending, review, suggest, task_of

pytestmark = pytest.mark.django_db

NEW_BODY = "What is the **best** way to learn a constructed language such as Esperanto?"
Queue = ReviewTask.Queue


@pytest.fixture
def question(author):
    return factories.question(author=author, tags=["languages"], title="Learning a conlang fast")


def test_a_member_below_the_edit_privilege_sees_improve_this_post_where_the_edit_link_is(
    question, suggester, reviewer
):
    html = client_for(suggester).get(question.get_absolute_url()).content.decode()
    editor_html = client_for(reviewer).get(question.get_absolute_url()).content.decode()
    visitor_html = Client(headers={"accept-language": "en"}).get(question.get_absolute_url())

    suggest_url = reverse("reviews:suggest", args=[question.pk])
    assert f'href="{suggest_url}"' in html and "Improve this post" in html
    assert reverse("questions:edit", args=[question.pk]) not in html
    assert suggest_url not in editor_html
    assert suggest_url not in visitor_html.content.decode()


def test_a_suggestion_waits_for_review_and_leaves_the_post_as_it_was(question, suggester):
    response = suggest(suggester, question, body=NEW_BODY)

    assert response.status_code == 302 and response.url == question.get_absolute_url()
    suggestion = pending(question)
    assert suggestion.suggester == suggester and suggestion.body_markdown == NEW_BODY
    assert suggestion.tags == "languages" and suggestion.base_revision == 0
    assert Post.objects.get(pk=question.pk).body_markdown == question.body_markdown
    task = task_of(question, Queue.SUGGESTED_EDITS)
    assert task.status == ReviewTask.Status.OPEN and task.suggested_edit == suggestion


def test_a_second_suggestion_while_one_is_pending_gets_a_clear_message(question, suggester):
    suggest(factories.user(), question, body=NEW_BODY)

    response = suggest(suggester, question, body=NEW_BODY + " Or Lojban?")
    page = client_for(suggester).get(reverse("reviews:suggest", args=[question.pk]))

    assert response.status_code == 200
    assert "has a suggested edit waiting for review already" in response.content.decode()
    assert "has a suggested edit waiting for review already" in page.content.decode()
    assert SuggestedEdit.objects.filter(post=question).count() == 1


def test_a_suggestion_on_a_post_edited_meanwhile_is_refused_and_its_text_kept(
    question, suggester, reviewer
):
    form = client_for(suggester).get(reverse("reviews:suggest", args=[question.pk]))
    assert 'name="base_revision" value="0"' in form.content.decode()
    question_services.post_edit(post=question, editor=reviewer, body=question.body_markdown + "!")

    response = suggest(suggester, question, body=NEW_BODY, base=0)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The post was edited while you were writing your suggestion" in html
    assert "such as Esperanto?</textarea>" in html
    # Sent again, the suggestion is compared with the post as it reads now.
    assert 'name="base_revision" value="2"' in html
    assert not SuggestedEdit.objects.exists()
    assert suggest(suggester, question, body=NEW_BODY, base=2).status_code == 302


def test_a_suggestion_that_changes_nothing_is_refused(question, suggester):
    response = suggest(suggester, question, body=question.body_markdown)

    assert "Your suggestion changes nothing" in response.content.decode()
    assert not SuggestedEdit.objects.exists()


def test_a_newcomer_cannot_bring_in_new_tags_through_a_suggestion(question, suggester):
    response = suggest(suggester, question, body=NEW_BODY, tags="languages brandnewtag")

    assert "reputation to create new tags" in response.content.decode()
    assert not SuggestedEdit.objects.exists()


def test_the_suggestion_page_shows_the_edit_as_a_diff(question, suggester, reviewer):
    suggest(suggester, question, body=NEW_BODY, title="Learning a conlang quickly")

    html = (
        client_for(reviewer)
        .get(reverse("reviews:suggestion", args=[pending(question).pk]))
        .content.decode()
    )

    assert "<del>fast</del><ins>quickly</ins>" in html
    assert "<ins> such as Esperanto</ins>" in html
    assert "Suggested by Suggester" in html
    assert 'value="approve"' in html and 'value="reject"' in html


def test_the_authors_approval_alone_makes_the_suggestion_the_suggesters_revision(
    question, author, suggester
):
    suggest(suggester, question, body=NEW_BODY)
    suggestion = pending(question)
    task = task_of(question, Queue.SUGGESTED_EDITS)

    response = client_for(author).post(
        reverse("reviews:task_review", args=[task.pk]),
        {"action": "approve", "return_to": "suggestion"},
    )

    assert response.url == reverse("reviews:suggestion", args=[suggestion.pk])
    question.refresh_from_db()
    assert question.body_markdown == NEW_BODY and question.last_editor == suggester
    revision = PostRevision.objects.get(post=question, number=2)
    assert revision.author == suggester and revision.summary == "Fixed the grammar."
    assert User.objects.get(pk=suggester.pk).reputation == 1 + 2
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestedEdit.Status.APPROVED and suggestion.decided_by == author
    task.refresh_from_db()
    assert (task.status, task.outcome) == (ReviewTask.Status.COMPLETED, "approved")
    entry = Notification.objects.get(recipient=suggester)
    assert (entry.kind, entry.actor, entry.object_id) == (
        "suggestion_approved",
        author,
        suggestion.pk,
    )


def test_two_reviewers_approvals_complete_a_suggestion_and_one_does_not(
    question, suggester, reviewer, second_reviewer
):
    suggest(suggester, question, body=NEW_BODY)
    task = task_of(question, Queue.SUGGESTED_EDITS)

    review(reviewer, task, "approve")
    assert pending(question) and Post.objects.get(pk=question.pk).body_markdown != NEW_BODY
    review(second_reviewer, task, "approve")

    assert Post.objects.get(pk=question.pk).body_markdown == NEW_BODY
    assert SuggestedEdit.objects.get().decided_by == second_reviewer
    assert Review.objects.filter(task=task, action="approve").count() == 2


def test_two_rejections_reject_the_suggestion_and_tell_the_suggester_why(
    question, suggester, reviewer, second_reviewer
):
    suggest(suggester, question, body=NEW_BODY)
    task = task_of(question, Queue.SUGGESTED_EDITS)

    review(reviewer, task, "reject", reason="no_improvement")
    review(second_reviewer, task, "reject", reason="other", text="Please keep the original.")

    suggestion = SuggestedEdit.objects.get()
    assert suggestion.status == SuggestedEdit.Status.REJECTED
    assert (suggestion.reject_reason, suggestion.reject_text) == (
        "other",
        "Please keep the original.",
    )
    assert Post.objects.get(pk=question.pk).body_markdown != NEW_BODY
    entry = Notification.objects.get(recipient=suggester)
    assert (entry.kind, entry.detail) == ("suggestion_rejected", "other")
    inbox = client_for(suggester).get(reverse("notifications:inbox")).content.decode()
    assert "Your suggested edit was rejected" in inbox
    assert reverse("reviews:suggestion", args=[suggestion.pk]) in inbox
    page = client_for(suggester).get(reverse("reviews:suggestion", args=[suggestion.pk]))
    assert "Please keep the original." in page.content.decode()
    assert User.objects.get(pk=suggester.pk).reputation == 1


def test_a_rejection_needs_a_reason_and_other_needs_words(question, suggester, reviewer):
    suggest(suggester, question, body=NEW_BODY)
    task = task_of(question, Queue.SUGGESTED_EDITS)

    without = review(reviewer, task, "reject")
    other = review(reviewer, task, "reject", reason="other", text="  ")

    assert without.status_code == other.status_code == 400
    assert "Say why the edit should be rejected." in other.content.decode()
    assert not Review.objects.exists()


def test_the_suggested_edits_are_never_emailed(question, author, suggester):
    EmailSettings.objects.create(user=suggester)
    suggest(suggester, question, body=NEW_BODY)

    review(author, task_of(question, Queue.SUGGESTED_EDITS), "approve")

    assert Notification.objects.filter(recipient=suggester).exists()
    assert not [message for message in mail.outbox if suggester.email in message.to]


def test_approved_suggested_edits_give_at_most_1000_reputation_in_all(author, suggester):
    # 499 approved edits so far: 998 reputation from them.
    for _ in range(499):
        factories.reputation_event(suggester, kind=ReputationEvent.Kind.SUGGESTED_EDIT, delta=2)
    for number in range(2):
        question = factories.question(author=author, tags=["languages"])
        suggest(suggester, question, body=f"{NEW_BODY} ({number})")
        review(author, task_of(question, Queue.SUGGESTED_EDITS), "approve")

    gains = list(
        ReputationEvent.objects.filter(user=suggester, kind="suggested_edit")
        .order_by("-pk")
        .values_list("delta", flat=True)[:3]
    )
    assert gains == [0, 2, 2]
    assert User.objects.get(pk=suggester.pk).reputation == 1 + 1000


def test_an_edit_after_a_suggestion_rejects_it_as_superseded(question, suggester, reviewer):
    suggest(suggester, question, body=NEW_BODY)
    task = task_of(question, Queue.SUGGESTED_EDITS)

    question_services.post_edit(post=question, editor=reviewer, body=question.body_markdown + "!")

    suggestion = SuggestedEdit.objects.get()
    assert (suggestion.status, suggestion.reject_reason) == ("rejected", "superseded")
    assert suggestion.decided_by is None
    task.refresh_from_db()
    assert task.status == ReviewTask.Status.INVALIDATED
    assert Notification.objects.get(recipient=suggester).kind == "suggestion_rejected"
    # The post is free for the next suggestion.
    assert suggest(suggester, question, body=NEW_BODY, base=2).status_code == 302


def test_improving_approves_the_suggestion_then_saves_the_reviewers_changes(
    question, suggester, reviewer
):
    suggest(suggester, question, body=NEW_BODY)
    task = task_of(question, Queue.SUGGESTED_EDITS)
    client = client_for(reviewer)
    form = client.get(reverse("reviews:task_edit", args=[task.pk])).content.decode()
    assert "such as Esperanto?</textarea>" in form

    response = client.post(
        reverse("reviews:task_edit", args=[task.pk]),
        {
            "title": question.title,
            "tags": "languages",
            "body": NEW_BODY.replace("Esperanto", "Esperanto or Lojban"),
            "summary": "Named another one.",
            "base_revision": 0,
            "return_to": "queue",
        },
    )

    assert response.status_code == 302
    authors = list(
        PostRevision.objects.filter(post=question)
        .order_by("number")
        .values_list("author", flat=True)
    )
    assert authors == [question.author_id, suggester.pk, reviewer.pk]
    assert "Lojban" in Post.objects.get(pk=question.pk).body_markdown
    assert User.objects.get(pk=suggester.pk).reputation == 3
    task.refresh_from_db()
    assert task.outcome == "approved"


def test_an_answer_takes_suggestions_too(question, suggester, author):
    answer = factories.answer(question, author=author)

    response = suggest(suggester, answer, body="Start with the grammar, then read a lot of texts.")

    assert response.status_code == 302
    assert pending(answer).title == "" and pending(answer).tags == ""
    review(author, task_of(answer, Queue.SUGGESTED_EDITS), "approve")
    assert Post.objects.get(pk=answer.pk).body_markdown.endswith("a lot of texts.")


def test_a_suggester_who_gained_the_privilege_cannot_review_their_own_suggestion(
    question, suggester
):
    suggest(suggester, question, body=NEW_BODY)
    factories.reputation_event(suggester, kind=ReputationEvent.Kind.OPENING_BALANCE, delta=1999)

    response = review(suggester, task_of(question, Queue.SUGGESTED_EDITS), "approve")

    assert response.status_code == 403
    assert "You cannot review your own suggested edit." in response.content.decode()
