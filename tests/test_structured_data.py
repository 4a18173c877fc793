"""What search engines and sharing previews read beyond the visible page: the thread as
schema.org's QAPage in JSON-LD, OpenGraph and Twitter card tags, and each page's versions
in German and English (hreflang, ?lang=), which the anonymous page cache keeps apart."""

import json
import re
from datetime import datetime
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.clients import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)

# schema.org's definitions of the types a QAPage uses, as https://schema.org/<Type> lists
# them (properties inherited from Thing, CreativeWork and Comment included), with the
# types each property's values may have. Only what the thread uses is transcribed; a
# property or a value type outside these is an error.
TEXT, URL, INTEGER, DATETIME = "Text", "URL", "Integer", "DateTime"
SCHEMA = {
    "QAPage": {"mainEntity": {"Question"}, "name": {TEXT}, "url": {URL}},
    "Question": {
        "name": {TEXT},
        "text": {TEXT},
        "answerCount": {INTEGER},
        "upvoteCount": {INTEGER},
        "downvoteCount": {INTEGER},
        "dateCreated": {DATETIME},
        "url": {URL},
        "author": {"Person", "Organization"},
        "acceptedAnswer": {"Answer", "ItemList"},
        "suggestedAnswer": {"Answer", "ItemList"},
    },
    "Answer": {
        "text": {TEXT},
        "upvoteCount": {INTEGER},
        "downvoteCount": {INTEGER},
        "dateCreated": {DATETIME},
        "url": {URL},
        "author": {"Person", "Organization"},
        "parentItem": {"Comment", "CreativeWork"},
    },
    "Person": {"name": {TEXT}, "url": {URL}},
}
# What Google's Q&A rich results require of each (developers.google.com, "Q&A page").
REQUIRED = {
    "QAPage": {"mainEntity"},
    "Question": {"name", "answerCount"},
    "Answer": {"text"},
    "Person": {"name"},
}


def literal_kind(value):
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, str) and re.match(r"^https?://", value):
        return URL
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return TEXT
        return DATETIME
    return type(value).__name__


def schema_errors(node, path="$"):
    """Where `node` (a JSON-LD object) departs from SCHEMA and REQUIRED."""
    errors = []
    kind = node.get("@type")
    if kind not in SCHEMA:
        return [f"{path}: unknown type {kind!r}"]
    for name in REQUIRED.get(kind, ()):
        if name not in node:
            errors.append(f"{path}: {kind} lacks {name}")
    if kind == "Question" and not {"acceptedAnswer", "suggestedAnswer"} & set(node):
        errors.append(f"{path}: a Question needs an acceptedAnswer or a suggestedAnswer")
    for name, value in node.items():
        if name.startswith("@"):
            continue
        if name not in SCHEMA[kind]:
            errors.append(f"{path}: {kind} has no property {name}")
            continue
        expected = SCHEMA[kind][name]
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            where = f"{path}.{name}" + (f"[{index}]" if isinstance(value, list) else "")
            if isinstance(item, dict):
                if item.get("@type") not in expected:
                    errors.append(f"{where}: {item.get('@type')} is not one of {expected}")
                errors += schema_errors(item, where)
            else:
                found = literal_kind(item)
                # A URL is a Text too, and a DateTime is written as one.
                allowed = expected | ({URL, DATETIME} if TEXT in expected else set())
                if found not in allowed:
                    errors.append(f"{where}: {found} is not one of {expected}")
    return errors


def json_ld(html):
    (script,) = JSON_LD.findall(html)
    return json.loads(script)


def meta(html, attribute, name):
    found = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    assert len(found) == 1, (name, found)
    return unescape(found[0])


def links(html, rel):
    return re.findall(rf'<link rel="{rel}"(?: hreflang="([^"]*)")? href="([^"]*)">', html)


def test_a_thread_is_a_qapage_that_follows_schema_orgs_structure(client, thread_with_answers):
    question = thread_with_answers.question
    answers = thread_with_answers.answers

    data = json_ld(client.get(question.get_absolute_url()).content.decode())

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "QAPage"
    assert schema_errors(data) == []
    entity = data["mainEntity"]
    assert entity["name"] == question.title
    assert entity["answerCount"] == 4
    assert entity["upvoteCount"] == question.score
    assert entity["author"] == {
        "@type": "Person",
        "name": "Aarthi",
        "url": f"http://testserver{question.author.get_absolute_url()}",
    }
    accepted = entity["acceptedAnswer"]
    assert accepted["text"] == "Answer by Karlson."
    assert accepted["url"] == f"http://testserver{answers['Karlson'].get_absolute_url()}"
    assert accepted["author"]["name"] == "Karlson"
    assert [answer["author"]["name"] for answer in entity["suggestedAnswer"]] == [
        "ChrisF",
        "Jasconius",
        "Rarity",
    ]
    assert entity["suggestedAnswer"][0]["upvoteCount"] == 30
    assert datetime.fromisoformat(entity["dateCreated"]) == question.created_at


