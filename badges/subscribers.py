"""The events that bring badges up for evaluation: each names the parts members played
(the voter, the author of the post voted on …), and a task evaluates the badges that
listen to those parts (`on` in badges/table.py) for those members only."""

from django.conf import settings

from badges import tasks
from badges.events import BadgeAwarded
from moderation.events import FlagRaised, FlagSettled
from questions.events import (
    AnswerAccepted,
    CommentPosted,
    CommentVoteCast,
    PostEdited,
    VoteCast,
)
from reviews.events import ReviewRecorded, SuggestionApproved

# Event → its parts: a role (see the table's `on`) and the event's field with the member;
# "post" and "comment" are ids whose authors the task looks up.
PARTS = {
    VoteCast: {"voter": "voter_id", "post": "post_id"},
    AnswerAccepted: {"accepter": "accepter_id", "post": "post_id"},
    PostEdited: {"editor": "editor_id"},
    SuggestionApproved: {"editor": "suggester_id"},
    CommentPosted: {"commenter": "author_id"},
    CommentVoteCast: {"comment": "comment_id"},
    FlagRaised: {"flagger": "reporter_id"},
    FlagSettled: {"flagger": "reporter_id"},
    ReviewRecorded: {"reviewer": "reviewer_id"},
}


def event_heard(event):
    if not settings.FORUM_BADGES_ON_EVENTS:
        return
    parts = {
        role: [getattr(event, name)]
        for role, name in PARTS[type(event)].items()
        if getattr(event, name) is not None
    }
    if isinstance(event, VoteCast) and event.value <= event.previous:
        # The post's score went down or stayed (a vote withdrawn, a down vote): every badge
        # its author's part evaluates asks for a score of at least some number (a post's,
        # or the answers' in a tag), so none can have come due; about 25 queries saved.
        parts.pop("post", None)
    if parts:
        tasks.badges_evaluate_parts.delay(parts)


def badge_awarded(event):
    if not event.imported:
        tasks.award_tell.delay(event.award_id)


def subscribe_all(subscribe):
    for event_type in PARTS:
        subscribe(event_type, event_heard)
    subscribe(BadgeAwarded, badge_awarded)
