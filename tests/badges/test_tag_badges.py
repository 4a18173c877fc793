"""Tag badges: per tag, by the total score and the number of a member's answers in it
(Stack Exchange's bronze 100 over 20, silver 400 over 80, gold 1,000 over 200)."""

import pytest

from badges.models import Award, Badge
from tests import factories
from tests.badges.helpers import upvote

pytestmark = pytest.mark.django_db


def answers_in(tag, author, count, *, score):
    """`count` answers by `author` in questions tagged `tag`, `score` each."""
    question = factories.question(tags=[tag])
    return [factories.answer(question, author=author, score=score) for _ in range(count)]


def tag_badges(member):
    return set(
        Award.objects.filter(user=member, badge__tag__isnull=False).values_list(
            "badge__name", "badge__badge_class"
        )
    )


def test_the_vote_that_reaches_a_hundred_over_twenty_answers_earns_the_bronze_tag_badge(member):
    answers = answers_in("phonology", member, 20, score=5)
    factories.vote(answers[0], value=-1)

    upvote(answers[0])

    assert tag_badges(member) == {("phonology", Badge.Class.BRONZE)}
    assert Badge.objects.get(tag__name="phonology", badge_class=Badge.Class.BRONZE).award_count == 1


def test_a_high_score_over_too_few_answers_earns_no_tag_badge(member):
    answers = answers_in("phonology", member, 19, score=10)

    upvote(answers[0])

    assert tag_badges(member) == set()


def test_many_answers_short_of_the_score_earn_no_tag_badge(member):
    answers = answers_in("syntax", member, 30, score=3)

    upvote(answers[0])

    assert tag_badges(member) == set()


def test_silver_and_gold_tag_badges_by_their_thresholds(member):
    answers = answers_in("grammar", member, 200, score=5)

    upvote(answers[0])

    assert tag_badges(member) == {
        ("grammar", Badge.Class.BRONZE),
        ("grammar", Badge.Class.SILVER),
        ("grammar", Badge.Class.GOLD),
    }


def test_silver_needs_eighty_answers(member):
    answers = answers_in("grammar", member, 79, score=10)

    upvote(answers[0])

    assert tag_badges(member) == {("grammar", Badge.Class.BRONZE)}


def test_tag_badges_are_listed_on_the_badges_page(member, english_client):
    upvote(answers_in("phonology", member, 20, score=5)[0])

    page = english_client.get("/help/badges/").content.decode()

    assert "phonology" in page
