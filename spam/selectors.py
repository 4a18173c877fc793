"""What the moderators' spam pages read: the accounts a bulk cleanup finds, their preview,
and a destruction's changes."""

import ipaddress
import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from questions.models import Comment, Post
from spam.models import Change, Destruction, Verdict

User = get_user_model()
PREVIEW_SIZE = 100


def link_pattern(domain):
    """A regular expression for a link to `domain` or any name under it."""
    return r"https?://([a-z0-9-]+\.)*" + re.escape(domain.lower()) + r"([/:?#)\"'\s]|$)"


def accounts_found(
    *,
    address_range=None,
    joined_after=None,
    joined_before=None,
    email_domain="",
    link_domain="",
    judged_spam=False,
):
    """The accounts a bulk cleanup may destroy that match every criterion given: signed
    up from `address_range` (an ip_network), in the time window, with an address at
    `email_domain`, linking to `link_domain` in a live post or comment or their profile,
    or with content the spam check called spam. Never moderators, community managers or
    superusers, nor accounts destroyed already."""
    users = User.objects.filter(
        is_active=True, is_moderator=False, is_staff=False, is_superuser=False
    ).exclude(Exists(Destruction.objects.filter(user=OuterRef("pk"), undone_at__isnull=True)))
    if joined_after:
        users = users.filter(date_joined__gte=joined_after)
    if joined_before:
        users = users.filter(date_joined__lt=joined_before)
    if email_domain:
        domain = email_domain.lower().lstrip("@")
        users = users.filter(Q(email__iendswith=f"@{domain}") | Q(email__iendswith=f".{domain}"))
    if link_domain:
        pattern = link_pattern(link_domain)
        users = users.filter(
            Exists(
                Post.objects.filter(
                    author=OuterRef("pk"), deleted_at__isnull=True, body_markdown__iregex=pattern
                )
            )
            | Exists(
                Comment.objects.filter(
                    author=OuterRef("pk"), deleted_at__isnull=True, body_markdown__iregex=pattern
                )
            )
            | Q(website__iregex=pattern)
            | Q(about_markdown__iregex=pattern)
        )
    if judged_spam:
        users = users.filter(Exists(Verdict.objects.filter(author=OuterRef("pk"), is_spam=True)))
    if address_range is not None:
        users = _in_range(users, address_range)
    return users.order_by("pk")


def _in_range(users, network):
    if connection.vendor == "postgresql":
        # The inet column's own operator: contained in or equal to the network.
        return users.extra(
            where=[f'"{User._meta.db_table}"."signup_address" <<= %s::inet'], params=[str(network)]
        )
    ids = [
        pk
        for pk, address in users.filter(signup_address__isnull=False).values_list(
            "pk", "signup_address"
        )
        if ipaddress.ip_address(address) in network
    ]
    return users.filter(pk__in=ids)


def accounts_preview(users):
    """The first accounts found, with what a destruction would take of each."""
    live_comments = Count("comments", filter=Q(comments__deleted_at__isnull=True))
    return list(
        users.annotate(live_comments=live_comments).only(
            "username",
            "display_name",
            "email",
            "signup_address",
            "date_joined",
            "question_count",
            "answer_count",
            "votes_up",
            "votes_down",
        )[:PREVIEW_SIZE]
    )


def destruction_changes(destruction):
    """{kind label: [object ids]} of what the destruction changed."""
    changes = {}
    for kind, object_id in destruction.changes.values_list("kind", "object_id"):
        changes.setdefault(Change.Kind(kind).label, []).append(object_id)
    return changes
