from datetime import UTC, datetime

import pytest
from django.utils import timezone

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("german_site")]


def test_users_page_lists_members_by_reputation(client):
    factories.user(display_name="Newcomer", reputation=1)
    factories.user(display_name="Veteran", reputation=12345)

    response = client.get("/users/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Veteran") < html.index("Newcomer")
    assert "12.345" in html


def test_users_page_is_paginated(client):
    for n in range(40):
        factories.user(display_name=f"Member {n:02d}", reputation=100 + n)

    first = client.get("/users/").content.decode()
    second = client.get("/users/?page=2").content.decode()

    assert "Member 39" in first and "Member 03" not in first
    assert "Member 03" in second and "Member 39" not in second


def test_users_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for _ in range(40):
        factories.user()
    with django_assert_num_queries(2):
        client.get("/users/")


def test_profile_shows_the_member_and_their_questions_and_answers(client):
    member = factories.user(
        display_name="Ludwik Zamenhof",
        reputation=4321,
        location="Warschau",
        website="https://example.org/",
        about_markdown="I made **Esperanto**.",
        date_joined=datetime(2015, 7, 26, 10, 0, tzinfo=UTC),
    )
    asked = factories.question(title="Why sixteen rules?", author=member)
    other = factories.question(title="Someone else's question")
    factories.answer(other, author=member)
    factories.question(title="A deleted question", author=member, deleted_at=timezone.now())

    response = client.get(member.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ludwik Zamenhof" in html
    assert "4.321" in html
    assert "Warschau" in html
    assert 'href="https://example.org/"' in html
    assert "I made <strong>Esperanto</strong>." in html
    assert "Mitglied seit" in html and 'datetime="2015-07-26T10:00:00+00:00"' in html
    assert f'href="{asked.get_absolute_url()}"' in html
    assert f'href="/users/{member.pk}/ludwik-zamenhof/questions/">1<' in html
    assert f'href="/users/{member.pk}/ludwik-zamenhof/answers/">1<' in html
    assert "Someone else&#x27;s question" in html
    assert "A deleted question" not in html


def test_profile_counts_leave_out_deleted_posts_and_answers_on_deleted_questions(client):
    member = factories.user(display_name="Jespersen")
    factories.question(title="Still asked", author=member)
    factories.question(title="Deleted ask", author=member, deleted_at=timezone.now())
    factories.answer(factories.question(title="Open one"), author=member)
    factories.answer(factories.question(title="Open two"), author=member)
    factories.answer(factories.question(title="Gone", deleted_at=timezone.now()), author=member)
    factories.answer(
        factories.question(title="Open three"), author=member, deleted_at=timezone.now()
    )

    html = client.get(member.get_absolute_url()).content.decode()

    assert f'href="/users/{member.pk}/jespersen/questions/">1<' in html
    assert f'href="/users/{member.pk}/jespersen/answers/">2<' in html
    assert "Gone" not in html


def test_profile_with_a_stale_or_missing_slug_redirects_permanently(client):
    member = factories.user(display_name="Ada Lovelace")

    stale = client.get(f"/users/{member.pk}/someone-else/")
    missing = client.get(f"/users/{member.pk}/")

    assert stale.status_code == missing.status_code == 301
    assert stale["Location"] == missing["Location"] == f"/users/{member.pk}/ada-lovelace/"


def test_unknown_member_answers_404(client):
    assert client.get("/users/999999/nobody/").status_code == 404


def test_profile_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    member = factories.user()
    for _ in range(12):
        question = factories.question(author=member, tags=["x"])
        factories.answer(question, author=member)
    with django_assert_num_queries(4):
        client.get(member.get_absolute_url())
