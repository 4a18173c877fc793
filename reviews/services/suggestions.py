"""Suggested edits: made by members who may not edit a post directly, decided by its
author or the reviewers (reviewing.py calls `suggestion_approve` and `suggestion_reject`
inside a review's transaction), rejected by the system when the post was edited after
them."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import publish
from questions import services as question_services
from questions.models import Post, PostRevision, ReputationEvent
from questions.reputation import Ledger, lock_users
from reviews import events
from reviews.models import ReviewTask, SuggestedEdit
from reviews.permissions import suggest_denial
from reviews.services.tasks import task_open, tasks_invalidate

Status = SuggestedEdit.Status


class SuggestionRefused(Exception):
    """A suggestion the rules do not take; `reason` says why. `revision` is the number of
    the post's latest revision, which a form shows the suggester's text against again."""

    def __init__(self, reason, *, revision=None):
        super().__init__(reason)
        self.reason = reason
        self.revision = revision


def latest_revision_number(post_id):
    """The number of the post's latest revision; 0 for a post written without one."""
    return (
        PostRevision.objects.filter(post_id=post_id)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )


def _tag_names(post):
    return sorted(post.tags.values_list("name", flat=True))


@transaction.atomic
def suggestion_create(*, post, suggester, base_revision, body, title=None, tags=None, summary=""):
    """Files `suggester`'s edit of `post`, made against its revision `base_revision`, and
    puts it in the suggested edits queue. Raises SuggestionRefused when they may not, when
    the post has a suggestion waiting already, when it was edited since `base_revision`
    (the text is the suggester's to keep: the caller shows it again), or when the
    suggestion changes nothing."""
    # The post's row is the lock that edits take too: a suggestion and an edit of one post
    # come one after the other, and so do two suggestions.
    post.refresh_from_db(from_queryset=Post.objects.select_for_update(no_key=True))
    if reason := suggest_denial(suggester, post):
        raise SuggestionRefused(reason)
    latest = latest_revision_number(post.pk)
    if base_revision != latest:
        raise SuggestionRefused(
            _(
                "The post was edited while you were writing your suggestion. Your text is "
                "kept below: compare it with the post as it reads now, then suggest it again."
            ),
            revision=latest,
        )
    if SuggestedEdit.objects.filter(post=post, status=Status.PENDING).exists():
        raise SuggestionRefused(
            _(
                "This post has a suggested edit waiting for review already. You can suggest "
                "yours once it is decided."
            )
        )
    if post.is_question:
        title = post.title if title is None else title
        tag_names = _tag_names(post) if tags is None else sorted(set(tags))
        unchanged = (
            body == post.body_markdown and title == post.title and tag_names == _tag_names(post)
        )
    else:
        title, tag_names = "", []
        unchanged = body == post.body_markdown
    if unchanged:
        raise SuggestionRefused(_("Your suggestion changes nothing: there is nothing to review."))
    suggestion = SuggestedEdit.objects.create(
        post=post,
        suggester=suggester,
        base_revision=latest,
        title=title,
        tags=" ".join(tag_names),
        body_markdown=body,
        summary=summary,
        created_at=timezone.now(),
    )
    task_open(queue=ReviewTask.Queue.SUGGESTED_EDITS, post_id=post.pk, suggested_edit=suggestion)
    publish(
        events.SuggestionMade(
            suggestion_id=suggestion.pk,
            post_id=post.pk,
            question_id=post.question_id,
            suggester_id=suggester.pk,
        )
    )
    return suggestion


def _decided(suggestion, *, status, by, reason="", text=""):
    now = timezone.now()
    SuggestedEdit.objects.filter(pk=suggestion.pk).update(
        status=status, decided_at=now, decided_by=by, reject_reason=reason, reject_text=text
    )
    suggestion.status, suggestion.decided_at, suggestion.decided_by = status, now, by
    suggestion.reject_reason, suggestion.reject_text = reason, text


def is_superseded(suggestion):
    """Whether the post was edited after the suggestion was made: approving it would undo
    that edit unseen."""
    return latest_revision_number(suggestion.post_id) != suggestion.base_revision


def suggestion_approve(*, suggestion, approver):
    """Applies the pending `suggestion` as a revision credited to its suggester, who gets
    the reputation of an approved edit (questions.reputation: +2, at most 1,000 in all).
    Inside the caller's transaction, which has checked `is_superseded` under the post's
    lock. Returns the new revision."""
    post = (
        Post.objects.select_for_update(no_key=True, of=("self",))
        .select_related("parent")
        .get(pk=suggestion.post_id)
    )
    suggester = suggestion.suggester
    question_services.post_edit(
        post=post,
        editor=suggester,
        body=suggestion.body_markdown,
        title=suggestion.title if post.is_question else None,
        tags=suggestion.tag_names if post.is_question else None,
        summary=suggestion.summary,
    )
    revision = PostRevision.objects.filter(post=post).order_by("-number").first()
    ledger = Ledger(users=lock_users(suggester.pk).values(), now=timezone.now())
    ledger.add(user_id=suggester.pk, post_id=post.pk, kind=ReputationEvent.Kind.SUGGESTED_EDIT)
    ledger.save()
    _decided(suggestion, status=Status.APPROVED, by=approver)
    publish(
        events.SuggestionApproved(
            suggestion_id=suggestion.pk,
            post_id=post.pk,
            question_id=post.question_id,
            suggester_id=suggester.pk,
            decided_by_id=approver.pk,
            revision_id=revision.pk,
        )
    )
    return revision


def suggestion_reject(*, suggestion, by, reason, text=""):
    """Rejects the pending `suggestion` for `reason` (SuggestedEdit.RejectReason), by a
    reviewer or the post's author, or by the system (`by` None)."""
    _decided(suggestion, status=Status.REJECTED, by=by, reason=reason, text=text)
    publish(
        events.SuggestionRejected(
            suggestion_id=suggestion.pk,
            post_id=suggestion.post_id,
            question_id=suggestion.post.question_id,
            suggester_id=suggestion.suggester_id,
            decided_by_id=by and by.pk,
            reason=reason,
        )
    )


@transaction.atomic
def suggestions_supersede(*, post_id):
    """Rejects the post's pending suggestion if the post was edited after it was made (by
    someone who may edit freely), and takes it out of the queue. Returns whether it did."""
    suggestion = (
        SuggestedEdit.objects.select_for_update(of=("self",))
        .select_related("post__parent")
        .filter(post_id=post_id, status=Status.PENDING)
        .first()
    )
    if suggestion is None or not is_superseded(suggestion):
        return False
    suggestion_supersede(suggestion=suggestion)
    return True


def suggestion_supersede(*, suggestion):
    """Rejects `suggestion`, which the post's later edit superseded, as the system, and
    takes it out of the queue. Inside the caller's transaction."""
    suggestion_reject(suggestion=suggestion, by=None, reason=SuggestedEdit.RejectReason.SUPERSEDED)
    tasks_invalidate(
        post_id=suggestion.post_id, queues=[ReviewTask.Queue.SUGGESTED_EDITS], note="superseded"
    )
