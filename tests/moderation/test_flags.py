import pytest
from django.test import Client

from accounts.models import User
from moderation.models import Flag, ModeratorAction
from questions import services as question_services
from questions.models import ReputationEvent
from questions.search import search_index_update
from tests import factories
from tests.clients import client_for

pytestmark = pytest.mark.django_db

Verb = ModeratorAction.Verb


@pytest.fixture
def spammer():
    """Has the reputation to flag (500), which a flag's penalty lowers."""
    return factories.user(display_name="Spammer", reputation=500)


@pytest.fixture
def spam_question(spammer):
    return factories.question(title="Cheap watches for sale here", tags=["watches"], author=spammer)


def flag(post, *, by, reason="spam", text=""):
    return client_for(by).post(f"/posts/{post.pk}/flag/", {"reason": reason, "text": text})


def flaggers(count):
    return [factories.user(reputation=15) for _ in range(count)]


def verbs():
    return sorted(ModeratorAction.objects.values_list("verb", flat=True))


# The flag page


def test_the_flag_page_lists_the_reasons_for_a_question_as_radio_buttons_with_descriptions(
    spam_question, flagger
):
    html = client_for(flagger).get(f"/posts/{spam_question.pk}/flag/").content.decode()

    for value in ("spam", "rude", "low_quality", "moderator"):
        assert f'type="radio" name="reason" value="{value}"' in html
    assert 'value="not_an_answer"' not in html
    assert "Exists only to promote a product or service" in html
    assert f'action="/posts/{spam_question.pk}/flag/"' in html


def test_only_answers_can_be_flagged_as_not_an_answer(answer, flagger):
    html = client_for(flagger).get(f"/posts/{answer.pk}/flag/").content.decode()

    assert 'type="radio" name="reason" value="not_an_answer"' in html


def test_flagging_files_a_pending_flag_and_returns_to_the_thread_with_thanks(
    spam_question, flagger
):
    response = client_for(flagger).post(
        f"/posts/{spam_question.pk}/flag/", {"reason": "low_quality", "text": ""}, follow=True
    )

    assert response.redirect_chain[-1][0] == spam_question.get_absolute_url()
    assert "a moderator will look at your flag" in response.content.decode()
    assert Flag.objects.get().status == Flag.Status.PENDING
    assert Flag.objects.get().reporter == flagger


def test_a_flag_for_moderator_attention_needs_ten_to_five_hundred_characters(
    spam_question, flagger
):
    short = flag(spam_question, by=flagger, reason="moderator", text="Look!")
    too_long = flag(spam_question, by=flagger, reason="moderator", text="x" * 501)

    assert short.status_code == too_long.status_code == 200
    assert "Tell the moderators what is wrong in at least 10 characters." in short.content.decode()
    assert not Flag.objects.exists()

    flag(spam_question, by=flagger, reason="moderator", text="The link in it leads to a shop.")
    assert Flag.objects.get().text == "The link in it leads to a shop."


def test_a_question_cannot_be_flagged_as_not_an_answer(spam_question, flagger):
    response = flag(spam_question, by=flagger, reason="not_an_answer")

    assert response.status_code == 200
    assert not Flag.objects.exists()


def test_the_flag_dialog_in_the_post_menu_holds_the_same_form(spam_question, flagger):
    html = client_for(flagger).get(spam_question.get_absolute_url()).content.decode()

    assert '<details class="post-dialog flag-dialog">' in html
    assert f'action="/posts/{spam_question.pk}/flag/"' in html


def test_the_flag_dialog_is_not_offered_to_the_author_newcomers_or_visitors(spam_question, spammer):
    for user in (spammer, factories.user(reputation=14), None):
        html = client_for(user).get(spam_question.get_absolute_url()).content.decode()
        assert "flag-dialog" not in html


def test_anonymous_visitors_are_sent_to_log_in_to_flag(spam_question):
    response = Client().get(f"/posts/{spam_question.pk}/flag/")

    assert response.status_code == 302
    assert response["Location"] == f"/users/login/?next=/posts/{spam_question.pk}/flag/"


