from django.core.management.base import BaseCommand

from questions.view_counts import view_counts_flush


class Command(BaseCommand):
    help = "Writes the thread views counted in the cache to the questions' view counts."

    def handle(self, *args, **options):
        self.stdout.write(f"{view_counts_flush()} views written.")
