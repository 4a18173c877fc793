"""The badges a post's score, age and acceptance earn: awarded when the vote or the
acceptance that reaches the threshold is cast, and not a vote earlier."""

from datetime import timedelta

import pytest
from django.utils import timezone

from questions import voting
from tests import factories
from tests.badges.helpers import held, upvote

pytestmark = pytest.mark.django_db

# A vote taken back or cast down: the vote itself and the voter's badges, as measured;
# with the author's badges evaluated too they were 36 and 50.
LOWERING_VOTE_QUERIES = {0: 19, -1: 33}


@pytest.mark.parametrize(
    ("key", "threshold"),
    [("nice_question", 10), ("good_question", 25), ("great_question", 100)],
)
def test_a_question_scored_to_the_threshold_earns_its_asker_the_question_badge(key, threshold):
    question = factories.question(score=threshold - 1)
    assert held(question.author, key) == 0

    upvote(question)

    assert held(question.author, key) == 1


@pytest.mark.parametrize(
    ("key", "threshold"),
    [("nice_question", 10), ("good_question", 25), ("great_question", 100)],
)
def test_a_question_a_vote_short_of_the_threshold_earns_nothing(key, threshold):
    question = factories.question(score=threshold - 2)

    upvote(question)

    assert held(question.author, key) == 0


@pytest.mark.parametrize(
    ("key", "threshold"),
    [("nice_answer", 10), ("good_answer", 25), ("great_answer", 100)],
)
def test_an_answer_scored_to_the_threshold_earns_its_author_the_answer_badge(
    question, key, threshold
):
    answer = factories.answer(question, score=threshold - 1)

    upvote(answer)

    assert held(answer.author, key) == 1


@pytest.mark.parametrize(
    ("key", "threshold"),
    [("nice_answer", 10), ("good_answer", 25), ("great_answer", 100)],
)
def test_an_answer_a_vote_short_of_the_threshold_earns_nothing(question, key, threshold):
    answer = factories.answer(question, score=threshold - 2)

    upvote(answer)

    assert held(answer.author, key) == 0


def test_each_nice_answer_is_a_badge_of_its_own(question):
    author = factories.user()
    first = factories.answer(question, author=author, score=9)
    second = factories.answer(factories.question(), author=author, score=9)

    upvote(first)
    upvote(second)

    assert held(author, "nice_answer") == 2


def test_student_is_the_first_question_voted_up_and_earned_once(author):
    first = factories.question(author=author)
    second = factories.question(author=author)

    upvote(first)
    upvote(second)

    assert held(author, "student") == 1


def test_a_question_voted_down_earns_no_student(author, voter):
    question = factories.question(author=author)

    voting.post_vote(post=question, user=voter, value=-1)

    assert held(author, "student") == 0


def test_teacher_is_an_answer_voted_up(answer):
    upvote(answer)

    assert held(answer.author, "teacher") == 1


def test_an_answer_voted_down_earns_no_teacher(answer, voter):
    voting.post_vote(post=answer, user=voter, value=-1)

    assert held(answer.author, "teacher") == 0


def test_scholar_is_accepting_an_answer_to_ones_question(author, question, answer):
    voting.answer_accept(answer=answer, user=author)

    assert held(author, "scholar") == 1


def test_asking_without_accepting_earns_no_scholar(author, question, answer):
    upvote(answer)

    assert held(author, "scholar") == 0


def test_enlightened_is_the_first_answer_accepted_with_a_score_of_ten(author, question):
    answer = factories.answer(question, score=9)
    voting.answer_accept(answer=answer, user=author)
    assert held(answer.author, "enlightened") == 0

    upvote(answer)

    assert held(answer.author, "enlightened") == 1


def test_an_accepted_answer_that_came_second_is_not_enlightened(author, question):
    factories.answer(question, created_at=timezone.now() - timedelta(hours=1))
    answer = factories.answer(question, score=10)

    voting.answer_accept(answer=answer, user=author)

    assert held(answer.author, "enlightened") == 0


def test_guru_is_an_accepted_answer_scored_forty(author, question):
    answer = factories.answer(question, score=40)

    voting.answer_accept(answer=answer, user=author)

    assert held(answer.author, "guru") == 1


def test_an_answer_scored_forty_but_not_accepted_is_no_guru(question):
    answer = factories.answer(question, score=39)

    upvote(answer)

    assert held(answer.author, "guru") == 0


def _old_question(days):
    return factories.question(created_at=timezone.now() - timedelta(days=days))


def test_necromancer_is_an_answer_sixty_days_late_scored_five():
    answer = factories.answer(_old_question(61), score=4)

    upvote(answer)

    assert held(answer.author, "necromancer") == 1


def test_an_answer_fifty_days_late_is_no_necromancer():
    answer = factories.answer(_old_question(50), score=4)

    upvote(answer)

    assert held(answer.author, "necromancer") == 0


def test_revival_is_the_first_answer_thirty_days_late_scored_two():
    answer = factories.answer(_old_question(31), score=1)

    upvote(answer)

    assert held(answer.author, "revival") == 1


def test_a_late_answer_after_another_answer_is_no_revival():
    question = _old_question(40)
    factories.answer(question, created_at=timezone.now() - timedelta(days=35))
    answer = factories.answer(question, score=1)

    upvote(answer)

    assert held(answer.author, "revival") == 0


def test_self_learner_is_answering_ones_own_question_scored_three(author, question):
    answer = factories.answer(question, author=author, score=2)

    upvote(answer)

    assert held(author, "self_learner") == 1


def test_answering_someone_elses_question_is_no_self_learning(question):
    answer = factories.answer(question, score=2)

    upvote(answer)

    assert held(answer.author, "self_learner") == 0


def test_an_answer_in_a_deleted_question_earns_nothing():
    question = factories.question(deleted_at=timezone.now())
    answer = factories.answer(question, score=9)

    upvote(factories.answer(factories.question(), author=answer.author))

    assert held(answer.author, "nice_answer") == 0


@pytest.mark.parametrize("value", [0, -1])
def test_a_vote_that_lowers_the_score_leaves_the_authors_badges_alone(
    value, django_assert_max_num_queries
):
    """Every badge of the author's part asks for a score of at least some number, so a
    vote taken back or cast down brings the author nothing and costs no evaluation of
    theirs: the voter's badges are evaluated, the author's are not."""
    answer = factories.answer(factories.question(), score=9)
    voter = factories.user(reputation=200)
    voting.post_vote(post=answer, user=voter, value=1)
    assert held(answer.author, "nice_answer") == 1

    with django_assert_max_num_queries(LOWERING_VOTE_QUERIES[value]) as captured:
        voting.post_vote(post=answer, user=voter, value=value)

    assert not any(
        "questions_post_tags" in query["sql"] and "SUM(" in query["sql"]
        for query in captured.captured_queries
    ), "the author's tag badges were evaluated"
    assert held(answer.author, "nice_answer") == 1


def test_a_vote_that_raises_the_score_still_evaluates_the_authors_badges():
    answer = factories.answer(factories.question(), score=9)
    voter = factories.user(reputation=200)
    voting.post_vote(post=answer, user=voter, value=-1)

    voting.post_vote(post=answer, user=voter, value=1)  # -1 to +1: the score rises by 2

    assert held(answer.author, "nice_answer") == 1
