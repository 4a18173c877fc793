"""The emails of inbox entries: who gets one, in which language, what it says and links
to, its unsubscribe link and headers, and that a retried task sends nothing twice."""

import smtplib
import uuid

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client

from moderation import services as moderation_services
from moderation.models import Escalation
from notifications import tasks
from notifications.models import EmailDelivery, EmailSettings, Notification
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

SITE = "https://stapel.example"
TITLE = "How do I form the past tense"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.FORUM_SITE_URL = SITE + "/"


@pytest.fixture
def asker(db):
    return factories.user(
        display_name="Asker", username="asker", email="asker@example.org", language="en"
    )


@pytest.fixture
def answerer(db):
    return factories.user(
        display_name="Answer Person",
        username="answerperson",
        email="answerer@example.org",
        language="en",
        reputation=100,
    )


@pytest.fixture
def thread(asker):
    return factories.question(author=asker, title=TITLE, tags=["grammar"])


def post_answer(client, question, body="Add -në to the stem, as in carnë."):
    response = client.post(
        f"/questions/{question.pk}/answer/",
        {"body": body, "submission_token": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    return question.answers.order_by("-id").first()


def post_comment(client, post, body):
    response = client.post(
        f"/posts/{post.pk}/comments/", {"body": body, "submission_token": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    return post.comments.order_by("-id").first()


def html_of(message):
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


def unsubscribe_path(message):
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(f"{SITE}/unsubscribe/")
    return url.removeprefix(SITE)


def test_an_answer_emails_the_asker_in_english_with_a_link_to_the_answer(thread, asker, answerer):
    answer = post_answer(client_for(answerer), thread)

    (message,) = mail.outbox
    assert message.to == ["asker@example.org"]
    assert message.subject == f"New answer: {TITLE}"
    link = f"{SITE}{thread.get_absolute_url()}#answer-{answer.pk}"
    assert f"Hello Asker,\n\nAnswer Person answered your question “{TITLE}”." in message.body
    assert "Add -në to the stem" in message.body
    assert f"Read the answer: {link}" in message.body
    html = html_of(message)
    assert '<html lang="en">' in html
    assert f'href="{link}"' in html
    assert f"Answer Person answered your question “{TITLE}”." in html


def test_an_answer_emails_a_german_asker_in_german(thread, asker, answerer):
    asker.language = "de"
    asker.save(update_fields=["language"])

    answer = post_answer(client_for(answerer), thread)

    (message,) = mail.outbox
    assert message.subject == f"Neue Antwort: {TITLE}"
    assert f"Hallo Asker,\n\nAnswer Person hat deine Frage „{TITLE}“ beantwortet." in message.body
    link = f"{SITE}{thread.get_absolute_url()}#answer-{answer.pk}"
    assert f"Antwort lesen: {link}" in message.body
    html = html_of(message)
    assert '<html lang="de">' in html
    assert "E-Mail-Einstellungen" in html


def test_a_member_without_a_language_is_written_to_in_the_sites_german(
    thread, asker, answerer, settings
):
    settings.LANGUAGE_CODE = "de"
    asker.language = ""
    asker.save(update_fields=["language"])

    post_answer(client_for(answerer), thread)

    assert mail.outbox[0].subject == f"Neue Antwort: {TITLE}"


def test_every_email_carries_the_one_click_unsubscribe_headers_and_link(thread, answerer):
    post_answer(client_for(answerer), thread)

    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = SITE + unsubscribe_path(message)
    assert f"Unsubscribe from “New answers to my questions”: {url}" in message.body
    assert f'href="{url}"' in html_of(message)
    # The headers reach the wire as they are.
    sent = message.message()
    assert sent["List-Unsubscribe"] == f"<{url}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_other_members_email_addresses_never_appear(thread, answerer):
    post_answer(client_for(answerer), thread)
    post_comment(client_for(answerer), thread, "@asker it works for irregular verbs too.")

    assert len(mail.outbox) == 2  # the answer, the mention
    for message in mail.outbox:
        raw = message.message().as_string()
        assert "answerer@example.org" not in raw
        assert message.to == ["asker@example.org"]


def test_followers_are_emailed_about_others_posts_only_when_they_ask(thread, asker, answerer):
    post_answer(client_for(answerer), thread)  # the answerer follows the question now
    mail.outbox.clear()
    later = factories.user(reputation=100, email="later@example.org")
    post_answer(client_for(later), thread, body="Or use the auxiliary, which reads better.")
    # Their inbox has it; by default only the asker gets an email about it.
    assert Notification.objects.filter(recipient=answerer, kind="answer").count() == 1
    assert [message.to for message in mail.outbox] == [["asker@example.org"]]

    mail.outbox.clear()
    EmailSettings.objects.create(user=answerer, followed=True)
    third = factories.user(reputation=100)
    post_answer(client_for(third), thread, body="A third way is reduplication of the noun stem.")
    assert sorted(message.to for message in mail.outbox) == [
        ["answerer@example.org"],
        ["asker@example.org"],
    ]
    follower_mail = next(m for m in mail.outbox if m.to == ["answerer@example.org"])
    assert "which you follow" in follower_mail.body
    # Its unsubscribe link switches the followers' emails off, not the asker's kind.
    assert (
        "Answers, comments and edits on posts I follow"
        in Client()
        .get(unsubscribe_path(follower_mail), headers={"accept-language": "en"})
        .content.decode()
    )


def test_the_unsubscribe_link_shows_a_page_then_switches_the_kind_off(thread, asker, answerer):
    post_answer(client_for(answerer), thread)
    path = unsubscribe_path(mail.outbox[0])
    # A mail client: no session, no cookie, and CSRF checked as in production.
    visitor = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})

    page = visitor.get(path)
    assert page.status_code == 200
    assert "Stop the emails about “New answers to my questions”?" in page.content.decode()
    assert not EmailSettings.objects.filter(user=asker).exists()  # GET changes nothing

    done = visitor.post(path, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")
    assert done.status_code == 200
    assert "you get no more emails about “New answers to my questions”" in done.content.decode()
    chosen = EmailSettings.objects.get(user=asker)
    assert chosen.answer is False
    assert chosen.mention is True  # only the link's kind

    mail.outbox.clear()
    # The answerer follows the question and asked for emails about what they follow.
    EmailSettings.objects.create(user=answerer, followed=True)
    later = factories.user(reputation=100, email="later@example.org")
    post_answer(client_for(later), thread, body="Or use the auxiliary, which reads better.")
    assert [message.to for message in mail.outbox] == [["answerer@example.org"]]
    # The inbox still has it.
    assert Notification.objects.filter(recipient=asker, kind="answer").count() == 2
    # A second click finds it off already, and says so as well.
    assert visitor.post(path).status_code == 200


def test_the_unsubscribe_page_speaks_german(thread, asker, answerer):
    post_answer(client_for(answerer), thread)
    path = unsubscribe_path(mail.outbox[0])

    page = Client(headers={"accept-language": "de"}).get(path).content.decode()
    assert "Abmelden" in page
    assert "Neue Antworten auf meine Fragen" in page


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda token: "not-a-token", id="forged"),
        pytest.param(
            lambda token: token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), id="tampered"
        ),
        # Another member's id and kind under this link's signature.
        pytest.param(lambda token: "WzEsImRpZ2VzdCJd" + token[token.index(":") :], id="swapped"),
    ],
)
def test_a_forged_or_tampered_link_gets_a_clear_page_and_changes_nothing(
    thread, asker, answerer, mangle
):
    post_answer(client_for(answerer), thread)
    token = unsubscribe_path(mail.outbox[0]).split("/")[2]
    path = f"/unsubscribe/{mangle(token)}/"

    for response in (client_for(None).get(path), client_for(None).post(path)):
        assert response.status_code == 400
        assert "The link is not valid" in response.content.decode()
    assert not EmailSettings.objects.exists()


