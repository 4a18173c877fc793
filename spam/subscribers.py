"""The events the spam app hears: new posts and comments go to the spam check, when one
is enabled (spam.checking)."""

from core.events import subscribe
from questions import events
from spam import checking, tasks


def post_written(event):
    if checking.backend().enabled():
        tasks.content_check.delay("post", event.post_id)


def comment_posted(event):
    if checking.backend().enabled():
        tasks.content_check.delay("comment", event.comment_id)


def register():
    subscribe(events.QuestionAsked, post_written)
    subscribe(events.AnswerPosted, post_written)
    subscribe(events.CommentPosted, comment_posted)
