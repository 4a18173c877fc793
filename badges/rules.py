"""The rules of the badges' table: each takes the members to look at (`user_ids`, None
for everyone) and the time, and yields a Hit for each award the rule says is due.

A rule only reads; the award service writes. A once-only badge's hit has the key "" and,
where there is one, an example post; a badge awarded many times has one hit per key."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum

from accounts.models import User
from badges.models import ShareVisit, VisitStreak
from moderation.models import Flag
from questions.models import (
    Bookmark,
    Comment,
    DailyVoteCount,
    Post,
    PostRevision,
    ReputationEvent,
    Vote,
)
from reviews.models import Review

# A Tumbleweed's question has had fewer views than this in its week.
TUMBLEWEED_VIEWS_BELOW = 50
TUMBLEWEED_AGE = timedelta(days=7)
YEAR = timedelta(days=365)


@dataclass(frozen=True)
class Hit:
    user_id: int
    key: str = ""
    post_id: int | None = None


def _of(queryset, field, user_ids):
    if user_ids is None:
        return queryset.filter(**{f"{field}__isnull": False})
    return queryset.filter(**{f"{field}__in": user_ids})


def _live_posts():
    """Posts that count: not deleted, and (for answers) in a question not deleted."""
    return Post.objects.filter(deleted_at__isnull=True).exclude(
        parent__isnull=False, parent__deleted_at__isnull=False
    )


def _first_of_each(queryset, field, *, post="pk"):
    """One hit per member in `field`, with the earliest post (at `post`) as its example."""
    for user_id, post_id in (
        queryset.values(field).annotate(first=Min(post)).values_list(field, "first")
    ):
        yield Hit(user_id, "", post_id)


def _at_least(queryset, field, minimum):
    """One hit per member with at least `minimum` rows of `queryset`."""
    for (user_id,) in (
        queryset.values(field).annotate(n=Count("pk")).filter(n__gte=minimum).values_list(field)
    ):
        yield Hit(user_id)


def post_score(post_type, minimum, *, once=False):
    """A question (or answer) of the member scored `minimum` or more: once per post, or
    once only (Student, Teacher)."""

    def rule(user_ids, now):
        posts = _of(
            _live_posts().filter(post_type=post_type, score__gte=minimum), "author", user_ids
        )
        if once:
            yield from _first_of_each(posts, "author")
            return
        for pk, author_id in posts.values_list("pk", "author_id"):
            yield Hit(author_id, f"post:{pk}", pk)

    return rule


def question_views(minimum):
    def rule(user_ids, now):
        questions = _of(
            _live_posts().filter(post_type=Post.PostType.QUESTION, view_count__gte=minimum),
            "author",
            user_ids,
        )
        for pk, author_id in questions.values_list("pk", "author_id"):
            yield Hit(author_id, f"post:{pk}", pk)

    return rule


def question_saved(minimum):
    """Favorite and Stellar Question: saved by `minimum` members (not the asker). Counted
    from the saves' side, so only questions saved at all are read."""

    def rule(user_ids, now):
        saves = Bookmark.objects.exclude(user=F("question__author")).filter(
            question__deleted_at__isnull=True
        )
        saves = _of(saves, "question__author", user_ids)
        for question_id, author_id in (
            saves.values("question", "question__author")
            .annotate(n=Count("pk"))
            .filter(n__gte=minimum)
            .values_list("question", "question__author")
        ):
            yield Hit(author_id, f"post:{question_id}", question_id)

    return rule


def scholar(user_ids, now):
    """Asked a question and accepted an answer to it."""
    yield from _first_of_each(
        _of(
            _live_posts().filter(post_type=Post.PostType.QUESTION, accepted_answer__isnull=False),
            "author",
            user_ids,
        ),
        "author",
    )


def _answers(user_ids):
    return _of(_live_posts().filter(post_type=Post.PostType.ANSWER), "author", user_ids)


def _earlier_answer():
    return Post.objects.filter(
        parent=OuterRef("parent"), deleted_at__isnull=True, created_at__lt=OuterRef("created_at")
    )


def _per_answer(answers):
    for pk, author_id in answers.values_list("pk", "author_id"):
        yield Hit(author_id, f"post:{pk}", pk)


