from django.core.management.base import BaseCommand
from django.db import transaction

from bounties.models import Bounty
from questions.caching import pages_changed
from questions.models import Post


class Command(BaseCommand):
    help = (
        "Checks each question's stored bounty (Post.bounty_amount and bounty_ends_at, which "
        "the lists and the thread read) against its active bounty, reports the drift and "
        "repairs it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report the drift without repairing it."
        )

    def handle(self, *args, dry_run, **options):
        with transaction.atomic():
            stored = {
                pk: (amount, ends_at)
                for pk, amount, ends_at in Post.objects.filter(bounty_amount__gt=0).values_list(
                    "pk", "bounty_amount", "bounty_ends_at"
                )
            }
            active = {
                pk: (amount, ends_at)
                for pk, amount, ends_at in Bounty.objects.filter(
                    status=Bounty.Status.ACTIVE
                ).values_list("question_id", "amount", "ends_at")
            }
            drifted = sorted(
                pk for pk in stored.keys() | active.keys() if stored.get(pk) != active.get(pk)
            )
            if drifted and not dry_run:
                for pk in drifted:
                    amount, ends_at = active.get(pk, (0, None))
                    Post.objects.filter(pk=pk).update(bounty_amount=amount, bounty_ends_at=ends_at)
        self.stdout.write(f"questions' bounties: {len(drifted)} drifted")
        if not drifted:
            self.stdout.write(self.style.SUCCESS("No drift."))
        elif dry_run:
            self.stdout.write(self.style.WARNING("Not repaired: --dry-run."))
        else:
            pages_changed()
            self.stdout.write(self.style.SUCCESS(f"Repaired {len(drifted)} questions."))
