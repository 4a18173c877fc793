from django.core.management.base import BaseCommand
from django.db import transaction

from badges.services import award_revoke, badge_counts_recount, badges_evaluate


class Command(BaseCommand):
    help = (
        "Evaluates every badge's rule for every member: awards what is due, lists the awards "
        "a rule no longer finds (taken back only with --revoke; imported awards never), and "
        "checks the members' stored badge counts and the badges' award counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, change nothing."
        )
        parser.add_argument(
            "--revoke",
            action="store_true",
            help="Take back the awards whose rule no longer holds (Stack Exchange keeps them).",
        )

    def handle(self, *args, dry_run, revoke, **options):
        with transaction.atomic():
            evaluation = badges_evaluate(dry_run=dry_run)
            verb = "would award" if dry_run else "awarded"
            self.stdout.write(f"{verb}: {len(evaluation.due)}")
            for badge, hit in evaluation.due:
                detail = f" ({hit.key})" if hit.key else ""
                self.stdout.write(f"  {badge.name} to user {hit.user_id}{detail}")
            taking_back = revoke and not dry_run
            verb = "revoked" if taking_back else "would revoke"
            self.stdout.write(f"{verb}: {len(evaluation.unfounded)}")
            for award in evaluation.unfounded:
                detail = f" ({award.key})" if award.key else ""
                self.stdout.write(f"  {award.badge.name} of user {award.user_id}{detail}")
                if taking_back:
                    award_revoke(award=award)
            drift = badge_counts_recount(repair=not dry_run)
            self.stdout.write(f"badge counts: {len(drift)} drifted")
            for what, pk, stored, counted in drift:
                self.stdout.write(f"  {what} of {pk}: stored {stored}, counted {counted}")
