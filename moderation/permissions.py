"""Who may do what in moderation: one function per rule, returning the reason an action
is refused (None when allowed), used by views to enforce and by templates to show."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import account_denial
from accounts.privileges import has_privilege, threshold
from accounts.roles import is_community_manager, is_moderator
from moderation.models import CloseVote, Escalation, Flag


def moderate_denial(user):
    if reason := account_denial(user):
        return reason
    if not is_moderator(user):
        return _("Only moderators can do this.")
    return None


def manage_denial(user):
    if reason := account_denial(user):
        return reason
    if not is_community_manager(user):
        return _("Only community managers can do this.")
    return None


def flag_denial(user, target):
    """Why `user` may not flag `target`, a post or a comment."""
    return flag_target_denial(user, target) or flag_quota_denial(user)


def flag_target_denial(user, target):
    """What `flag_denial` asks of the user and the target, without the daily quota: what
    a page asks to show a Flag link on each post without a query per post. The thread
    selector annotates posts and comments with `viewer_flag_pending`."""
    if reason := account_denial(user):
        return reason
    if not has_privilege(user, "flag"):
        return _("You need %(reputation)s reputation to flag.") % {"reputation": threshold("flag")}
    if target.author_id == user.pk:
        return _("You cannot flag your own post.")
    # A held post can be flagged: by its reviewers, who alone see it.
    if target.deleted_at and not getattr(target, "held_at", None):
        return _("This has been deleted already.")
    pending = getattr(target, "viewer_flag_pending", None)
    if pending is None:
        field = "comment" if target.__class__.__name__ == "Comment" else "post"
        pending = Flag.objects.filter(
            reporter=user, status=Flag.Status.PENDING, **{field: target}
        ).exists()
    if pending:
        return _("You have flagged this already; a moderator will look at it.")
    return None


def flag_quota_denial(user):
    since = timezone.now() - timedelta(days=1)
    if (
        Flag.objects.filter(reporter=user, created_at__gte=since).count()
        >= settings.FORUM_FLAGS_PER_DAY
    ):
        return _("You have used all %(count)s flags for today.") % {
            "count": settings.FORUM_FLAGS_PER_DAY
        }
    return None


def flag_list_denial(user, member):
    """Flags are private: only the flagger and the moderators see someone's flags."""
    if not user.is_authenticated:
        return _("You need to log in first.")
    if user.pk != member.pk and not is_moderator(user):
        return _("Only %(name)s and the moderators can see these flags.") % {"name": member.name}
    return None


def close_vote_denial(user, question, kind):
    """Why `user` may not vote to close (or reopen, by `kind`) `question`."""
    if reason := account_denial(user):
        return reason
    if question.deleted_at:
        return _("This question has been deleted.")
    if kind == CloseVote.Kind.CLOSE and question.closed_at:
        return _("This question is closed already.")
    if kind == CloseVote.Kind.REOPEN and not question.closed_at:
        return _("This question is open.")
    if not has_privilege(user, "close_reopen"):
        return _("You need %(reputation)s reputation to vote to close or reopen questions.") % {
            "reputation": threshold("close_reopen")
        }
    if CloseVote.objects.live().filter(question=question, user=user, kind=kind).exists():
        return _("You have voted on this already.")
    return None


def appeal_denial(user, post):
    """Only the author of a post that was deleted or locked may appeal, once at a time."""
    if reason := account_denial(user):
        return reason
    if post.author_id != user.pk:
        return _("Only the author of a post can appeal its removal.")
    if not (post.deleted_at or post.locked_at):
        return _("This post has not been removed or locked.")
    if post.deleted_by_id == user.pk and not post.locked_at:
        return _("You deleted this post yourself: you can undelete it.")
    if Escalation.objects.filter(
        kind=Escalation.Kind.APPEAL,
        post=post,
        status__in=[Escalation.Status.OPEN, Escalation.Status.ASSIGNED],
    ).exists():
        return _("Your appeal is waiting for a community manager.")
    return None
