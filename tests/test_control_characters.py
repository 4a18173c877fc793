"""Control characters in an address (NUL above all, which PostgreSQL refuses in text) are
answered with 400 on every page, for visitors and members, never with a 500."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _address(pattern, text):
    """The pattern's route with `text` for each text argument and 1 for each number (and
    `text` at its end when it has no text argument)."""
    path = pattern
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        converter = path[start + 1 : end].split(":")[0] if ":" in path[start:end] else "str"
        path = path[:start] + ("1" if converter == "int" else text) + path[end + 1 :]
    path = "/" + path.lstrip("^").rstrip("$")
    return path if text in path else path + text


ROUTES = sorted(
    {
        route
        for route in _patterns(get_resolver().url_patterns)
        if not route.startswith(("admin/", "moderation/"))
    }
)


def test_the_walk_covers_the_sites_pages():
    assert len(ROUTES) > 40
    assert {"questions/tagged/<str:tag>/", "tags/<str:tag>/edit/", "feeds/tags/<str:tag>/"} <= set(
        ROUTES
    )


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("who", ["visitor", "member", "moderator"])
def test_a_nul_byte_in_the_path_or_the_query_is_a_bad_request(route, who):
    user = {
        "visitor": None,
        "member": factories.user(reputation=500),
        "moderator": factories.moderator(),
    }[who]
    client = client_for(user)

    for address in (
        _address(route, "a%00b"),
        _address(route, "a%1fb"),
        _address(route, "a%7f"),
        _address(route, "a") + "?q=a%00b&filter=a%00b&page=1",
        _address(route, "a") + "?tab=%00",
    ):
        assert client.get(address).status_code == 400, address
        assert client.post(address).status_code == 400, address


@pytest.mark.parametrize("address", ["/admin/a%00b/", "/moderation/a%00b/", "/admin/?q=%00"])
def test_the_admin_sites_refuse_them_too(address, admin_client):
    assert admin_client.get(address).status_code == 400


def test_line_breaks_and_tabs_in_a_search_still_search():
    response = client_for(None).get("/search/?q=plural%0Aesperanto%09")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "The address holds control characters."), ("de", "Die Adresse enthält Steuerzeichen.")],
)
def test_the_refusal_says_why_in_the_visitors_language(language, message):
    response = Client(headers={"accept-language": language}).get("/questions/tagged/a%00b/")

    assert response.status_code == 400
    assert response.content.decode() == message
