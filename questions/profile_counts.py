"""The counts a profile and the users list show, stored per member: their posts
(`User.question_count`, `answer_count`), the votes they cast (`votes_up`, `votes_down`,
`question_votes`, `answer_votes`), their edits (`edit_count`) and their posts per tag
(`UserTagStats`).

The services call these helpers inside their own transactions, with F() updates, so the
counts move with the rows they count; `recount` (profile_counts_recount) checks and repairs
them, also after bulk imports and the generator. What counts: a visible question in each
of its tags; a visible answer to a visible question in each of the question's tags, with
its score; a vote while it stands; a revision after a post's first.

Deleting a question takes its answers' counts away with it: those answers are read after
the question's row is locked, without locking them (that would reverse the services'
order, answers before their question); a vote landing on one of them in that instant
leaves drift that `recount` repairs."""

from collections import defaultdict

from django.db.models import Count, F, Q, Sum

from accounts.models import User
from questions.models import Post, PostRevision, UserTagStats, Vote

VOTE_FIELDS = ("votes_up", "votes_down", "question_votes", "answer_votes")
USER_FIELDS = ("question_count", "answer_count", *VOTE_FIELDS, "edit_count")


def question_tag_ids(question_id):
    return list(
        Post.tags.through.objects.filter(post_id=question_id).values_list("tag_id", flat=True)
    )


def _user_add(user_id, **deltas):
    changes = {field: F(field) + delta for field, delta in deltas.items() if delta}
    if user_id and changes:
        User.objects.filter(pk=user_id).update(**changes)


def _tag_stats_add(*, user_id, tag_ids, questions=0, answers=0, score=0):
    if not user_id or not tag_ids or not (questions or answers or score):
        return
    UserTagStats.objects.bulk_create(
        [UserTagStats(user_id=user_id, tag_id=tag_id) for tag_id in tag_ids],
        ignore_conflicts=True,
    )
    UserTagStats.objects.filter(user_id=user_id, tag_id__in=tag_ids).update(
        question_count=F("question_count") + questions,
        answer_count=F("answer_count") + answers,
        answer_score=F("answer_score") + score,
    )


def _answers_by_author(question_id):
    """{author id: (visible answers, their summed score)} of the question's answers."""
    rows = (
        Post.objects.answers()
        .visible()
        .filter(parent_id=question_id, author__isnull=False)
        .order_by()
        .values("author_id")
        .annotate(answers=Count("pk"), score=Sum("score"))
        .values_list("author_id", "answers", "score")
    )
    return {author_id: (answers, score) for author_id, answers, score in rows}


def question_counted(*, question_id, author_id, sign):
    """Counts a question that became visible (`sign` 1: asked, undeleted) or takes it away
    (-1: deleted), with its visible answers."""
    tag_ids = question_tag_ids(question_id)
    _user_add(author_id, question_count=sign)
    _tag_stats_add(user_id=author_id, tag_ids=tag_ids, questions=sign)
    for answerer_id, (answers, score) in _answers_by_author(question_id).items():
        _user_add(answerer_id, answer_count=sign * answers)
        _tag_stats_add(
            user_id=answerer_id, tag_ids=tag_ids, answers=sign * answers, score=sign * score
        )


def answer_counted(*, answer_id, sign):
    """Counts an answer that became visible (1: posted, undeleted) or takes it away (-1:
    deleted), unless its question is deleted, which counts none of its answers."""
    answer = (
        Post.objects.filter(pk=answer_id, parent__deleted_at__isnull=True)
        .values("author_id", "parent_id", "score")
        .first()
    )
    if answer is None or answer["author_id"] is None:
        return
    _user_add(answer["author_id"], answer_count=sign)
    _tag_stats_add(
        user_id=answer["author_id"],
        tag_ids=question_tag_ids(answer["parent_id"]),
        answers=sign,
        score=sign * answer["score"],
    )


def question_tags_changed(*, question, added_tag_ids, removed_tag_ids):
    """Moves a visible question's counts, and its answers', from the tags it left to the
    tags it joined."""
    if question.deleted_at:
        return
    answers = _answers_by_author(question.pk)
    for tag_ids, sign in ((added_tag_ids, 1), (removed_tag_ids, -1)):
        if not tag_ids:
            continue
        _tag_stats_add(user_id=question.author_id, tag_ids=tag_ids, questions=sign)
        for answerer_id, (count, score) in answers.items():
            _tag_stats_add(
                user_id=answerer_id, tag_ids=tag_ids, answers=sign * count, score=sign * score
            )


def vote_counted(*, voter_id, post, previous, new):
    """Counts a vote cast, switched or withdrawn on `post` (a row that knows its type,
    author and whether it is deleted; an answer with its question): the voter's votes
    cast, and the score of a counted answer in its author's tags."""
    deltas = defaultdict(int)
    for value, sign in ((previous, -1), (new, 1)):
        if value == Vote.Value.UP:
            deltas["votes_up"] += sign
        elif value == Vote.Value.DOWN:
            deltas["votes_down"] += sign
    standing = int(bool(new)) - int(bool(previous))
    deltas["question_votes" if post.is_question else "answer_votes"] += standing
    _user_add(voter_id, **deltas)
    # The vote's rules refused a deleted post or an answer to a deleted question already
    # (questions.permissions.vote_denial), so a counted answer's rows exist: one UPDATE.
    if post.is_question or post.deleted_at or post.parent.deleted_at or not post.author_id:
        return
    question_tags = Post.tags.through.objects.filter(post_id=post.parent_id).values("tag_id")
    UserTagStats.objects.filter(user_id=post.author_id, tag_id__in=question_tags).update(
        answer_score=F("answer_score") + (new - previous)
    )