def test_the_schema_check_finds_what_departs_from_schema_org():
    wrong = {
        "@type": "QAPage",
        "mainEntity": {
            "@type": "Question",
            "title": "not a Question property",
            "answerCount": "four",
            "author": {"@type": "Person"},
        },
    }

    assert schema_errors(wrong) == [
        "$.mainEntity: Question lacks name",
        "$.mainEntity: a Question needs an acceptedAnswer or a suggestedAnswer",
        "$.mainEntity: Question has no property title",
        "$.mainEntity.answerCount: Text is not one of {'Integer'}",
        "$.mainEntity.author: Person lacks name",
    ]


def test_a_post_cannot_end_the_json_ld_script_nor_open_another(client):
    attack = '</script><script>alert("x")</script><!-- & </SCRIPT>'
    question = factories.question(title=f"Title {attack}", body=f"Body `{attack}`")
    factories.answer(question, body=f"Answer `{attack}`")

    html = client.get(question.get_absolute_url()).content.decode()

    (script,) = JSON_LD.findall(html)
    assert "<" not in script and ">" not in script
    entity = json.loads(script)["mainEntity"]
    assert entity["name"] == f"Title {attack}"
    assert attack in entity["text"]
    assert attack in entity["suggestedAnswer"][0]["text"]


def test_deleted_answers_are_left_out_even_for_those_who_see_them(thread_with_answers):
    question = thread_with_answers.question
    deleted = factories.answer(question, body="A deleted answer.", deleted_at=timezone.now())

    html = client_for(factories.moderator()).get(question.get_absolute_url()).content.decode()

    assert deleted.body_markdown in html
    assert "A deleted answer." not in JSON_LD.findall(html)[0]


def test_a_thread_has_opengraph_and_twitter_card_tags(client):
    question = factories.question(
        title='Why "Stapel"?', body="The name means **stack** in German & Dutch."
    )

    html = client.get(question.get_absolute_url()).content.decode()

    url = f"http://testserver{question.get_absolute_url()}"
    assert meta(html, "property", "og:title") == 'Why "Stapel"?'
    assert meta(html, "property", "og:description") == "The name means stack in German & Dutch."
    assert meta(html, "property", "og:url") == url
    assert meta(html, "property", "og:type") == "website"
    assert meta(html, "property", "og:site_name") == "Stapel"
    assert meta(html, "property", "og:locale") == "de_DE"
    assert meta(html, "name", "twitter:card") == "summary"
    assert meta(html, "name", "twitter:title") == 'Why "Stapel"?'


# Both languages for search engines


def test_each_public_page_links_its_german_english_and_default_versions(client):
    question = factories.question(tags=["syntax"])
    for path in [
        "/",
        "/tags/",
        "/users/",
        "/questions/tagged/syntax/",
        question.get_absolute_url(),
    ]:
        html = client.get(path).content.decode()

        assert links(html, "alternate") == [
            ("de", f"http://testserver{path}?lang=de"),
            ("en", f"http://testserver{path}?lang=en"),
            ("x-default", f"http://testserver{path}"),
        ], path
        assert links(html, "canonical") == [("", f"http://testserver{path}")]


def test_a_page_asked_for_in_a_language_speaks_it_and_is_canonical_with_it():
    question = factories.question(title="Wie bildet man den Plural?")
    german_browser = Client(headers={"accept-language": "de"})

    html = german_browser.get(f"{question.get_absolute_url()}?lang=en").content.decode()

    assert '<html lang="en">' in html
    assert "Asked" in html
    url = f"http://testserver{question.get_absolute_url()}"
    assert links(html, "canonical") == [("", f"{url}?lang=en")]
    assert meta(html, "property", "og:locale") == "en_US"
    # Remembered nowhere: the next page speaks the browser's language again.
    assert '<html lang="de">' in german_browser.get("/").content.decode()


def test_the_language_parameter_keeps_the_page_number_and_replaces_itself(client):
    for n in range(16):
        factories.question(title=f"Question {n}")

    html = client.get("/?page=2&lang=de&lang=en&tab=votes").content.decode()

    assert links(html, "canonical") == [("", "http://testserver/?page=2&amp;lang=en")]
    assert ("de", "http://testserver/?page=2&amp;lang=de") in links(html, "alternate")


def test_an_unknown_language_is_ignored(client):
    html = client.get("/?lang=fr").content.decode()

    assert '<html lang="de">' in html
    assert links(html, "canonical") == [("", "http://testserver/")]


def test_the_language_switcher_sends_the_visitor_back_without_the_parameter(client):
    html = client.get("/tags/?lang=en&sort=name").content.decode()

    assert '<input type="hidden" name="next" value="/tags/?sort=name">' in html


def test_the_page_cache_keeps_each_languages_version_of_a_url_apart(client):
    question = factories.question(title="Wie bildet man den Plural?")
    url = question.get_absolute_url()

    english = client.get(f"{url}?lang=en").content.decode()
    german = client.get(f"{url}?lang=de").content.decode()
    with CaptureQueriesContext(connection) as warm:
        english_again = Client().get(f"{url}?lang=en").content.decode()
    with CaptureQueriesContext(connection) as cold:
        browser_english = Client(headers={"accept-language": "en"}).get(url).content.decode()

    assert '<html lang="en">' in english and '<html lang="de">' in german
    assert '<html lang="en">' in english_again and len(warm) == 0
    # The plain URL in the browser's English is a page of its own, not yet cached.
    assert '<html lang="en">' in browser_english and len(cold) > 0
