"""Two people sign up; one asks with a preview, the other answers, comments, edits, and
reads the revision history."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_up(page, base_url, username):
    page.goto(base_url + "/users/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text(f"Welcome to Stapel, {username}!")).to_be_visible()


def test_people_sign_up_ask_answer_comment_edit_and_read_the_history(live_server, english_page):
    page = english_page
    factories.tag("grammar")

    sign_up(page, live_server.url, "ada")
    page.get_by_role("link", name="Ask Question").click()
    page.get_by_label("Title").fill("Dual number?")
    body = page.get_by_label("Body")
    body.fill("My language has singular and plural. How do other conlangs add a **dual**?")
    # The live preview is rendered by the server as the asker types.
    preview = page.locator("[data-preview-output]")
    expect(preview.locator("strong")).to_have_text("dual")
    page.get_by_role("combobox", name=re.compile("^Tags")).fill("gram")
    expect(page.get_by_role("option", name=re.compile("grammar"))).to_be_visible()
    # One click posts, with the tag suggestions still open; the short title comes back
    # with its error and nothing typed is lost.
    page.get_by_role("button", name="Post your question").click()
    expect(
        page.get_by_text("Title must be at least 15 characters; you entered 12.")
    ).to_be_visible()
    expect(body).to_have_value(re.compile(r"\*\*dual\*\*"))
    page.get_by_label("Title").fill("How do I mark the dual number in my conlang?")
    page.get_by_role("combobox", name=re.compile("^Tags")).fill("grammar")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How do I mark the dual number in my conlang?"
    )
    question_url = page.url

    page.get_by_role("button", name="Log out").click()
    sign_up(page, live_server.url, "bea")
    page.goto(question_url)
    page.locator("#answer-form textarea").fill(
        "Many languages use a suffix on the noun; Slovene is a living example."
    )
    page.get_by_role("button", name="Post your answer").click()
    expect(page).to_have_url(re.compile(r"#answer-\d+$"))
    answer = page.locator(".post-answer").first
    expect(answer).to_contain_text("Slovene is a living example")

    answer.get_by_text("Add a comment").click()
    answer.get_by_role("textbox", name=re.compile("^Comment")).fill(
        "Sanskrit and Arabic have a dual as well."
    )
    answer.get_by_role("button", name="Add comment").click()
    answer = page.locator(".post-answer").first
    expect(answer.locator(".comment-text")).to_have_text("Sanskrit and Arabic have a dual as well.")

    answer.get_by_role("link", name="Edit").click()
    page.get_by_label("Body").fill(
        "Many languages use a suffix on the noun; Slovene and Sorbian are living examples."
    )
    page.get_by_label("Edit summary").fill("Add Sorbian")
    page.get_by_role("button", name="Save edits").click()
    answer = page.locator(".post-answer").first
    expect(answer).to_contain_text("Slovene and Sorbian are living examples")

    answer.get_by_role("link", name="History").click()
    expect(page.get_by_text("Add Sorbian")).to_be_visible()
    expect(page.locator("ins").filter(has_text="and Sorbian")).to_be_visible()
