"""Fills the database with a made-up forum in Stack Exchange's proportions, for benchmarks.

What it makes, per question on average: about 1.8 answers (12% none, a long tail, a few
with up to 60), about 1.5 comments per post, 1 to 5 tags chosen with a power-law
popularity, votes with a heavy-tailed score (most posts score 0 to 3, a few hundreds, some
below zero), an accepted answer on about 40% of answered questions, and timestamps spread
over eight years. Authors are drawn with a power law too: a few users write much.

Bodies are Markdown drawn from a pool of texts rendered once each: rendering is what makes
posts slow to create, so a post reuses a rendered body instead of rendering its own.

Every stored counter is consistent with the rows it counts, as `recount` checks: a score is
the sum of its (anonymous) votes, a comment's the number of its anonymous upvotes,
reputation is 1 plus the user's ledger (one event per post for its votes and one per
acceptance), and answer, comment and tag counts match their rows.
Each batch of questions is one transaction. Generated users get names no one holds yet, so
the command adds to any database; it is not idempotent (a second run adds as much again).
"""

import random
import time
from bisect import bisect
from collections import Counter, defaultdict
from datetime import timedelta
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User, name_keys
from core.database import refresh_planner_statistics
from core.markdown import render_comment, render_post
from questions.models import (
    Comment,
    CommentVote,
    Post,
    PostRevision,
    ReputationEvent,
    Tag,
    Vote,
)
from questions.profile_counts import profile_counts_recount
from questions.reputation import ACCEPTED_GAIN, ACCEPTING_GAIN, DOWNVOTED_LOSS, UPVOTED_GAIN
from questions.search import search_index_update
from questions.services import list_totals_recount

BATCH_QUESTIONS = 1000
INSERT_BATCH = 5000
PROGRESS_EVERY = 10_000
SPAN = timedelta(days=8 * 365)
BODY_POOL = 400
COMMENT_POOL = 200

WORDS = [
    "python",
    "django",
    "postgresql",
    "sql",
    "index",
    "query",
    "cache",
    "redis",
    "nginx",
    "gunicorn",
    "docker",
    "linux",
    "bash",
    "git",
    "javascript",
    "css",
    "html",
    "http",
    "json",
    "api",
    "rest",
    "graphql",
    "unicode",
    "regex",
    "thread",
    "process",
    "async",
    "queue",
    "memory",
    "pointer",
    "array",
    "list",
    "dict",
    "string",
    "integer",
    "float",
    "decimal",
    "date",
    "timezone",
    "locale",
    "test",
    "deploy",
    "server",
    "client",
    "socket",
    "stream",
    "buffer",
    "file",
    "path",
    "permission",
    "user",
    "session",
    "cookie",
    "token",
    "migration",
    "model",
    "view",
    "template",
    "form",
    "field",
    "widget",
    "signal",
    "middleware",
    "router",
    "schema",
    "table",
    "column",
    "join",
    "transaction",
    "lock",
    "deadlock",
    "replica",
    "backup",
    "vacuum",
    "kernel",
    "compiler",
    "parser",
    "lexer",
    "closure",
    "generator",
    "iterator",
    "decorator",
    "class",
    "method",
    "interface",
    "module",
    "package",
    "dependency",
]
VERBS = [
    "sort",
    "merge",
    "parse",
    "cache",
    "index",
    "serialize",
    "validate",
    "render",
    "debug",
    "profile",
    "deploy",
    "migrate",
]
FIRST_NAMES = [
    "Anna",
    "Ben",
    "Chiara",
    "David",
    "Elif",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Lars",
    "Mira",
    "Noah",
    "Olga",
    "Paul",
]
LAST_NAMES = [
    "Adler",
    "Brandt",
    "Costa",
    "Dietz",
    "Eriksen",
    "Fischer",
    "Graf",
    "Huber",
    "Ito",
    "Jansen",
    "Keller",
    "Lange",
    "Meyer",
]
SENTENCES = (
    "I have been trying to {verb} the {a} before the {b} is ready, but it fails every time.",
    "The documentation says the {a} should work with any {b}, which is not what I see.",
    "Running it on a small {a} is fine; with a large {b} it takes minutes.",
    "Is there a way to {verb} a {a} without touching the {b}?",
    "This happens only in production, where the {a} sits behind a {b}.",
    "Use a **{a}** here: it keeps the `{b}` out of the hot path.",
    "The {a} is evaluated lazily, so the {b} is read only when you iterate.",
    "See [the manual](https://example.com/{a}) for the details of the {b}.",
    "In short: {verb} the {a} once and reuse it; do not {verb} the {b} per request.",
)
CODE = (
    "```python\nfor {a} in {b}s:\n    print({a}.{verb}())\n```",
    "```sql\nSELECT {a}, count(*) FROM {b} GROUP BY {a};\n```",
    "```bash\n$ {verb} --{a} ./{b}\n```",
)