def test_an_expired_link_gets_a_clear_page_and_changes_nothing(thread, asker, answerer, settings):
    post_answer(client_for(answerer), thread)
    path = unsubscribe_path(mail.outbox[0])
    settings.FORUM_UNSUBSCRIBE_DAYS = 0  # as if the link had been sent longer ago than that

    for response in (client_for(None).get(path), client_for(None).post(path)):
        assert response.status_code == 400
        assert "The link has expired" in response.content.decode()
    assert not EmailSettings.objects.exists()


def test_a_retried_task_sends_nothing_twice(thread, asker, answerer):
    post_answer(client_for(answerer), thread)
    entry = Notification.objects.get(recipient=asker)

    assert tasks.notification_email_send.delay(entry.pk).get() == 0
    assert tasks.notification_email_send(entry.pk) == 0

    assert len(mail.outbox) == 1
    delivery = EmailDelivery.objects.get(user=asker)
    assert delivery.key == f"notification:{entry.pk}"
    assert delivery.sent_at is not None


class RefusesOnce(EmailBackend):
    """The mail server refuses the first message, then takes the rest."""

    refused = 0

    def send_messages(self, messages):
        if not RefusesOnce.refused:
            RefusesOnce.refused += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_an_smtp_error_is_retried_by_the_task_and_the_email_sent_once(
    thread, asker, answerer, settings
):
    EmailSettings.objects.create(user=asker, answer=False)
    post_answer(client_for(answerer), thread)
    entry = Notification.objects.get(recipient=asker)
    EmailSettings.objects.filter(user=asker).update(answer=True)
    settings.EMAIL_BACKEND = f"{__name__}.RefusesOnce"
    RefusesOnce.refused = 0

    # As a worker runs it: the error is caught and the task run again.
    result = tasks.notification_email_send.apply(args=[entry.pk], throw=False)

    assert result.get() == 1
    assert RefusesOnce.refused == 1
    (message,) = mail.outbox
    assert message.to == ["asker@example.org"]
    assert EmailDelivery.objects.get(user=asker).sent_at is not None


