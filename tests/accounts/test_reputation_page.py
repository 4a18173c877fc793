from datetime import UTC, datetime, timedelta

import pytest

from questions.models import ReputationEvent
from tests import factories

pytestmark = pytest.mark.django_db

Kind = ReputationEvent.Kind
MORNING = datetime(2024, 3, 5, 0, 30, tzinfo=UTC)


def reputation_url(user):
    return f"/users/{user.pk}/{user.slug}/reputation/"


def test_reputation_page_groups_events_by_utc_day_newest_first_with_day_totals(english_client):
    member = factories.user(display_name="Grace Hopper")
    question = factories.question(title="How do compilers work?", author=member)
    factories.reputation_event(
        member,
        kind=Kind.UPVOTED,
        delta=10,
        created_at=MORNING.replace(day=3, hour=23, minute=59),
        post=question,
    )
    factories.reputation_event(
        member, kind=Kind.UPVOTED, delta=10, created_at=MORNING, post=question
    )
    factories.reputation_event(
        member,
        kind=Kind.DOWNVOTED,
        delta=-2,
        created_at=MORNING.replace(hour=23, minute=59),
        post=question,
    )
    factories.reputation_event(
        member, kind=Kind.ACCEPTING, delta=2, created_at=MORNING.replace(hour=12), post=question
    )
    factories.reputation_event(
        member,
        kind=Kind.UPVOTED,
        delta=10,
        created_at=MORNING.replace(day=6, hour=0, minute=0),
        post=question,
    )

    html = english_client.get(reputation_url(member)).content.decode()

    newest, middle, oldest = (html.index(f'datetime="2024-03-0{day}"') for day in (6, 5, 3))
    assert newest < middle < oldest
    day_five = html[middle:oldest]
    assert "+10" in html[newest:middle]
    assert day_five.count('class="reputation-kind"') == 3
    assert '<span class="reputation-delta reputation-gain">+10</span>' in day_five.split("<li>")[0]
    assert '<span class="reputation-delta reputation-loss">-2</span>' in day_five
    assert "+2</span>" in day_five
    assert "Upvoted" in day_five and "Downvoted" in day_five and "Accepted an answer" in day_five


def test_reputation_page_shows_the_current_reputation_and_links_back_to_the_profile(english_client):
    member = factories.user(reputation=4321, display_name="Ada")

    html = english_client.get(reputation_url(member)).content.decode()

    assert "Reputation of Ada" in html
    assert '<span class="reputation">4,321</span>' in html
    assert f'href="{member.get_absolute_url()}"' in html


def test_reputation_page_links_questions_and_answers_and_names_the_opening_balance(english_client):
    member = factories.user(reputation=101)
    question = factories.question(title="Why is the sky blue?", author=member)
    other = factories.question(title="What is Rayleigh scattering?")
    answer = factories.answer(other, author=member)
    gone = factories.question(title="A secret deleted question", author=member, deleted_at=MORNING)
    factories.reputation_event(
        member, kind=Kind.UPVOTED, delta=10, created_at=MORNING, post=question
    )
    factories.reputation_event(
        member, kind=Kind.ACCEPTED, delta=15, created_at=MORNING, post=answer
    )
    factories.reputation_event(member, kind=Kind.UPVOTED, delta=10, created_at=MORNING, post=gone)

    html = english_client.get(reputation_url(member)).content.decode()

    assert f'<a href="{question.get_absolute_url()}">Why is the sky blue?</a>' in html
    assert (
        f'<a href="{other.get_absolute_url()}#answer-{answer.pk}">What is Rayleigh scattering?</a>'
        in html
    )
    assert "Answer accepted" in html
    assert "Opening balance" in html and "+100" in html
    assert "imported site, not tied to a post" in html
    assert "A secret deleted question" not in html and "A deleted post" in html


def test_reputation_page_is_paginated_by_events_with_the_whole_day_total_on_every_page(
    english_client,
):
    member = factories.user()
    question = factories.question(title="The popular one", author=member)
    for minute in range(60):
        factories.reputation_event(
            member,
            kind=Kind.UPVOTED,
            delta=10,
            created_at=MORNING + timedelta(minutes=minute),
            post=question,
        )

    first = english_client.get(reputation_url(member)).content.decode()
    second = english_client.get(reputation_url(member) + "?page=2").content.decode()

    assert first.count('class="reputation-kind"') == 50
    assert second.count('class="reputation-kind"') == 10
    assert 'rel="next"' in first and "?page=2" in first
    assert 'rel="prev"' in second
    for html in (first, second):
        assert '<span class="reputation-delta reputation-gain">+600</span>' in html


def test_reputation_page_says_when_there_is_nothing_yet(english_client):
    member = factories.user()

    response = english_client.get(reputation_url(member))

    assert response.status_code == 200
    assert "No reputation changes yet." in response.content.decode()


def test_reputation_page_of_an_unknown_user_answers_404(client):
    assert client.get("/users/999999/nobody/reputation/").status_code == 404


def test_reputation_page_with_a_stale_slug_redirects_permanently(client):
    member = factories.user(display_name="Ada Lovelace")

    response = client.get(f"/users/{member.pk}/someone-else/reputation/")

    assert response.status_code == 301
    assert response["Location"] == f"/users/{member.pk}/ada-lovelace/reputation/"


def test_profile_links_to_the_reputation_page(client):
    member = factories.user(display_name="Ada Lovelace")

    html = client.get(member.get_absolute_url()).content.decode()

    assert f'href="/users/{member.pk}/ada-lovelace/reputation/"' in html


def _member_with_a_history_of(count):
    member = factories.user(reputation=500)
    question = factories.question(author=member)
    for number in range(count):
        post = question if number % 2 else factories.answer(question, author=member)
        factories.reputation_event(
            member,
            kind=Kind.UPVOTED,
            delta=10,
            created_at=MORNING - timedelta(hours=number * 7),
            post=post,
        )
    return member


def test_reputation_page_costs_the_same_for_two_and_for_a_hundred_events(
    client, django_assert_max_num_queries
):
    few, many = _member_with_a_history_of(2), _member_with_a_history_of(100)
    # The user, the count for the pager, the page of events with their posts and
    # questions, and the totals of the days on the page.
    with django_assert_max_num_queries(4) as few_queries:
        client.get(reputation_url(few))
    with django_assert_max_num_queries(4) as many_queries:
        client.get(reputation_url(many))
    assert len(few_queries) == len(many_queries)
