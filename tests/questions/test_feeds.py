import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]

ATOM = "{http://www.w3.org/2005/Atom}"
START = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)


def atom(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def entries(feed):
    return feed.findall(f"{ATOM}entry")


def titles(feed):
    return [entry.findtext(f"{ATOM}title") for entry in entries(feed)]


# The newest questions


def test_newest_questions_feed_has_one_entry_per_question_newest_first(client):
    for n in range(3):
        factories.question(title=f"Question {n}", created_at=START + timedelta(days=n))

    feed = atom(client.get("/feeds/questions/"))

    assert titles(feed) == ["Question 2", "Question 1", "Question 0"]
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/?tab=newest"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feeds/questions/"


def test_question_entries_carry_title_link_author_dates_tags_and_the_stored_html(client):
    question = factories.question(
        title="Plurals in Esperanto",
        body="Why does *-oj* mark the plural? <script>alert(1)</script>",
        author=factories.user(display_name="Zamenhof"),
        tags=["esperanto", "grammar"],
        created_at=START,
        last_edited_at=START + timedelta(days=2),
    )

    entry = entries(atom(client.get("/feeds/questions/")))[0]

    assert entry.findtext(f"{ATOM}title") == "Plurals in Esperanto"
    assert (
        entry.find(f"{ATOM}link").get("href") == f"http://testserver{question.get_absolute_url()}"
    )
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Zamenhof"
    assert entry.findtext(f"{ATOM}published") == "2020-01-01T12:00:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == "2020-01-03T12:00:00+00:00"
    assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == [
        "esperanto",
        "grammar",
    ]
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert content.text == question.body_html
    assert "<em>-oj</em>" in content.text and "<script>" not in content.text
    assert entry.findtext(f"{ATOM}summary") == "Why does -oj mark the plural?"


def test_an_entry_that_was_never_edited_is_updated_when_it_was_written(client):
    factories.question(created_at=START)

    entry = entries(atom(client.get("/feeds/questions/")))[0]

    assert entry.findtext(f"{ATOM}updated") == "2020-01-01T12:00:00+00:00"


def test_newest_questions_feed_holds_thirty_and_no_deleted_ones(client):
    for n in range(32):
        factories.question(title=f"Question {n:02d}", created_at=START + timedelta(hours=n))
    factories.question(
        title="Deleted", created_at=START + timedelta(days=9), deleted_at=timezone.now()
    )

    assert titles(atom(client.get("/feeds/questions/"))) == [
        f"Question {n:02d}" for n in range(31, 1, -1)
    ]


def test_feeds_speak_the_sites_language_whatever_the_browser_asks_for(client, english_client):
    factories.question(created_at=START)

    in_english = english_client.get("/feeds/questions/")
    in_german = client.get("/feeds/questions/", headers={"accept-language": "de"})

    assert atom(in_english).get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert in_english.content == in_german.content


def test_newest_questions_feed_costs_two_queries(client, django_assert_num_queries):
    for n in range(10):
        factories.question(tags=["a", f"tag{n}"])
    with django_assert_num_queries(2):
        client.get("/feeds/questions/")


# A tag's questions


def test_tag_feed_holds_only_that_tags_questions(client):
    factories.tag("phonology", excerpt="The sound system of a language.")
    factories.question(title="Vowel harmony", tags=["phonology"])
    factories.question(title="Verb tables", tags=["grammar"])
    factories.question(title="Deleted sounds", tags=["phonology"], deleted_at=timezone.now())

    feed = atom(client.get("/feeds/tags/phonology/"))

    assert titles(feed) == ["Vowel harmony"]
    assert feed.findtext(f"{ATOM}subtitle") == "The sound system of a language."
    assert (
        feed.find(f"{ATOM}link[@rel='alternate']").get("href")
        == "http://testserver/questions/tagged/phonology/?tab=newest"
    )


def test_feed_of_an_unknown_tag_answers_404(client):
    assert client.get("/feeds/tags/no-such-tag/").status_code == 404


def test_tag_feed_costs_three_queries(client, django_assert_num_queries):
    for n in range(10):
        factories.question(tags=["syntax", f"tag{n}"])
    with django_assert_num_queries(3):
        client.get("/feeds/tags/syntax/")


# A thread's answers


def test_thread_feed_holds_the_visible_answers_newest_first_linking_into_the_thread(
    client, thread_with_answers
):
    question = thread_with_answers.question
    factories.answer(question, body="Deleted answer.", deleted_at=timezone.now())

    feed = atom(client.get(f"/feeds/questions/{question.pk}/"))

    assert question.title in feed.findtext(f"{ATOM}title")
    names = [entry.findtext(f"{ATOM}author/{ATOM}name") for entry in entries(feed)]
    assert names == ["Rarity", "Karlson", "ChrisF", "Jasconius"]
    first = entries(feed)[0]
    rarity = thread_with_answers.answers["Rarity"]
    assert first.find(f"{ATOM}link").get("href") == (
        f"http://testserver{question.get_absolute_url()}#answer-{rarity.pk}"
    )
    assert first.find(f"{ATOM}content").text == rarity.body_html


def test_feed_of_a_deleted_or_unknown_question_answers_404(client):
    deleted = factories.question(deleted_at=timezone.now())

    assert client.get(f"/feeds/questions/{deleted.pk}/").status_code == 404
    assert client.get("/feeds/questions/999999/").status_code == 404


def test_thread_feed_costs_two_queries_however_many_answers(client, django_assert_num_queries):
    question = factories.question()
    for _ in range(20):
        factories.answer(question)
    with django_assert_num_queries(2):
        client.get(f"/feeds/questions/{question.pk}/")


# Autodiscovery


def test_every_page_points_feed_readers_to_the_newest_questions(client):
    html = client.get("/users/").content.decode()

    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/questions/"' in html


def test_tag_and_thread_pages_point_to_their_own_feeds(client):
    question = factories.question(tags=["syntax"])

    assert (
        'type="application/atom+xml" title="'
        in client.get("/questions/tagged/syntax/").content.decode()
    )
    assert 'href="/feeds/tags/syntax/"' in client.get("/questions/tagged/syntax/").content.decode()
    assert (
        f'href="/feeds/questions/{question.pk}/"'
        in client.get(question.get_absolute_url()).content.decode()
    )
