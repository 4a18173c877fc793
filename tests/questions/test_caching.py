import re
import uuid

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moderation import services as moderation_services
from moderation.models import CloseVote
from questions import services
from tests import factories
from tests.clients import client_for, page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def esperanto_question(db):
    return factories.question(
        title="Wie bildet man den Plural im Esperanto?",
        author=factories.user(display_name="Zamenhof", reputation=500),
        tags=["esperanto"],
    )


@pytest.fixture
def ludwika(db):
    """A member whose name shows on the pages she is served."""
    return factories.user(display_name="Ludwika", reputation=500)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def html_of(client, url):
    return client.get(url).content.decode()


# What each page costs, cold and warm


@pytest.mark.parametrize(
    ("url", "cold"),
    [
        ("/", 3),  # the count, the questions, their tags
        ("/?tab=votes&pagesize=30", 3),
        ("/questions/tagged/esperanto/", 4),  # the tag first
        ("/tags/", 2),
        # question, tags, answers, all posts' comments, related questions, hot questions of
        # its tags (then kept for every thread of those tags)
        ("thread", 6),
    ],
)
def test_anonymous_pages_cost_their_queries_once_and_none_from_the_cache(
    client, esperanto_question, url, cold
):
    factories.answer(esperanto_question)
    url = esperanto_question.get_absolute_url() if url == "thread" else url

    assert queries_for(client, url) == cold
    assert queries_for(client, url) == 0
    assert queries_for(Client(), url) == 0


def test_a_visitor_who_logged_out_is_served_cached_pages(client, esperanto_question, ludwika):
    url = esperanto_question.get_absolute_url()
    client.force_login(ludwika)
    client.post(reverse("accounts:logout"))
    client.get(url)  # shows the log-out message, so it renders (and ranks related questions)

    assert queries_for(Client(), url) == 4
    assert queries_for(client, url) == 0


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # Session, user, their unread moderator messages and their inbox count, then the
        # page's own queries (the lists' count and the thread's related questions are
        # kept: an anonymous visit came first); a list also reads the member's watched and
        # ignored tags.
        ("/", 7),
        ("/questions/tagged/esperanto/", 8),
        ("/tags/", 6),
        # ... and on a thread the viewer's votes, flags and follows come with the posts
        # (page_queries reads the box of hot questions in its tags as not yet kept).
        ("thread", 9),
    ],
)
def test_members_pages_are_never_cached_and_cost_a_fixed_number_of_queries(
    esperanto_question, ludwika, url, queries
):
    factories.answer(esperanto_question)
    url = esperanto_question.get_absolute_url() if url == "thread" else url
    client = client_for(ludwika)
    Client().get(url)  # an anonymous page cached

    assert page_queries(client, url) == queries
    assert "Ludwika" in html_of(client, url)


def test_members_get_their_own_page_where_an_anonymous_one_is_cached(
    client, esperanto_question, ludwika
):
    client.get(esperanto_question.get_absolute_url())

    html = html_of(client_for(ludwika), esperanto_question.get_absolute_url())

    assert "Ludwika" in html
    assert "Abmelden" not in html_of(client, esperanto_question.get_absolute_url())


def test_each_language_has_its_own_cached_page(client, english_client, esperanto_question):
    assert '<html lang="de">' in html_of(client, "/")
    assert '<html lang="en">' in html_of(english_client, "/")
    assert '<html lang="de">' in html_of(client, "/")


def test_a_waiting_message_is_shown_not_a_cached_page(client, esperanto_question, ludwika):
    client.get("/")
    client.force_login(ludwika)
    client.post(reverse("accounts:logout"))

    assert "Du hast dich abgemeldet." in html_of(client, "/")
    assert "Du hast dich abgemeldet." not in html_of(client, "/")


def test_the_page_cache_can_be_turned_off(client, esperanto_question, settings):
    settings.FORUM_PAGE_CACHE_SECONDS = 0

    assert queries_for(client, "/") == 3
    assert queries_for(client, "/") == 2  # the count is still cached


def test_redirects_and_errors_are_not_cached(client, esperanto_question):
    stale = f"/questions/{esperanto_question.pk}/old-slug/"
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(stale).status_code == 301
        assert len(queries) > 0
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/questions/tagged/unknown/").status_code == 404
        assert len(queries) > 0


# CSRF: a cached page carries each visitor's own token


