"""The reviews app's writes. Each is one transaction, re-checks its rules under its locks
and publishes what happened (reviews/events.py).

The modules: suggestions (suggested edits: made, approved, rejected, superseded), tasks
(a post entering or leaving a queue), reviewing (a reviewer's action on a task and the
outcome it reaches).
"""

from reviews.services.reviewing import PostEdit, ReviewRefused, review_submit
from reviews.services.suggestions import (
    SuggestionRefused,
    suggestion_create,
    suggestions_supersede,
)
from reviews.services.tasks import task_open, tasks_invalidate, tasks_settle

__all__ = [
    "PostEdit",
    "ReviewRefused",
    "SuggestionRefused",
    "review_submit",
    "suggestion_create",
    "suggestions_supersede",
    "task_open",
    "tasks_invalidate",
    "tasks_settle",
]
