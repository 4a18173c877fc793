"""Bad input gets a 400 problem that says what is wrong, never a 500; errors in both
languages."""

import base64
import json

import pytest

from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/questions/?sort=oldest", "sort"),
        ("/api/v1/questions/?pagesize=-3", "pagesize"),
        ("/api/v1/questions/?pagesize=lots", "pagesize"),
        ("/api/v1/questions/?fromdate=yesterday", "fromdate"),
        ("/api/v1/questions/?cursor=not-a-cursor", "cursor"),
        ("/api/v1/questions/?order=desc", "order"),
        ("/api/v1/questions/?tagged=a;b;c;d;e;f", "tagged"),
        ("/api/v1/questions/?sort=votes&sort=activity", "sort"),
        ("/api/v1/tags/?filter=withbody", "filter"),
        ("/api/v1/search/", "q"),
        ("/api/v1/questions/-4/", "id"),
        ("/api/v1/questions/99999999999999999999999/", "id"),
        ("/api/v1/users/abc/", "id"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(anonymous, url, field):
    body = problem(anonymous.get(url), 400)
    assert field in body["errors"]


def test_bodies_that_are_not_what_an_endpoint_reads_are_400(writer):
    client = api_client(writer)
    malformed = client.post(
        "/api/v1/questions/", '{"title": "unfinished', content_type="application/json"
    )
    assert "JSON" in problem(malformed, 400)["detail"]
    not_an_object = client.post("/api/v1/questions/", "[1, 2]", content_type="application/json")
    assert problem(not_an_object, 400)["detail"] == "The body must be a JSON object."
    wrong_types = client.post(
        "/api/v1/questions/",
        {"title": ["a"], "body": 3, "tags": "python"},
        content_type="application/json",
    )
    assert set(problem(wrong_types, 400)["errors"]) == {"title", "tags"}
    unknown = client.post(
        "/api/v1/questions/",
        {"title": "A fine title for it", "body": "x" * 40, "tags": ["a"], "colour": "red"},
        content_type="application/json",
    )
    assert problem(unknown, 400)["errors"] == {"colour": ["There is no such field here."]}
    form = client.post(
        "/api/v1/questions/", "title=x", content_type="application/x-www-form-urlencoded"
    )
    problem(form, 415)


def test_unknown_addresses_under_the_api_are_problems(anonymous):
    problem(anonymous.get("/api/v1/nowhere/"), 404)
    problem(anonymous.get("/api/v1/questions/123456/"), 404)
    problem(anonymous.delete("/api/v1/tags/"), 405)


def test_errors_speak_german_to_who_asks_in_german(db):
    german = api_client(language="de")
    assert problem(german.get("/api/v1/questions/?colour=red"), 400)["errors"] == {
        "colour": ["Dieses Feld gibt es hier nicht."]
    }
    refused = problem(german.post("/api/v1/questions/", {}, content_type="application/json"), 401)
    assert refused["detail"] == "Du musst dich zuerst anmelden."
    member = factories.user()
    too_short = api_client(member, language="de").post(
        f"/api/v1/posts/{factories.question(author=member).pk}/comments/",
        {"body": "kurz"},
        content_type="application/json",
    )
    assert "mindestens" in problem(too_short, 400)["errors"]["body"][0]


def _cursor(value, pk):
    raw = json.dumps([value, pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/questions/?fromdate=999999999999999",
        "/api/v1/questions/?todate=99999999999999999999999999",
        "/api/v1/inbox/?before=99999999999999999999999",
        "/api/v1/search/?q=python&page=99999999999999999999999",
        f"/api/v1/questions/?sort=votes&cursor={_cursor('many', 5)}",
        f"/api/v1/questions/?sort=votes&cursor={_cursor(2**40, 5)}",
        f"/api/v1/questions/?sort=votes&cursor={_cursor(3, 2**70)}",
        f"/api/v1/questions/?sort=votes&cursor={_cursor(3, True)}",
        f"/api/v1/questions/?cursor={_cursor({'t': '2020-01-01T00:00:00'}, 5)}",
        f"/api/v1/questions/?cursor={_cursor(12, 5)}",
        f"/api/v1/tags/?sort=name&cursor={_cursor(['a'], 5)}",
    ],
)
def test_numbers_and_cursors_out_of_the_databases_range_are_400(url):
    problem(api_client(factories.user()).get(url), 400)