def edit_counted(*, editor_id):
    _user_add(editor_id, edit_count=1)


# Checking and repairing: the truth, counted from the rows.


def _counted_user_fields():
    """{user id: {field: count}} for every member with anything to count."""
    counted = defaultdict(lambda: dict.fromkeys(USER_FIELDS, 0))
    posts = (
        Post.objects.visible()
        .filter(author__isnull=False)
        .filter(Q(post_type=Post.PostType.QUESTION) | Q(parent__deleted_at__isnull=True))
        .order_by()
        .values("author_id", "post_type")
        .annotate(count=Count("pk"))
        .values_list("author_id", "post_type", "count")
    )
    for user_id, post_type, count in posts:
        field = "question_count" if post_type == Post.PostType.QUESTION else "answer_count"
        counted[user_id][field] = count
    votes = (
        Vote.objects.filter(user__isnull=False)
        .order_by()
        .values("user_id")
        .annotate(
            up=Count("pk", filter=Q(value=Vote.Value.UP)),
            down=Count("pk", filter=Q(value=Vote.Value.DOWN)),
            questions=Count("pk", filter=Q(post__post_type=Post.PostType.QUESTION)),
            answers=Count("pk", filter=Q(post__post_type=Post.PostType.ANSWER)),
        )
        .values_list("user_id", "up", "down", "questions", "answers")
    )
    for user_id, *values in votes:
        counted[user_id].update(zip(VOTE_FIELDS, values, strict=True))
    edits = (
        PostRevision.objects.filter(author__isnull=False, number__gt=1)
        .order_by()
        .values("author_id")
        .annotate(count=Count("pk"))
        .values_list("author_id", "count")
    )
    for user_id, count in edits:
        counted[user_id]["edit_count"] = count
    return counted


def _counted_tag_stats():
    """{(user id, tag id): (questions, answers, answer score)} counted from the posts."""
    counted = defaultdict(lambda: [0, 0, 0])
    links = Post.tags.through.objects.filter(post__deleted_at__isnull=True)
    questions = (
        links.filter(post__author__isnull=False)
        .order_by()
        .values("post__author_id", "tag_id")
        .annotate(count=Count("pk"))
        .values_list("post__author_id", "tag_id", "count")
    )
    for user_id, tag_id, count in questions:
        counted[user_id, tag_id][0] = count
    answers = (
        links.filter(post__answers__deleted_at__isnull=True, post__answers__author__isnull=False)
        .order_by()
        .values("post__answers__author_id", "tag_id")
        .annotate(count=Count("post__answers"), score=Sum("post__answers__score"))
        .values_list("post__answers__author_id", "tag_id", "count", "score")
    )
    for user_id, tag_id, count, score in answers:
        counted[user_id, tag_id][1:] = [count, score]
    return {key: tuple(values) for key, values in counted.items()}


def profile_counts_recount(*, repair=True):
    """Counts what the members' stored profile counts count and, with `repair`, stores the
    counts. Returns (the number of members whose counts drifted, the number of
    UserTagStats rows that drifted, were missing or were left over)."""
    counted = _counted_user_fields()
    drifted_users = []
    for user_id, *stored in User.objects.values_list("pk", *USER_FIELDS).iterator():
        truth = counted.get(user_id) or dict.fromkeys(USER_FIELDS, 0)
        if tuple(stored) != tuple(truth[field] for field in USER_FIELDS):
            drifted_users.append((user_id, truth))

    counted_stats = _counted_tag_stats()
    stored_stats = {
        (user_id, tag_id): (pk, (questions, answers, score))
        for pk, user_id, tag_id, questions, answers, score in UserTagStats.objects.values_list(
            "pk", "user_id", "tag_id", "question_count", "answer_count", "answer_score"
        ).iterator()
    }
    empty = (0, 0, 0)
    leftover = [
        pk
        for key, (pk, values) in stored_stats.items()
        if key not in counted_stats and values != empty
    ]
    wrong = {
        key: values
        for key, values in counted_stats.items()
        if stored_stats.get(key, (None, empty))[1] != values
    }
    if repair:
        for user_id, truth in drifted_users:
            User.objects.filter(pk=user_id).update(**truth)
        UserTagStats.objects.filter(pk__in=leftover).delete()
        UserTagStats.objects.bulk_create(
            [
                UserTagStats(
                    user_id=user_id,
                    tag_id=tag_id,
                    question_count=questions,
                    answer_count=answers,
                    answer_score=score,
                )
                for (user_id, tag_id), (questions, answers, score) in wrong.items()
            ],
            update_conflicts=True,
            unique_fields=["user", "tag"],
            update_fields=["question_count", "answer_count", "answer_score"],
            batch_size=1000,
        )
    return len(drifted_users), len(leftover) + len(wrong)
