"""Community moderation in the browser (issue 17): a newcomer suggests an edit, reviewers
approve it in /review/, and the suggester gains 2 reputation and an inbox entry; a rude
comment flagged by a member is removed by a moderator from the moderators' panel, and its
author reads why; a reviewer who fails review audits is told at once, kept out of the
queues with the reason, and let back in by a moderator."""

import re

import pytest
from playwright.sync_api import expect

from moderation import services as moderation_services
from moderation.models import Flag, ModeratorAction
from questions.models import Comment, Post
from reviews import audits
from reviews.models import ReviewBan, ReviewTask, SuggestedEdit
from reviews.services import task_open
from tests import factories
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_out_and_in(page, base, username):
    page.get_by_role("button", name="Log out").click()
    log_in(page, base, username)


def test_a_newcomer_suggests_an_edit_reviewers_approve_it_and_the_suggester_is_told(
    live_server, english_page
):
    page = english_page
    base = live_server.url
    nia = factories.user(username="nia", display_name="Nia", password=PASSWORD)
    factories.user(username="rex", display_name="Rex", reputation=2000, password=PASSWORD)
    factories.user(username="sol", display_name="Sol", reputation=2000, password=PASSWORD)
    question = factories.question(
        title="How do I form the plural in Toki Pona?",
        tags=["toki-pona"],
        body="Toki Pona has no plural endigns. How do speakers show that there are many?",
    )

    log_in(page, base, "nia")
    page.goto(base + question.get_absolute_url())
    # Below the edit privilege, the post offers a suggestion instead of an edit.
    expect(page.locator(".post-question").get_by_role("link", name="Edit")).to_have_count(0)
    page.locator(".post-question").get_by_role("link", name="Improve this post").click()
    page.get_by_label("Body").fill(
        "Toki Pona has no plural endings. How do speakers show that there are many?"
    )
    page.get_by_label("Edit summary").fill("Fix a typo")
    page.get_by_role("button", name="Suggest this edit").click()
    expect(page.get_by_text("Your edit will show once reviewers approve it")).to_be_visible()
    expect(page.locator(".post-question")).to_contain_text("endigns")

    for username in ("rex", "sol"):
        log_out_and_in(page, base, username)
        page.get_by_role("link", name="Review", exact=True).click()
        page.get_by_role("link", name="Suggested edits").click()
        expect(page.locator("ins").filter(has_text="endings")).to_be_visible()
        page.get_by_role("button", name="Approve").click()
        expect(page.locator(".alert-success, .messages").first).to_contain_text(
            "Thank you for reviewing!"
        )
    assert SuggestedEdit.objects.get().status == SuggestedEdit.Status.APPROVED

    log_out_and_in(page, base, "nia")
    expect(page.locator(".site-user .reputation")).to_have_text(re.compile(r"\s3$"))
    page.goto(base + question.get_absolute_url())
    expect(page.locator(".post-question")).to_contain_text("no plural endings")
    page.goto(base + "/inbox/")
    expect(page.locator(".inbox-entry").first).to_contain_text("approved your suggested edit")
    nia.refresh_from_db()
    assert nia.reputation == 3


def test_a_flagged_rude_comment_is_removed_from_the_moderators_panel_and_its_author_sees_why(
    live_server, english_page
):
    page = english_page
    base = live_server.url
    factories.user(username="flo", reputation=15, password=PASSWORD)
    factories.user(username="mod", is_moderator=True, password=PASSWORD)
    ruth = factories.user(username="ruth", display_name="Ruth", password=PASSWORD)
    question = factories.question(title="Where do I start with Lojban's grammar?")
    rude = "Nobody wants your lazy questions here, go away."
    comment = factories.comment(question, author=ruth, body=rude)

    log_in(page, base, "flo")
    page.goto(base + question.get_absolute_url())
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Flag").click()
    page.locator("input[name=reason][value=harassment]").check()
    page.get_by_role("button", name="Flag").click()
    flag = Flag.objects.get(comment=comment)

    page.context.clear_cookies()
    page.goto(base + "/moderation/login/")
    page.get_by_label("Username").fill("mod")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.goto(base + "/moderation/moderation/flag/")
    expect(page.locator("#result_list")).to_contain_text("harassment")
    page.locator(f"input[name=_selected_action][value='{flag.pk}']").check()
    page.locator("select[name=action]").select_option("mark_helpful")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Comment.objects.get(pk=comment.pk).deleted_at is not None

    log_in(page, base, "ruth")
    page.goto(base + question.get_absolute_url())
    expect(page.locator(f"#comment-{comment.pk}")).to_have_count(0)
    page.goto(base + "/inbox/")
    entry = page.locator(".inbox-entry").first
    expect(entry).to_contain_text("Your comment was removed as harassment, bigotry or abuse")
    expect(entry).to_contain_text(rude)


