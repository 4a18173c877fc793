"""The daily and weekly digests of watched tags: what they list, once per period, their
unsubscribe link, and a run's queries, which do not grow with the number of readers."""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import tasks
from notifications.models import EmailDelivery, EmailSettings
from questions.models import TagPreference
from tests import factories

pytestmark = pytest.mark.django_db

SITE = "https://stapel.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.FORUM_SITE_URL = SITE


def reader(*, digest="daily", watched=("grammar",), ignored=(), language="en", **kwargs):
    """A member who chose the digest and watches (and ignores) some tags."""
    user = factories.user(language=language, **kwargs)
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    EmailSettings.objects.create(user=user, digest=digest)
    for names, kind in (
        (watched, TagPreference.Kind.WATCHED),
        (ignored, TagPreference.Kind.IGNORED),
    ):
        for name in names:
            TagPreference.objects.create(
                user=user, tag=factories.tag(name), kind=kind, created_at=timezone.now()
            )
    return user


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def send(frequency="daily"):
    out = StringIO()
    call_command("send_digests", frequency, stdout=out)
    return out.getvalue()


def mail_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_a_daily_digest_lists_new_and_unanswered_questions_in_watched_tags():
    alice = reader(display_name="Alice", ignored=["offtopic"])
    new = factories.question(
        title="New about the subjunctive", tags=["grammar"], created_at=ago(hours=2)
    )
    unanswered = factories.question(
        title="Old and unanswered", tags=["grammar"], created_at=ago(days=10)
    )
    answered = factories.question(
        title="Old and answered", tags=["grammar"], created_at=ago(days=10)
    )
    factories.answer(answered)
    factories.question(title="Too old to list", tags=["grammar"], created_at=ago(days=40))
    factories.question(title="In another tag", tags=["vocabulary"], created_at=ago(hours=1))
    factories.question(
        title="In an ignored tag too", tags=["grammar", "offtopic"], created_at=ago(hours=1)
    )
    factories.question(
        title="Deleted one", tags=["grammar"], created_at=ago(hours=1), deleted_at=ago(minutes=5)
    )
    factories.question(
        title="Hidden one", tags=["grammar"], created_at=ago(hours=1), hidden_at=ago(minutes=5)
    )
    factories.question(title="Alices own", tags=["grammar"], author=alice, created_at=ago(hours=1))

    assert send() == "1 digests sent.\n"

    (message,) = mail.outbox
    assert message.to == [alice.email]
    assert message.subject == "Your daily digest of your watched tags"
    body = message.body
    assert body.startswith("Hello Alice,\n")
    assert (
        "New questions in your watched tags\n\n"
        f"* New about the subjunctive\n  {SITE}{new.get_absolute_url()}\n"
    ) in body
    assert (
        "Unanswered questions in your watched tags\n\n"
        f"* Old and unanswered\n  {SITE}{unanswered.get_absolute_url()}\n"
    ) in body
    for left_out in (
        "Old and answered",
        "Too old",
        "another tag",
        "ignored",
        "Deleted",
        "Hidden",
        "own",
    ):
        assert left_out not in body
    html = message.alternatives[0][0]
    assert f'href="{SITE}{new.get_absolute_url()}"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Unsubscribe from “digest of my watched tags”" in body
    assert EmailSettings.objects.get(user=alice).digest_sent_until is not None


def test_a_digest_speaks_the_readers_language():
    reader(language="de")
    factories.question(title="Konjunktiv", tags=["grammar"], created_at=ago(hours=2))

    send()

    (message,) = mail.outbox
    assert message.subject == "Deine tägliche Zusammenfassung deiner beobachteten Tags"
    assert "Neue Fragen in deinen beobachteten Tags" in message.body


def test_a_digest_is_sent_once_per_period_and_then_lists_only_what_is_newer(monkeypatch):
    alice = reader()
    factories.question(title="First question", tags=["grammar"], created_at=ago(hours=3))
    factories.answer(
        factories.question(title="Answered later", tags=["grammar"], created_at=ago(hours=2))
    )

    assert send() == "1 digests sent.\n"
    # Again in the same period (beat's retry, a second worker, cron and beat both): nothing.
    assert send() == "0 digests sent.\n"
    assert tasks.digests_send.delay("daily").get() == 0
    assert len(mail.outbox) == 1
    first = mail.outbox[0].body
    assert "First question" in first and "Answered later" in first

    tomorrow = timezone.now() + timedelta(days=1)
    factories.question(title="Second question", tags=["grammar"])
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert send() == "1 digests sent.\n"

    second = mail_to(alice)[-1].body
    new_part, unanswered_part = second.split("Unanswered questions in your watched tags")
    assert "Second question" in new_part
    assert "First question" not in new_part
    # Still without an answer, it is listed as unanswered; the answered one is not at all.
    assert "First question" in unanswered_part
    assert "Answered later" not in second
    assert EmailDelivery.objects.filter(user=alice).count() == 2


