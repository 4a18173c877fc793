import pytest
from django.test import Client

from moderation import services
from moderation.models import ModeratorAction
from tests import factories
from tests.clients import client_for, thread_queries

pytestmark = pytest.mark.django_db

Verb = ModeratorAction.Verb


def moderate(post, action, *, by, reason="Off the rails."):
    return client_for(by).post(
        f"/posts/{post.pk}/moderate/{action}/", {"reason": reason}, follow=True
    )


@pytest.mark.parametrize(
    ("action", "field", "verb"),
    [
        ("delete", "deleted_at", Verb.POST_DELETED),
        ("lock", "locked_at", Verb.POST_LOCKED),
        ("protect", "protected_at", Verb.POST_PROTECTED),
    ],
)
def test_a_moderator_acts_on_a_question_with_a_reason_and_the_audit_log_says_so(
    question, moderator, action, field, verb
):
    response = moderate(question, action, by=moderator)

    assert response.redirect_chain[-1][0] == question.get_absolute_url()
    question.refresh_from_db()
    assert getattr(question, field) is not None
    entry = ModeratorAction.objects.get()
    assert (entry.verb, entry.actor, entry.reason, entry.target) == (
        verb,
        moderator,
        "Off the rails.",
        question,
    )


@pytest.mark.parametrize(
    ("first", "then", "field", "verb"),
    [
        ("delete", "undelete", "deleted_at", Verb.POST_UNDELETED),
        ("lock", "unlock", "locked_at", Verb.POST_UNLOCKED),
        ("protect", "unprotect", "protected_at", Verb.POST_UNPROTECTED),
    ],
)
def test_a_moderator_undoes_each_action_with_a_reason(
    question, moderator, first, then, field, verb
):
    moderate(question, first, by=moderator)

    moderate(question, then, by=moderator, reason="It was fine after all.")

    question.refresh_from_db()
    assert getattr(question, field) is None
    assert ModeratorAction.objects.first().verb == verb
    assert ModeratorAction.objects.first().reason == "It was fine after all."
    assert ModeratorAction.objects.count() == 2


def test_a_moderator_deletes_and_locks_an_answer(answer, moderator):
    moderate(answer, "delete", by=moderator)
    response = moderate(answer, "lock", by=moderator)

    assert (
        response.redirect_chain[-1][0] == f"{answer.parent.get_absolute_url()}#answer-{answer.pk}"
    )
    answer.refresh_from_db()
    assert answer.deleted_at and answer.locked_at
    assert sorted(ModeratorAction.objects.values_list("verb", flat=True)) == [
        Verb.POST_DELETED,
        Verb.POST_LOCKED,
    ]


def test_answers_cannot_be_protected(answer, moderator):
    response = client_for(moderator).post(
        f"/posts/{answer.pk}/moderate/protect/", {"reason": "No."}
    )

    assert response.status_code == 404


def test_unknown_actions_answer_404(question, moderator):
    assert (
        client_for(moderator)
        .post(f"/posts/{question.pk}/moderate/explode/", {"reason": "x"})
        .status_code
        == 404
    )


def test_a_moderator_action_without_a_reason_changes_nothing(question, moderator):
    response = moderate(question, "lock", by=moderator, reason="  ")

    assert "Give a reason" in response.content.decode()
    question.refresh_from_db()
    assert question.locked_at is None
    assert not ModeratorAction.objects.exists()


def test_doing_it_twice_changes_nothing_the_second_time(question, moderator):
    moderate(question, "lock", by=moderator)
    response = moderate(question, "lock", by=moderator)

    assert "Nothing changed" in response.content.decode()
    assert ModeratorAction.objects.count() == 1


@pytest.mark.parametrize("who", ["author", "other user", "privileged editor"])
def test_members_who_are_not_moderators_get_403(question, people, who):
    response = client_for(people[who]).post(
        f"/posts/{question.pk}/moderate/delete/", {"reason": "Mine."}
    )

    assert response.status_code == 403
    assert "Only moderators can do this." in response.content.decode()
    question.refresh_from_db()
    assert question.deleted_at is None


