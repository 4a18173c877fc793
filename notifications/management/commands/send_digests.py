from django.core.management.base import BaseCommand

from notifications.digests import PERIODS, digests_send


class Command(BaseCommand):
    help = (
        "Sends the daily or weekly digests of watched tags, each member's once per period "
        "(for a site without Celery beat: run it from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=[str(frequency) for frequency in PERIODS])

    def handle(self, *args, frequency, **options):
        self.stdout.write(f"{digests_send(frequency)} digests sent.")
