"""Every endpoint refuses in the language the client asks for: what does not exist (404)
in English and German, and every write of a visitor (401)."""

import pytest

from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db

MISSING = 987654
NOT_FOUND = {
    "en": "There is nothing here, or you may not see it.",
    "de": "Hier ist nichts, oder du darfst es nicht sehen.",
}
LOG_IN = {"en": "You need to log in first.", "de": "Du musst dich zuerst anmelden."}

READS = [
    "/api/v1/questions/{id}/",
    "/api/v1/answers/{id}/",
    "/api/v1/comments/{id}/",
    "/api/v1/posts/{id}/comments/",
    "/api/v1/posts/{id}/revisions/",
    "/api/v1/users/{id}/",
    "/api/v1/users/{id}/posts/",
    "/api/v1/users/{id}/badges/",
    "/api/v1/badges/{id}/",
]
WRITES = [
    ("post", "/api/v1/questions/{id}/answers/"),
    ("post", "/api/v1/posts/{id}/comments/"),
    ("patch", "/api/v1/posts/{id}/"),
    ("post", "/api/v1/posts/{id}/vote/"),
    ("put", "/api/v1/answers/{id}/accept/"),
    ("delete", "/api/v1/answers/{id}/accept/"),
    ("post", "/api/v1/posts/{id}/flags/"),
    ("post", "/api/v1/comments/{id}/flags/"),
    ("put", "/api/v1/posts/{id}/follow/"),
    ("delete", "/api/v1/posts/{id}/follow/"),
    ("put", "/api/v1/questions/{id}/bookmark/"),
    ("delete", "/api/v1/questions/{id}/bookmark/"),
]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("url", READS)
def test_reads_of_what_does_not_exist(url, language):
    response = api_client(language=language).get(url.format(id=MISSING))
    assert response.status_code == 404
    assert response.json()["detail"] == NOT_FOUND[language]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize(("method", "url"), WRITES)
def test_writes_to_what_does_not_exist(method, url, language):
    client = api_client(factories.user(reputation=5000), language=language)
    response = getattr(client, method)(url.format(id=MISSING), {}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["detail"] == NOT_FOUND[language]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize(("method", "url"), [("post", "/api/v1/questions/"), *WRITES])
def test_a_visitors_writes_are_asked_to_log_in(method, url, language):
    question = factories.question()
    answer = factories.answer(question)
    comment = factories.comment(answer)
    target = {"comments/{id}/flags/": comment.pk, "answers/{id}": answer.pk}
    pk = next((value for part, value in target.items() if part in url), question.pk)
    client = api_client(language=language)
    response = getattr(client, method)(url.format(id=pk), {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"] == LOG_IN[language]
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_inbox_asks_a_visitor_to_log_in(language):
    response = api_client(language=language).get("/api/v1/inbox/")
    assert response.status_code == 401
    assert response.json()["detail"] == LOG_IN[language]
