"""What the badges' tests share: voting as members do, and how many of a badge a member
holds."""

from io import StringIO

from django.core.management import call_command

from badges.models import Award
from questions import voting
from tests import factories


def held(user, key):
    """How many awards of the table's badge `key` the member holds."""
    return Award.objects.filter(user=user, badge__key=key).count()


def upvote(post, *, voter=None):
    """A member who may vote votes `post` up through the voting service."""
    voter = voter or factories.user(reputation=200)
    outcome = voting.post_vote(post=post, user=voter, value=1)
    assert outcome.vote == 1, outcome
    return voter


def counters_repaired():
    """After rows made in bulk for a threshold: the stored counters repaired, as `recount`
    does, so that the test starts from a consistent site."""
    call_command("recount", stdout=StringIO())
