"""Moderation's two admin sites. The moderators' panel at /moderation/ (`site.moderator_site`)
holds the flag queue, suspensions and messages, their own escalations, close votes and the
audit log; the staff /admin/ gains the community managers' escalation queue, read-only
moderation records, the state actions on posts and the role actions on users. Moderators
hold no Django model permissions, so every ModelAdmin says itself who may do what, and
everything that changes data goes through moderation.services, which writes the audit log.

Importing the modules registers their admins: Django's autodiscover imports this package."""

from moderation.admin import flag_queue, people, posts, staff  # noqa: F401
