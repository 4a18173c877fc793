from django.core.management.base import BaseCommand

from privacy import exports, services


class Command(BaseCommand):
    help = (
        "Erases the accounts whose deletion grace period is over and deletes the data "
        "exports whose offer ended (what beat's privacy_sweep does every ten minutes)."
    )

    def handle(self, *args, **options):
        erased = services.accounts_erase_due()
        deleted = exports.exports_expire()
        self.stdout.write(f"Erased {erased} account(s); deleted {deleted} expired export(s).")
