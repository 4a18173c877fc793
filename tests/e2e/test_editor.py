"""Writing with the keyboard: the Markdown toolbar and its shortcuts write Markdown into the
text, the toolbar is one tab stop whose buttons the arrow keys reach, and the question is
posted from the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def writer(db):
    factories.tag("grammar")
    return factories.user(username="wren", display_name="Wren", password=PASSWORD, reputation=50)


def test_a_question_is_written_with_the_toolbars_shortcuts_and_posted_by_keyboard(
    live_server, english_page, writer
):
    page = english_page
    log_in(page, live_server.url, "wren")
    page.goto(live_server.url + "/questions/ask/")
    toolbar = page.get_by_role("toolbar", name="Formatting")
    expect(toolbar).to_be_visible()
    body = page.get_by_label("Body")

    page.get_by_label("Title").fill("How do I mark the dual number?")
    # From the title, Tab reaches the toolbar once (its first button), and Tab again the text.
    page.keyboard.press("Tab")
    expect(toolbar.get_by_role("button", name="Bold")).to_be_focused()
    page.keyboard.press("Tab")
    expect(body).to_be_focused()

    page.keyboard.type("Languages have ")
    page.keyboard.press("Control+b")  # the placeholder is selected: typing replaces it
    page.keyboard.type("singular")
    page.keyboard.press("End")
    page.keyboard.type(" and ")
    page.keyboard.press("Control+i")
    page.keyboard.type("plural")
    page.keyboard.press("End")
    page.keyboard.type(". See ")
    page.keyboard.press("Control+k")  # the address is selected
    page.keyboard.type("https://example.org/dual")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+u")
    page.keyboard.type("Slovene")
    expect(body).to_have_value(
        "Languages have **singular** and *plural*. See [link text](https://example.org/dual)"
        "\n\n- Slovene"
    )

    # Ctrl+Z undoes what the shortcuts wrote, as it undoes typing.
    page.keyboard.press("Control+z")
    expect(body).not_to_have_value(re.compile("- Slovene$"))
    page.keyboard.press("Control+Shift+z")
    expect(body).to_have_value(re.compile("- Slovene$"))

    # In the toolbar the arrow keys move between the buttons; Enter presses one.
    page.keyboard.press("Shift+Tab")
    expect(toolbar.get_by_role("button", name="Bold")).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Heading")).to_be_focused()
    page.keyboard.press("End")
    expect(toolbar.get_by_role("button", name="Undo")).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")
    expect(toolbar.get_by_role("button", name="Undo")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # out of the toolbar, back to the title
    expect(page.get_by_label("Title")).to_be_focused()

    body.press("Control+End")
    body.press("Enter")
    body.press("Enter")
    body.press("Control+e")
    page.keyboard.type("dual")

    page.get_by_role("combobox", name=re.compile("^Tags")).fill("grammar")
    page.get_by_role("button", name="Post your question").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("How do I mark the dual number?")
    post = page.locator(".post-body").first
    expect(post.locator("strong")).to_have_text("singular")
    expect(post.locator("em")).to_have_text("plural")
    expect(post.get_by_role("link", name="link text")).to_have_attribute(
        "href", "https://example.org/dual"
    )
    expect(post.locator("li")).to_have_text("Slovene")
    expect(post.locator("code")).to_have_text("dual")


def test_the_toolbar_waits_for_the_script_and_the_text_works_without_it(
    live_server, browser, writer
):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    log_in(page, live_server.url, "wren")
    page.goto(live_server.url + "/questions/ask/")

    expect(page.get_by_role("toolbar", name="Formatting")).to_be_hidden()
    page.get_by_label("Title").fill("Written without any script at all")
    page.get_by_label("Body").fill("Plain **Markdown** works as it is, with no toolbar.")
    page.get_by_label("Tags").fill("grammar")
    page.get_by_role("button", name="Post your question").click()

    expect(page.locator(".post-body strong").first).to_have_text("Markdown")
    context.close()


def test_a_revisions_diff_marks_changes_by_line_as_well_as_colour(live_server, english_page):
    author = factories.user()
    post = factories.question(body="Stapel knows every answer.", author=author)
    factories.revision(post, body="Stapel knows every answer.")
    factories.revision(post, body="Stapel knows one particular answer.")

    english_page.goto(f"{live_server.url}/posts/{post.pk}/revisions/")

    added = english_page.locator(".diff-body ins").first
    removed = english_page.locator(".diff-body del").first
    expect(added).to_have_css("text-decoration-line", "underline")
    expect(removed).to_have_css("text-decoration-line", "line-through")
    # The removal and the addition do not touch: "every" and "one" stay apart.
    gap = english_page.evaluate(
        "() => { const d = document.querySelector('.diff-body del').getBoundingClientRect();"
        " const i = document.querySelector('.diff-body ins').getBoundingClientRect();"
        " return i.left - d.right; }"
    )
    assert gap >= 3
