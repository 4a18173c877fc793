"""The admin sites change nothing the services keep: counters, states, tags, reputation,
suspensions and roles are read-only there, posts are neither added nor deleted, and
states change through actions that call the moderation services, which write the audit
log. Through HTTP, as a superuser and as a community manager."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from accounts.models import User
from moderation import services
from moderation.models import CloseVote, Flag, ModeratorAction
from questions.models import Post, Tag
from tests import factories
from tests.clients import client_for
from tests.moderation.changelists import changelist_queries

pytestmark = pytest.mark.django_db

QUESTIONS = "/admin/questions/question/"
ANSWERS = "/admin/questions/answer/"
COMMENTS = "/admin/questions/comment/"
TAGS = "/admin/questions/tag/"
USERS = "/admin/accounts/user/"
FLAG_QUEUE = "/moderation/questions/post/"
Verb = ModeratorAction.Verb

POST_STATE = [
    "title",
    "body_markdown",
    "score",
    "answer_count",
    "comment_count",
    "view_count",
    "deleted_at",
    "deleted_by",
    "hidden_at",
    "locked_at",
    "closed_at",
    "close_reason",
    "duplicate_of",
    "protected_at",
    "accepted_answer",
    "body_html",
]
# What a form would post to change them; the split date fields are Django's widgets.
TAMPERING = {
    "title": "Rewritten",
    "body_markdown": "Rewritten",
    "score": "99",
    "answer_count": "9",
    "comment_count": "9",
    "view_count": "999",
    "deleted_at_0": "2024-01-01",
    "deleted_at_1": "12:00:00",
    "hidden_at_0": "2024-01-01",
    "hidden_at_1": "12:00:00",
    "locked_at_0": "2024-01-01",
    "locked_at_1": "12:00:00",
    "closed_at_0": "2024-01-01",
    "closed_at_1": "12:00:00",
    "close_reason": "off-topic",
    "protected_at_0": "2024-01-01",
    "protected_at_1": "12:00:00",
}


@pytest.fixture(params=["superuser", "community manager"])
def staff(request, db):
    if request.param == "superuser":
        return User.objects.create_superuser("root", "root@example.com", "pw-long-enough")
    return factories.user(display_name="Manager", is_staff=True)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "pw-long-enough")


@pytest.fixture
def tagged_question(author):
    question = factories.question(author=author, score=3, tags=["grammar"])
    factories.answer(question)
    factories.comment(question)
    return question


def state_of(post):
    return (
        Post.objects.filter(pk=post.pk).values(*POST_STATE).get(),
        list(post.tags.values_list("name", flat=True)),
    )


def act(client, url, action, objects, **data):
    return client.post(
        url, {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "index": 0, **data}
    )


def audit_rows():
    return [(row.actor, row.verb, row.target) for row in ModeratorAction.objects.order_by("pk")]


# Posts and comments: view-only


def test_a_question_shows_its_counters_states_and_tags_read_only(staff, tagged_question):
    response = client_for(staff).get(f"{QUESTIONS}{tagged_question.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    for field in ["score", "answer_count", "view_count", "tags", "title", "accepted_answer"]:
        assert f'name="{field}"' not in html
    for field in ["deleted_at", "hidden_at", "locked_at", "closed_at", "protected_at"]:
        assert f'name="{field}_0"' not in html
    assert '<div class="readonly">3</div>' in html  # the score
    assert 'name="_save"' not in html


def test_a_post_to_a_questions_form_changes_nothing(staff, tagged_question):
    before = state_of(tagged_question)
    other_tag = factories.tag("vocabulary")

    response = client_for(staff).post(
        f"{QUESTIONS}{tagged_question.pk}/change/", {**TAMPERING, "tags": [other_tag.pk]}
    )

    assert response.status_code == 403
    assert state_of(tagged_question) == before


def test_a_post_to_an_answers_form_changes_nothing(staff, answer):
    before = state_of(answer)

    response = client_for(staff).post(f"{ANSWERS}{answer.pk}/change/", TAMPERING)

    assert response.status_code == 403
    assert state_of(answer) == before


def test_a_post_to_a_comments_form_changes_nothing(superuser, question):
    comment = factories.comment(question)

    response = client_for(superuser).post(
        f"{COMMENTS}{comment.pk}/change/",
        {"score": "9", "deleted_at_0": "2024-01-01", "deleted_at_1": "12:00:00"},
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert (comment.score, comment.deleted_at) == (0, None)


@pytest.mark.parametrize("url", [QUESTIONS, ANSWERS])
def test_posts_are_neither_added_nor_deleted_in_the_admin(staff, answer, url):
    post = answer if url == ANSWERS else answer.parent
    client = client_for(staff)

    listing = client.get(url).content.decode()

    assert f'href="{url}add/"' not in listing
    assert 'value="delete_selected"' not in listing
    assert client.get(f"{url}add/").status_code == 403
    assert client.post(f"{url}{post.pk}/delete/", {"post": "yes"}).status_code == 403
    assert act(client, url, "delete_selected", [post], post="yes").status_code == 302
    post.refresh_from_db()
    assert post.deleted_at is None
    assert Post.objects.filter(pk=post.pk).exists()


def test_comments_are_neither_added_nor_deleted_in_the_admin(superuser, question):
    comment = factories.comment(question)
    client = client_for(superuser)

    assert 'value="delete_selected"' not in client.get(COMMENTS).content.decode()
    assert client.get(f"{COMMENTS}add/").status_code == 403
    assert client.post(f"{COMMENTS}{comment.pk}/delete/", {"post": "yes"}).status_code == 403
    comment.refresh_from_db()
    assert comment.deleted_at is None


# State changes: actions through the services


@pytest.mark.parametrize(
    ("action", "field", "verb"),
    [
        ("delete_posts", "deleted_at", Verb.POST_DELETED),
        ("lock_posts", "locked_at", Verb.POST_LOCKED),
        ("protect_questions", "protected_at", Verb.POST_PROTECTED),
    ],
)
def test_an_action_sets_a_questions_state_through_the_service_and_the_audit_log(
    staff, tagged_question, action, field, verb
):
    response = act(client_for(staff), QUESTIONS, action, [tagged_question])

    assert response.status_code == 302
    tagged_question.refresh_from_db()
    assert getattr(tagged_question, field) is not None
    assert audit_rows() == [(staff, verb, tagged_question)]


@pytest.mark.parametrize(
    ("undo", "field", "verb", "service"),
    [
        ("undelete_posts", "deleted_at", Verb.POST_UNDELETED, services.post_delete),
        ("unlock_posts", "locked_at", Verb.POST_UNLOCKED, services.post_lock),
    ],
)
def test_an_action_clears_a_posts_state_through_the_service_and_the_audit_log(
    staff, answer, moderator, undo, field, verb, service
):
    service(post=answer, moderator=moderator)

    act(client_for(staff), ANSWERS, undo, [answer])

    answer.refresh_from_db()
    assert getattr(answer, field) is None
    assert audit_rows()[-1] == (staff, verb, answer)


def test_unprotecting_and_reopening_questions(staff, question, moderator):
    services.question_protect(question=question, moderator=moderator)
    services.question_close(question=question, actor=moderator, reason=CloseVote.Reason.OFF_TOPIC)
    client = client_for(staff)

    act(client, QUESTIONS, "unprotect_questions", [question])
    act(client, QUESTIONS, "reopen_questions", [question])

    question.refresh_from_db()
    assert (question.protected_at, question.closed_at, question.close_reason) == (None, None, "")
    assert audit_rows()[-2:] == [
        (staff, Verb.POST_UNPROTECTED, question),
        (staff, Verb.POST_REOPENED, question),
    ]


def test_closing_asks_for_the_reason_then_closes_through_the_service(staff, question):
    client = client_for(staff)

    page = act(client, QUESTIONS, "close_questions", [question])
    assert page.status_code == 200
    assert question.title in page.content.decode()
    question.refresh_from_db()
    assert question.closed_at is None

    response = act(client, QUESTIONS, "close_questions", [question], apply=1, reason="off-topic")

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.closed_at and question.close_reason == "off-topic"
    row = ModeratorAction.objects.get()
    assert (row.actor, row.verb, row.target, row.reason) == (
        staff,
        Verb.POST_CLOSED,
        question,
        "Off-topic",
    )


def test_deleting_an_answer_in_the_admin_counts_it_out_of_its_question(staff, answer):
    question = answer.parent
    assert question.answer_count == 1

    act(client_for(staff), ANSWERS, "delete_posts", [answer])

    question.refresh_from_db()
    assert question.answer_count == 0
    assert audit_rows() == [(staff, Verb.POST_DELETED, answer)]


def test_a_post_already_in_that_state_is_left_alone(staff, question, moderator):
    services.post_lock(post=question, moderator=moderator)

    client = client_for(staff)

    response = act(client, QUESTIONS, "lock_posts", [question])

    assert "0 posts locked." in client.get(response["Location"]).content.decode()
    assert [row[1] for row in audit_rows()] == [Verb.POST_LOCKED]


def test_moderators_cannot_use_the_staff_actions(moderator, question):
    response = act(client_for(moderator), QUESTIONS, "delete_posts", [question])

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    question.refresh_from_db()
    assert question.deleted_at is None


def test_the_question_list_costs_the_same_queries_for_one_and_for_twenty(staff):
    client = client_for(staff)

    def queries_with(count):
        while Post.objects.filter(post_type=Post.PostType.QUESTION).count() < count:
            factories.question()
        return changelist_queries(client, QUESTIONS, count)

    assert queries_with(1) == queries_with(20)


# Users


def user_form(member, **changes):
    """What the user admin's change form posts, with `changes`."""
    return {
        "username": member.username,
        "email": member.email,
        "is_active": "on",
        "date_joined_0": member.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": member.date_joined.strftime("%H:%M:%S"),
        "display_name": member.display_name,
        **changes,
    }