def test_a_visitor_served_a_cached_page_can_switch_the_language_with_its_form(esperanto_question):
    url = esperanto_question.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = CSRF_TOKEN.search(html_of(first, url))[1]

    with CaptureQueriesContext(connection) as queries:
        html = html_of(second, url)
    second_token = CSRF_TOKEN.search(html)[1]

    assert len(queries) == 0
    assert second_token != first_token
    assert set(CSRF_TOKEN.findall(html)) == {second_token}
    response = second.post(
        "/i18n/setlang/", {"language": "en", "next": url, "csrfmiddlewaretoken": second_token}
    )
    assert response.status_code == 302
    assert '<html lang="en">' in html_of(second, url)


def test_the_first_visitors_token_would_not_do_for_another(esperanto_question):
    url = esperanto_question.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = CSRF_TOKEN.search(html_of(first, url))[1]
    html_of(second, url)

    response = second.post(
        "/i18n/setlang/", {"language": "en", "next": url, "csrfmiddlewaretoken": first_token}
    )

    assert response.status_code == 403


# Invalidation: what the services change shows at once, to everyone


def answer_posted(client, question, body):
    return client.post(
        f"/questions/{question.pk}/answer/", {"body": body, "submission_token": str(uuid.uuid4())}
    )


def test_a_new_answer_shows_at_once_to_its_author_and_to_visitors(
    client, esperanto_question, ludwika
):
    url = esperanto_question.get_absolute_url()
    assert "Man hängt ein -j an das Substantiv an." not in html_of(client, url)
    assert "<strong>0</strong> Antworten" in html_of(client, "/")
    author = client_for(ludwika)

    assert (
        answer_posted(
            author, esperanto_question, "Man hängt ein -j an das Substantiv an."
        ).status_code
        == 302
    )

    assert "Man hängt ein -j an das Substantiv an." in html_of(author, url)
    assert "Man hängt ein -j an das Substantiv an." in html_of(client, url)
    assert "<strong>1</strong> Antwort" in html_of(client, "/")


def test_an_edit_shows_at_once(client, esperanto_question):
    url = esperanto_question.get_absolute_url()
    client.get(url)
    client.get("/")

    services.post_edit(
        post=esperanto_question,
        editor=esperanto_question.author,
        title="Wie bildet man im Esperanto den Plural?",
        body="Eine neue Fassung der Frage, lang genug.",
    )

    html = html_of(client, esperanto_question.get_absolute_url())
    assert "Eine neue Fassung der Frage, lang genug." in html
    assert "Wie bildet man im Esperanto den Plural?" in html_of(client, "/")


def test_a_vote_shows_at_once(client, esperanto_question):
    answer = factories.answer(esperanto_question, body="Mit der Endung -j.")
    url = esperanto_question.get_absolute_url()
    assert "<span data-vote-score>0</span>" in html_of(client, url)

    voter = factories.user(reputation=200)
    assert (
        client_for(voter)
        .post(reverse("questions:vote", args=[answer.pk]), {"value": "up"})
        .status_code
        == 302
    )

    assert "<span data-vote-score>+1</span>" in html_of(client, url)


def test_a_vote_on_a_question_shows_on_the_lists_at_once(client, esperanto_question):
    assert "<strong>0</strong> Stimmen" in html_of(client, "/")

    client_for(factories.user(reputation=200)).post(
        reverse("questions:vote", args=[esperanto_question.pk]), {"value": "up"}
    )

    assert "<strong>1</strong> Stimme" in html_of(client, "/")


def test_deleting_hides_at_once(client, esperanto_question):
    answer = factories.answer(esperanto_question, body="Eine falsche Antwort.")
    url = esperanto_question.get_absolute_url()
    assert "Eine falsche Antwort." in html_of(client, url)
    assert esperanto_question.title in html_of(client, "/")

    services.post_delete(post=answer, user=answer.author)
    assert "Eine falsche Antwort." not in html_of(client, url)

    services.post_delete(post=esperanto_question, user=esperanto_question.author)
    assert client.get(url).status_code == 404
    assert esperanto_question.title not in html_of(client, "/")


def test_closing_shows_at_once(client, esperanto_question):
    url = esperanto_question.get_absolute_url()
    client.get(url)

    moderation_services.question_close(
        question=esperanto_question, actor=factories.moderator(), reason=CloseVote.Reason.OFF_TOPIC
    )

    assert "Diese Frage ist geschlossen" in html_of(client, url)


def test_a_page_rendered_while_a_write_was_in_flight_is_not_kept(client, esperanto_question):
    url = esperanto_question.get_absolute_url()
    with transaction.atomic():  # the write commits when this block ends
        services.comment_create(
            author=esperanto_question.author, post=esperanto_question, body="Ein Kommentar dazu."
        )
        client.get(url)  # as if it read the rows before the commit
        assert queries_for(client, url) == 0

    assert queries_for(client, url) > 0
