"""The badges time and uncounted things decide (views, saves, a profile's text, days of
membership and of visits): the hourly sweep (beat's badges.tasks.badges_sweep) awards
them, and the visits' own counting brings up Enthusiast and Fanatic at once."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from accounts.services import profile_update
from badges import tasks
from badges.models import VisitStreak
from questions.bookmarks import bookmark_set
from questions.models import Post, ReputationEvent
from tests import factories
from tests.badges.helpers import held
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "views"),
    [("popular_question", 1000), ("notable_question", 2500), ("famous_question", 10000)],
)
def test_the_sweep_awards_a_question_its_views_badge(key, views):
    reached = factories.question(view_count=views)
    short = factories.question(view_count=views - 1)

    tasks.badges_sweep()

    assert held(reached.author, key) == 1
    assert held(short.author, key) == 0


@pytest.mark.parametrize(("key", "savers"), [("favorite_question", 25), ("stellar_question", 100)])
def test_the_sweep_awards_a_question_saved_by_enough_members(question, key, savers):
    for _ in range(savers - 1):
        bookmark_set(user=factories.user(), question=question, saved=True)
    tasks.badges_sweep()
    assert held(question.author, key) == 0

    bookmark_set(user=factories.user(), question=question, saved=True)
    tasks.badges_sweep()

    assert held(question.author, key) == 1


def test_the_askers_own_save_does_not_count(question):
    for _ in range(24):
        bookmark_set(user=factories.user(), question=question, saved=True)
    bookmark_set(user=question.author, question=question, saved=True)

    tasks.badges_sweep()

    assert held(question.author, "favorite_question") == 0


def _week_old(**fields):
    return factories.question(created_at=timezone.now() - timedelta(days=8), **fields)


def test_tumbleweed_is_a_week_old_question_nobody_touched():
    question = _week_old(view_count=12)

    tasks.badges_sweep()

    assert held(question.author, "tumbleweed") == 1


@pytest.mark.parametrize(
    "touched",
    ["answered", "commented", "scored", "viewed", "young"],
)
def test_a_question_someone_touched_is_no_tumbleweed(touched):
    if touched == "young":
        question = factories.question(created_at=timezone.now() - timedelta(days=6))
    elif touched == "scored":
        question = _week_old(score=1)
    elif touched == "viewed":
        question = _week_old(view_count=50)
    else:
        question = _week_old()
        if touched == "answered":
            factories.answer(question)
        else:
            factories.comment(question)

    tasks.badges_sweep()

    assert held(question.author, "tumbleweed") == 0


def test_autobiographer_is_filling_in_about_me(member):
    profile_update(
        user=member,
        display_name=member.display_name,
        about_markdown="I make languages for fun.",
        location="",
        website="",
    )

    tasks.badges_sweep()

    assert held(member, "autobiographer") == 1


def test_a_profile_without_about_me_earns_no_autobiographer(member):
    profile_update(
        user=member, display_name="Renamed", about_markdown="", location="Berlin", website=""
    )

    tasks.badges_sweep()

    assert held(member, "autobiographer") == 0


def _member_for(days):
    member = factories.user()
    member.date_joined = timezone.now() - timedelta(days=days)
    member.save(update_fields=["date_joined"])
    return member


def _earned(member, delta, *, days_after_joining):
    factories.reputation_event(
        member,
        kind=ReputationEvent.Kind.UPVOTED,
        delta=delta,
        created_at=member.date_joined + timedelta(days=days_after_joining),
    )


def test_yearling_is_a_year_with_two_hundred_reputation_earned_in_it():
    member = _member_for(800)
    _earned(member, 150, days_after_joining=10)
    _earned(member, 60, days_after_joining=300)
    _earned(member, 250, days_after_joining=500)

    tasks.badges_sweep()

    assert held(member, "yearling") == 2


def test_no_yearling_for_a_year_short_of_two_hundred_or_not_yet_over():
    short = _member_for(400)
    _earned(short, 190, days_after_joining=100)
    young = _member_for(300)
    _earned(young, 500, days_after_joining=10)

    tasks.badges_sweep()

    assert held(short, "yearling") == 0
    assert held(young, "yearling") == 0


def _streak(member, days):
    yesterday = timezone.now().astimezone(UTC).date() - timedelta(days=1)
    VisitStreak.objects.create(user=member, last_day=yesterday, days=days, longest=days)


@pytest.mark.parametrize(("key", "run"), [("enthusiast", 30), ("fanatic", 100)])
def test_the_visit_that_makes_the_run_earns_the_visit_badge(member, key, run):
    _streak(member, run - 1)

    client_for(member).get("/")

    assert held(member, key) == 1
    assert VisitStreak.objects.get(user=member).days == run


@pytest.mark.parametrize(("key", "run"), [("enthusiast", 30), ("fanatic", 100)])
def test_a_visit_after_a_missed_day_starts_the_run_again(member, key, run):
    VisitStreak.objects.create(
        user=member,
        last_day=timezone.now().astimezone(UTC).date() - timedelta(days=2),
        days=run - 1,
        longest=run - 1,
    )

    client_for(member).get("/")

    assert held(member, key) == 0
    assert VisitStreak.objects.get(user=member).days == 1


def test_a_day_counts_once_however_many_pages(member):
    client = client_for(member)
    for _ in range(3):
        client.get("/")

    assert VisitStreak.objects.get(user=member).days == 1


def test_the_sweep_leaves_deleted_questions_alone():
    question = factories.question(view_count=5000, deleted_at=timezone.now())

    tasks.badges_sweep()

    assert held(question.author, "popular_question") == 0
    assert Post.objects.filter(pk=question.pk).exists()
