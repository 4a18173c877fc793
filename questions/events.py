"""What the questions app tells the rest of the site (see core/events.py for how).

Every event about a post carries the post's id and its question's id (the same for a
question), so a subscriber knows the thread without a query. `changes_lists` says whether
the question lists show the change, as well as the thread.
"""

from dataclasses import dataclass
from typing import ClassVar

from core.events import Event


@dataclass(frozen=True, kw_only=True)
class PostChanged(Event):
    """Something its thread shows changed about a post. Subscribe to this class to hear
    every event about a post, whichever app publishes it."""

    post_id: int
    question_id: int

    changes_lists: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True)
class QuestionAsked(PostChanged):
    """A question came out: asked, or `released` from the first posts' review."""

    author_id: int
    released: bool = False


@dataclass(frozen=True, kw_only=True)
class AnswerPosted(PostChanged):
    """An answer came out: posted, or `released` from the first posts' review."""

    author_id: int
    released: bool = False


@dataclass(frozen=True, kw_only=True)
class PostHeld(PostChanged):
    """A member's first question or answer was stored held for review
    (FORUM_HOLD_FIRST_POSTS): nobody but its author and the reviewers sees it until it is
    released (QuestionAsked or AnswerPosted, `released`) or deleted."""

    author_id: int

    changes_lists: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True)
class CommentPosted(PostChanged):
    """A comment on the post `post_id`."""

    comment_id: int
    author_id: int


@dataclass(frozen=True, kw_only=True)
class CommentChanged(PostChanged):
    """Something its thread shows changed about the comment `comment_id` on the post
    `post_id`: the lists show nothing of comments."""

    comment_id: int

    changes_lists: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True)
class CommentEdited(CommentChanged):
    """Its author changed the comment's text."""

    editor_id: int


@dataclass(frozen=True, kw_only=True)
class CommentDeleted(CommentChanged):
    """Soft-deleted by `actor_id`: its author (`author_id`), a moderator, or None for the
    system (flags)."""

    author_id: int | None
    actor_id: int | None


@dataclass(frozen=True, kw_only=True)
class CommentUndeleted(CommentChanged):
    actor_id: int | None


@dataclass(frozen=True, kw_only=True)
class CommentVoteCast(CommentChanged):
    """`voter_id` voted the comment up (`value` 1) or withdrew their vote (0)."""

    voter_id: int
    value: int


@dataclass(frozen=True, kw_only=True)
class PostEdited(PostChanged):
    """An edit or a rollback, which appended the revision `revision_id`."""

    editor_id: int
    revision_id: int


@dataclass(frozen=True, kw_only=True)
class VoteCast(PostChanged):
    """`voter_id`'s vote on the post is now `value` (1, -1, or 0 when withdrawn); it was
    `previous`."""

    voter_id: int
    value: int
    previous: int

    @property
    def changes_lists(self):
        # The lists show questions' scores, not answers'.
        return self.post_id == self.question_id


@dataclass(frozen=True, kw_only=True)
class AnswerAccepted(PostChanged):
    """The answer `post_id` is accepted, in place of `previous_answer_id` (or None)."""

    accepter_id: int
    previous_answer_id: int | None


@dataclass(frozen=True, kw_only=True)
class AnswerUnaccepted(PostChanged):
    """The asker took back the acceptance of the answer `post_id`."""

    accepter_id: int


@dataclass(frozen=True, kw_only=True)
class PostDeleted(PostChanged):
    """Soft-deleted by `actor_id`: the author, a moderator, or None for the system."""

    actor_id: int | None


@dataclass(frozen=True, kw_only=True)
class PostUndeleted(PostChanged):
    actor_id: int | None


@dataclass(frozen=True, kw_only=True)
class TagDescribed(Event):
    tag_id: int
    editor_id: int | None
