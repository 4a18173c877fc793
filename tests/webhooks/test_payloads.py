"""What each kind of delivery says: public facts only, nothing of deleted or hidden posts'
text, no one's email or flags' authors; and the address checked again at delivery."""

import json

import pytest

from moderation.models import Flag
from moderation.services.flags import flag_create, flags_decline
from moderation.services.people import user_suspend
from questions import services as posting
from questions import voting
from questions.models import Post
from tests import factories
from webhooks import tasks
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "asker": factories.user(display_name="Asker", email="asker@example.org"),
        "answerer": factories.user(display_name="Answerer", email="answerer@example.org"),
    }


@pytest.fixture
def thread(people):
    question = posting.question_create(
        author=people["asker"], title="Where does the stress fall?", body="In Quenya.", tags=["q"]
    )
    answer = posting.answer_create(
        author=people["answerer"], question=question, body="On the penultimate syllable."
    )
    return question, answer


def only_payload(receiver):
    [request] = receiver.received
    assert request.signature_valid
    text = request.body.decode()
    assert "@example.org" not in text
    return request.payload


def test_an_accepted_answer_names_the_answer_and_who_accepted_it(
    receiver, hook_for, people, thread
):
    question, answer = thread
    hook_for("answer.accepted")
    voting.answer_accept(answer=answer, user=people["asker"])
    data = only_payload(receiver)["data"]
    assert data["post"]["id"] == answer.pk
    assert data["post"]["question"]["id"] == question.pk
    assert data["accepted_by"]["display_name"] == "Asker"


def test_a_comment_carries_its_text_and_link(receiver, hook_for, people, thread):
    _question, answer = thread
    hook_for("comment.posted")
    comment = posting.comment_create(author=people["asker"], post=answer, body="Even in -ië?")
    data = only_payload(receiver)["data"]["comment"]
    assert (data["id"], data["body_markdown"]) == (comment.pk, "Even in -ië?")
    assert data["link"].endswith(f"#comment-{comment.pk}")
    assert data["post"]["id"] == answer.pk
    assert "body_markdown" not in data["post"]


def test_an_edit_names_the_revision_and_its_editor(receiver, hook_for, people, thread):
    question, _answer = thread
    hook_for("post.edited")
    posting.post_edit(
        post=question, editor=people["asker"], body="In Quenya, please.", summary="clearer"
    )
    data = only_payload(receiver)["data"]
    assert data["post"]["body_markdown"] == "In Quenya, please."
    assert data["revision"]["number"] == 2
    assert data["revision"]["editor"]["display_name"] == "Asker"
    assert data["revision"]["summary"] == "clearer"


def test_a_settled_flag_says_how_without_who_flagged_or_settled(
    receiver, hook_for, thread, flagger, moderator
):
    question, _answer = thread
    flag = flag_create(reporter=flagger, reason="moderator", post=question, text="see chat")
    hook_for("flag.settled")
    flags_decline(
        flags=Flag.objects.filter(pk=flag.pk), moderator=moderator, note="Nothing wrong, Flagger."
    )
    data = only_payload(receiver)["data"]["flag"]
    assert (data["id"], data["status"], data["reason"]) == (flag.pk, "declined", "moderator")
    text = json.dumps(data)
    assert "Flagger" not in text
    assert "Mod" not in text
    assert "see chat" not in text


def test_a_suspension_names_the_member_and_the_end_not_the_reason(
    receiver, hook_for, member, moderator
):
    hook_for("user.suspended")
    member.email = "member@example.org"
    member.save(update_fields=["email"])
    user_suspend(user=member, moderator=moderator, days=7, reason="Vote fraud with socks")
    data = only_payload(receiver)["data"]
    assert data["user"] == {
        "id": member.pk,
        "display_name": "Member",
        "link": data["user"]["link"],
    }
    assert data["user"]["link"].endswith(member.get_absolute_url())
    assert data["suspended_until"]
    assert "Vote fraud" not in receiver.received[0].body.decode()


def test_a_post_deleted_before_its_delivery_is_sent_without_its_text(
    receiver, hook_for, people, thread
):
    _question, answer = thread
    hook_for("answer.posted")
    posting.post_delete(post=answer, user=people["answerer"])
    tasks.event_heard(kind="answer.posted", event_id="late", ids={"post_id": answer.pk})
    data = only_payload(receiver)["data"]["post"]
    assert data == {
        "id": answer.pk,
        "type": "answer",
        "question": data["question"],
        "deleted": True,
    }
    assert "penultimate" not in receiver.received[0].body.decode()


def test_a_hidden_question_is_sent_without_title_or_text(settings, receiver, hook_for, thread):
    question, answer = thread
    hook_for("answer.posted")
    for _ in range(settings.FORUM_FLAGS_TO_HIDE):
        flag_create(reporter=factories.user(reputation=15), reason="spam", post=question)
    assert Post.objects.get(pk=question.pk).hidden_at is not None
    tasks.event_heard(kind="answer.posted", event_id="hidden", ids={"post_id": answer.pk})
    data = only_payload(receiver)["data"]["post"]
    assert data["question"] == {
        "id": question.pk,
        "title": None,
        "link": f"{settings.FORUM_SITE_URL.rstrip('/')}/q/{question.pk}",
        "hidden": True,
    }
    assert "body_markdown" not in data
    assert "stress" not in receiver.received[0].body.decode()


def test_an_event_heard_twice_is_delivered_once(receiver, hook_for, thread):
    _question, answer = thread
    hook_for("answer.posted")
    for _ in range(2):
        tasks.event_heard(kind="answer.posted", event_id="same", ids={"post_id": answer.pk})
    assert len(receiver.received) == 1
    assert Delivery.objects.count() == 1


def test_an_address_that_turned_private_is_refused_at_delivery(
    settings, receiver, hook_for, people
):
    """A name that resolved to a public address when it was saved may resolve inside the
    network later (DNS rebinding): every attempt checks the addresses it connects to."""
    hook_for("question.asked")
    settings.FORUM_WEBHOOK_ALLOW_PRIVATE = False
    posting.question_create(author=people["asker"], title="Is it stressed?", body="?", tags=["q"])

    assert receiver.received == []
    delivery = Delivery.objects.get()
    [attempt] = delivery.log.all()
    assert not attempt.succeeded
    assert attempt.status_code is None
    assert (attempt.error, attempt.error_params) == (
        "private",
        {"host": "127.0.0.1", "address": "127.0.0.1"},
    )
    assert "127.0.0.1 points to 127.0.0.1, an address inside a private network" in (
        attempt.error_message()
    )
    assert delivery.status == "pending"
