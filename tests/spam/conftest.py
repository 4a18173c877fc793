"""A spammer and the thread they spammed, written through the services, so that the
stored counters start exact (recount finds no drift) and every change is the services'."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from moderation import services as moderation
from questions import services, voting
from tests import factories
from tests.clients import client_for

LINK = "Cheap watches at [shop](https://spam-shop.example/buy)"


@pytest.fixture
def asker(db):
    return factories.user(display_name="Asker", reputation=200)


@pytest.fixture
def helper(db):
    return factories.user(display_name="Helper", reputation=200)


@pytest.fixture
def spammer(db):
    return factories.user(
        display_name="Spammer",
        reputation=20,
        about_markdown=LINK,
        website="https://spam-shop.example/",
        location="Everywhere",
        email="seller@spam-shop.example",
        signup_address="203.0.113.7",
    )


@pytest.fixture
def spammed(asker, helper, spammer):
    """The asker's question with the spammer's answer (upvoted by the helper, flagged as
    spam) and comment; the spammer's own question, which the helper answered; the
    spammer's upvote on the asker's question and on the helper's comment."""
    question = services.question_create(
        author=asker,
        title="How do I learn Esperanto fast?",
        body="Where to start?",
        tags=["esperanto"],
    )
    answer = services.answer_create(author=spammer, question=question, body=LINK)
    comment = services.comment_create(
        author=spammer, post=question, body="Visit https://spam-shop.example"
    )
    helpful = services.comment_create(author=helper, post=question, body="Try the Fundamento.")
    own = services.question_create(
        author=spammer, title="Best watches in town", body=LINK, tags=["esperanto", "watches"]
    )
    reply = services.answer_create(author=helper, question=own, body="This looks like an advert.")
    voting.post_vote(post=answer, user=helper, value=1)
    voting.post_vote(post=reply, user=asker, value=1)
    voting.post_vote(post=question, user=spammer, value=1)
    voting.comment_vote(comment=helpful, user=spammer, value=1)
    flag = moderation.flag_create(reporter=helper, reason="spam", post=answer)
    return {
        "question": question,
        "answer": answer,
        "comment": comment,
        "helpful": helpful,
        "own": own,
        "reply": reply,
        "flag": flag,
    }


def recount():
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    return out.getvalue()


CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+')
# The comment forms' submission tokens, new on every page.
TOKEN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


VIEWS = re.compile(r"Viewed \d+ times?")
# "2 seconds ago" moves with the clock; the datetime attribute beside it stays compared.
AGO = re.compile(r"(<time [^>]*>)[^<]*(</time>)")


def page(client, url):
    """The page's HTML without what differs on every response: the forms' tokens, the view
    count, which each of these requests moves, and the relative times' words."""
    response = client.get(url)
    assert response.status_code == 200
    html = CSRF.sub(r"\1", response.content.decode())
    return AGO.sub(r"\1\2", VIEWS.sub("Viewed", TOKEN.sub("token", html)))


def thread(html):
    """The thread: the page's <main>. The header around it shows the viewer's inbox count,
    which a flag settled by the destruction moved (the flagger is told, and stays told)."""
    return html[html.index("<main") : html.index("</main>")]


def thread_pages(spammed, *viewers):
    urls = [spammed["question"].get_absolute_url(), spammed["own"].get_absolute_url()]
    return {
        (viewer and viewer.pk, url): thread(page(client_for(viewer), url))
        for viewer in viewers
        for url in urls
    }


def assert_same_pages(after, before):
    """Each page as before, line by line, so that a failure shows the lines that differ."""
    assert after.keys() == before.keys()
    for key in before:
        assert after[key].splitlines() == before[key].splitlines(), key