USER_TAMPERING = {
    "reputation": "5000",
    "suspended_until_0": "2099-01-01",
    "suspended_until_1": "12:00:00",
    "is_moderator": "on",
    "is_staff": "on",
    "last_seen_at_0": "2024-01-01",
    "last_seen_at_1": "12:00:00",
}


def test_reputation_suspension_roles_and_last_seen_are_read_only_in_the_user_form(staff, member):
    html = client_for(staff).get(f"{USERS}{member.pk}/change/").content.decode()

    for field in ["reputation", "is_moderator", "is_staff"]:
        assert f'name="{field}"' not in html
    for field in ["suspended_until", "last_seen_at"]:
        assert f'name="{field}_0"' not in html


def test_a_superuser_saves_a_user_but_cannot_change_what_the_services_keep(superuser, member):
    response = client_for(superuser).post(
        f"{USERS}{member.pk}/change/", user_form(member, display_name="Renamed", **USER_TAMPERING)
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Renamed"
    assert (member.reputation, member.suspended_until, member.last_seen_at) == (1, None, None)
    assert not (member.is_moderator or member.is_staff)


def test_a_community_manager_cannot_post_the_user_form(member):
    manager = factories.user(is_staff=True)

    response = client_for(manager).post(
        f"{USERS}{member.pk}/change/", user_form(member, display_name="Renamed", **USER_TAMPERING)
    )

    assert response.status_code == 403
    member.refresh_from_db()
    assert (member.display_name, member.reputation) == ("Member", 1)


def test_an_about_text_changed_in_the_admin_is_rendered_as_on_the_profile_page(superuser, member):
    client_for(superuser).post(
        f"{USERS}{member.pk}/change/", user_form(member, about_markdown="I like **grammar**.")
    )

    member.refresh_from_db()
    assert "<strong>grammar</strong>" in member.about_html


# Tags


def test_a_tags_description_changes_but_not_its_name_or_count(superuser, tagged_question):
    tag = Tag.objects.get(name="grammar")

    response = client_for(superuser).post(
        f"{TAGS}{tag.pk}/change/",
        {"name": "renamed", "excerpt": "How a language is put together.", "question_count": "99"},
    )

    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.question_count) == ("grammar", 1)
    assert tag.excerpt == "How a language is put together."