def test_below_fifteen_reputation_flagging_is_refused_with_the_reason(spam_question):
    response = flag(spam_question, by=factories.user(reputation=14))

    assert response.status_code == 403
    assert "You need 15 reputation to flag." in response.content.decode()
    assert not Flag.objects.exists()


def test_flagging_ones_own_post_is_refused(spam_question, spammer):
    response = flag(spam_question, by=spammer)

    assert response.status_code == 403
    assert "You cannot flag your own post." in response.content.decode()


def test_one_pending_flag_per_user_and_post(spam_question, flagger):
    flag(spam_question, by=flagger, reason="low_quality")
    response = flag(spam_question, by=flagger, reason="rude")

    assert response.status_code == 403
    assert "You have flagged this already" in response.content.decode()
    assert Flag.objects.count() == 1
    assert (
        "flag-dialog"
        not in client_for(flagger).get(spam_question.get_absolute_url()).content.decode()
    )


def test_ten_flags_a_day_and_no_more(flagger):
    questions = [factories.question() for _ in range(11)]
    for question in questions[:10]:
        assert flag(question, by=flagger, reason="low_quality").status_code == 302

    response = flag(questions[10], by=flagger, reason="low_quality")

    assert response.status_code == 403
    assert "You have used all 10 flags for today." in response.content.decode()
    assert Flag.objects.count() == 10


def test_flagging_a_deleted_post_answers_404_to_others(spam_question, spammer, flagger):
    question_services.post_delete(post=spam_question, user=spammer)

    assert flag(spam_question, by=flagger).status_code == 404


# Comments


def test_comments_are_flagged_for_reasons_of_their_own(spam_question, flagger):
    comment = factories.comment(spam_question, body="You are an idiot and so is your question.")

    html = client_for(flagger).get(f"/comments/{comment.pk}/flag/").content.decode()
    for value in ("harassment", "unfriendly", "no_longer_needed", "other"):
        assert f'type="radio" name="reason" value="{value}"' in html
    assert 'value="spam"' not in html

    response = client_for(flagger).post(f"/comments/{comment.pk}/flag/", {"reason": "harassment"})
    assert response.status_code == 302
    assert response["Location"] == f"{spam_question.get_absolute_url()}#comment-{comment.pk}"
    assert Flag.objects.get().comment == comment


def test_something_else_about_a_comment_needs_words(spam_question, flagger):
    comment = factories.comment(spam_question)

    response = client_for(flagger).post(
        f"/comments/{comment.pk}/flag/", {"reason": "other", "text": ""}
    )

    assert response.status_code == 200
    assert not Flag.objects.exists()


def test_each_comment_has_a_flag_link_for_those_who_may_flag_it(spam_question, flagger):
    comment = factories.comment(spam_question)
    own = factories.comment(spam_question, author=flagger)

    html = client_for(flagger).get(spam_question.get_absolute_url()).content.decode()

    assert f'href="/comments/{comment.pk}/flag/"' in html
    assert f'href="/comments/{own.pk}/flag/"' not in html


# Automatic actions


def test_two_spam_flags_leave_the_question_in_the_lists(spam_question):
    for user in flaggers(2):
        flag(spam_question, by=user)

    assert "Cheap watches for sale here" in Client().get("/").content.decode()
    assert not ModeratorAction.objects.exists()


def test_three_spam_or_rude_flags_hide_the_question_from_lists_tag_pages_and_search(spam_question):
    search_index_update(post_ids=[spam_question.pk])
    assert spam_question.get_absolute_url() in Client().get("/search/?q=watches").content.decode()
    for user, reason in zip(flaggers(3), ["spam", "rude", "spam"], strict=True):
        flag(spam_question, by=user, reason=reason)

    spam_question.refresh_from_db()
    assert spam_question.hidden_at is not None
    assert spam_question.deleted_at is None
    client = Client()
    assert "Cheap watches for sale here" not in client.get("/").content.decode()
    assert (
        "Cheap watches for sale here"
        not in client.get("/questions/tagged/watches/").content.decode()
    )
    assert spam_question.get_absolute_url() not in client.get("/search/?q=watches").content.decode()
    assert client.get(spam_question.get_absolute_url()).status_code == 200
    action = ModeratorAction.objects.get()
    assert (action.verb, action.actor) == (Verb.POST_HIDDEN, None)


