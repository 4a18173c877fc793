from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from accounts.models import User
from questions.caching import pages_changed
from questions.models import Comment, CommentVote, Post, ReputationEvent, Tag, Vote
from questions.profile_counts import profile_counts_recount
from questions.reputation import ledger_recount
from questions.services import list_totals_recount


def _aggregate(queryset, link, aggregate):
    """The aggregate of `queryset` rows whose `link` is the outer row, 0 when none."""
    rows = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Coalesce(
        Subquery(rows.annotate(total=aggregate).values("total"), output_field=IntegerField()),
        Value(0),
    )


def _counters():
    """(label, model, stored field, its true value computed from the source rows)."""
    visible_answers = Post.objects.answers().visible()
    visible_comments = Comment.objects.filter(deleted_at__isnull=True)
    visible_questions = Post.objects.questions().visible()
    return [
        ("post score", Post, "score", _aggregate(Vote.objects.all(), "post", Sum("value"))),
        ("answer count", Post, "answer_count", _aggregate(visible_answers, "parent", Count("pk"))),
        ("comment count", Post, "comment_count", _aggregate(visible_comments, "post", Count("pk"))),
        (
            "comment score",
            Comment,
            "score",
            _aggregate(CommentVote.objects.all(), "comment", Count("pk")),
        ),
        (
            "tag question count",
            Tag,
            "question_count",
            _aggregate(visible_questions, "tags", Count("pk")),
        ),
        (
            "reputation",
            User,
            "reputation",
            # Every account starts with 1; the ledger records the changes actually applied.
            Greatest(
                Value(1) + _aggregate(ReputationEvent.objects.all(), "user", Sum("delta")), Value(1)
            ),
        ),
    ]


class Command(BaseCommand):
    help = (
        "Recomputes every stored counter (post and comment scores, answer and comment counts, "
        "tag counts, reputation, the question lists' totals, the members' profile counts and "
        "their posts per tag) from the rows it counts, checks "
        "each user's reputation ledger against the rule (questions/reputation.py), reports "
        "the drift it finds and repairs it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report the drift without repairing it."
        )

    def handle(self, *args, dry_run, **options):
        total = 0
        with transaction.atomic():
            # First: the reputation counter below is the sum of the repaired ledger.
            drifted_ledgers = ledger_recount(repair=not dry_run)
            total += len(drifted_ledgers)
            self.stdout.write(f"reputation ledger: {len(drifted_ledgers)} drifted")
            for label, model, field, truth in _counters():
                drifted = model.objects.annotate(true_value=truth).filter(
                    ~Q(**{field: F("true_value")})
                )
                count = drifted.count()
                total += count
                self.stdout.write(f"{label}: {count} drifted")
                if count and not dry_run:
                    model.objects.filter(pk__in=drifted.values("pk")).update(**{field: truth})
            # Counted after the counters above are repaired: the unanswered total reads answer
            # counts.
            drifted_lists = list_totals_recount(repair=not dry_run)
            total += len(drifted_lists)
            self.stdout.write(f"list totals: {len(drifted_lists)} drifted")
            for name, (stored, count) in drifted_lists.items():
                self.stdout.write(f"  {name}: stored {stored}, counted {count}")
            drifted_members, drifted_tag_stats = profile_counts_recount(repair=not dry_run)
            total += drifted_members + drifted_tag_stats
            self.stdout.write(f"profile counts: {drifted_members} drifted")
            self.stdout.write(f"profile tag statistics: {drifted_tag_stats} drifted")
        if total and not dry_run:
            pages_changed()
        if not total:
            self.stdout.write(self.style.SUCCESS("No drift."))
        elif dry_run:
            self.stdout.write(
                self.style.WARNING(f"Drift in {total} rows (not repaired: --dry-run).")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Repaired drift in {total} rows."))
