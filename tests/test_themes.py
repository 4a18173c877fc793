"""The colour theme: automatic (the system's prefers-color-scheme) until the visitor picks
light or dark in the footer; the choice is a cookie and the server renders the page in it,
for anonymous visitors' cached pages too."""

import re

import pytest
from django.test import Client

from core.themes import COOKIE
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DARK_LINK = re.compile(r'<link rel="stylesheet" href="[^"]*/css/dark\.css" media="([^"]+)">')
HTML_TAG = re.compile(r"<html[^>]*>")


def theme_of_page(html):
    """What the first paint uses: <html>'s theme attribute and dark.css's media."""
    return HTML_TAG.search(html).group(0), DARK_LINK.search(html).group(1)


def pressed(html):
    return re.findall(r'name="theme" value="(\w+)" aria-pressed="true"', html)


def choose(client, theme, next_url="/tags/"):
    page = client.get(next_url).content.decode()
    token = CSRF_TOKEN.search(page).group(1)
    return client.post("/theme/", {"theme": theme, "next": next_url, "csrfmiddlewaretoken": token})


def test_a_visitor_who_chose_nothing_gets_the_theme_their_system_asks_for():
    html = Client().get("/tags/").content.decode()

    assert theme_of_page(html) == ('<html lang="de">', "(prefers-color-scheme: dark)")
    assert pressed(html) == ["auto"]


@pytest.mark.parametrize(
    ("theme", "attribute", "media"),
    [
        ("dark", "dark", "all"),
        ("light", "light", "not all"),
        ("auto", None, "(prefers-color-scheme: dark)"),
    ],
)
def test_the_chosen_theme_is_remembered_and_rendered_from_the_first_byte(theme, attribute, media):
    client = Client(enforce_csrf_checks=True)

    response = choose(client, theme)

    assert response.status_code == 302
    assert response["Location"] == "/tags/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == theme
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]
    html = client.get("/tags/").content.decode()
    expected = f'<html lang="de" data-bs-theme="{attribute}">' if attribute else '<html lang="de">'
    assert theme_of_page(html) == (expected, media)
    assert pressed(html) == [theme]


def test_a_member_chooses_a_theme_as_a_visitor_does(client):
    client.force_login(factories.user())

    response = choose(client, "dark", next_url="/inbox/")

    assert response["Location"] == "/inbox/"
    assert theme_of_page(client.get("/inbox/").content.decode())[1] == "all"


def test_the_switch_changes_nothing_on_a_get():
    response = Client().get("/theme/", {"theme": "dark", "next": "/"})

    assert response.status_code == 405
    assert COOKIE not in response.cookies


def test_the_switch_needs_the_visitors_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/theme/", {"theme": "dark", "next": "/"})

    assert response.status_code == 403
    assert COOKIE not in response.cookies


def test_an_unknown_theme_is_refused_and_nothing_is_stored(client):
    response = client.post(
        "/theme/", {"theme": "purple", "next": "/"}, headers={"accept-language": "en"}
    )

    assert response.status_code == 400
    assert "Choose a light, a dark or the automatic theme." in response.content.decode()
    assert COOKIE not in response.cookies


def test_the_switch_sends_the_visitor_back_only_to_this_site(client):
    response = client.post("/theme/", {"theme": "dark", "next": "https://evil.example/"})

    assert response["Location"] == "/"
    assert response.cookies[COOKIE].value == "dark"


def test_a_cookie_with_nonsense_in_it_counts_as_no_choice(client):
    client.cookies[COOKIE] = "<script>"

    html = client.get("/tags/").content.decode()

    assert theme_of_page(html) == ('<html lang="de">', "(prefers-color-scheme: dark)")


def test_the_anonymous_page_cache_serves_each_theme_its_own_page(settings):
    settings.FORUM_PAGE_CACHE_SECONDS = 60
    question = factories.question(title="Wie bildet man den Plural im Esperanto?")
    url = question.get_absolute_url()
    automatic, dark, light = Client(), Client(), Client()
    dark.cookies[COOKIE] = "dark"
    light.cookies[COOKIE] = "light"

    # Each visitor twice: the second page comes from the cache.
    for _ in range(2):
        assert theme_of_page(automatic.get(url).content.decode())[1] == (
            "(prefers-color-scheme: dark)"
        )
        assert theme_of_page(dark.get(url).content.decode()) == (
            '<html lang="de" data-bs-theme="dark">',
            "all",
        )
        assert theme_of_page(light.get(url).content.decode())[1] == "not all"


def test_the_moderators_panel_wears_the_chosen_theme(client):
    client.force_login(factories.moderator())
    client.cookies[COOKIE] = "dark"

    html = client.get("/moderation/").content.decode()

    assert DARK_LINK.search(html).group(1) == "all"
