"""Plain factory functions: each saves one object with sensible defaults; keywords override.

What they make obeys the invariants the services keep, so that `recount` finds no drift
after any test: a reputation above 1 stands on the ledger, a score is made of votes, and
counters count only what is not deleted."""

import itertools

from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from core.markdown import render_comment, render_post
from questions import profile_counts
from questions.models import (
    Answer,
    Comment,
    CommentVote,
    Post,
    PostLink,
    PostRevision,
    Question,
    ReputationEvent,
    Tag,
    Vote,
)
from questions.search import search_index_update
from questions.services import list_totals_enter, list_totals_kept

# What the members the fixtures make log in with, when a test logs in through the form.
PASSWORD = "correct horse battery"

_numbers = itertools.count(1)


def user(**kwargs):
    """A user; a `reputation` above the 1 everyone starts with is an opening balance, and an
    `about_markdown` is rendered as the profile edit renders it."""
    number = next(_numbers)
    kwargs.setdefault("username", f"user{number}")
    kwargs.setdefault("display_name", f"User {number}")
    if "about_markdown" in kwargs:
        kwargs.setdefault("about_html", render_post(kwargs["about_markdown"]))
    made = User.objects.create_user(**kwargs)
    if made.reputation > 1:
        ReputationEvent.objects.create(
            user=made,
            kind=ReputationEvent.Kind.OPENING_BALANCE,
            delta=made.reputation - 1,
            created_at=timezone.now(),
        )
    return made


def reputation(user, *, amount):
    """Brings `user` to `amount` reputation through the ledger, as if they had earned it."""
    ReputationEvent.objects.create(
        user=user,
        kind=ReputationEvent.Kind.OPENING_BALANCE,
        delta=amount - user.reputation,
        created_at=timezone.now(),
    )
    User.objects.filter(pk=user.pk).update(reputation=amount)
    user.reputation = amount


def reputation_event(user, *, kind, delta, post=None, **kwargs):
    """A line in `user`'s reputation ledger, added to their reputation as the services do."""
    kwargs.setdefault("created_at", timezone.now())
    made = ReputationEvent.objects.create(user=user, kind=kind, delta=delta, post=post, **kwargs)
    User.objects.filter(pk=user.pk).update(reputation=F("reputation") + delta)
    user.refresh_from_db(fields=["reputation"])
    return made


def tag(name, **kwargs):
    return Tag.objects.get_or_create(name=name, defaults=kwargs)[0]


def _post_fields(kwargs, body):
    if "author" not in kwargs:
        kwargs["author"] = user()
    author = kwargs["author"]
    kwargs.setdefault("author_name", author.name if author else "")
    kwargs.setdefault("created_at", timezone.now())
    kwargs.setdefault("last_activity_at", kwargs["created_at"])
    return {"body_markdown": body, "body_html": render_post(body), **kwargs}


def _score_as_votes(post):
    """Anonymous votes that add up to the post's score, as imported votes do."""
    value = 1 if post.score > 0 else -1
    Vote.objects.bulk_create(
        Vote(post=post, value=value, created_at=post.created_at) for _ in range(abs(post.score))
    )


def question(
    *, tags=(), body="What is the **best** way to learn a constructed language?", **kwargs
):
    """A question; `tags` are names or Tag objects, counted on the tags as the services do."""
    kwargs.setdefault("title", f"Question number {next(_numbers)}")
    kwargs.setdefault("slug", slugify(kwargs["title"]))
    post = Question.objects.create(post_type=Post.PostType.QUESTION, **_post_fields(kwargs, body))
    _score_as_votes(post)
    tag_objects = [name if isinstance(name, Tag) else tag(name) for name in tags]
    post.tags.add(*tag_objects)
    if not post.deleted_at:
        Tag.objects.filter(pk__in=[t.pk for t in tag_objects]).update(
            question_count=F("question_count") + 1
        )
    list_totals_enter(post.pk)
    if not post.deleted_at:
        profile_counts.question_counted(question_id=post.pk, author_id=post.author_id, sign=1)
    search_index_update(post_ids=[post.pk])  # as question_create does
    return post


def answer(question, *, accepted=False, body="Start with the grammar, then read a lot.", **kwargs):
    """An answer to `question`, counted on it; `accepted=True` makes it the accepted one."""
    post = Answer.objects.create(
        post_type=Post.PostType.ANSWER, parent=question, **_post_fields(kwargs, body)
    )
    _score_as_votes(post)
    changes = {} if post.deleted_at else {"answer_count": F("answer_count") + 1}
    if accepted:
        changes["accepted_answer"] = post
    if changes:
        with list_totals_kept(question.pk):
            Post.objects.filter(pk=question.pk).update(**changes)
        question.refresh_from_db(fields=["answer_count", "accepted_answer"])
    if not post.deleted_at:
        profile_counts.answer_counted(answer_id=post.pk, sign=1)
    search_index_update(post_ids=[post.pk])  # as answer_create does
    return post


def comment(post, *, body="Good point, thanks.", **kwargs):
    if "author" not in kwargs:
        kwargs["author"] = user()
    author = kwargs["author"]
    kwargs.setdefault("author_name", author.name if author else "")
    kwargs.setdefault("created_at", timezone.now())
    made = Comment.objects.create(
        post=post, body_markdown=body, body_html=render_comment(body), **kwargs
    )
    if not made.deleted_at:
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    return made


def comment_vote(comment, *, user=None, **kwargs):
    """An upvote of `comment`, counted in its score (anonymous without `user`, as imported)."""
    kwargs.setdefault("created_at", timezone.now())
    made = CommentVote.objects.create(comment=comment, user=user, **kwargs)
    Comment.objects.filter(pk=comment.pk).update(score=F("score") + 1)
    comment.score += 1
    return made


def moderator(**kwargs):
    """An elected moderator: holds every privilege, sees deleted posts."""
    kwargs.setdefault("is_moderator", True)
    return user(**kwargs)


def vote(post, *, user=None, value=1, **kwargs):
    """A vote counted in the post's score; reputation is left alone (as for imported votes)."""
    kwargs.setdefault("created_at", timezone.now())
    made = Vote.objects.create(post=post, user=user, value=value, **kwargs)
    Post.objects.filter(pk=post.pk).update(score=F("score") + value)
    profile_counts.vote_counted(voter_id=user and user.pk, post=post, previous=0, new=value)
    return made


def revision(post, *, body=None, title=None, tags=None, author=None, summary="", **kwargs):
    """The next revision of `post`, as the services append it; by default of what the post
    says now, by its author."""
    author = author or post.author
    kwargs.setdefault("created_at", timezone.now())
    if tags is None:  # answers have none
        tags = " ".join(post.tags.order_by("name").values_list("name", flat=True))
    number = post.revisions.count() + 1
    if number > 1 and author:
        profile_counts.edit_counted(editor_id=author.pk)
    return PostRevision.objects.create(
        post=post,
        number=number,
        author=author,
        author_name=author.name if author else "",
        title=post.title if title is None else title,
        tags=tags,
        body_markdown=post.body_markdown if body is None else body,
        summary=summary,
        **kwargs,
    )


def link(post, related, *, kind=PostLink.Kind.LINKED, **kwargs):
    """A link from question `post` to question `related` (or `kind=DUPLICATE`: of it)."""
    kwargs.setdefault("created_at", timezone.now())
    return PostLink.objects.create(post=post, related=related, kind=kind, **kwargs)
