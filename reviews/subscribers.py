"""The events the reviews app listens to (registered in ReviewsConfig.ready): posts
entering the queues, tasks closed by what happened elsewhere, suggestions superseded by
an edit, and the suggesters' inbox entries. Each does one small write or enqueues a task."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.events import subscribe
from moderation import events as moderation_events
from moderation.models import CloseVote, Flag
from questions import events as question_events
from questions.models import Post
from reviews import events, services, tasks
from reviews.models import ReviewTask

Queue = ReviewTask.Queue
Outcome = ReviewTask.Outcome
# The queues whose tasks a deleted or locked post leaves: all but the suggested edits,
# whose suggestion stays pending (and unserved) until the post returns or is edited.
POST_QUEUES = [queue for queue in Queue.values if queue != Queue.SUGGESTED_EDITS]
LOW_QUALITY_FLAGS = (Flag.Reason.LOW_QUALITY, Flag.Reason.NOT_AN_ANSWER)


def post_held(event):
    """A held first question or answer (FORUM_HOLD_FIRST_POSTS) waits in its first posts'
    queue, whose reviewers release it."""
    held = Post.objects.filter(pk=event.post_id, held_at__isnull=False).only("post_type").first()
    if held is not None:
        queue = Queue.FIRST_QUESTIONS if held.is_question else Queue.FIRST_ANSWERS
        services.task_open(queue=queue, post_id=held.pk)


def question_asked(event):
    """A member's first question goes to the first questions (a released one was there)."""
    if event.released:
        return
    earlier = Post.objects.questions().filter(author_id=event.author_id).exclude(pk=event.post_id)
    if not earlier.exists():
        services.task_open(queue=Queue.FIRST_QUESTIONS, post_id=event.post_id)


def answer_posted(event):
    """A member's first answer goes to the first answers; a later answer of a new member
    (below FORUM_LATE_ANSWER_REPUTATION) to an old question, to the late answers; a very
    short answer, to low quality."""
    answer = (
        Post.objects.filter(pk=event.post_id)
        .select_related("parent", "author")
        .only("body_markdown", "parent__created_at", "author__reputation")
        .first()
    )
    if answer is None:
        return
    earlier = Post.objects.answers().filter(author_id=event.author_id).exclude(pk=answer.pk)
    old = answer.parent.created_at < answer_time_limit()
    if not earlier.exists():
        # A released answer was reviewed there while it was held.
        if not event.released:
            services.task_open(queue=Queue.FIRST_ANSWERS, post_id=answer.pk)
    elif old and answer.author and answer.author.reputation < settings.FORUM_LATE_ANSWER_REPUTATION:
        services.task_open(queue=Queue.LATE_ANSWERS, post_id=answer.pk)
    if len(answer.body_markdown.strip()) < settings.FORUM_SHORT_ANSWER_LENGTH:
        services.task_open(queue=Queue.LOW_QUALITY, post_id=answer.pk, note="short")


def answer_time_limit():
    """Questions asked before this are old: answers to them are late."""
    return timezone.now() - timedelta(days=settings.FORUM_LATE_ANSWER_DAYS)


def close_vote_cast(event):
    """A close vote on an open question, or a reopen vote on a closed one, puts it in its
    queue, where other reviewers add theirs or leave it as it is."""
    question = Post.objects.filter(pk=event.question_id).only("closed_at", "deleted_at").first()
    if question is None or question.deleted_at:
        return
    if event.kind == CloseVote.Kind.CLOSE and not question.closed_at:
        services.task_open(queue=Queue.CLOSE_VOTES, post_id=question.pk)
    elif event.kind == CloseVote.Kind.REOPEN and question.closed_at:
        services.task_open(queue=Queue.REOPEN_VOTES, post_id=question.pk)


def flag_raised(event):
    """A post flagged as very low quality or not an answer goes to low quality, unless the
    reviewers there recommended its deletion already (their recommendations are such
    flags: the moderators have them)."""
    if event.comment_id is not None or event.reason not in LOW_QUALITY_FLAGS:
        return
    recommended = ReviewTask.objects.filter(
        post_id=event.post_id, queue=Queue.LOW_QUALITY, outcome=Outcome.RECOMMEND_DELETION
    )
    if Post.objects.visible().filter(pk=event.post_id).exists() and not recommended.exists():
        services.task_open(queue=Queue.LOW_QUALITY, post_id=event.post_id, note="flag")


def post_edited(event):
    """An edit after a pending suggestion supersedes it."""
    services.suggestions_supersede(post_id=event.post_id)


def post_deleted(event):
    """A deleted post, and a deleted question's answers, leave the queues."""
    thread = Q(post_id=event.post_id)
    if event.post_id == event.question_id:
        thread |= Q(post__parent_id=event.post_id)
    services.tasks_invalidate(where=thread, queues=POST_QUEUES, note="deleted")


def post_moderated(event):
    """A question closed or reopened settles its close or reopen votes' task; a locked post
    leaves the queues."""
    if event.state == "closed" and event.on:
        services.tasks_settle(
            post_id=event.post_id, queue=Queue.CLOSE_VOTES, outcome=Outcome.CLOSED
        )
    elif event.state == "closed":
        services.tasks_settle(
            post_id=event.post_id, queue=Queue.REOPEN_VOTES, outcome=Outcome.REOPENED
        )
    elif event.state == "locked" and event.on:
        services.tasks_invalidate(where=Q(post_id=event.post_id), queues=POST_QUEUES, note="locked")


def suggestion_decided(event):
    tasks.suggestion_decided.delay(event.suggestion_id)


def register():
    subscribe(question_events.PostHeld, post_held)
    subscribe(question_events.QuestionAsked, question_asked)
    subscribe(question_events.AnswerPosted, answer_posted)
    subscribe(question_events.PostEdited, post_edited)
    subscribe(question_events.PostDeleted, post_deleted)
    subscribe(moderation_events.CloseVoteCast, close_vote_cast)
    subscribe(moderation_events.FlagRaised, flag_raised)
    subscribe(moderation_events.PostModerated, post_moderated)
    subscribe(events.SuggestionApproved, suggestion_decided)
    subscribe(events.SuggestionRejected, suggestion_decided)