def enlightened(user_ids, now):
    """The first answer to a question, accepted, scored 10 or more."""
    answers = _answers(user_ids).filter(score__gte=10, parent__accepted_answer=F("pk"))
    yield from _per_answer(answers.filter(~Exists(_earlier_answer())))


def guru(user_ids, now):
    """An accepted answer scored 40 or more."""
    yield from _per_answer(
        _answers(user_ids).filter(score__gte=40, parent__accepted_answer=F("pk"))
    )


def necromancer(user_ids, now):
    """An answer 60 days or more after the question, scored 5 or more."""
    yield from _per_answer(
        _answers(user_ids).filter(
            score__gte=5, created_at__gte=F("parent__created_at") + timedelta(days=60)
        )
    )


def revival(user_ids, now):
    """The first answer, more than 30 days after the question, scored 2 or more."""
    answers = _answers(user_ids).filter(
        score__gte=2, created_at__gt=F("parent__created_at") + timedelta(days=30)
    )
    yield from _per_answer(answers.filter(~Exists(_earlier_answer())))


def self_learner(user_ids, now):
    """An answer to one's own question, scored 3 or more."""
    yield from _per_answer(_answers(user_ids).filter(score__gte=3, parent__author=F("author")))


def tumbleweed(user_ids, now):
    """A question with no score, answers, comments, and few views for a week."""
    questions = _of(
        _live_posts().filter(
            post_type=Post.PostType.QUESTION,
            score=0,
            answer_count=0,
            comment_count=0,
            view_count__lt=TUMBLEWEED_VIEWS_BELOW,
            created_at__lte=now - TUMBLEWEED_AGE,
        ),
        "author",
        user_ids,
    )
    for pk, author_id in questions.values_list("pk", "author_id"):
        yield Hit(author_id, f"post:{pk}", pk)


def posts_edited(minimum):
    """Edited `minimum` posts (an edit: any revision after the first)."""

    def rule(user_ids, now):
        revisions = _of(PostRevision.objects.filter(number__gt=1), "author", user_ids)
        for (user_id,) in (
            revisions.values("author")
            .annotate(n=Count("post", distinct=True))
            .filter(n__gte=minimum)
            .values_list("author")
        ):
            yield Hit(user_id)

    return rule


def votes_cast(value):
    """Cast a first up vote (`value` 1) or down vote (-1)."""

    def rule(user_ids, now):
        yield from _first_of_each(
            _of(Vote.objects.filter(value=value), "user", user_ids), "user", post="post"
        )

    return rule


def votes_in_a_day(minimum):
    def rule(user_ids, now):
        least = minimum() if callable(minimum) else minimum
        days = _of(DailyVoteCount.objects.filter(votes__gte=least), "user", user_ids)
        for user_id in days.values_list("user_id", flat=True).distinct():
            yield Hit(user_id)

    return rule


def civic_duty(user_ids, now):
    yield from _at_least(_of(Vote.objects.all(), "user", user_ids), "user", 300)


def electorate(user_ids, now):
    """Voted on 600 questions, and a quarter or more of all one's votes are on questions."""
    votes = (
        _of(Vote.objects.all(), "user", user_ids)
        .values("user")
        .annotate(
            on_questions=Count("pk", filter=Q(post__post_type=Post.PostType.QUESTION)),
            total=Count("pk"),
        )
        .filter(on_questions__gte=600)
        .filter(on_questions__gte=F("total") / 4.0)
    )
    for user_id in votes.values_list("user", flat=True):
        yield Hit(user_id)


def autobiographer(user_ids, now):
    users = User.objects.exclude(about_markdown="")
    if user_ids is not None:
        users = users.filter(pk__in=user_ids)
    for user_id in users.values_list("pk", flat=True):
        yield Hit(user_id)


def comments_left(minimum, *, score=None):
    """Left `minimum` comments (scored `score` or more, when given)."""

    def rule(user_ids, now):
        comments = _of(Comment.objects.filter(deleted_at__isnull=True), "author", user_ids)
        if score is not None:
            comments = comments.filter(score__gte=score)
        yield from _at_least(comments, "author", minimum)

    return rule


