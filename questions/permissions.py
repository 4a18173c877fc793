"""Who may do what with posts: one function per rule, used by views (to enforce) and by
templates (to decide which buttons to show).

Each `*_denial` function returns None when the action is allowed, otherwise the reason,
ready to show to the user; `accounts.permissions.require` turns a reason into a 403.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import account_denial
from accounts.privileges import has_privilege, new_user_limited, threshold
from accounts.roles import is_moderator
from questions.models import Vote


def can_see_deleted(user, post):
    return user.is_authenticated and (post.author_id == user.pk or is_moderator(user))


def can_see(user, post):
    """Whether `user` may see `post` at all: deleted posts, and answers to deleted
    questions, exist only for their authors and the moderators."""
    if post.deleted_at and not can_see_deleted(user, post):
        return False
    if not post.is_question:
        return can_see(user, post.parent)
    return True


def first_post_held(user, post_type):
    """Whether `user`'s new post of `post_type` waits for review before anyone else sees
    it: with FORUM_HOLD_FIRST_POSTS, a member's first question and first answer, "first"
    as the first posts' review queues count them (no earlier post of that type, deleted
    ones included); never a moderator's."""
    if not settings.FORUM_HOLD_FIRST_POSTS or is_moderator(user):
        return False
    return not user.posts.filter(post_type=post_type).exists()


def can_see_comment(user, comment):
    """Whether `user` may see `comment`: a deleted one exists only for the moderators (as
    on Stack Exchange, not even for its author), and only where they may see its post."""
    if comment.deleted_at and not is_moderator(user):
        return False
    return can_see(user, comment.post)


def ask_denial(user):
    return account_denial(user)


def following_denial(user):
    """Why `user` may not save questions (the Save button) or choose their watched and
    ignored tags: what only a member in good standing does."""
    return account_denial(user)


def image_upload_denial(user):
    """Why `user` may not upload images for posts: below the reputation that lifts the new
    users' limit on links and images, posts may hold none."""
    if reason := account_denial(user):
        return reason
    if new_user_limited(user, "links"):
        return _("You need %(reputation)s reputation to post images.") % {
            "reputation": threshold("links")
        }
    return None


def create_tags_denial(user):
    if has_privilege(user, "create_tags"):
        return None
    return _("You need %(reputation)s reputation to create new tags.") % {
        "reputation": threshold("create_tags")
    }


def answer_denial(user, question):
    # The state of the question comes first: logging in would not help.
    if question.deleted_at:
        return _("This question has been deleted.")
    if question.locked_at and not is_moderator(user):
        return _("This question is locked.")
    if question.closed_at:
        return _("This question is closed and takes no new answers.")
    return account_denial(user)


def comment_denial(user, post):
    # A held post takes the reviewers' feedback (only they and its author see it).
    if post.deleted_at and not post.held_at:
        return _("This post has been deleted.")
    if post.locked_at and not is_moderator(user):
        return _("This post is locked.")
    if reason := account_denial(user):
        return reason
    question = post.question
    own_thread = user.pk in {post.author_id, question.author_id}
    if own_thread or has_privilege(user, "comment_everywhere"):
        return None
    return _("You need %(reputation)s reputation to comment on other people's posts.") % {
        "reputation": threshold("comment_everywhere")
    }


def edit_denial(user, post):
    if reason := account_denial(user):
        return reason
    if post.deleted_at and not post.held_at and not is_moderator(user):
        return _("This post has been deleted.")
    if post.locked_at and not is_moderator(user):
        return _("This post is locked.")
    if post.author_id == user.pk or has_privilege(user, "edit_others"):
        return None
    return _("You need %(reputation)s reputation to edit other people's posts.") % {
        "reputation": threshold("edit_others")
    }


def delete_denial(user, post):
    if reason := account_denial(user):
        return reason
    if post.deleted_at and not post.held_at:
        return _("This post has been deleted.")
    if is_moderator(user):
        return None
    if post.author_id != user.pk:
        return _("Only the author or a moderator can delete this post.")
    if post.locked_at:
        return _("This post is locked.")
    if post.is_question and _has_upvoted_answers(post):
        return _("You cannot delete a question that has upvoted answers.")
    return None


def _has_upvoted_answers(question):
    # The thread selector annotates the question with this, so that showing the delete
    # button costs the thread page no query.
    annotated = getattr(question, "has_upvoted_answers", None)
    if annotated is not None:
        return annotated
    return question.answers.filter(deleted_at__isnull=True, score__gt=0).exists()


