"""Comments in the browser: a member votes one up in place; a rude one is flagged, a
moderator's flag removes it, and its author reads why in the inbox."""

import pytest
from playwright.sync_api import expect

from questions.models import Comment
from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RUDE = "Only an idiot would ask this, read a book for once."


def test_a_comment_is_voted_up_in_place(live_server, english_page):
    page = english_page
    factories.user(username="voter", reputation=15, password=PASSWORD)
    question = factories.question(title="Which conlang has the most speakers today?")
    comment = factories.comment(question, body="Esperanto, though counting speakers is hard.")

    log_in(page, live_server.url, "voter")
    page.goto(live_server.url + question.get_absolute_url())
    item = page.locator(f"#comment-{comment.pk}")
    item.get_by_role("button", name="Vote this comment up").click()

    expect(item.locator("[data-comment-score]")).to_have_text("1")
    expect(item.get_by_role("button", name="Vote this comment up")).to_have_attribute(
        "aria-pressed", "true"
    )
    # In place: the page did not reload, so the URL kept no fragment from a redirect.
    assert "#" not in page.url
    assert Comment.objects.get(pk=comment.pk).score == 1


def test_a_rude_comment_is_flagged_removed_by_a_moderator_and_its_author_sees_why(
    live_server, english_page
):
    page = english_page
    base = live_server.url
    factories.user(username="flagger", reputation=15, password=PASSWORD)
    factories.user(username="mod", is_moderator=True, password=PASSWORD)
    ruth = factories.user(username="ruth", display_name="Ruth", password=PASSWORD)
    question = factories.question(title="How do I learn the Quenya verb forms?")
    comment = factories.comment(question, author=ruth, body=RUDE)

    log_in(page, base, "flagger")
    page.goto(base + question.get_absolute_url())
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Flag").click()
    page.locator("input[name=reason][value=unfriendly]").check()
    page.get_by_role("button", name="Flag").click()
    expect(page.locator(f"#comment-{comment.pk}")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, base, "mod")
    page.goto(f"{base}/comments/{comment.pk}/flag/")
    page.locator("input[name=reason][value=harassment]").check()
    page.get_by_role("button", name="Flag").click()
    expect(page.get_by_text("Thank you: the comment is removed.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, base, "ruth")
    expect(page.locator(f"#comment-{comment.pk}")).to_have_count(0)
    page.goto(base + "/inbox/")
    expect(page.locator(".inbox-entry").first).to_contain_text(
        "Your comment was removed as harassment, bigotry or abuse"
    )
    expect(page.locator(".inbox-entry").first).to_contain_text(RUDE)
    page.locator(".inbox-entry").first.get_by_role("link", name=question.title).click()
    expect(page.locator("h1")).to_have_text(question.title)
    expect(page.locator(f"#comment-{comment.pk}")).to_have_count(0)
