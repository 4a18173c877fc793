"""What the moderation app tells the rest of the site (see core/events.py for how)."""

from dataclasses import dataclass
from datetime import datetime

from core.events import Event
from questions.events import PostChanged


@dataclass(frozen=True, kw_only=True)
class PostModerated(PostChanged):
    """A post's moderation state changed: `state` is "locked", "protected", "closed" or
    "hidden" (by flags), now `on` or off. `actor_id` None: the system or the community's
    votes."""

    state: str
    on: bool
    actor_id: int | None


@dataclass(frozen=True, kw_only=True)
class FlagRaised(Event):
    """A flag on a post, or on a comment (then `comment_id` is set and `post_id` is the
    comment's post)."""

    flag_id: int
    reporter_id: int
    reason: str
    post_id: int | None
    comment_id: int | None


@dataclass(frozen=True, kw_only=True)
class FlagSettled(Event):
    """A moderator (or the system, `handler_id` None, or the community managers through an
    escalation) settled the flag: `status` is "helpful" or "declined"."""

    flag_id: int
    reporter_id: int
    status: str
    handler_id: int | None


@dataclass(frozen=True, kw_only=True)
class CommentRemoved(Event):
    """A moderator (`actor_id`), or the flags of members (`actor_id` None), removed the
    comment `comment_id` of `author_id` on the post `post_id`. `reason` is the flag reason
    it was removed for ("harassment", "unfriendly", "no_longer_needed", "other"), or
    "moderator" for a moderator's own deletion. (questions.events.CommentDeleted, published
    with it, tells the page cache.)"""

    comment_id: int
    post_id: int
    question_id: int
    author_id: int
    reason: str
    actor_id: int | None


@dataclass(frozen=True, kw_only=True)
class CloseVoteCast(Event):
    question_id: int
    user_id: int
    kind: str  # "close" or "reopen"


@dataclass(frozen=True, kw_only=True)
class EscalationRaised(Event):
    """A moderator's escalation to the community managers, or an author's appeal
    (`kind` "appeal")."""

    escalation_id: int
    kind: str
    raised_by_id: int


@dataclass(frozen=True, kw_only=True)
class EscalationResolved(Event):
    """The community managers' decision; for an appeal, `subject_user_id` is the author
    who appealed."""

    escalation_id: int
    kind: str
    manager_id: int
    subject_user_id: int | None


@dataclass(frozen=True, kw_only=True)
class ModeratorMessageSent(Event):
    message_id: int
    recipient_id: int
    sender_id: int | None


@dataclass(frozen=True, kw_only=True)
class UserSuspended(Event):
    user_id: int
    moderator_id: int | None
    suspension_id: int
    ends_at: datetime


@dataclass(frozen=True, kw_only=True)
class SuspensionLifted(Event):
    user_id: int
    moderator_id: int | None
    suspension_id: int


@dataclass(frozen=True, kw_only=True)
class RoleChanged(Event):
    """`role` is "user", "moderator" or "community_manager"."""

    user_id: int
    role: str
    actor_id: int | None
