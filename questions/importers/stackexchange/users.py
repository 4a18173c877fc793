"""Users.xml: an account per dump user, its reputation carried over as an opening balance."""

import re
from urllib.parse import urlsplit

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User, name_keys
from core.markdown import render_post
from questions.importers.stackexchange.rows import batched
from questions.importers.stackexchange.state import existing_source_urls
from questions.models import ReputationEvent


def import_users(state):
    prefix = _username_prefix(state.site)
    now = timezone.now()
    created = present = 0
    for batch in batched(state.rows("Users.xml")):
        by_url = {}
        for row in batch:
            user_id = row.integer("Id")
            by_url[f"{state.site}/users/{user_id}"] = (user_id, row)
        existing = existing_source_urls(User.objects, by_url)
        for url, pk in existing.items():
            state.users[by_url[url][0]] = pk
        fresh = [
            (user_id, _new_user(row, user_id, url, prefix))
            for url, (user_id, row) in by_url.items()
            if url not in existing
        ]
        _make_usernames_unique([user for _, user in fresh])
        User.objects.bulk_create([user for _, user in fresh])
        # The dump's reputation is carried over as an opening balance on top of the
        # 1 every account starts with.
        ReputationEvent.objects.bulk_create(
            ReputationEvent(
                user=user,
                kind=ReputationEvent.Kind.OPENING_BALANCE,
                delta=user.reputation - 1,
                created_at=now,
            )
            for _, user in fresh
            if user.reputation > 1
        )
        for user_id, user in fresh:
            state.users[user_id] = user.pk
        created += len(fresh)
        present += len(existing)
    state.summary.created["users"] += created
    state.summary.already_present += present
    state.say(f"Users.xml: {created} users created, {present} already present")


def _username_prefix(site_url):
    """The start of imported usernames: the site's name, as in conlang-user42."""
    host = (urlsplit(site_url).hostname or "site").removeprefix("www.")
    if host.endswith(".stackexchange.com"):
        host = host.removesuffix(".stackexchange.com")
    elif "." in host:
        host = host.rsplit(".", 1)[0]
    # Django's username validator allows letters, digits and @ . + - _ only.
    return re.sub(r"[^\w.+-]", "-", host)


def _new_user(row, user_id, url, prefix):
    about = row.text("AboutMe")
    website = row.text("WebsiteUrl")
    username = f"{prefix}-user{user_id}"
    display_name = row.text("DisplayName")[:100]
    return User(
        username=username,
        display_name=display_name,
        **name_keys(username=username, display_name=display_name),
        password=make_password(None),
        date_joined=row.date("CreationDate"),
        last_seen_at=row.optional_date("LastAccessDate"),
        location=row.text("Location")[:100],
        website=(
            website if len(website) <= 200 and website.startswith(("http://", "https://")) else ""
        ),
        about_markdown=about,
        about_html=render_post(about),
        reputation=max(1, row.optional_integer("Reputation") or 1),
        source_url=url,
    )


def _make_usernames_unique(users):
    """Gives a suffix to a username that a local account already holds."""
    taken = set(
        User.objects.filter(username__in=[user.username for user in users]).values_list(
            "username", flat=True
        )
    )
    for user in users:
        if user.username not in taken:
            continue
        base, number = user.username, 2
        user.username = f"{base}-{number}"
        while User.objects.filter(username=user.username).exists():
            number += 1
            user.username = f"{base}-{number}"
