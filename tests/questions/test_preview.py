import re
import uuid

import pytest
from django.test import Client

from questions.models import Question
from tests import factories

pytestmark = pytest.mark.django_db

PREVIEW = "/questions/preview/"
AUTOCOMPLETE = "/tags/autocomplete/"
BODY = """# Verbs

Quenya verbs take *tense* suffixes:

| tense | suffix |
|-------|--------|
| past  | -në    |

See [the grammar](https://example.com/grammar) and <script>alert(1)</script>~~old~~.
"""


@pytest.fixture
def member_client(db):
    client = Client()
    client.force_login(factories.user(reputation=500))
    return client


# Live preview


def test_preview_is_exactly_the_html_the_posted_body_gets(member_client):
    factories.tag("quenya")

    preview = member_client.post(PREVIEW, {"body": BODY})
    member_client.post(
        "/questions/ask/",
        {
            "title": "How do Quenya verbs work?",
            "body": BODY,
            "tags": "quenya",
            "submission_token": str(uuid.uuid4()),
        },
    )

    assert preview.status_code == 200
    assert preview["Content-Type"] == "application/json"
    html = preview.json()["html"]
    assert html == Question.objects.get().body_html
    assert "<table>" in html and "<s>old</s>" in html
    assert 'rel="nofollow ugc noopener"' in html
    assert "<script" not in html


def test_preview_removes_control_characters_as_posting_does(member_client):
    html = member_client.post(PREVIEW, {"body": "Plain\x00 text\x07 here"}).json()["html"]

    assert html == "<p>Plain text here</p>"


def test_preview_renders_at_most_what_the_body_field_accepts(member_client):
    html = member_client.post(PREVIEW, {"body": "a" * 100_000}).json()["html"]

    assert html == "<p>" + "a" * 31_000 + "</p>"


def test_preview_of_nothing_is_empty(member_client):
    assert member_client.post(PREVIEW, {}).json() == {"html": ""}


def test_preview_answers_only_post(member_client):
    assert member_client.get(PREVIEW, {"body": "text"}).status_code == 405


def test_anonymous_visitors_get_no_preview(english_client):
    response = english_client.post(PREVIEW, {"body": "text"})

    assert response.status_code == 403
    assert response.json() == {"error": "You need to log in first."}


def test_preview_needs_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.user())

    assert client.post(PREVIEW, {"body": "text"}).status_code == 403

    page = client.get("/questions/ask/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(PREVIEW, {"body": "*text*"}, headers={"X-CSRFToken": csrf})
    assert response.json() == {"html": "<p><em>text</em></p>"}


# Tag suggestions


@pytest.fixture
def tags(db, request):
    # Popular tags are made with their counts: hundreds of questions would only slow the test.
    request.applymarker(pytest.mark.drift)
    factories.tag("python", question_count=50)
    factories.tag("pypy", question_count=70)
    factories.tag("pyramid", question_count=5)
    factories.tag("perl", question_count=500)
    for number in range(12):
        factories.tag(f"q{number:02d}", question_count=number)


def test_suggestions_are_tags_starting_with_the_prefix_most_used_first(client, tags):
    response = client.get(AUTOCOMPLETE, {"q": "py"})

    assert response.status_code == 200
    assert response.json() == [
        {"name": "pypy", "count": 70},
        {"name": "python", "count": 50},
        {"name": "pyramid", "count": 5},
    ]


def test_suggestions_ignore_case_and_surrounding_space(client, tags):
    assert [tag["name"] for tag in client.get(AUTOCOMPLETE, {"q": " PYT "}).json()] == ["python"]


def test_at_most_ten_tags_are_suggested(client, tags):
    names = [tag["name"] for tag in client.get(AUTOCOMPLETE, {"q": "q"}).json()]

    assert names == [f"q{number:02d}" for number in range(11, 1, -1)]


@pytest.mark.parametrize(
    "query", [{}, {"q": ""}, {"q": "   "}, {"q": "zzz"}, {"q": "%"}, {"q": "_y"}]
)
def test_no_prefix_or_no_match_suggests_nothing(client, tags, query):
    assert client.get(AUTOCOMPLETE, query).json() == []


def test_suggestions_cost_one_query(client, tags, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(AUTOCOMPLETE, {"q": "p"})
