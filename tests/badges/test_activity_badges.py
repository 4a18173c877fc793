"""The badges for what members do: voting, editing, commenting, flagging, reviewing.
Each is awarded by the action that reaches its threshold, through the event it publishes,
and not an action earlier. Thresholds in the hundreds start from rows made in bulk, with
the stored counters repaired as `recount` repairs them."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from moderation.models import Flag
from moderation.services import flags as flag_services
from questions import services, voting
from questions.models import DailyVoteCount, Post, PostRevision, Vote
from reviews.models import Review, ReviewTask
from reviews.services.tasks import task_open
from tests import factories
from tests.badges.helpers import counters_repaired, held, upvote
from tests.reviews.helpers import review, task_of

pytestmark = pytest.mark.django_db
Queue = ReviewTask.Queue


def questions_in_bulk(count, **fields):
    """`count` questions made in one statement (their counters repaired after)."""
    now = timezone.now()
    fields.setdefault("author", factories.user())
    made = Post.objects.bulk_create(
        Post(
            post_type=Post.PostType.QUESTION,
            title=f"Bulk question {number}",
            slug=f"bulk-question-{number}",
            body_markdown="Bulk.",
            body_html="<p>Bulk.</p>",
            created_at=now,
            last_activity_at=now,
            **fields,
        )
        for number in range(count)
    )
    return made


# Voting


def test_supporter_is_a_first_up_vote(question, voter):
    upvote(question, voter=voter)

    assert held(voter, "supporter") == 1


def test_a_down_vote_is_no_support(question, voter):
    voting.post_vote(post=question, user=voter, value=-1)

    assert held(voter, "supporter") == 0
    assert held(voter, "critic") == 1


def test_an_up_vote_is_no_criticism(question, voter):
    upvote(question, voter=voter)

    assert held(voter, "critic") == 0


def _votes_today(voter, count):
    DailyVoteCount.objects.create(
        user=voter, day=timezone.now().astimezone(UTC).date(), votes=count
    )


@pytest.mark.parametrize(("key", "threshold"), [("suffrage", 30), ("vox_populi", 40)])
def test_the_vote_that_reaches_a_days_threshold_earns_its_badge(question, voter, key, threshold):
    _votes_today(voter, threshold - 1)

    upvote(question, voter=voter)

    assert held(voter, key) == 1


@pytest.mark.parametrize(("key", "threshold"), [("suffrage", 30), ("vox_populi", 40)])
def test_a_vote_short_of_a_days_threshold_earns_nothing(question, voter, key, threshold):
    _votes_today(voter, threshold - 2)

    upvote(question, voter=voter)

    assert held(voter, key) == 0


def _votes_in_bulk(voter, posts):
    Vote.objects.bulk_create(
        Vote(post=post, user=voter, value=1, created_at=timezone.now()) for post in posts
    )
    Post.objects.filter(pk__in=[post.pk for post in posts]).update(score=1)


@pytest.mark.parametrize(("earlier", "earned"), [(299, 1), (298, 0)])
def test_civic_duty_is_the_three_hundredth_vote(question, voter, earlier, earned):
    _votes_in_bulk(voter, questions_in_bulk(earlier))
    counters_repaired()

    upvote(question, voter=voter)

    assert held(voter, "civic_duty") == earned


@pytest.mark.parametrize(("earlier", "earned"), [(599, 1), (598, 0)])
def test_electorate_is_voting_on_six_hundred_questions(question, voter, earlier, earned):
    _votes_in_bulk(voter, questions_in_bulk(earlier))
    counters_repaired()

    upvote(question, voter=voter)

    assert held(voter, "electorate") == earned


def test_six_hundred_question_votes_among_too_many_answer_votes_are_no_electorate(question, voter):
    asked = questions_in_bulk(600)
    _votes_in_bulk(voter, asked)
    answers = Post.objects.bulk_create(
        Post(
            post_type=Post.PostType.ANSWER,
            parent=asked[0],
            body_markdown="Bulk.",
            body_html="<p>Bulk.</p>",
            created_at=timezone.now(),
            last_activity_at=timezone.now(),
            author=question.author,
        )
        for _ in range(1900)
    )
    _votes_in_bulk(voter, answers)
    counters_repaired()

    upvote(question, voter=voter)

    assert held(voter, "civic_duty") == 1
    assert held(voter, "electorate") == 0


# Editing


def _edit(post, editor):
    services.post_edit(post=post, editor=editor, body=post.body_markdown + " Edited.")


def test_editor_is_a_first_edit(question, moderator):
    _edit(question, moderator)

    assert held(moderator, "editor") == 1


def test_writing_a_post_is_no_edit(author):
    services.question_create(
        author=author, title="How do I start a conlang?", body="Where to begin?", tags=["help"]
    )

    assert held(author, "editor") == 0


def _edits_in_bulk(editor, posts):
    PostRevision.objects.bulk_create(
        PostRevision(
            post=post, number=2, author=editor, body_markdown="Edited.", created_at=timezone.now()
        )
        for post in posts
    )


@pytest.mark.parametrize(
    ("key", "earlier", "earned"),
    [
        ("strunk_white", 79, 1),
        ("strunk_white", 78, 0),
        ("copy_editor", 499, 1),
        ("copy_editor", 498, 0),
    ],
)
def test_edit_badges_count_the_posts_edited(question, moderator, key, earlier, earned):
    _edits_in_bulk(moderator, questions_in_bulk(earlier))
    counters_repaired()

    _edit(question, moderator)

    assert held(moderator, key) == earned


def test_edits_of_one_post_count_once(question, moderator):
    _edits_in_bulk(moderator, [question] * 1)
    PostRevision.objects.bulk_create(
        PostRevision(
            post=question,
            number=number,
            author=moderator,
            body_markdown="x",
            created_at=timezone.now(),
        )
        for number in range(3, 90)
    )
    counters_repaired()

    _edit(question, moderator)

    assert held(moderator, "strunk_white") == 0


# Comments


def test_commentator_is_the_tenth_comment(question, member):
    for _ in range(9):
        factories.comment(question, author=member)

    services.comment_create(author=member, post=question, body="The tenth thing I have to say.")

    assert held(member, "commentator") == 1


def test_nine_comments_are_no_commentator(question, member):
    for _ in range(8):
        factories.comment(question, author=member)

    services.comment_create(author=member, post=question, body="The ninth thing I have to say.")

    assert held(member, "commentator") == 0


def _scored_comment(post, author, score):
    comment = factories.comment(post, author=author)
    for _ in range(score):
        factories.comment_vote(comment)
    return comment


@pytest.mark.parametrize(("earlier", "earned"), [(9, 1), (8, 0)])
def test_pundit_is_ten_comments_scored_five(question, member, voter, earlier, earned):
    for _ in range(earlier):
        _scored_comment(question, member, 5)
    last = _scored_comment(question, member, 4)

    voting.comment_vote(comment=last, user=voter, value=1)

    assert held(member, "pundit") == earned


# Flags


def test_citizen_patrol_is_a_first_flag_on_a_post(question, flagger):
    flag_services.flag_create(reporter=flagger, reason=Flag.Reason.LOW_QUALITY, post=question)

    assert held(flagger, "citizen_patrol") == 1


def test_a_flag_on_a_comment_is_no_patrol(question, flagger):
    comment = factories.comment(question)

    flag_services.flag_create(
        reporter=flagger, reason=Flag.Reason.NO_LONGER_NEEDED, comment=comment
    )

    assert held(flagger, "citizen_patrol") == 0


@pytest.mark.parametrize(
    ("key", "earlier", "earned"),
    [("deputy", 79, 1), ("deputy", 78, 0), ("marshal", 499, 1), ("marshal", 498, 0)],
)
def test_helpful_flags_earn_deputy_and_marshal(question, flagger, moderator, key, earlier, earned):
    Flag.objects.bulk_create(
        Flag(post=question, reporter=flagger, reason=Flag.Reason.OTHER, status=Flag.Status.HELPFUL)
        for _ in range(earlier)
    )
    flag_services.flag_create(reporter=flagger, reason=Flag.Reason.LOW_QUALITY, post=question)

    flag_services.flags_mark_helpful(
        flags=Flag.objects.filter(status=Flag.Status.PENDING), moderator=moderator
    )

    assert held(flagger, key) == earned


def test_declined_flags_count_for_no_deputy(question, flagger, moderator):
    Flag.objects.bulk_create(
        Flag(post=question, reporter=flagger, reason=Flag.Reason.OTHER, status=Flag.Status.DECLINED)
        for _ in range(100)
    )
    flag_services.flag_create(reporter=flagger, reason=Flag.Reason.LOW_QUALITY, post=question)

    flag_services.flags_mark_helpful(
        flags=Flag.objects.filter(status=Flag.Status.PENDING), moderator=moderator
    )

    assert held(flagger, "deputy") == 0


# Reviews


@pytest.fixture
def reviewer(db):
    return factories.user(display_name="Reviewer", reputation=2000)


def _first_question_task():
    question = factories.question()
    task_open(queue=Queue.FIRST_QUESTIONS, post_id=question.pk)
    return task_of(question, Queue.FIRST_QUESTIONS)


def test_custodian_is_a_first_review_in_a_queue(reviewer):
    response = review(reviewer, _first_question_task(), "looks_ok")

    assert response.status_code == 302
    assert held(reviewer, "custodian") == 1


def test_a_skipped_task_is_no_review(reviewer):
    review(reviewer, _first_question_task(), "skip")

    assert held(reviewer, "custodian") == 0


def _reviews_in_bulk(reviewer, queue, count):
    """Earlier days' reviews: today's are limited."""
    before = timezone.now() - timedelta(days=2)
    post = factories.question()
    tasks = ReviewTask.objects.bulk_create(
        ReviewTask(
            queue=queue,
            post=post,
            status=ReviewTask.Status.COMPLETED,
            created_at=before,
            completed_at=before,
        )
        for _ in range(count)
    )
    Review.objects.bulk_create(
        Review(task=task, reviewer=reviewer, action=Review.Action.LOOKS_OK, created_at=before)
        for task in tasks
    )


@pytest.mark.parametrize(
    ("key", "earlier", "earned"),
    [("reviewer", 249, 1), ("reviewer", 248, 0), ("steward", 999, 1), ("steward", 998, 0)],
)
def test_reviews_in_one_queue_earn_reviewer_and_steward(reviewer, key, earlier, earned):
    _reviews_in_bulk(reviewer, Queue.FIRST_QUESTIONS, earlier)

    review(reviewer, _first_question_task(), "looks_ok")

    assert held(reviewer, key) == earned


def test_review_badges_are_earned_once_per_queue(reviewer):
    _reviews_in_bulk(reviewer, Queue.LATE_ANSWERS, 300)

    review(reviewer, _first_question_task(), "looks_ok")

    assert held(reviewer, "custodian") == 2
    assert held(reviewer, "reviewer") == 1
