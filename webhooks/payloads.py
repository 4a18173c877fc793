"""What a delivery says about an event: public facts only, the same for every webhook.

A webhook belongs to the community managers, but its receiver is somewhere else (a chat
room, a script), so a payload holds what a visitor of the site could read: ids, titles,
links, names, scores, the text of visible posts and comments. Never email addresses,
addresses of any network, private messages, suspension reasons, or who flagged or who
settled a flag (flags are anonymous on the site, and the managers see their flaggers in
the moderation pages, not in a channel a payload may reach). A deleted post or comment,
or a question hidden by flags, is named by its id and state, without its text or title.

Each builder reads what it needs afresh and returns None when its subject is gone."""

from django.utils import timezone

from accounts.models import User
from core.urls_cache import cached_reverse
from moderation.models import Flag, Suspension
from notifications.mailing import absolute
from questions.models import Comment, Post, PostRevision
from webhooks.kinds import Kind

POST_COLUMNS = (
    "id",
    "post_type",
    "parent",
    "title",
    "slug",
    "body_markdown",
    "author",
    "author_name",
    "score",
    "created_at",
    "deleted_at",
    "hidden_at",
    "closed_at",
    "parent__id",
    "parent__post_type",
    "parent__title",
    "parent__slug",
    "parent__deleted_at",
    "parent__hidden_at",
    "author__username",
    "author__display_name",
)


def _time(value):
    return value.isoformat() if value else None


def _user(user, name=""):
    if user is None:
        return {"id": None, "display_name": name or None, "link": None}
    return {"id": user.pk, "display_name": user.name, "link": absolute(user.get_absolute_url())}


def _withheld(post):
    """Whether a visitor misses the post's text: deleted, or a question hidden by flags."""
    return post.deleted_at is not None or post.question.hidden_at is not None


def _question(question):
    if question.deleted_at is not None:
        return {"id": question.pk, "deleted": True}
    if question.hidden_at is not None:
        # Its canonical address holds its title (the slug): the short one does not.
        link = absolute(cached_reverse("questions:question_permalink", pk=question.pk))
        return {"id": question.pk, "title": None, "link": link, "hidden": True}
    return {
        "id": question.pk,
        "title": question.title,
        "link": absolute(question.get_absolute_url()),
        "hidden": False,
    }


def _post(post, *, body=True):
    data = {
        "id": post.pk,
        "type": "question" if post.is_question else "answer",
        "question": _question(post.question),
        "deleted": post.deleted_at is not None,
    }
    if _withheld(post):
        return data
    data.update(
        link=absolute(post.get_absolute_url()),
        author=_user(post.author, post.author_name),
        score=post.score,
        created_at=_time(post.created_at),
    )
    if post.is_question:
        data.update(
            title=post.title,
            tags=sorted(tag.name for tag in post.tags.all()),
            closed=post.closed_at is not None,
        )
    if body:
        data["body_markdown"] = post.body_markdown
    return data


def _post_read(post_id):
    return (
        Post.objects.filter(pk=post_id)
        .select_related("parent", "author")
        .only(*POST_COLUMNS)
        .prefetch_related("tags")
        .first()
    )


def _comment(comment):
    post = comment.post
    data = {"id": comment.pk, "post": _post(post, body=False), "deleted": bool(comment.deleted_at)}
    if comment.deleted_at is None and not _withheld(post):
        data.update(
            link=absolute(f"{post.get_absolute_url().split('#')[0]}#comment-{comment.pk}"),
            author=_user(comment.author, comment.author_name),
            body_markdown=comment.body_markdown,
            created_at=_time(comment.created_at),
        )
    return data


def post_event(*, post_id, **_ids):
    post = _post_read(post_id)
    return None if post is None else {"post": _post(post)}


def answer_accepted(*, post_id, accepter_id, **_ids):
    answer = _post_read(post_id)
    if answer is None:
        return None
    accepter = User.objects.filter(pk=accepter_id).first()
    return {"post": _post(answer), "accepted_by": _user(accepter)}


def comment_posted(*, comment_id, **_ids):
    comment = (
        Comment.objects.filter(pk=comment_id)
        .select_related("author", "post__parent", "post__author")
        .first()
    )
    return None if comment is None else {"comment": _comment(comment)}


def post_edited(*, post_id, revision_id, **_ids):
    post = _post_read(post_id)
    revision = PostRevision.objects.filter(pk=revision_id).select_related("author").first()
    if post is None or revision is None:
        return None
    data = {"post": _post(post), "revision": {"number": revision.number}}
    if not _withheld(post):
        data["revision"].update(
            editor=_user(revision.author, revision.author_name),
            summary=revision.summary,
            created_at=_time(revision.created_at),
        )
    return data


def _flag(flag_id):
    flag = (
        Flag.objects.filter(pk=flag_id)
        .select_related("post__parent", "post__author", "comment__post__parent")
        .first()
    )
    if flag is None:
        return None
    data = {"id": flag.pk, "reason": flag.reason, "status": flag.status}
    if flag.comment_id:
        comment = flag.comment
        data["comment"] = {"id": comment.pk, "post": _post(comment.post, body=False)}
    elif flag.post_id:
        data["post"] = _post(flag.post, body=False)
    return {"flag": data}


def flag_event(*, flag_id, **_ids):
    return _flag(flag_id)


def user_suspended(*, suspension_id, **_ids):
    suspension = Suspension.objects.filter(pk=suspension_id).select_related("user").first()
    if suspension is None:
        return None
    return {"user": _user(suspension.user), "suspended_until": _time(suspension.ends_at)}


BUILDERS = {
    Kind.QUESTION_ASKED: post_event,
    Kind.ANSWER_POSTED: post_event,
    Kind.ANSWER_ACCEPTED: answer_accepted,
    Kind.COMMENT_POSTED: comment_posted,
    Kind.POST_EDITED: post_edited,
    Kind.FLAG_RAISED: flag_event,
    Kind.FLAG_SETTLED: flag_event,
    Kind.USER_SUSPENDED: user_suspended,
}


def payload(*, kind, event_id, ids):
    """The whole body of `kind`'s event `event_id` (the ids it carried), or None."""
    data = BUILDERS[kind](**ids)
    if data is None:
        return None
    return {
        "event": kind,
        "event_id": event_id,
        "created_at": _time(timezone.now()),
        "site": absolute("/"),
        "data": data,
    }
