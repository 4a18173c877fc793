"""The domain events webhooks hear: each one that a webhook may subscribe to is handed to
a task (after the commit of the change, as every subscriber is called), with an id of its
own that its deliveries share."""

import uuid
from dataclasses import asdict

from core.events import subscribe
from moderation.events import FlagRaised, FlagSettled, UserSuspended
from questions.events import (
    AnswerAccepted,
    AnswerPosted,
    CommentPosted,
    PostEdited,
    QuestionAsked,
)
from webhooks import selectors, tasks
from webhooks.kinds import Kind

EVENTS = {
    QuestionAsked: Kind.QUESTION_ASKED,
    AnswerPosted: Kind.ANSWER_POSTED,
    AnswerAccepted: Kind.ANSWER_ACCEPTED,
    CommentPosted: Kind.COMMENT_POSTED,
    PostEdited: Kind.POST_EDITED,
    FlagRaised: Kind.FLAG_RAISED,
    FlagSettled: Kind.FLAG_SETTLED,
    UserSuspended: Kind.USER_SUSPENDED,
}


def _handler(kind):
    def heard(event):
        if kind not in selectors.kinds_heard():
            return
        # Ids and plain values only: what a task's message carries as it is.
        ids = {
            name: value
            for name, value in asdict(event).items()
            if value is None or isinstance(value, int | str)
        }
        tasks.event_heard.delay(kind=str(kind), event_id=uuid.uuid4().hex, ids=ids)

    heard.__name__ = heard.__qualname__ = f"webhooks_{kind.name.lower()}"
    return heard


# Made once, at import: subscribing the same function again (ready() twice) adds nothing.
HANDLERS = {event_type: _handler(kind) for event_type, kind in EVENTS.items()}


def register():
    for event_type, handler in HANDLERS.items():
        subscribe(event_type, handler)