def test_an_smtp_error_reaches_the_task_and_marks_nothing_sent(thread, asker, answerer, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesOnce"
    EmailSettings.objects.create(user=asker, answer=False)
    post_answer(client_for(answerer), thread)
    entry = Notification.objects.get(recipient=asker)
    EmailSettings.objects.filter(user=asker).update(answer=True)
    RefusesOnce.refused = 0

    with pytest.raises(smtplib.SMTPServerDisconnected):
        tasks.notification_email_send(entry.pk)
    assert EmailDelivery.objects.get(user=asker).sent_at is None

    assert tasks.notification_email_send(entry.pk) == 1
    assert tasks.notification_email_send(entry.pk) == 0
    assert len(mail.outbox) == 1


def test_kinds_that_are_off_by_default_send_nothing(thread, asker, answerer):
    answer = post_answer(client_for(answerer), thread)
    mail.outbox.clear()

    post_comment(client_for(asker), answer, "Thanks! Does it work for irregular verbs?")
    editor = factories.user(reputation=5000, email="editor@example.org")
    client_for(editor).post(
        f"/posts/{thread.pk}/edit/",
        {
            "title": thread.title,
            "body": thread.body_markdown + "\n\nClearer.",
            "tags": "grammar",
            "summary": "clarity",
        },
    )

    assert Notification.objects.filter(recipient=answerer, kind="comment").exists()
    assert Notification.objects.filter(recipient=asker, kind="edit").exists()
    assert mail.outbox == []


def test_a_kind_switched_on_sends_the_comment_with_its_text_and_link(thread, asker, answerer):
    answer = post_answer(client_for(answerer), thread)
    EmailSettings.objects.create(user=answerer, comment=True)
    mail.outbox.clear()

    comment = post_comment(client_for(asker), answer, "Thanks! Does it work for irregular verbs?")

    (message,) = mail.outbox
    assert message.to == ["answerer@example.org"]
    assert message.subject == f"New comment: {TITLE}"
    assert f"Asker commented on your post in “{TITLE}”:" in message.body
    assert "Thanks! Does it work for irregular verbs?" in message.body
    assert f"{SITE}{thread.get_absolute_url()}#comment-{comment.pk}" in message.body


def test_a_mention_sends_its_text_and_escapes_it_in_the_html(thread, asker, answerer):
    post_comment(client_for(answerer), thread, "@asker see <b>this</b> & that")

    (message,) = mail.outbox
    assert message.subject == f"You were mentioned: {TITLE}"
    assert "Answer Person mentioned you in a comment" in message.body
    assert "@asker see <b>this</b> & that" in message.body
    assert "see &lt;b&gt;this&lt;/b&gt; &amp; that" in html_of(message)


def test_no_email_for_a_post_deleted_before_it_was_sent(thread, asker, answerer):
    answer = post_answer(client_for(answerer), thread)
    entry = Notification.objects.get(recipient=asker)
    EmailDelivery.objects.all().delete()
    mail.outbox.clear()
    assert client_for(answerer).post(f"/posts/{answer.pk}/delete/").status_code == 302

    assert tasks.notification_email_send(entry.pk) == 0
    assert mail.outbox == []


def test_no_email_to_a_member_without_an_address_or_a_closed_account(thread, asker, answerer):
    asker.email = ""
    asker.save(update_fields=["email"])
    post_answer(client_for(answerer), thread)
    assert mail.outbox == []

    other = factories.question(author=answerer, title="Another one")
    answerer.is_active = False
    answerer.save(update_fields=["is_active"])
    post_answer(client_for(factories.user(reputation=100)), other)
    assert mail.outbox == []


def test_a_moderator_message_email_names_its_subject_and_links_to_the_messages(member, moderator):
    member.email = "member@example.org"
    member.language = "en"
    member.save(update_fields=["email", "language"])
    EmailSettings.objects.create(user=member, moderator_message=True)

    moderation_services.message_send(
        recipient=member, sender=moderator, subject="About your answers", body="Please cite."
    )

    (message,) = mail.outbox
    assert message.subject == "A message from the moderators"
    assert "The moderators sent you a message: “About your answers”." in message.body
    assert f"Read the message: {SITE}/messages/" in message.body
    # The message itself is read on the site, behind the log-in.
    assert "Please cite." not in message.body


def test_the_decision_on_an_appeal_is_emailed_with_the_managers_words(question, author, moderator):
    author.email = "author@example.org"
    author.language = "en"
    author.save(update_fields=["email", "language"])
    EmailSettings.objects.create(user=author, appeal_decision=True)
    moderation_services.post_delete(post=question, moderator=moderator, reason="Off topic.")
    question.refresh_from_db()
    moderation_services.appeal(user=author, post=question, note="It is on topic.")
    moderation_services.escalation_resolve(
        escalation=Escalation.objects.get(kind=Escalation.Kind.APPEAL),
        manager=factories.user(is_staff=True),
        resolution="Restored: it is on topic.",
    )

    (message,) = mail.outbox
    assert message.subject == "The community managers decided on your appeal"
    assert "Restored: it is on topic." in message.body
    # Its author may still see the deleted question, so the email links to it.
    assert f"See the post: {SITE}{question.get_absolute_url()}" in message.body


def test_a_link_of_an_account_that_no_longer_exists_says_so_and_changes_nothing(
    thread, asker, answerer
):
    post_answer(client_for(answerer), thread)
    path = unsubscribe_path(mail.outbox[0])
    asker.delete()
    visitor = Client(headers={"accept-language": "en"})
    for response in (visitor.get(path), visitor.post(path)):
        assert response.status_code == 404
        assert "The account this link was made for no longer exists" in response.content.decode()
    assert not EmailSettings.objects.exists()
