"""Bounties on the lists and the thread: the Featured tab and its count, the mark on a
question's row, and what they cost (nothing: the post carries its bounty)."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from bounties import services
from bounties.models import Bounty
from questions.services import post_delete
from tests import factories
from tests.clients import client_for, page_queries, thread_queries


def bountied(title, *, amount=100, days_ago=0, tags=()):
    question = factories.question(
        title=title, created_at=timezone.now() - timedelta(days=30), tags=tags
    )
    services.bounty_start(
        question=question,
        user=factories.user(reputation=1000),
        amount=amount,
        reason="attention",
        now=timezone.now() - timedelta(days=days_ago),
    )
    return question


def titles(response):
    html = response.content.decode()
    return [
        line.split(">", 2)[2].split("<", 1)[0]
        for line in html.splitlines()
        if 'class="question-title"' in line
    ]


def test_the_featured_tab_lists_the_questions_with_a_bounty_latest_to_end_first(db, moderator):
    factories.question(title="No bounty on this one")
    bountied("Ends in seven days", days_ago=0, amount=50)
    bountied("Ends in five days", days_ago=2, amount=300)
    deleted = bountied("Deleted, refunded")
    post_delete(post=deleted, user=moderator)

    response = client_for(None).get("/?tab=featured")

    html = response.content.decode()
    assert response.status_code == 200
    assert ">Ends in seven days</a>" in html and ">Ends in five days</a>" in html
    assert html.index(">Ends in seven days<") < html.index(">Ends in five days<")
    assert "No bounty on this one" not in html
    assert "Deleted, refunded" not in html
    assert 'Featured <span class="tab-count">2</span>' in html
    assert '<span class="stat-bounty" title="Active bounty">+300</span>' in html
    assert "2 questions" in html


def test_the_other_tabs_show_the_featured_count_and_the_rows_their_bounty(db):
    bountied("With a bounty", amount=250)
    factories.question(title="Without one")

    html = client_for(None).get("/?tab=newest").content.decode()

    assert 'Featured <span class="tab-count">1</span>' in html
    assert "+250</span>" in html


def test_a_tags_featured_tab_counts_the_tags_questions_only(db):
    bountied("Tagged and bountied", tags=["syntax"])
    bountied("Bountied elsewhere", tags=["phonology"])

    html = client_for(None).get("/questions/tagged/syntax/?tab=featured").content.decode()

    assert "Tagged and bountied" in html
    assert "Bountied elsewhere" not in html
    assert 'Featured <span class="tab-count">1</span>' in html


def test_the_featured_count_follows_a_new_bounty_at_once(db):
    client = client_for(None)
    bountied("First")
    assert 'Featured <span class="tab-count">1</span>' in client.get("/").content.decode()

    bountied("Second")

    assert 'Featured <span class="tab-count">2</span>' in client.get("/").content.decode()


def test_the_lists_cost_the_same_queries_with_bounties_as_without(db, django_assert_num_queries):
    for n in range(5):
        factories.question(title=f"Plain {n}", tags=["syntax"])
    client = client_for(None)
    cache.clear()
    plain_home = page_queries(client, "/?tab=newest")
    cache.clear()
    plain_tag = page_queries(client, "/questions/tagged/syntax/")
    for n in range(3):
        bountied(f"Bountied {n}", tags=["syntax"])
    cache.clear()
    # The pinned count of tests/questions/test_pages.py: the total, the questions, their tags.
    with django_assert_num_queries(3):
        client_for(None).get("/?tab=newest")
    cache.clear()
    assert page_queries(client, "/?tab=newest") == plain_home
    cache.clear()
    assert page_queries(client, "/questions/tagged/syntax/") == plain_tag
    cache.clear()
    assert page_queries(client, "/?tab=featured") == plain_home


def test_the_thread_costs_no_query_for_its_bounty_and_awards(db):
    plain = factories.question(created_at=timezone.now() - timedelta(days=3))
    for _ in range(3):
        factories.answer(plain)
    question = bountied("A thread with a bounty")
    answers = [factories.answer(question, author=factories.user(reputation=1)) for _ in range(3)]
    bounty = Bounty.objects.get(question=question)
    services.bounty_award(question=question, answer=answers[0], user=bounty.offerer)
    services.bounty_start(question=question, user=bounty.offerer, amount=200, reason="details")
    visitor = client_for(None)
    member = client_for(factories.user(reputation=1000))
    offerer = client_for(bounty.offerer)

    html = offerer.get(question.get_absolute_url()).content.decode()
    assert "+100 bounty awarded" in html
    assert "This question has a bounty of +200 reputation." in html
    assert "Award the bounty (+200)" in html
    for client in (visitor, member, offerer):
        cache.clear()  # a visitor's pages are cached
        with_bounty = thread_queries(client, question)
        cache.clear()
        assert with_bounty == thread_queries(client, plain)


def test_the_history_page_and_the_profile_tab_cost_a_fixed_number_of_queries(db):
    question = bountied("Often bountied")
    offerer = Bounty.objects.get(question=question).offerer
    client = client_for(None)
    few_history = page_queries(client, f"/questions/{question.pk}/bounties/")
    few_profile = page_queries(client, f"/users/{offerer.pk}/{offerer.slug}/bounties/")
    for _ in range(2):
        bountied("Another", amount=50)
    answer = factories.answer(question, author=factories.user(reputation=1))
    services.bounty_award(question=question, answer=answer, user=offerer)
    services.bounty_start(question=question, user=offerer, amount=200, reason="details")

    assert page_queries(client, f"/questions/{question.pk}/bounties/") == few_history
    assert page_queries(client, f"/users/{offerer.pk}/{offerer.slug}/bounties/") == few_profile


def test_a_visitors_cached_thread_shows_a_new_bounty_and_its_award_at_once(db):
    question = factories.question(created_at=timezone.now() - timedelta(days=3))
    answer = factories.answer(question)
    offerer = factories.user(reputation=1000)
    visitor = client_for(None)
    assert (
        "This question has a bounty"
        not in visitor.get(question.get_absolute_url()).content.decode()
    )

    services.bounty_start(question=question, user=offerer, amount=150, reason="attention")
    html = visitor.get(question.get_absolute_url()).content.decode()
    assert "This question has a bounty of +150 reputation." in html

    services.bounty_award(question=question, answer=answer, user=offerer)
    html = visitor.get(question.get_absolute_url()).content.decode()
    assert "This question has a bounty" not in html
    assert "+150 bounty awarded" in html
    assert f'<a href="/questions/{question.pk}/bounties/">Bounty history</a>' in html
