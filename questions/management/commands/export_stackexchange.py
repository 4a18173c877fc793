from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from questions.exporters.stackexchange import ExportError, export_stackexchange_dump


class Command(BaseCommand):
    help = (
        "Writes the site into an empty or new folder as a Stack Exchange data dump (Users, "
        "Tags, Posts, PostHistory, Comments, Votes, PostLinks), which import_stackexchange "
        "reads back with --site-url of this site."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="an empty or new folder to write into")
        parser.add_argument(
            "--site-url",
            default=settings.FORUM_SITE_URL,
            help="this site's address, which links to its pages are made absolute with "
            "(default: FORUM_SITE_URL)",
        )
        parser.add_argument("--quiet", action="store_true", help="print only the final summary")

    def handle(self, *args, folder, site_url, quiet, **options):
        try:
            summary = export_stackexchange_dump(
                folder=folder, site_url=site_url, progress=None if quiet else self.stdout.write
            )
        except ExportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(summary)))
