"""A spammer posts three links; a moderator destroys them in one click from the thread,
undoes it, and destroys them again."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from questions import services
from questions.models import Comment, Post
from spam.models import Destruction
from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def live_content(user):
    return (
        Post.objects.filter(author=user, deleted_at__isnull=True).count(),
        Comment.objects.filter(author=user, deleted_at__isnull=True).count(),
    )


def test_a_moderator_destroys_a_spammer_in_one_click_undoes_it_and_destroys_again(
    live_server, english_page
):
    page, base = english_page, live_server.url
    factories.tag("watches")
    asker = factories.user(username="asker", password=PASSWORD)
    question = services.question_create(
        author=asker, title="Which watch lasts longest?", body="Mine broke.", tags=["watches"]
    )
    spammer = factories.user(username="seller", display_name="Seller", password=PASSWORD)
    factories.moderator(username="mod", password=PASSWORD)

    log_in(page, base, "seller")
    page.goto(base + question.get_absolute_url())
    page.locator("#answer-form textarea").fill("Buy one at https://spam-shop.example/watches")
    page.get_by_role("button", name="Post your answer").click()
    answer = page.locator(".post-answer").first
    answer.get_by_text("Add a comment").click()
    answer.get_by_role("textbox", name=re.compile("^Comment")).fill(
        "Discounts at https://spam-shop.example/sale"
    )
    answer.get_by_role("button", name="Add comment").click()
    expect(page.locator(".post-answer .comment-text")).to_contain_text("Discounts")
    page.get_by_role("link", name="Ask Question").click()
    page.get_by_label("Title").fill("Cheap watches for everyone here")
    page.get_by_label("Body").fill("See https://spam-shop.example/cheap for the best prices.")
    page.get_by_role("combobox", name=re.compile("^Tags")).fill("watches")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cheap watches for everyone here")
    assert live_content(spammer) == (2, 1)

    log_in(page, base, "mod")
    page.goto(base + question.get_absolute_url())
    answer = page.locator(".post-answer").first
    answer.locator(".moderator-dialog summary").click()
    answer.get_by_role("button", name="Destroy spammer").click()

    expect(page.locator(".messagelist")).to_contain_text("Seller was destroyed as a spammer")
    assert live_content(spammer) == (0, 0)

    page.get_by_role("button", name="Undo").click()

    expect(page.locator(".messagelist")).to_contain_text("everything it changed is back")
    assert live_content(spammer) == (2, 1)
    page.goto(base + question.get_absolute_url())
    expect(page.locator(".post-answer").first).to_contain_text("spam-shop.example/watches")
    page.go_back()

    page.get_by_role("button", name="Destroy again").click()

    expect(page.locator(".messagelist")).to_contain_text("Seller was destroyed as a spammer")
    assert live_content(spammer) == (0, 0)
    assert Destruction.objects.filter(user=spammer).count() == 2
    out = StringIO()
    call_command("recount", "--dry-run", stdout=out)
    assert "No drift." in out.getvalue()
