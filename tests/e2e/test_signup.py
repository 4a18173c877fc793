"""A person signs up: ALTCHA's widget solves its challenge in the browser while they
type, the new member may read but not post, and following the emailed link lets them ask."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_signing_up_with_the_challenge_solved_and_verifying_the_address(
    live_server, english_page, settings
):
    settings.FORUM_SIGNUP_DEFENCES = True
    settings.FORUM_EMAIL_VERIFICATION = True
    settings.FORUM_SITE_URL = live_server.url
    page = english_page
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(live_server.url + "/users/signup/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Email").fill("ada@example.org")
    page.locator("#id_password1").fill("analytical-engine-1843")
    page.locator("#id_password2").fill("analytical-engine-1843")
    # The widget solves the challenge on its own; its answer goes into the form.
    expect(page.locator('altcha-widget input[name="altcha"]')).to_have_value(
        re.compile(r"^ey"), timeout=30_000
    )
    # The trap field is clipped to a pixel, out of the reading order and the accessibility tree.
    trap = page.locator(".signup-trap").bounding_box()
    assert trap["width"] <= 1 and trap["height"] <= 1
    expect(page.get_by_role("textbox", name="Leave this field empty")).to_have_count(0)
    # A person takes longer than the minimum fill time; a machine that solves the challenge
    # at once would not (the refusal of a form sent too soon is tested over HTTP).
    page.wait_for_timeout((settings.FORUM_SIGNUP_MIN_SECONDS + 1) * 1000)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_text("Welcome to Stapel, ada!")).to_be_visible()
    expect(page.get_by_text("Please confirm your email address")).to_be_visible()
    assert not User.objects.get(username="ada").email_verified
    page.goto(live_server.url + "/questions/ask/")
    expect(page.get_by_text("Please confirm your email address first")).to_be_visible()

    (email,) = mail.outbox
    link = re.search(r"http://\S+/users/verify/\S+/", email.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm my address").click()

    expect(page.get_by_text("Thank you: your email address is confirmed.")).to_be_visible()
    page.goto(live_server.url + "/questions/ask/")
    expect(page.get_by_label("Title")).to_be_visible()
    assert User.objects.get(username="ada").email_verified
    assert not [error for error in errors if "Content Security Policy" in error]