def test_nothing_is_sent_when_nothing_is_new_or_unanswered():
    alice = reader()
    factories.answer(factories.question(tags=["grammar"], created_at=ago(days=3)))
    factories.question(tags=["vocabulary"], created_at=ago(hours=1))

    assert send() == "0 digests sent.\n"
    assert mail.outbox == []
    # Nothing new up to now: the next digest starts from this run.
    assert EmailSettings.objects.get(user=alice).digest_sent_until is not None
    assert not EmailDelivery.objects.exists()


def test_each_list_holds_the_ten_newest():
    reader()
    for hours in range(1, 13):
        factories.question(title=f"New {hours:02}", tags=["grammar"], created_at=ago(hours=hours))
    for days in range(2, 14):
        factories.question(
            title=f"Unanswered {days:02}", tags=["grammar"], created_at=ago(days=days)
        )

    send()

    body = mail.outbox[0].body
    listed = [line[2:] for line in body.splitlines() if line.startswith("* ")]
    assert listed == [f"New {hours:02}" for hours in range(1, 11)] + [
        f"Unanswered {days:02}" for days in range(2, 12)
    ]


def test_weekly_and_daily_readers_get_their_own_digest_and_a_question_in_two_watched_tags_once():
    daily = reader(watched=["grammar", "verbs"])
    weekly = reader(digest="weekly", watched=["grammar"])
    reader(digest="none")
    factories.question(title="Three days old", tags=["grammar", "verbs"], created_at=ago(days=3))
    factories.answer(
        factories.question(title="Answered, yesterday", tags=["verbs"], created_at=ago(hours=20))
    )

    assert send("weekly") == "1 digests sent.\n"
    (message,) = mail_to(weekly)
    assert message.subject == "Your weekly digest of your watched tags"
    assert "Three days old" in message.body
    assert "Answered, yesterday" not in message.body  # not in a watched tag

    assert send("daily") == "1 digests sent.\n"
    (message,) = mail_to(daily)
    assert message.body.count("Three days old") == 1  # unanswered, listed once
    assert "Answered, yesterday" in message.body


def test_the_digests_unsubscribe_link_switches_the_digest_off():
    alice = reader()
    factories.question(tags=["grammar"], created_at=ago(hours=1))
    send()
    path = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").removeprefix(SITE)

    page = Client(headers={"accept-language": "en"}).get(path)
    assert "Stop the emails about “digest of my watched tags”?" in page.content.decode()
    assert EmailSettings.objects.get(user=alice).digest == "daily"

    Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"
    )
    assert EmailSettings.objects.get(user=alice).digest == "none"
    mail.outbox.clear()
    EmailDelivery.objects.all().delete()
    assert send() == "0 digests sent.\n"


def readers_run(count):
    """Queries of a daily run for `count` readers, each with something to read."""
    for _ in range(count):
        reader(watched=["grammar", "verbs"], ignored=["offtopic"])
    with CaptureQueriesContext(connection) as queries:
        assert send() == f"{count} digests sent.\n"
    return len(queries)


def test_a_runs_queries_do_not_grow_with_its_readers():
    factories.question(title="New", tags=["grammar"], created_at=ago(hours=1))
    factories.question(title="Unanswered", tags=["verbs"], created_at=ago(days=5))

    few = readers_run(3)
    EmailSettings.objects.update(digest=EmailSettings.Digest.NONE)
    EmailDelivery.objects.all().delete()
    many = readers_run(12)

    # The candidates; the readers and their tags; the deliveries made, then locked in a
    # savepoint, marked sent, and the readers' digest_sent_until moved on.
    assert few == many == 9


def test_a_batch_of_readers_is_read_at_a_time(settings):
    settings.FORUM_NOTIFICATION_BATCH = 2
    for _ in range(5):
        reader()
    factories.question(tags=["grammar"], created_at=ago(hours=1))

    assert send() == "5 digests sent.\n"
    assert len({message.to[0] for message in mail.outbox}) == 5


class RefusesTheSecond(EmailBackend):
    """The mail server takes one message, then refuses the rest."""

    def send_messages(self, messages):
        if len(mail.outbox) >= 1:
            raise smtplib.SMTPDataError(451, "Try again later")
        return super().send_messages(messages)


def test_after_an_smtp_error_a_retried_run_sends_only_the_rest(settings):
    first, second = reader(), reader()
    factories.question(tags=["grammar"], created_at=ago(hours=1))
    settings.EMAIL_BACKEND = f"{__name__}.RefusesTheSecond"

    with pytest.raises(smtplib.SMTPDataError):
        send()
    assert [message.to for message in mail.outbox] == [[first.email]]
    assert EmailDelivery.objects.get(user=first).sent_at is not None
    assert EmailDelivery.objects.get(user=second).sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send() == "1 digests sent.\n"
    assert [message.to for message in mail.outbox] == [[first.email], [second.email]]
