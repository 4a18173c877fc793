"""Domain events: how a service tells the rest of the site what happened, without knowing
who listens.

A service publishes a fact (`publish(AnswerPosted(...))`) inside its transaction; the
fact is delivered to the subscribers after that transaction commits, and never when it
rolls back (a rolled-back savepoint drops the facts published inside it, too). Outside a
transaction it is delivered at once. Each app subscribes in its `AppConfig.ready()`, so
a new app (notifications, badges, webhooks …) reacts to answers, votes and flags without
the publishing app importing it.

Events are frozen dataclasses holding primary keys and plain values, never model
instances: a subscriber reads what it needs afresh, after the commit, and a task queue can
carry the event as it is. Subscribing to a class also subscribes to its subclasses (a
subscriber of `PostChanged` hears every event about a post).

Subscribers must be quick: anything slow (mail, fan-out, webhooks) is handed to a
background task. A subscriber that raises is logged and does not keep the others from
their delivery, since the change it reacts to has been committed already; with
`FORUM_EVENT_ERRORS_RAISE` (the tests set it) the error is raised instead.

The catalogue lives beside each publisher: `questions/events.py`, `moderation/events.py`;
docs/ARCHITECTURE.md lists it.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

_subscribers = defaultdict(list)


@dataclass(frozen=True, kw_only=True)
class Event:
    """The base of every domain event. Subclasses are frozen, keyword-only dataclasses."""


def subscribe(event_type, handler):
    """Calls `handler(event)` for each committed event of `event_type` or a subclass of it.
    Subscribing the same handler twice has no effect (AppConfig.ready() may run twice)."""
    if not (isinstance(event_type, type) and issubclass(event_type, Event)):
        raise TypeError(f"{event_type!r} is not an Event class")
    if handler not in _subscribers[event_type]:
        _subscribers[event_type].append(handler)


def unsubscribe(event_type, handler):
    if handler in _subscribers[event_type]:
        _subscribers[event_type].remove(handler)


def handlers_for(event_type):
    """The handlers an event of `event_type` reaches, the most general subscription first."""
    return [
        handler
        for cls in reversed(event_type.__mro__)
        if cls in _subscribers
        for handler in _subscribers[cls]
    ]


def publish(event, *, using=None):
    """Delivers `event` once the current transaction of the database `using` commits."""
    if not isinstance(event, Event):
        raise TypeError(f"{event!r} is not an Event")
    transaction.on_commit(partial(deliver, event), using=using)


def deliver(event):
    """Calls each subscriber of `event` now. `publish` calls it after the commit."""
    for handler in handlers_for(type(event)):
        try:
            handler(event)
        except Exception:
            if getattr(settings, "FORUM_EVENT_ERRORS_RAISE", False):
                raise
            logger.exception("Subscriber %r failed on %r", handler, event)
