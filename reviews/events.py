"""What the reviews app tells the rest of the site (see core/events.py for how). Nothing
below this app hears them; they are for this app's own subscribers and the apps above."""

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True, kw_only=True)
class SuggestionMade(Event):
    suggestion_id: int
    post_id: int
    question_id: int
    suggester_id: int


@dataclass(frozen=True, kw_only=True)
class SuggestionApproved(Event):
    """Approved by `decided_by_id` (the post's author, a moderator, an improving reviewer
    or the last of the approving reviewers); the post now reads as revision `revision_id`."""

    suggestion_id: int
    post_id: int
    question_id: int
    suggester_id: int
    decided_by_id: int
    revision_id: int


@dataclass(frozen=True, kw_only=True)
class SuggestionRejected(Event):
    """Rejected for `reason` (SuggestedEdit.RejectReason) by `decided_by_id`, or by the
    system (None) when the post was edited meanwhile."""

    suggestion_id: int
    post_id: int
    question_id: int
    suggester_id: int
    decided_by_id: int | None
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReviewRecorded(Event):
    """A reviewer's action on a task, skips too. For an audit task `audit_passed` says
    whether it was the expected action (None: not an audit)."""

    review_id: int
    task_id: int
    queue: str
    post_id: int
    reviewer_id: int
    action: str
    is_audit: bool
    audit_passed: bool | None


@dataclass(frozen=True, kw_only=True)
class ReviewTaskCompleted(Event):
    """A task reached its outcome (ReviewTask.Outcome); `reviewer_id` is the reviewer whose
    review completed it, None when the post's fate was decided elsewhere (a question closed
    by a moderator, say)."""

    task_id: int
    queue: str
    post_id: int
    outcome: str
    reviewer_id: int | None