def test_tags_are_neither_added_nor_deleted_in_the_admin(superuser, tagged_question):
    tag = Tag.objects.get(name="grammar")
    client = client_for(superuser)

    assert 'value="delete_selected"' not in client.get(TAGS).content.decode()
    assert client.get(f"{TAGS}add/").status_code == 403
    assert client.post(f"{TAGS}{tag.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(tagged_question.tags.all()) == [tag]


# The moderators' panel


@pytest.mark.parametrize("who", ["moderator", "community manager"])
def test_the_flag_queue_shows_a_post_but_a_post_to_it_changes_nothing(who, tagged_question):
    user = factories.moderator() if who == "moderator" else factories.user(is_staff=True)
    services.flag_create(
        reporter=factories.user(reputation=100), reason=Flag.Reason.SPAM, post=tagged_question
    )
    before = state_of(tagged_question)
    client = client_for(user)

    assert client.get(f"{FLAG_QUEUE}{tagged_question.pk}/change/").status_code == 200
    response = client.post(f"{FLAG_QUEUE}{tagged_question.pk}/change/", TAMPERING)

    assert response.status_code == 403
    assert state_of(tagged_question) == before
    delete = client.post(f"{FLAG_QUEUE}{tagged_question.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert client.get(f"{FLAG_QUEUE}add/").status_code == 403
