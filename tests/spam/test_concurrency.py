"""An undo and a redo (destroy again) of one spammer at the same moment leave one state:
either destroyed or restored, whole, with exact counters (PostgreSQL)."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts.roles import is_suspended
from questions.models import Post
from spam import services
from spam.models import Destruction
from tests import factories
from tests.clients import client_for
from tests.concurrency import post_at_once
from tests.spam.conftest import recount

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write: there is no concurrency to test.",
)

ROUNDS = 4


@pytest.mark.django_db(transaction=True)
def test_an_undo_and_a_redo_at_once_leave_one_state(spammed, spammer):
    moderators = [factories.moderator(), factories.moderator()]
    outcomes = set()
    for _ in range(ROUNDS):
        live = Destruction.objects.filter(user=spammer, undone_at__isnull=True).first()
        live = live or services.spammer_destroy(user=spammer, moderator=moderators[0])
        undo = reverse("moderation_admin:spam_destruction_undo", args=[live.pk])
        redo = reverse("moderation_admin:spam_destroy", args=[spammer.pk])

        statuses = post_at_once(
            [(client_for(moderators[0]), undo, [{}]), (client_for(moderators[1]), redo, [{}])]
        )

        assert sorted(statuses) == [302, 302]
        destroyed = Destruction.objects.filter(user=spammer, undone_at__isnull=True).exists()
        outcomes.add(destroyed)
        spammer.refresh_from_db()
        live_posts = Post.objects.filter(author=spammer, deleted_at__isnull=True).count()
        assert (live_posts, is_suspended(spammer)) == ((0, True) if destroyed else (2, False))
        assert "No drift." in recount()
    assert outcomes  # one state each round; which one depends on who came first