def yearling(user_ids, now):
    """A member for a year who earned 200 reputation in that year: once per year. One
    query per year of the oldest membership, whatever the number of members."""
    members = User.objects.filter(date_joined__lte=now - YEAR)
    if user_ids is not None:
        members = members.filter(pk__in=user_ids)
    oldest = members.order_by("date_joined").values_list("date_joined", flat=True).first()
    if oldest is None:
        return
    joined = F("user__date_joined")
    for year in range(1, (now - oldest) // YEAR + 1):
        events = (
            ReputationEvent.objects.filter(
                user__in=members.filter(date_joined__lte=now - year * YEAR),
                created_at__gte=joined + (year - 1) * YEAR,
                created_at__lt=joined + year * YEAR,
            )
            .exclude(kind=ReputationEvent.Kind.OPENING_BALANCE)
            .values("user")
            .annotate(earned=Sum("delta"))
            .filter(earned__gte=200)
        )
        for user_id in events.values_list("user", flat=True):
            yield Hit(user_id, f"year:{year}")


def visited_days(minimum):
    def rule(user_ids, now):
        streaks = _of(VisitStreak.objects.filter(longest__gte=minimum), "user", user_ids)
        for user_id in streaks.values_list("user_id", flat=True):
            yield Hit(user_id)

    # The visits' middleware evaluates the badge when a run reaches this length.
    rule.minimum = minimum
    return rule


def reviews_done(minimum):
    """Completed `minimum` review tasks in a queue (a skip is no review): once per queue."""

    def rule(user_ids, now):
        reviews = _of(Review.objects.exclude(action=Review.Action.SKIP), "reviewer", user_ids)
        for user_id, queue in (
            reviews.values("reviewer", "task__queue")
            .annotate(n=Count("pk"))
            .filter(n__gte=minimum)
            .values_list("reviewer", "task__queue")
        ):
            yield Hit(user_id, f"queue:{queue}")

    return rule


def citizen_patrol(user_ids, now):
    """Flagged a post for the first time."""
    for user_id in (
        _of(Flag.objects.filter(post__isnull=False), "reporter", user_ids)
        .values_list("reporter_id", flat=True)
        .distinct()
    ):
        yield Hit(user_id)


def helpful_flags(minimum):
    def rule(user_ids, now):
        yield from _at_least(
            _of(Flag.objects.filter(status=Flag.Status.HELPFUL), "reporter", user_ids),
            "reporter",
            minimum,
        )

    return rule


def share_visits(minimum):
    """A member's share link of a question brought `minimum` distinct visitors: once per
    question."""

    def rule(user_ids, now):
        for sharer_id, question_id in (
            _of(ShareVisit.objects.filter(question__deleted_at__isnull=True), "sharer", user_ids)
            .values("sharer", "question")
            .annotate(n=Count("pk"))
            .filter(n__gte=minimum)
            .values_list("sharer", "question")
        ):
            yield Hit(sharer_id, f"post:{question_id}", question_id)

    return rule


def votes_per_day():
    return settings.FORUM_VOTES_PER_DAY


@dataclass(frozen=True)
class TagHit:
    user_id: int
    tag_id: int
    tag_name: str
    badge_class: int


def tag_badges(user_ids, now, thresholds):
    """Per member and tag, the classes whose total answer score and number of answers in
    the tag (`thresholds`: class → (score, answers)) the member reached."""
    answers = _answers(user_ids).filter(parent__tags__isnull=False)
    least_score = min(score for score, _answers_needed in thresholds.values())
    least_answers = min(needed for _score, needed in thresholds.values())
    for user_id, tag_id, tag_name, total, count in (
        answers.values("author", "parent__tags", "parent__tags__name")
        .annotate(total=Sum("score"), n=Count("pk"))
        .filter(total__gte=least_score, n__gte=least_answers)
        .values_list("author", "parent__tags", "parent__tags__name", "total", "n")
    ):
        for badge_class, (score, needed) in thresholds.items():
            if total >= score and count >= needed:
                yield TagHit(user_id, tag_id, tag_name, badge_class)
