"""What moderation tells a member through the inbox: a moderator's message, the outcome of
their flag, the community managers' decision on their appeal."""

import pytest

from moderation import services
from moderation.models import Escalation, Flag
from notifications.models import Notification
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def test_a_moderator_message_reaches_the_inbox_with_a_link_to_it(member, moderator):
    services.message_send(
        recipient=member, sender=moderator, subject="About your answers", body="Please cite."
    )
    (entry,) = Notification.objects.filter(recipient=member)
    assert entry.kind == "moderator_message"
    page = client_for(member).get("/inbox/").content.decode()
    assert "A message from the moderators" in page
    assert 'href="/messages/"' in page


@pytest.mark.parametrize(
    ("settle", "said"),
    [
        ("flags_mark_helpful", "Your flag was marked helpful"),
        ("flags_decline", "Your flag was declined"),
    ],
)
def test_the_flagger_hears_the_outcome_of_their_flag(question, flagger, moderator, settle, said):
    services.flag_create(reporter=flagger, reason=Flag.Reason.MODERATOR, post=question, text="?")
    flags = Flag.objects.filter(reporter=flagger)
    getattr(services, settle)(flags=flags, moderator=moderator, note="Thanks for looking.")
    (entry,) = Notification.objects.filter(recipient=flagger)
    assert entry.kind == "flag_outcome"
    page = client_for(flagger).get("/inbox/").content.decode()
    assert said in page
    assert question.title in page


def test_the_author_hears_the_decision_on_their_appeal(question, author, moderator):
    manager = factories.user(is_staff=True)
    services.post_delete(post=question, moderator=moderator, reason="Off topic.")
    question.refresh_from_db()
    services.appeal(user=author, post=question, note="It is on topic: see the help centre.")
    escalation = Escalation.objects.get(kind=Escalation.Kind.APPEAL)
    services.escalation_resolve(
        escalation=escalation, manager=manager, resolution="Restored: it is on topic."
    )
    (entry,) = Notification.objects.filter(recipient=author, kind="appeal_decision")
    page = client_for(author).get("/inbox/").content.decode()
    assert "The community managers decided on your appeal" in page
    assert "Restored: it is on topic." in page
    # The author still sees the entry of their own deleted question, with its link.
    assert question.get_absolute_url() in page
