from django.core.management.base import BaseCommand

from webhooks.tasks import deliveries_due


class Command(BaseCommand):
    help = (
        "Attempts the webhook deliveries whose retry is due. Beat does it every minute "
        "with a worker; a site without one runs this from cron."
    )

    def handle(self, *args, **options):
        count = deliveries_due()
        self.stdout.write(f"{count} due deliveries attempted.")