def test_a_hidden_question_leaves_the_total_of_its_tag_page(spam_question):
    factories.question(title="Which watch strap for swimming?", tags=["watches"])
    assert (
        '<p class="page-count">2 Fragen</p>'
        in Client().get("/questions/tagged/watches/").content.decode()
    )
    for user in flaggers(3):
        flag(spam_question, by=user)

    html = Client().get("/questions/tagged/watches/").content.decode()
    assert '<p class="page-count">1 Frage</p>' in html
    assert "Which watch strap for swimming?" in html


def test_a_hidden_question_leaves_the_totals_of_the_lists(spam_question):
    factories.answer(factories.question(title="Which watch strap for swimming?"))
    page_count = '<p class="page-count">{}</p>'
    assert page_count.format("2 Fragen") in Client().get("/").content.decode()
    assert page_count.format("1 Frage") in Client().get("/?tab=unanswered").content.decode()
    for user in flaggers(3):
        flag(spam_question, by=user)

    assert page_count.format("1 Frage") in Client().get("/").content.decode()
    assert page_count.format("0 Fragen") in Client().get("/?tab=unanswered").content.decode()


def test_answers_to_a_hidden_question_are_not_found_by_search_either(spam_question):
    answer = factories.answer(spam_question, body="Buy the wristwatches at our shop.")
    search_index_update(post_ids=[spam_question.pk, answer.pk])
    assert f"answer-{answer.pk}" in Client().get("/search/?q=wristwatches").content.decode()
    for user in flaggers(3):
        flag(spam_question, by=user)

    assert f"answer-{answer.pk}" not in Client().get("/search/?q=wristwatches").content.decode()


def test_five_spam_flags_do_not_delete_the_post(answer):
    for user in flaggers(5):
        flag(answer, by=user)

    answer.refresh_from_db()
    assert answer.deleted_at is None
    assert answer.locked_at is None


def test_six_spam_or_rude_flags_delete_and_lock_the_post_and_cost_its_author_100_reputation(answer):
    author = answer.author
    factories.reputation(author, amount=300)
    for user in flaggers(6):
        flag(answer, by=user, reason="rude")

    answer.refresh_from_db()
    assert answer.deleted_at is not None
    assert answer.locked_at is not None
    assert User.objects.get(pk=author.pk).reputation == 200
    penalty = ReputationEvent.objects.filter(user=author).latest("id")
    assert penalty.delta == -100
    assert verbs() == sorted([Verb.POST_DELETED, Verb.POST_LOCKED, Verb.REPUTATION_PENALTY])
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.HELPFUL}


def test_six_flags_on_a_question_first_hide_it_then_delete_it(spam_question):
    for user in flaggers(6):
        flag(spam_question, by=user)

    spam_question.refresh_from_db()
    assert spam_question.deleted_at is not None
    assert verbs() == sorted(
        [Verb.POST_HIDDEN, Verb.POST_DELETED, Verb.POST_LOCKED, Verb.REPUTATION_PENALTY]
    )
    assert User.objects.get(pk=spam_question.author_id).reputation == 400


def test_a_moderators_spam_flag_is_binding_at_once(spam_question):
    moderator = factories.moderator()

    response = client_for(moderator).post(
        f"/posts/{spam_question.pk}/flag/", {"reason": "spam"}, follow=True
    )

    spam_question.refresh_from_db()
    assert spam_question.deleted_at is not None
    assert spam_question.locked_at is not None
    assert "Your flag was binding" in response.content.decode()
    assert set(ModeratorAction.objects.values_list("actor", flat=True)) == {moderator.pk}
    assert Flag.objects.get().status == Flag.Status.HELPFUL
