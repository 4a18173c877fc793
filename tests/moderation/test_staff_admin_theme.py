"""The staff /admin/ in the theme the visitor chose on the site (core/themes.py), from the
first paint: staff/theme.js sets <html data-theme> from the cookie the server writes into
it, in the place of Django's theme.js (which would read the browser's localStorage)."""

import re

import pytest
from django.test import Client

from core.themes import COOKIE
from tests import factories

pytestmark = pytest.mark.django_db


def staff_client(**kwargs):
    client = Client(headers={"accept-language": "en"}, **kwargs)
    client.force_login(factories.user(display_name="Manager", is_staff=True))
    return client


def admin_theme(html):
    """The theme the admin page's blocking head script gives <html>."""
    head = html[: html.index("</head>")]
    return re.findall(r'<script src="[^"]*staff/theme\.js" data-theme="(\w+)"', head)


@pytest.mark.parametrize("theme", ["dark", "light", "auto"])
def test_the_staff_admin_renders_in_the_theme_of_the_cookie(theme):
    client = staff_client()
    client.cookies[COOKIE] = theme

    html = client.get("/admin/").content.decode()

    assert admin_theme(html) == [theme]
    assert "admin/js/theme.js" not in html
    assert "admin/css/dark_mode.css" in html


def test_without_a_choice_the_staff_admin_follows_the_system():
    assert admin_theme(staff_client().get("/admin/").content.decode()) == ["auto"]


def test_the_admins_toggle_tells_the_site_so_both_keep_one_choice():
    client = staff_client(enforce_csrf_checks=True)
    client.cookies[COOKIE] = "dark"
    html = client.get("/admin/").content.decode()
    # What staff/theme.js posts when the toggle is pressed: the page's CSRF token, the theme.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    switch = re.search(r'staff/theme\.js" data-theme="\w+" data-url="([^"]+)"', html)[1]

    response = client.post(switch, {"csrfmiddlewaretoken": token, "theme": "light"})

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "light"
    assert admin_theme(client.get("/admin/").content.decode()) == ["light"]
    assert '<html lang="en" data-bs-theme="light"' in client.get("/tags/").content.decode()


def test_the_moderators_panel_keeps_the_sites_own_dark_stylesheet():
    client = Client(headers={"accept-language": "en"})
    client.force_login(factories.moderator())
    client.cookies[COOKIE] = "dark"

    html = client.get("/moderation/").content.decode()

    assert "staff/theme.js" not in html
    assert re.search(r'css/dark[^"]*\.css" media="all"', html)
