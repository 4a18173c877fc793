"""Rate limits with their quota, CORS only for the configured origins, and the schema
that validates and the documentation page that shows it from local assets."""

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db


def test_anonymous_addresses_and_tokens_have_quotas_of_their_own(settings):
    settings.FORUM_API_RATE_ANONYMOUS = 2
    settings.FORUM_API_RATE_AUTHENTICATED = 3
    visitor = api_client()
    first = visitor.get("/api/v1/tags/")
    assert (first["X-RateLimit-Limit"], first["X-RateLimit-Remaining"]) == ("2", "1")
    assert first.json()["quota_remaining"] == 1
    visitor.get("/api/v1/tags/")
    refused = visitor.get("/api/v1/tags/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= settings.FORUM_API_RATE_WINDOW_SECONDS
    assert refused.json()["detail"] == "You have used all 2 requests of this period."
    # Another address, and a token, count on their own.
    assert api_client(REMOTE_ADDR="10.0.0.9").get("/api/v1/tags/").status_code == 200
    member = api_client(factories.user())
    assert member.get("/api/v1/tags/")["X-RateLimit-Remaining"] == "2"
    german = api_client(language="de").get("/api/v1/tags/")
    assert german.json()["detail"] == "Du hast alle 2 Anfragen dieses Zeitraums verbraucht."


def test_cors_is_off_unless_an_origin_is_configured(settings):
    origin = {"origin": "https://tools.example.org"}
    plain = api_client().get("/api/v1/tags/", headers=origin)
    assert "Access-Control-Allow-Origin" not in plain
    settings.FORUM_API_CORS_ORIGINS = ["https://tools.example.org"]
    allowed = api_client().get("/api/v1/tags/", headers=origin)
    assert allowed["Access-Control-Allow-Origin"] == "https://tools.example.org"
    preflight = api_client().options("/api/v1/questions/", headers=origin)
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    other = api_client().get("/api/v1/tags/", headers={"origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other


def test_the_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/questions/" in schema
    assert "/api/2.3/" not in schema


def test_the_documentation_page_uses_local_assets(anonymous):
    page = anonymous.get("/api/docs/").content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "https://" not in page
    assert finders.find("vendor/swagger-ui/swagger-ui-bundle.js")
    assert finders.find("api/docs.js")
    assert anonymous.get("/api/schema/").status_code == 200
