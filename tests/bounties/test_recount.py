"""`manage.py bounties_recount`: the bounty each question stores for the lists and the
thread is its active bounty's."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from bounties import services
from questions.models import Post
from tests import factories
from tests.clients import client_for


def recount(*options):
    out = StringIO()
    call_command("bounties_recount", *options, stdout=out)
    return out.getvalue()


def test_the_stored_bounties_are_checked_against_the_active_ones_and_repaired(db):
    question = factories.question(created_at=timezone.now() - timedelta(days=3))
    stray = factories.question()
    bounty = services.bounty_start(
        question=question, user=factories.user(reputation=1000), amount=100, reason="attention"
    )
    assert "No drift." in recount("--dry-run")
    Post.objects.filter(pk=question.pk).update(bounty_amount=0, bounty_ends_at=None)
    Post.objects.filter(pk=stray.pk).update(bounty_amount=50, bounty_ends_at=timezone.now())

    assert "questions' bounties: 2 drifted" in recount("--dry-run")
    assert Post.objects.get(pk=stray.pk).bounty_amount == 50

    assert "Repaired 2 questions." in recount()
    repaired = Post.objects.get(pk=question.pk)
    assert (repaired.bounty_amount, repaired.bounty_ends_at) == (100, bounty.ends_at)
    assert Post.objects.get(pk=stray.pk).bounty_amount == 0
    assert "No drift." in recount("--dry-run")
    featured = client_for(None).get("/?tab=featured").content.decode()
    assert question.title in featured
    assert stray.title not in featured