def test_a_reviewer_who_fails_audits_is_told_at_once_banned_and_let_back_in(
    live_server, english_page, settings
):
    settings.FORUM_REVIEW_AUDIT_EVERY = 1  # an audit whenever the last review was none
    settings.FORUM_REVIEW_AUDIT_FAILURES_TO_BAN = 2
    page = english_page
    base = live_server.url
    factories.user(username="rob", display_name="Rob", reputation=600, password=PASSWORD)
    factories.user(username="mod", is_moderator=True, password=PASSWORD)
    spammer = factories.user(display_name="Spammer")
    for number in range(3):
        spam = factories.question(
            author=spammer,
            title=f"Cheap designer watches, offer number {number}",
            body=f"Buy replica watches at our shop, discount code SPAM{number}!",
        )
        moderation_services.flag_create(
            reporter=factories.moderator(), reason=Flag.Reason.SPAM, post=spam
        )
    audits.audit_pool_refill(queue=ReviewTask.Queue.FIRST_QUESTIONS)
    newcomers = [
        factories.question(title=f"My first question about Klingon, number {number}")
        for number in range(3)
    ]
    for question in newcomers:
        task_open(queue=ReviewTask.Queue.FIRST_QUESTIONS, post_id=question.pk)

    log_in(page, base, "rob")
    page.goto(base + "/review/first-questions/")
    # The audit looks like any task: a post to judge, nothing about its deletion.
    expect(page.locator(".review-post")).to_contain_text("Buy replica watches")
    expect(page.locator(".review-page")).not_to_contain_text("deleted")
    page.get_by_role("button", name="Looks OK").click()
    expect(page.get_by_text(re.compile("This was an audit"))).to_be_visible()
    # Right after an audit comes a real task.
    expect(page.locator(".review-post")).to_contain_text("What is the")
    page.get_by_role("button", name="Looks OK").click()
    expect(page.get_by_text("Thank you for reviewing!")).to_be_visible()
    page.get_by_role("button", name="Looks OK").click()
    expect(page.get_by_text(re.compile("This was an audit"))).to_be_visible()
    # The second failure in a row: the queue is closed to him, and he is told why.
    stop = page.locator(".review-page .alert-warning")
    expect(stop).to_contain_text("You may not review until")
    expect(stop).to_contain_text("You failed 2 review audits in a row")
    # And the moderators' message says so on every page until it is read.
    expect(page.get_by_text(re.compile("You may not use the review queues until"))).to_be_visible()
    page.goto(base + "/inbox/")
    expect(page.locator(".inbox-entry").first).to_contain_text("A message from the moderators")

    page.context.clear_cookies()
    page.goto(base + "/moderation/login/")
    page.get_by_label("Username").fill("mod")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.get_by_role("link", name="Review bans").first.click()
    ban = ReviewBan.objects.get()
    expect(page.locator("#result_list")).to_contain_text("You failed 2 review audits")
    page.locator(f"input[name=_selected_action][value='{ban.pk}']").check()
    page.locator("select[name=action]").select_option("lift")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 review ban lifted.")
    assert ModeratorAction.objects.filter(verb="review_ban_lifted").exists()

    log_in(page, base, "rob")
    page.goto(base + "/review/first-questions/")
    expect(page.locator(".review-post")).to_be_visible()
    assert Post.objects.filter(deleted_at__isnull=True, author=spammer).count() == 0