def _sentence(rng):
    return rng.choice(SENTENCES).format(
        verb=rng.choice(VERBS), a=rng.choice(WORDS), b=rng.choice(WORDS)
    )


def _body(rng):
    """A few paragraphs of Markdown, sometimes with a list or a code block."""
    parts = [
        " ".join(_sentence(rng) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 3))
    ]
    if rng.random() < 0.4:
        parts.insert(
            1,
            rng.choice(CODE).format(
                verb=rng.choice(VERBS), a=rng.choice(WORDS), b=rng.choice(WORDS)
            ),
        )
    if rng.random() < 0.2:
        parts.append("\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 4))))
    return "\n\n".join(parts)


def _answer_count(rng):
    """12% unanswered, mostly one to three answers, a long tail, one in 200 with 10 to 60."""
    draw = rng.random()
    if draw < 0.12:
        return 0
    if draw > 0.995:
        return rng.randint(10, 60)
    count = 1
    while rng.random() < 0.45 and count < 12:
        count += 1
    return count


def _comment_count(rng):
    """Geometric: 40% none, 1.5 on average."""
    count = 0
    while rng.random() < 0.6 and count < 30:
        count += 1
    return count


def _votes(rng):
    """(up, down): most posts get a few votes or none, a few get hundreds."""
    up = min(int(rng.paretovariate(1.3) * 1.2) - 1, 2000)
    down = 0
    while rng.random() < 0.25:
        down += 1
    return max(up, 0), down


def _tag_names(existing, count, rng):
    names = []
    candidates = list(WORDS)
    candidates += [f"{a}-{b}" for a in WORDS for b in WORDS if a != b]
    rng.shuffle(candidates[len(WORDS) :])
    candidates += [f"{word}-{number}" for number in range(2, 10_000) for word in WORDS]
    for name in candidates:
        if len(names) == count:
            break
        if name not in existing and len(name) <= 35:
            names.append(name)
    return names


class _Picker:
    """Draws items with Zipf-like weights: the first is the most popular."""

    def __init__(self, items, exponent, rng):
        self.items = items
        self.cumulative = list(accumulate(1 / (rank + 1) ** exponent for rank in range(len(items))))
        self.rng = rng

    def __call__(self):
        return self.items[bisect(self.cumulative, self.rng.random() * self.cumulative[-1])]


class Command(BaseCommand):
    help = "Adds a made-up forum (users, tags, questions, answers, comments, votes) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--questions", type=int, required=True, help="How many questions to add."
        )
        parser.add_argument("--seed", type=int, default=None, help="Seed for repeatable content.")

    def handle(self, *args, questions, seed, **options):
        if questions < 1:
            raise CommandError("--questions must be at least 1.")
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(microsecond=0)
        started = time.monotonic()
        self._prepare_texts()
        self._create_users(max(20, questions // 2))
        self._create_tags(min(5000, max(30, int(questions**0.5 * 5))))
        self.first_at = self.now - SPAN
        self.totals = Counter()
        done = 0
        while done < questions:
            size = min(BATCH_QUESTIONS, questions - done)
            self._create_batch(done, size, questions)
            done += size
            if done % PROGRESS_EVERY == 0 or done == questions:
                rate = done / (time.monotonic() - started)
                self.stdout.write(f"{done}/{questions} questions, {rate:.0f} questions/s")
        list_totals_recount()
        profile_counts_recount()
        self.stdout.write(f"Planner statistics updated ({refresh_planner_statistics()})")
        seconds = time.monotonic() - started
        made = ", ".join(f"{self.totals[kind]} {kind}" for kind in ("answers", "comments", "votes"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {questions} questions, {made}, {len(self.users)} users and "
                f"{len(self.tags)} tags in {seconds:.1f} s."
            )
        )

    def _prepare_texts(self):
        rng = self.rng
        self.question_bodies = [
            (text, render_post(text)) for text in (_body(rng) for _ in range(BODY_POOL))
        ]
        self.answer_bodies = [
            (text, render_post(text)) for text in (_body(rng) for _ in range(BODY_POOL))
        ]
        self.comment_bodies = [
            (text, render_comment(text)) for text in (_sentence(rng) for _ in range(COMMENT_POOL))
        ]

    def _create_users(self, count):
        rng = self.rng
        # Names carry a number past every existing primary key, so they do not clash with
        # an earlier run's; a clash with a person's own name gets a suffix.
        start = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        password = make_password(None)
        users = []
        for number in range(start, start + count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            users.append(
                User(
                    username=f"{first}{last}{number}".lower(),
                    display_name=f"{first} {last}",
                    password=password,
                    date_joined=self.now - SPAN - timedelta(days=rng.randint(0, 365)),
                    last_seen_at=self.now - timedelta(minutes=rng.randint(0, 60 * 24 * 90)),
                )
            )
        taken = set()
        for chunk in range(0, len(users), INSERT_BATCH):
            names = [user.username for user in users[chunk : chunk + INSERT_BATCH]]
            taken.update(User.objects.filter(username__in=names).values_list("username", flat=True))
        for user in users:
            if user.username in taken:
                user.username = f"{user.username}-{rng.randrange(16**6):06x}"
            for field, key in name_keys(
                username=user.username, display_name=user.display_name
            ).items():
                setattr(user, field, key)
        with transaction.atomic():
            User.objects.bulk_create(users, batch_size=INSERT_BATCH)
        self.users = users
        # Running reputation of each generated user, to keep the ledger above the floor of 1.
        self.reputation = {user.pk: 1 for user in users}
        self.pick_user = _Picker(users, 0.9, rng)

    def _create_tags(self, count):
        existing = set(Tag.objects.values_list("name", flat=True))
        names = _tag_names(existing, count, self.rng)
        tags = [
            Tag(name=name, excerpt=f"Questions about {name.replace('-', ' ')}.") for name in names
        ]
        with transaction.atomic():
            Tag.objects.bulk_create(tags, batch_size=INSERT_BATCH)
        self.tags = tags
        self.pick_tag = _Picker(tags, 1.1, self.rng)

    def _moment(self, after, *, mean_hours):
        moment = after + timedelta(seconds=int(self.rng.expovariate(1 / (mean_hours * 3600))))
        return min(moment, self.now)

    def _create_batch(self, offset, size, total):
        rng = self.rng
        with transaction.atomic():
            questions, question_tags = [], []
            for index in range(offset, offset + size):
                author = self.pick_user()
                created = self.first_at + SPAN * ((index + rng.random()) / total)
                created = created.replace(microsecond=0)
                tags = {self.pick_tag() for _ in range(rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5)))}
                title = (
                    f"How do I {rng.choice(VERBS)} a {rng.choice(WORDS)} with {rng.choice(WORDS)} "
                    f"in {next(iter(tags)).name}?"
                )
                body, html = rng.choice(self.question_bodies)
                questions.append(
                    Post(
                        post_type=Post.PostType.QUESTION,
                        title=title,
                        slug=slugify(title)[:250],
                        body_markdown=body,
                        body_html=html,
                        author=author,
                        author_name=author.name,
                        view_count=int(rng.paretovariate(1.1) * 40),
                        created_at=created,
                        last_activity_at=created,
                    )
                )
                question_tags.append(tags)
            answers = []
            for question in questions:
                for _ in range(_answer_count(rng)):
                    author = self.pick_user()
                    body, html = rng.choice(self.answer_bodies)
                    created = self._moment(question.created_at, mean_hours=30)
                    answers.append(
                        Post(
                            post_type=Post.PostType.ANSWER,
                            parent=question,
                            body_markdown=body,
                            body_html=html,
                            author=author,
                            author_name=author.name,
                            created_at=created,
                            last_activity_at=created,
                        )
                    )
                    question.answer_count += 1
                    question.last_activity_at = max(question.last_activity_at, created)
            posts = questions + answers
            votes = self._votes_for(posts)
            accepted = self._accept(questions, answers)
            comments = self._comments_for(posts)

            Post.objects.bulk_create(questions, batch_size=INSERT_BATCH)
            for answer in answers:
                answer.parent_id = answer.parent.pk
            Post.objects.bulk_create(answers, batch_size=INSERT_BATCH)
            for question, answer in accepted:
                question.accepted_answer_id = answer.pk
            Post.objects.bulk_update(
                [question for question, _ in accepted], ["accepted_answer"], batch_size=INSERT_BATCH
            )
            through = Post.tags.through
            through.objects.bulk_create(
                [
                    through(post_id=question.pk, tag_id=tag.pk)
                    for question, tags in zip(questions, question_tags, strict=True)
                    for tag in tags
                ],
                batch_size=INSERT_BATCH,
            )
            tag_counts = Counter(tag.pk for tags in question_tags for tag in tags)
            by_increment = defaultdict(list)
            for pk, increment in tag_counts.items():
                by_increment[increment].append(pk)
            for increment, pks in by_increment.items():
                Tag.objects.filter(pk__in=pks).update(
                    question_count=F("question_count") + increment
                )
            Vote.objects.bulk_create(
                [Vote(post_id=post.pk, value=value, created_at=at) for post, value, at in votes],
                batch_size=INSERT_BATCH,
            )
            for comment in comments:
                comment.post_id = comment.post.pk
            Comment.objects.bulk_create(comments, batch_size=INSERT_BATCH)
            CommentVote.objects.bulk_create(
                [
                    CommentVote(comment_id=comment.pk, created_at=comment.created_at)
                    for comment in comments
                    for _ in range(comment.score)
                ],
                batch_size=INSERT_BATCH,
            )
            PostRevision.objects.bulk_create(
                [
                    PostRevision(
                        post_id=post.pk,
                        number=1,
                        author_id=post.author_id,
                        author_name=post.author_name,
                        title=post.title,
                        tags=" ".join(sorted(tag.name for tag in tags))[:200] if tags else "",
                        body_markdown=post.body_markdown,
                        created_at=post.created_at,
                    )
                    for post, tags in zip(posts, question_tags + [None] * len(answers), strict=True)
                ],
                batch_size=INSERT_BATCH,
            )
            self._reputation(posts, accepted)
            search_index_update(post_ids=[post.pk for post in posts])
        self.totals.update(answers=len(answers), comments=len(comments), votes=len(votes))

    def _votes_for(self, posts):
        votes = []
        for post in posts:
            up, down = _votes(self.rng)
            post.up_votes, post.down_votes = up, down
            post.score = up - down
            for value, count in ((Vote.Value.UP, up), (Vote.Value.DOWN, down)):
                for _ in range(count):
                    votes.append((post, value, self._moment(post.created_at, mean_hours=24 * 60)))
        return votes

    def _accept(self, questions, answers):
        """About 40% of answered questions accept one answer, mostly the best-scored."""
        by_question = defaultdict(list)
        for answer in answers:
            by_question[id(answer.parent)].append(answer)
        accepted = []
        for question in questions:
            candidates = by_question.get(id(question))
            if not candidates or self.rng.random() >= 0.4:
                continue
            if self.rng.random() < 0.7:
                answer = max(
                    candidates, key=lambda answer: (answer.score, -answer.created_at.timestamp())
                )
            else:
                answer = self.rng.choice(candidates)
            accepted.append((question, answer))
        return accepted

    def _comments_for(self, posts):
        comments = []
        for post in posts:
            post.comment_count = _comment_count(self.rng)
            for _ in range(post.comment_count):
                author = self.pick_user()
                body, html = self.rng.choice(self.comment_bodies)
                comments.append(
                    Comment(
                        post=post,
                        author=author,
                        author_name=author.name,
                        body_markdown=body,
                        body_html=html,
                        score=max(0, int(self.rng.paretovariate(2)) - 1),
                        created_at=self._moment(post.created_at, mean_hours=48),
                    )
                )
        return comments

    def _reputation(self, posts, accepted):
        """One ledger event per post for its votes and one per side of an acceptance, each
        cut short where it would take a user below 1; then each touched user's stored
        reputation is set to what the ledger now sums to."""
        events = []
        Kind = ReputationEvent.Kind

        def apply(user_id, post, kind, delta):
            applied = max(delta, 1 - self.reputation[user_id])
            if applied:
                self.reputation[user_id] += applied
                events.append(
                    ReputationEvent(
                        user_id=user_id,
                        post_id=post.pk,
                        kind=kind,
                        delta=applied,
                        created_at=post.created_at,
                    )
                )

        for post in posts:
            if post.up_votes:
                apply(post.author_id, post, Kind.UPVOTED, post.up_votes * UPVOTED_GAIN)
            if post.down_votes:
                apply(post.author_id, post, Kind.DOWNVOTED, post.down_votes * DOWNVOTED_LOSS)
        for question, answer in accepted:
            if question.author_id != answer.author_id:
                apply(answer.author_id, answer, Kind.ACCEPTED, ACCEPTED_GAIN)
                apply(question.author_id, answer, Kind.ACCEPTING, ACCEPTING_GAIN)
        ReputationEvent.objects.bulk_create(events, batch_size=INSERT_BATCH)
        # The ledger's sum for each touched user is what `apply` kept count of (every user
        # starts at 1): stored as it is, not summed again from a ledger that grows with
        # every batch.
        touched = sorted({event.user_id for event in events})
        User.objects.bulk_update(
            [User(pk=pk, reputation=self.reputation[pk]) for pk in touched],
            ["reputation"],
            batch_size=INSERT_BATCH,
        )