def undelete_denial(user, post):
    if reason := account_denial(user):
        return reason
    if not post.deleted_at:
        return _("This post is not deleted.")
    if is_moderator(user):
        return None
    if post.held_at:
        return _("This post is waiting for review.")
    if post.author_id == user.pk and post.deleted_by_id == user.pk:
        return None
    return _("Only a moderator can undelete this post.")


def _is_deleted(post):
    return bool(post.deleted_at or (not post.is_question and post.parent.deleted_at))


def vote_denial(user, post, value=None):
    """Why `user` may not vote on `post` (None if they may). With `value` (1 or -1) it
    also asks for the privilege of voting that way."""
    if reason := account_denial(user):
        return reason
    if _is_deleted(post):
        return _("This post has been deleted.")
    if post.locked_at:
        return _("This post is locked.")
    if post.author_id == user.pk:
        return _("You can't vote on your own post.")
    if value == Vote.Value.UP and not has_privilege(user, "vote_up"):
        return _("You need %(reputation)s reputation to vote up.") % {
            "reputation": threshold("vote_up")
        }
    if value == Vote.Value.DOWN and not has_privilege(user, "vote_down"):
        return _("You need %(reputation)s reputation to vote down.") % {
            "reputation": threshold("vote_down")
        }
    return None


def accept_denial(user, answer):
    """Why `user` may not accept `answer`, or take their acceptance back (None if they may)."""
    if reason := account_denial(user):
        return reason
    question = answer.parent
    if question.author_id != user.pk:
        return _("Only the person who asked the question can accept an answer.")
    if question.deleted_at:
        return _("This question has been deleted.")
    if answer.deleted_at:
        return _("This answer has been deleted.")
    return None


def tag_edit_denial(user, tag):
    """Why `user` may not change the description of `tag` (None if they may): those who may
    edit other people's posts may describe tags too."""
    if reason := account_denial(user):
        return reason
    if has_privilege(user, "edit_others"):
        return None
    return _("You need %(reputation)s reputation to edit tag descriptions.") % {
        "reputation": threshold("edit_others")
    }


# Comments


def comment_edit_denial(user, comment):
    """Its author may change a comment for FORUM_COMMENT_EDIT_MINUTES after posting it,
    as on Stack Exchange; after that it stays as it was read (delete it and write another)."""
    if reason := account_denial(user):
        return reason
    if comment.deleted_at or _is_deleted(comment.post):
        return _("This comment has been deleted.")
    if comment.author_id != user.pk:
        return _("Only its author can edit a comment.")
    if comment.post.locked_at:
        return _("This post is locked.")
    minutes = settings.FORUM_COMMENT_EDIT_MINUTES
    if timezone.now() - comment.created_at > timedelta(minutes=minutes):
        return ngettext(
            "A comment can be edited only within %(minutes)s minute of posting it.",
            "A comment can be edited only within %(minutes)s minutes of posting it.",
            minutes,
        ) % {"minutes": minutes}
    return None


def comment_delete_denial(user, comment):
    """Its author may delete a comment at any time (unless the post is locked); the
    moderators any comment, with a reason for the audit log."""
    if reason := account_denial(user):
        return reason
    if comment.deleted_at:
        return _("This comment has been deleted.")
    if is_moderator(user):
        return None
    if comment.author_id != user.pk:
        return _("Only its author or a moderator can delete a comment.")
    if comment.post.locked_at:
        return _("This post is locked.")
    return None


def comment_undelete_denial(user, comment):
    if reason := account_denial(user):
        return reason
    if not comment.deleted_at:
        return _("This comment is not deleted.")
    if is_moderator(user):
        return None
    return _("Only a moderator can undelete a comment.")


def comment_vote_denial(user, comment):
    """Why `user` may not vote `comment` up, or withdraw their vote (None if they may):
    the privilege of voting posts up, never on one's own comment. The daily limit is the
    service's (voting.comment_vote), which counts under a lock."""
    if reason := account_denial(user):
        return reason
    if comment.deleted_at or _is_deleted(comment.post):
        return _("This comment has been deleted.")
    if comment.post.locked_at:
        return _("This post is locked.")
    if comment.author_id == user.pk:
        return _("You can't vote on your own comment.")
    if not has_privilege(user, "vote_up"):
        return _("You need %(reputation)s reputation to vote up comments.") % {
            "reputation": threshold("vote_up")
        }
    return None
