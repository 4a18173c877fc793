"""The spam check against a real HTTP server on this machine that answers as Akismet's
comment-check does: form fields in, "true" or "false" out."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from questions import services
from spam import checking
from spam.models import Verdict
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

KEY = "test-key"


class CommentCheck(BaseHTTPRequestHandler):
    """Spam is whatever mentions spam-shop; a wrong key gets Akismet's "invalid"."""

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        fields = {
            name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()
        }
        self.server.received.append((self.path, self.headers["Content-Type"], fields))
        if fields.get("api_key") != KEY:
            answer, headers = "invalid", {"X-akismet-debug-help": "Empty or invalid key"}
        else:
            answer, headers = str("spam-shop" in fields["comment_content"]).lower(), {}
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def akismet(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), CommentCheck)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FORUM_SPAM_CHECK_URL = f"http://127.0.0.1:{server.server_port}/1.1/comment-check"
    settings.FORUM_SPAM_CHECK_KEY = KEY
    yield server
    server.shutdown()
    server.server_close()


def ask(author, body):
    return services.question_create(
        author=author, title="Where to buy watches?", body=body, tags=["watches"]
    )


def test_a_new_question_is_checked_and_its_verdict_kept(akismet):
    bot = factories.user(email="bot@spam-shop.example", signup_address="203.0.113.5")

    question = ask(bot, "Cheap at https://spam-shop.example")

    path, content_type, fields = akismet.received[0]
    assert path == "/1.1/comment-check"
    assert content_type == "application/x-www-form-urlencoded"
    assert fields["api_key"] == KEY
    assert fields["user_ip"] == "203.0.113.5"
    assert fields["comment_type"] == "forum-post"
    assert fields["comment_author_email"] == "bot@spam-shop.example"
    assert fields["comment_content"].startswith("Where to buy watches?")
    assert fields["permalink"].endswith(question.get_absolute_url())
    assert Verdict.objects.get(post=question).is_spam is True


def test_ham_is_kept_as_ham_and_comments_are_checked_too(akismet, question):
    member = factories.user()

    comment = services.comment_create(author=member, post=question, body="A fine question, thanks.")

    assert akismet.received[0][2]["comment_type"] == "reply"
    assert Verdict.objects.get(comment=comment).is_spam is False


def test_without_a_url_nothing_is_checked(settings):
    settings.FORUM_SPAM_CHECK_URL = ""

    ask(factories.user(), "Cheap at https://spam-shop.example")

    assert not Verdict.objects.exists()


def test_an_answer_that_is_no_verdict_is_a_failure_not_a_verdict(akismet, settings):
    settings.FORUM_SPAM_CHECK_KEY = "wrong"

    with pytest.raises(checking.CheckFailed, match="invalid Empty or invalid key"):
        checking.Akismet().is_spam(text="Hello", author=factories.user(), kind="reply")


def test_a_server_that_does_not_answer_is_a_failure(settings):
    settings.FORUM_SPAM_CHECK_URL = "http://127.0.0.1:9/1.1/comment-check"

    with pytest.raises(checking.CheckFailed):
        checking.Akismet().is_spam(text="Hello", author=factories.user(), kind="reply")


def test_the_cleanup_finds_the_authors_the_check_called_spam(akismet, moderator):
    ask(factories.user(email="bot@example.net"), "Cheap at https://spam-shop.example")
    ask(factories.user(email="human@example.net"), "Which brand lasts?")

    html = (
        client_for(moderator)
        .get(reverse("moderation_admin:spam_spambatch_add"), {"judged_spam": "on"})
        .content.decode()
    )

    assert "1 account found" in html
    assert "bot@example.net" in html and "human@example.net" not in html
