"""Download my data: a ZIP of JSON files built by a task, mailed as a signed link that only
its member may open, for FORUM_DATA_EXPORT_HOURS, then deleted with its file."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from moderation.services.flags import flag_create
from notifications.models import Notification
from notifications.services import entries_add
from privacy.models import DataExport
from questions.services import post_edit
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

FILES = {
    "profile.json",
    "posts.json",
    "edits.json",
    "comments.json",
    "votes.json",
    "flags.json",
    "inbox.json",
    "moderator_messages.json",
    "reputation.json",
    "badges.json",
    "saved_and_followed.json",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def ada(db):
    return factories.user(
        username="ada", display_name="Ada", email="ada@example.org", location="London"
    )


def link_in(message):
    return re.search(r"http://\S+/users/export/\S+/", message.body).group(0)


def path_of(link):
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def request_export(client):
    mail.outbox.clear()
    response = client.post("/users/edit/privacy/export/")
    assert response.status_code == 302
    (message,) = mail.outbox
    return path_of(link_in(message))


def unzip(response):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: json.loads(archive.read(name)) for name in archive.namelist()}


def test_the_zip_holds_the_members_profile_posts_revisions_comments_votes_flags_and_inbox(
    ada,
):
    other = factories.user(display_name="Other")
    question = factories.question(author=ada, title="How do clitics work?")
    factories.revision(question)
    asked = question.body_markdown
    post_edit(post=question, editor=other, body="How do clitics work, exactly?")
    theirs = factories.question(author=other)
    answer = factories.answer(theirs, author=ada, body="Like this.")
    factories.comment(theirs, author=ada, body="Which language?")
    factories.vote(theirs, user=ada, value=1)
    factories.comment_vote(factories.comment(question, author=other), user=ada)
    flag_create(reporter=ada, reason="spam", post=theirs, text="")
    entries_add(
        recipient_ids=[ada.pk],
        kind=Notification.Kind.ANSWER,
        key="answer:1",
        actor_id=other.pk,
        question_id=question.pk,
        post_id=question.pk,
    )
    client = client_for(ada)

    response = client.get(request_export(client))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    data = unzip(response)
    assert set(data) == FILES
    assert data["profile.json"]["email"] == "ada@example.org"
    assert data["profile.json"]["location"] == "London"
    posts = {post["id"]: post for post in data["posts.json"]}
    assert set(posts) == {question.pk, answer.pk}
    assert posts[question.pk]["type"] == "question"
    assert [r["body_markdown"] for r in posts[question.pk]["revisions"]] == [
        asked,
        "How do clitics work, exactly?",
    ]
    assert posts[answer.pk]["body_markdown"] == "Like this."
    assert [c["body_markdown"] for c in data["comments.json"]] == ["Which language?"]
    assert [(v["post_id"], v["value"]) for v in data["votes.json"]["posts"]] == [(theirs.pk, 1)]
    assert len(data["votes.json"]["comments"]) == 1
    assert [(f["post_id"], f["reason"]) for f in data["flags.json"]] == [(theirs.pk, "spam")]
    # The other member's edit told her too.
    assert {(n["kind"], n["question_id"]) for n in data["inbox.json"]} == {
        ("edit", question.pk),
        ("answer", question.pk),
    }


def test_the_link_opens_the_export_only_for_its_member(ada):
    link = request_export(client_for(ada))

    assert client_for(factories.user()).get(link).status_code == 404
    anonymous = client_for(None).get(link)
    assert anonymous.status_code == 302 and "/users/login/" in anonymous["Location"]


def test_an_altered_or_other_purpose_link_opens_nothing(ada):
    client = client_for(ada)
    link = request_export(client)
    export = DataExport.objects.get()

    token = link.rstrip("/").rsplit("/", 1)[1]
    assert client.get(link.replace(token, token[:-2] + "xx")).status_code == 404
    # The same contents signed for another purpose (another salt) are refused.
    other_purpose = signing.dumps({"export": export.pk, "user": ada.pk}, salt="unsubscribe")
    assert client.get(f"/users/export/{other_purpose}/").status_code == 404


def test_an_export_expires_and_the_sweep_deletes_its_file(ada, media):
    client = client_for(ada)
    link = request_export(client)
    assert list(media.rglob("exports/*/*.zip"))

    DataExport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(link).status_code == 404
    call_command("privacy_sweep", stdout=io.StringIO())

    assert not DataExport.objects.exists()
    assert not list(media.rglob("exports/*/*.zip"))


def test_a_new_export_replaces_the_older_and_comes_once_an_hour(ada, media):
    client = client_for(ada)
    first = request_export(client)
    response = client.post("/users/edit/privacy/export/")
    assert response.status_code == 403
    DataExport.objects.update(requested_at=timezone.now() - timedelta(hours=2))

    second = request_export(client)

    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert len(list(media.rglob("exports/*/*.zip"))) == 1


def test_the_settings_page_offers_the_ready_download(ada):
    client = client_for(ada)
    link = request_export(client)

    page = client.get("/users/edit/privacy/").content.decode()

    assert link in page
