"""Saving questions: the Save button of a thread's question, and the Saved tab of the
member's own profile, which no one else may see."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext, override

from questions import services
from questions.models import Bookmark
from tests import factories
from tests.clients import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]


@pytest.fixture
def reader(db):
    return factories.user(display_name="Reader")


@pytest.fixture
def reader_client(reader):
    return client_for(reader)


def save_url(question):
    return f"/posts/{question.pk}/save/"


def saved_url(user):
    return f"/users/{user.pk}/{user.slug}/saved/"


def save(client, question, saved="1", **kwargs):
    return client.post(save_url(question), {"saved": saved}, **kwargs)


def saved_by(user):
    return list(Bookmark.objects.filter(user=user).values_list("question_id", flat=True))


def save_button(html):
    return re.search(
        r'<button type="submit" class="[^"]*bookmark-button"[^>]*>.*?</button>', html, re.S
    )[0]


# The Save button


def test_saving_a_question_comes_back_to_it_with_the_button_pressed(
    reader, reader_client, question
):
    response = save(reader_client, question, follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(f"{question.get_absolute_url()}#question", 302)]
    assert "Saved: you find the question under Saved on your profile." in html
    button = save_button(html)
    assert 'aria-pressed="true"' in button
    assert "Saved" in button
    assert 'name="saved" value="0"' in html
    assert saved_by(reader) == [question.pk]


def test_saving_again_changes_nothing_and_unsaving_releases_the_button(
    reader, reader_client, question
):
    save(reader_client, question)
    save(reader_client, question)
    assert saved_by(reader) == [question.pk]

    html = save(reader_client, question, saved="0", follow=True).content.decode()

    assert "The question is no longer among your saved questions." in html
    button = save_button(html)
    assert 'aria-pressed="false"' in button
    assert re.search(r"</svg>\s*Save\s*</button>", button)
    assert saved_by(reader) == []


def test_a_get_changes_nothing(reader, reader_client, question):
    assert reader_client.get(save_url(question), {"saved": "1"}).status_code == 405
    assert saved_by(reader) == []


def test_saving_needs_the_csrf_token(reader, question):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    assert save(client, question).status_code == 403
    assert saved_by(reader) == []

    html = client.get(question.get_absolute_url()).content.decode()
    token = re.search(
        r'action="/posts/\d+/save/" method="post">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        html,
    )[1]
    client.post(save_url(question), {"saved": "1", "csrfmiddlewaretoken": token})
    assert saved_by(reader) == [question.pk]


def test_a_value_other_than_saved_or_not_changes_nothing(reader, reader_client, question):
    html = save(reader_client, question, saved="yes", follow=True).content.decode()

    assert "A question is saved or not." in html
    assert saved_by(reader) == []


def test_visitors_see_no_button_and_are_sent_to_log_in(client, question):
    assert "bookmark-button" not in client.get(question.get_absolute_url()).content.decode()

    response = save(client, question)

    assert response.status_code == 302
    assert response["Location"].startswith("/users/login/")
    assert not Bookmark.objects.exists()


def test_a_suspended_member_sees_no_button_and_may_not_save(question):
    suspended = factories.user(suspended_until=timezone.now() + timedelta(days=2))
    client = client_for(suspended)

    assert "bookmark-button" not in client.get(question.get_absolute_url()).content.decode()
    assert save(client, question).status_code == 403
    assert saved_by(suspended) == []


def test_answers_and_questions_the_member_may_not_see_cannot_be_saved(reader_client, answer):
    deleted = factories.question(deleted_at=timezone.now())

    assert save(reader_client, answer).status_code == 404
    assert save(reader_client, deleted).status_code == 404
    assert not Bookmark.objects.exists()


def test_only_the_question_has_a_save_button(reader_client, thread_with_answers):
    html = reader_client.get(thread_with_answers.question.get_absolute_url()).content.decode()

    assert html.count("bookmark-button") == 1


def test_the_button_costs_the_thread_no_query(
    reader, reader_client, thread_with_answers, django_assert_max_num_queries
):
    url = thread_with_answers.question.get_absolute_url()
    save(reader_client, thread_with_answers.question)
    reader_client.get(url)  # the inbox count cached

    # Session, user, their unread moderator messages and the thread's five queries: the
    # viewer's bookmark comes with the question.
    with django_assert_max_num_queries(8):
        html = reader_client.get(url).content.decode()
    assert 'aria-pressed="true"' in save_button(html)


def test_the_button_speaks_german(reader, question):
    client = Client()
    client.force_login(reader)

    html = client.get(question.get_absolute_url()).content.decode()

    with override("de"):
        assert gettext("Save") in save_button(html)
        assert gettext("Save this question for later: your profile lists it under Saved") in html


# The Saved tab


def test_the_saved_tab_lists_saved_questions_newest_first(reader, reader_client):
    older = factories.question(title="Saved a while ago", tags=["esperanto"])
    newer = factories.question(title="Saved just now")
    never = factories.question(title="Never saved")
    save(reader_client, older)
    Bookmark.objects.filter(question=older).update(created_at=timezone.now() - timedelta(days=3))
    save(reader_client, newer)

    response = reader_client.get(saved_url(reader))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="saved-title">Saved questions</h1>' in html
    assert html.index("Saved just now") < html.index("Saved a while ago")
    assert never.title not in html
    assert 'href="/questions/tagged/esperanto/"' in html
    assert "2 questions" in html
    assert re.search(r'class="tab" href="[^"]+/saved/"\s+aria-current="page">Saved<', html)


def test_the_saved_tab_is_not_there_for_anyone_else(reader, reader_client, question):
    save(reader_client, question)
    other = client_for(factories.user())

    assert other.get(saved_url(reader)).status_code == 404
    assert Client().get(saved_url(reader)).status_code == 404
    assert client_for(factories.moderator()).get(saved_url(reader)).status_code == 404


def test_the_profile_links_the_saved_tab_for_its_owner_only(reader, reader_client):
    link = f'href="{saved_url(reader)}"'

    assert link in reader_client.get(reader.get_absolute_url()).content.decode()
    assert link not in Client().get(reader.get_absolute_url()).content.decode()
    assert link not in client_for(factories.user()).get(reader.get_absolute_url()).content.decode()


def test_a_stale_slug_is_redirected_to_the_saved_tab(reader, reader_client):
    response = reader_client.get(f"/users/{reader.pk}/old-name/saved/")

    assert response.status_code == 301
    assert response["Location"] == saved_url(reader)


def test_deleted_questions_leave_the_tab_unless_the_member_may_see_them(reader, reader_client):
    own = factories.question(title="My own deleted question", author=reader)
    others = factories.question(title="Someone else's deleted question")
    save(reader_client, own)
    save(reader_client, others)
    for question in (own, others):
        services.post_delete(post=question, user=None)

    html = reader_client.get(saved_url(reader)).content.decode()

    assert "My own deleted question" in html
    assert "saved-deleted" in html
    assert "Someone else's deleted question" not in html


def test_the_saved_tab_pages_and_costs_a_fixed_number_of_queries(
    reader, reader_client, django_assert_max_num_queries
):
    for n in range(35):
        question = factories.question(title=f"Saved question {n:02d}", tags=["one", f"t{n}"])
        save(reader_client, question)
    reader_client.get(saved_url(reader))  # the inbox count cached

    # Session, user, their unread moderator messages, the count, the page, its tags.
    with django_assert_max_num_queries(6):
        first = reader_client.get(saved_url(reader)).content.decode()
    second = reader_client.get(f"{saved_url(reader)}?page=2").content.decode()

    assert first.count("Saved question ") == 30
    assert second.count("Saved question ") == 5
    assert "Saved question 00" in second


def test_an_empty_saved_tab_says_how_to_fill_it(reader, reader_client):
    html = reader_client.get(saved_url(reader)).content.decode()

    assert "No saved questions yet." in html


def test_the_saved_tab_speaks_german(reader):
    client = Client()
    client.force_login(reader)

    html = client.get(saved_url(reader)).content.decode()

    assert '<html lang="de">' in html
    with override("de"):
        assert gettext("Saved questions") in html
        assert gettext("Only you see this list. Newest saved first.") in html
