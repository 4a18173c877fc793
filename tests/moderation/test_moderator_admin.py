"""The moderators' admin panel at /moderation/: who gets in, the flag queue and its bulk
actions, suspensions, messages, close votes, the audit log and "My escalations"."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.utils import timezone

from accounts.models import User
from moderation import services
from moderation.models import (
    CloseVote,
    Escalation,
    Flag,
    ModeratorAction,
    ModeratorMessage,
    Suspension,
)
from questions.models import Post
from tests import factories
from tests.clients import client_for
from tests.moderation.changelists import changelist_queries

pytestmark = pytest.mark.django_db

QUEUE = "/moderation/questions/post/"
SUSPENSIONS = "/moderation/moderation/suspension/"
MESSAGES = "/moderation/moderation/moderatormessage/"
CLOSE_VOTES = "/moderation/moderation/closevote/"
AUDIT_LOG = "/moderation/moderation/moderatoraction/"
MY_ESCALATIONS = "/moderation/moderation/escalation/"
Reason = Flag.Reason


@pytest.fixture
def cast(moderator):
    return {
        "anonymous": None,
        "user": factories.user(reputation=500),
        "moderator": moderator,
        "community manager": factories.user(is_staff=True),
    }


def flag(post, reason=Reason.LOW_QUALITY, reporter=None, text="", age=None):
    made = services.flag_create(
        reporter=reporter or factories.user(reputation=100), reason=reason, post=post, text=text
    )
    if age is not None:
        Flag.objects.filter(pk=made.pk).update(created_at=timezone.now() - age)
    return made


def act(client, action, posts, url=QUEUE, **data):
    return client.post(
        url,
        {"action": action, ACTION_CHECKBOX_NAME: [post.pk for post in posts], "index": 0, **data},
    )


def apply(client, action, objects, url=QUEUE, **data):
    """The second step of an action with an intermediate page."""
    return client.post(
        url, {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "apply": 1, **data}
    )


def audit_verbs(target=None):
    rows = ModeratorAction.objects.all()
    if target is not None:
        rows = [row for row in rows if row.target == target]
    return [row.verb for row in rows]


# Who gets in


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("user", 302), ("moderator", 200), ("community manager", 200)],
)
@pytest.mark.parametrize(
    "url",
    [
        "/moderation/",
        QUEUE,
        SUSPENSIONS,
        f"{SUSPENSIONS}add/",
        MESSAGES,
        f"{MESSAGES}add/",
        CLOSE_VOTES,
        AUDIT_LOG,
        MY_ESCALATIONS,
    ],
)
def test_the_moderators_panel_lets_in_moderators_and_community_managers_only(
    cast, who, status, url
):
    response = client_for(cast[who]).get(url)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/moderation/login/")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("anonymous", False), ("user", False), ("moderator", True), ("community manager", True)],
)
def test_queue_actions_work_for_moderators_and_community_managers_only(cast, who, allowed):
    post = factories.question()
    flag(post)

    response = act(client_for(cast[who]), "mark_helpful", [post])

    assert response.status_code == 302
    assert (Flag.objects.get().status == Flag.Status.HELPFUL) is allowed


@pytest.mark.parametrize(
    ("who", "logged_in"), [("user", False), ("moderator", True), ("community manager", True)]
)
def test_moderators_log_in_through_the_panels_own_login_page(cast, who, logged_in):
    cast[who].set_password("a-long-password")
    cast[who].save()
    client = client_for(None)

    response = client.post(
        "/moderation/login/?next=/moderation/",
        {"username": cast[who].username, "password": "a-long-password", "next": "/moderation/"},
    )

    assert (response.status_code == 302) is logged_in
    assert (client.get("/moderation/").status_code == 200) is logged_in


def test_an_inactive_moderator_is_not_let_in(moderator):
    User.objects.filter(pk=moderator.pk).update(is_active=False)
    moderator.is_active = False
    client = client_for(None)
    client.force_login(moderator)

    assert client.get("/moderation/").status_code == 302


def test_the_dashboard_counts_pending_flags_and_open_escalations(moderator):
    first, second = factories.question(), factories.question()
    flag(first), flag(first), flag(second)
    services.escalate(moderator=moderator, note="Look at this user", subject_user=factories.user())
    services.escalate(
        moderator=factories.moderator(), note="And this one", subject_user=factories.user()
    )

    response = client_for(moderator).get("/moderation/")

    assert response.context["pending_flags"] == 3
    assert response.context["flagged_posts"] == 2
    assert response.context["open_escalations"] == 2
    assert response.context["my_open_escalations"] == 1
    content = response.content.decode()
    assert "Flag queue" in content and "My escalations" in content and "Audit log" in content


def test_the_dashboard_speaks_german_by_default(german_site, moderator):
    client = Client()
    client.force_login(moderator)

    response = client.get("/moderation/")

    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()


# The flag queue


def test_the_queue_shows_each_post_once_with_its_flag_count_and_reasons(moderator):
    post = factories.question(title="Buy cheap watches", body="Visit **my shop**.")
    flag(post, Reason.SPAM), flag(post, Reason.LOW_QUALITY), flag(post, Reason.LOW_QUALITY)
    flag(post, Reason.MODERATOR, text="The author copied this from a blog.")

    response = client_for(moderator).get(QUEUE)

    rows = list(response.context["cl"].result_list)
    assert [(row.pk, row.flag_count) for row in rows] == [(post.pk, 4)]
    content = response.content.decode()
    assert "<li>2 × very low quality</li>" in content
    assert "<li>1 × spam</li>" in content
    assert "The author copied this from a blog." in content
    assert "<strong>my shop</strong>" in content  # the post, inline


def test_the_breadcrumbs_of_the_queue_its_posts_and_its_actions_name_the_flag_queue(moderator):
    post = factories.question(title="Buy cheap watches")
    flag(post)
    client = client_for(moderator)

    pages = [
        client.get(QUEUE),
        client.get(f"{QUEUE}{post.pk}/change/"),
        act(client, "decline", [post]),
    ]

    for page in pages:
        breadcrumbs = re.search(
            r'<div class="breadcrumbs">(.*?)</div>', page.content.decode(), re.S
        ).group(1)
        assert "Flag queue" in breadcrumbs
        assert "Posts" not in breadcrumbs and "Questions" not in breadcrumbs
    assert f'href="{QUEUE}"' in re.search(
        r'<div class="breadcrumbs">(.*?)</div>', pages[1].content.decode(), re.S
    ).group(1)


def test_the_queue_lists_the_newest_flags_first_or_the_most_flagged(moderator):
    older, newer = factories.question(), factories.question()
    flag(older, age=timedelta(hours=5)), flag(older, age=timedelta(hours=4)), flag(newer)
    client = client_for(moderator)

    newest_first = client.get(QUEUE).context["cl"]
    flags_column = newest_first.list_display.index("flag_count_column")
    most_flagged_first = client.get(QUEUE, {"o": f"-{flags_column}"}).context["cl"]

    assert [post.pk for post in newest_first.result_list] == [newer.pk, older.pk]
    assert [post.pk for post in most_flagged_first.result_list] == [older.pk, newer.pk]


def test_the_queue_filters_by_reason_age_and_status(moderator):
    spam, old, handled = factories.question(), factories.question(), factories.question()
    flag(spam, Reason.SPAM)
    flag(old, age=timedelta(days=10))
    services.flags_mark_helpful(flags=Flag.objects.filter(pk=flag(handled).pk), moderator=moderator)
    client = client_for(moderator)

    def listed(**params):
        return {post.pk for post in client.get(QUEUE, params).context["cl"].result_list}

    assert listed() == {spam.pk, old.pk}
    assert listed(reason="spam") == {spam.pk}
    assert listed(age="day") == {spam.pk}
    assert listed(age="older") == {old.pk}
    assert listed(status="helpful") == {handled.pk}


def test_the_flag_queue_costs_the_same_queries_for_one_post_and_for_thirty(moderator):
    client = client_for(moderator)
    reporters = [factories.user(reputation=100) for _ in range(3)]

    def queries_with(count):
        for _ in range(count - Post.objects.filter(flags__isnull=False).distinct().count()):
            post = factories.question()
            for reporter in reporters:
                flag(post, Reason.MODERATOR, reporter=reporter, text="Please look at this one.")
        return changelist_queries(client, QUEUE, count)

    one, thirty = queries_with(1), queries_with(30)

    assert one == thirty == 6


def test_a_post_shows_its_body_and_all_its_flags(moderator):
    post = factories.question(body="Some *emphasis* here.")
    flag(post, Reason.MODERATOR, text="Looks plagiarised to me.")

    response = client_for(moderator).get(f"{QUEUE}{post.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "<em>emphasis</em>" in content
    assert "Looks plagiarised to me." in content
    assert 'name="_save"' not in content


# Bulk actions


def test_marking_flags_helpful_marks_every_pending_flag_on_the_posts(moderator):
    post, other = factories.question(), factories.question()
    first, second, untouched = flag(post), flag(post), flag(other)

    response = act(client_for(moderator), "mark_helpful", [post])

    assert response.status_code == 302
    assert {f.status for f in Flag.objects.filter(pk__in=[first.pk, second.pk])} == {
        Flag.Status.HELPFUL
    }
    assert Flag.objects.get(pk=untouched.pk).status == Flag.Status.PENDING
    assert audit_verbs() == [ModeratorAction.Verb.FLAG_HELPFUL] * 2
    assert ModeratorAction.objects.first().actor == moderator


def test_declining_asks_for_a_reason_on_an_intermediate_page(moderator):
    post = factories.question()
    flag(post)

    response = act(client_for(moderator), "decline", [post])

    assert response.status_code == 200
    assert response.templates[0].name == "admin/moderation/action_form.html"
    content = response.content.decode()
    assert "found no evidence to support it" in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert Flag.objects.get().status == Flag.Status.PENDING


def test_declining_with_a_reason_from_the_list_tells_the_flaggers_why(moderator):
    post = factories.question()
    flag(post), flag(post)

    response = apply(client_for(moderator), "decline", [post], reason="no_evidence")

    assert response.status_code == 302
    flags = Flag.objects.all()
    assert {f.status for f in flags} == {Flag.Status.DECLINED}
    assert {f.note for f in flags} == {
        "A moderator reviewed your flag, but found no evidence to support it."
    }
    assert audit_verbs() == [ModeratorAction.Verb.FLAG_DECLINED] * 2


def test_declining_the_flags_that_hid_a_question_brings_it_back_to_the_lists(moderator):
    question = factories.question(title="A perfectly fine question")
    for _ in range(3):
        flag(question, Reason.SPAM)
    assert Post.objects.get(pk=question.pk).hidden_at is not None
    assert "0 Fragen" in Client().get("/").content.decode()

    response = apply(client_for(moderator), "decline", [question], reason="no_evidence")

    assert response.status_code == 302
    assert Post.objects.get(pk=question.pk).hidden_at is None
    html = Client().get("/?tab=unanswered").content.decode()
    assert '<p class="page-count">1 Frage</p>' in html
    assert "A perfectly fine question" in html


def test_declining_with_a_typed_reason(moderator):
    post = factories.question()
    flag(post)

    apply(client_for(moderator), "decline", [post], reason="other", other="This is a fine answer.")

    declined = Flag.objects.get()
    assert (declined.status, declined.note) == (Flag.Status.DECLINED, "This is a fine answer.")


def test_declining_with_other_but_nothing_typed_shows_the_page_again(moderator):
    post = factories.question()
    flag(post)

    response = apply(client_for(moderator), "decline", [post], reason="other", other=" ")

    assert response.status_code == 200
    assert "Type the reason" in response.content.decode()
    assert Flag.objects.get().status == Flag.Status.PENDING


def test_deleting_a_flagged_answer_deletes_it_counts_it_out_and_marks_the_flags_helpful(moderator):
    question = factories.question()
    answer = factories.answer(question)
    flag(answer, Reason.NOT_AN_ANSWER)

    response = act(client_for(moderator), "delete_posts", [answer])

    assert response.status_code == 302
    answer.refresh_from_db(), question.refresh_from_db()
    assert answer.deleted_at is not None and answer.deleted_by == moderator
    assert question.answer_count == 0
    assert Flag.objects.get().status == Flag.Status.HELPFUL
    assert ModeratorAction.Verb.POST_DELETED in audit_verbs(answer)


def test_locking_a_flagged_post(moderator):
    post = factories.question()
    flag(post)

    act(client_for(moderator), "lock_posts", [post])

    post.refresh_from_db()
    assert post.locked_at is not None
    assert audit_verbs(post) == [ModeratorAction.Verb.POST_LOCKED]
    assert Flag.objects.get().status == Flag.Status.HELPFUL


def test_escalating_asks_for_a_note_then_hands_the_post_to_the_community_managers(moderator):
    post = factories.question()
    earlier, newest = flag(post, age=timedelta(hours=1)), flag(post)
    client = client_for(moderator)

    assert act(client, "escalate_posts", [post]).status_code == 200
    response = apply(
        client, "escalate_posts", [post], note="Possible sock puppets; please check the IPs."
    )

    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert (escalation.status, escalation.kind, escalation.post, escalation.flag) == (
        Escalation.Status.OPEN,
        Escalation.Kind.FLAG,
        post,
        newest,
    )
    assert escalation.note == "Possible sock puppets; please check the IPs."
    # Every pending flag of the post waits for the managers, so the post leaves the queue.
    assert {Flag.objects.get(pk=each.pk).status for each in (earlier, newest)} == {
        Flag.Status.ESCALATED
    }
    assert f"/moderation/questions/post/{post.pk}/change/" not in client.get(QUEUE).content.decode()
    assert audit_verbs(escalation) == [ModeratorAction.Verb.ESCALATED]


def test_escalating_without_a_note_shows_the_page_again(moderator):
    post = factories.question()
    flag(post)

    response = apply(client_for(moderator), "escalate_posts", [post], note="")

    assert response.status_code == 200
    assert not Escalation.objects.exists()


def test_actions_are_refused_without_post_and_csrf(moderator):
    post = factories.question()
    flag(post)
    client = client_for(moderator, enforce_csrf_checks=True)

    assert act(client, "mark_helpful", [post]).status_code == 403
    client.get(QUEUE, {"action": "mark_helpful", ACTION_CHECKBOX_NAME: post.pk, "index": 0})
    assert Flag.objects.get().status == Flag.Status.PENDING


def test_there_is_no_delete_selected_action_in_the_panel(moderator):
    flag(factories.question())

    actions = [
        name
        for name, _ in client_for(moderator)
        .get(QUEUE)
        .context["action_form"]
        .fields["action"]
        .choices
    ]

    assert "delete_selected" not in actions
    assert {"mark_helpful", "decline", "delete_posts", "lock_posts", "escalate_posts"} <= set(
        actions
    )


# Suspensions and messages


def test_a_moderator_suspends_a_user_through_the_add_form(moderator):
    member = factories.user(username="troll")

    response = client_for(moderator).post(
        f"{SUSPENSIONS}add/", {"user": "troll", "days": 7, "reason": "Insults."}
    )

    assert response.status_code == 302
    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.moderator, suspension.reason) == (
        member,
        moderator,
        "Insults.",
    )
    assert suspension.ends_at - suspension.starts_at == timedelta(days=7)
    member.refresh_from_db()
    assert member.suspended_until == suspension.ends_at
    assert ModeratorMessage.objects.get(recipient=member)
    assert ModeratorAction.Verb.USER_SUSPENDED in audit_verbs(member)


@pytest.mark.parametrize("days", [0, 366])
def test_a_suspension_lasts_one_to_365_days(moderator, days):
    factories.user(username="troll")

    response = client_for(moderator).post(
        f"{SUSPENSIONS}add/", {"user": "troll", "days": days, "reason": "x"}
    )

    assert response.status_code == 200
    assert not Suspension.objects.exists()


def test_moderators_cannot_be_suspended_from_the_panel(moderator):
    factories.moderator(username="colleague")

    response = client_for(moderator).post(
        f"{SUSPENSIONS}add/", {"user": "colleague", "days": 3, "reason": "x"}
    )

    assert response.status_code == 200
    assert not Suspension.objects.exists()


def test_a_suspension_is_lifted_early_with_an_action(moderator):
    member = factories.user()
    suspension = services.user_suspend(user=member, moderator=moderator, days=30, reason="Spam.")

    response = act(client_for(moderator), "lift", [suspension], url=SUSPENSIONS)

    assert response.status_code == 302
    suspension.refresh_from_db(), member.refresh_from_db()
    assert suspension.lifted_by == moderator
    assert member.suspended_until is None
    assert ModeratorAction.Verb.SUSPENSION_LIFTED in audit_verbs(member)


def test_a_suspension_cannot_be_changed_or_deleted(moderator):
    suspension = services.user_suspend(
        user=factories.user(), moderator=moderator, days=3, reason="Spam."
    )
    client = client_for(moderator)

    page = client.get(f"{SUSPENSIONS}{suspension.pk}/change/")
    refused = client.post(
        f"{SUSPENSIONS}{suspension.pk}/change/", {"reason": "edited", "days": 300}
    )

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert refused.status_code == 403
    assert client.post(f"{SUSPENSIONS}{suspension.pk}/delete/", {"post": "yes"}).status_code == 403
    suspension.refresh_from_db()
    assert suspension.reason == "Spam."


def test_a_moderator_sends_a_message(moderator):
    member = factories.user(username="newbie")

    response = client_for(moderator).post(
        f"{MESSAGES}add/",
        {"recipient": "newbie", "subject": "Welcome", "body": "Please read the FAQ."},
    )

    assert response.status_code == 302
    message = ModeratorMessage.objects.get()
    assert (message.recipient, message.sender, message.body) == (
        member,
        moderator,
        "Please read the FAQ.",
    )
    assert audit_verbs(member) == [ModeratorAction.Verb.MESSAGE_SENT]


def test_a_message_to_nobody_is_refused(moderator):
    response = client_for(moderator).post(
        f"{MESSAGES}add/", {"recipient": "ghost", "subject": "Hi", "body": "Hi"}
    )

    assert response.status_code == 200
    assert not ModeratorMessage.objects.exists()


def test_close_votes_are_listed_read_only(moderator):
    question = factories.question()
    voter = factories.user(reputation=3000)
    services.close_vote_cast(
        question=question, user=voter, kind=CloseVote.Kind.CLOSE, reason="off-topic"
    )
    vote = CloseVote.objects.get()
    client = client_for(moderator)

    assert list(client.get(CLOSE_VOTES).context["cl"].result_list) == [vote]
    assert client.get(f"{CLOSE_VOTES}add/").status_code == 403
    assert client.post(f"{CLOSE_VOTES}{vote.pk}/delete/", {"post": "yes"}).status_code == 403


# The audit log


def test_the_audit_log_has_no_add_change_or_delete(moderator):
    post = factories.question()
    services.post_lock(post=post, moderator=moderator, reason="Heated.")
    row = ModeratorAction.objects.get()
    client = client_for(moderator)

    listing = client.get(AUDIT_LOG)
    page = client.get(f"{AUDIT_LOG}{row.pk}/change/")

    assert list(listing.context["cl"].result_list) == [row]
    assert f"{AUDIT_LOG}add/" not in listing.content.decode()
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(f"{AUDIT_LOG}add/").status_code == 403
    assert (
        client.post(f"{AUDIT_LOG}{row.pk}/change/", {"reason": "nothing happened"}).status_code
        == 403
    )
    assert client.post(f"{AUDIT_LOG}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ModeratorAction.objects.get().reason == "Heated."


# My escalations


def test_a_moderator_sees_only_their_own_escalations_with_the_outcome(moderator):
    manager = factories.user(is_staff=True)
    mine = services.escalate(
        moderator=moderator, note="Please check", subject_user=factories.user()
    )
    services.escalate(
        moderator=factories.moderator(), note="Someone else's", subject_user=factories.user()
    )
    services.escalation_resolve(
        escalation=mine, manager=manager, resolution="Account merged and warned."
    )

    response = client_for(moderator).get(MY_ESCALATIONS)

    assert list(response.context["cl"].result_list) == [mine]
    content = response.content.decode()
    assert "Account merged and warned." in content
    assert "resolved" in content


# Single flags, comment flags among them

FLAGS = "/moderation/moderation/flag/"


def test_comment_flags_are_handled_in_the_list_of_all_flags(moderator):
    comment = factories.comment(factories.question(), body="You are an idiot.")
    rude = services.flag_create(
        reporter=factories.user(reputation=100), reason=Reason.UNFRIENDLY, comment=comment
    )
    stale = services.flag_create(
        reporter=factories.user(reputation=100), reason=Reason.NO_LONGER_NEEDED, comment=comment
    )
    client = client_for(moderator)

    listing = client.get(FLAGS)
    apply(client, "decline", [stale], url=FLAGS, reason="edit_or_comment")
    # A helpful flag on a comment removes the comment.
    act(client, "mark_helpful", [rude], url=FLAGS)

    assert "You are an idiot." in listing.content.decode()
    assert Flag.objects.get(pk=rude.pk).status == Flag.Status.HELPFUL
    assert Flag.objects.get(pk=stale.pk).status == Flag.Status.DECLINED
    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert sorted(audit_verbs()) == [
        ModeratorAction.Verb.COMMENT_DELETED,
        ModeratorAction.Verb.FLAG_DECLINED,
        ModeratorAction.Verb.FLAG_HELPFUL,
    ]


def test_a_comment_flag_is_escalated_from_the_list_of_all_flags(moderator):
    comment = factories.comment(factories.question())
    made = services.flag_create(
        reporter=factories.user(reputation=100), reason=Reason.HARASSMENT, comment=comment
    )

    apply(
        client_for(moderator), "escalate_flags", [made], url=FLAGS, note="Stalking across threads."
    )

    escalation = Escalation.objects.get()
    assert (escalation.flag, escalation.note) == (made, "Stalking across threads.")
    assert Flag.objects.get().status == Flag.Status.ESCALATED


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("user", 302), ("moderator", 200), ("community manager", 200)],
)
def test_the_list_of_all_flags_is_for_moderators(cast, who, status):
    assert client_for(cast[who]).get(FLAGS).status_code == status