def test_anonymous_visitors_are_sent_to_log_in(question):
    response = Client().post(f"/posts/{question.pk}/moderate/lock/", {"reason": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith("/users/login/")


def test_moderator_actions_are_posts_only(question, moderator):
    assert client_for(moderator).get(f"/posts/{question.pk}/moderate/lock/").status_code == 405


def test_moderators_see_a_moderator_menu_on_every_post_and_others_do_not(
    question, answer, moderator, author
):
    html = client_for(moderator).get(question.get_absolute_url()).content.decode()

    assert html.count("moderator-dialog") == 2
    for action in ("delete", "lock", "protect"):
        assert f'formaction="/posts/{question.pk}/moderate/{action}/"' in html
    assert f'formaction="/posts/{answer.pk}/moderate/protect/"' not in html
    assert (
        "moderator-dialog"
        not in client_for(author).get(question.get_absolute_url()).content.decode()
    )


def test_a_locked_post_says_why_to_everyone(question, moderator):
    moderate(question, "lock", by=moderator, reason="Too many arguments in the comments.")

    html = client_for(None).get(question.get_absolute_url()).content.decode()

    assert "This post was locked" in html
    assert "Reason: Too many arguments in the comments." in html


def test_a_deleted_post_tells_its_author_why_and_how_to_appeal(question, author, moderator):
    moderate(question, "delete", by=moderator, reason="Plagiarised from a blog.")

    html = client_for(author).get(question.get_absolute_url()).content.decode()

    assert "Reason: Plagiarised from a blog." in html
    assert f'href="/posts/{question.pk}/appeal/"' in html


def test_moderators_see_that_flags_hid_a_question(question, moderator):
    for _ in range(3):
        services.flag_create(reporter=factories.user(reputation=15), reason="spam", post=question)

    assert (
        "Flags hid this question"
        in client_for(moderator).get(question.get_absolute_url()).content.decode()
    )
    assert (
        "Flags hid this question"
        not in client_for(None).get(question.get_absolute_url()).content.decode()
    )


def test_for_a_moderator_the_thread_page_query_count_is_pinned(
    thread_with_answers, django_assert_num_queries
):
    client = client_for(factories.moderator())

    # The session, the user, their unread moderator messages, their inbox count, the
    # header's count of pending flags (cached after this first page: moderation.selectors.
    # pending_work), the six queries of every reader's first view of a thread (the
    # questions.selectors.hot box is then kept), and whether the moderator voted to close
    # already.
    with django_assert_num_queries(12):
        response = client.get(thread_with_answers.question.get_absolute_url())

    assert response.content.decode().count("moderator-dialog") == 5


def test_for_a_flagger_the_thread_page_query_count_is_pinned(
    thread_with_answers, django_assert_num_queries
):
    client = client_for(factories.user(reputation=100))

    # The session, the user, their unread messages, their inbox count and the six queries
    # of a thread's first view: the Flag links ask nothing more.
    with django_assert_num_queries(10):
        response = client.get(thread_with_answers.question.get_absolute_url())

    assert response.content.decode().count("flag-dialog") == 5


def test_the_thread_costs_a_moderator_the_same_queries_for_one_answer_as_for_twenty(moderator):
    small = factories.question(tags=["a"])
    # A locked answer in each: the reasons for locks cost one query, for any number.
    services.post_lock(post=factories.answer(small), moderator=moderator, reason="Reason")
    large = factories.question(tags=["a", "b"])
    for n in range(20):
        post = factories.answer(large)
        factories.comment(post)
        services.post_lock(post=post, moderator=moderator, reason=f"Reason {n}")
    client = client_for(moderator)

    assert thread_queries(client, small) == thread_queries(client, large)


def test_moderators_are_shown_with_a_diamond_after_their_name(english_client):
    moderator = factories.moderator(display_name="Mona")
    question = factories.question(author=moderator)

    for url in (question.get_absolute_url(), moderator.get_absolute_url(), "/users/"):
        html = english_client.get(url).content.decode()
        assert 'Mona<span class="moderator-mark" title="moderator"> ♦' in html, url
