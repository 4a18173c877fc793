from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.database import refresh_planner_statistics
from questions.importers.stackexchange import DumpError, import_stackexchange_dump


class Command(BaseCommand):
    help = (
        "Imports a Stack Exchange data dump folder (Posts.xml, Users.xml, Comments.xml, "
        "Votes.xml, Tags.xml, PostHistory.xml, PostLinks.xml) in one transaction. "
        "Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the folder holding the dump's XML files")
        parser.add_argument(
            "--site-url",
            help="the site the dump comes from, e.g. https://conlang.stackexchange.com "
            "(default: derived from the folder name)",
        )
        parser.add_argument(
            "--language", default="en", help="language of the posts, unless a row says otherwise"
        )
        parser.add_argument("--quiet", action="store_true", help="print only the final summary")

    def handle(self, *args, folder, site_url, language, quiet, **options):
        try:
            summary = import_stackexchange_dump(
                folder=folder,
                site_url=site_url,
                language=language,
                progress=None if quiet else self.stdout.write,
            )
        except DumpError as error:
            raise CommandError(str(error)) from error
        refresh_planner_statistics()
        self.stdout.write(self.style.SUCCESS(str(summary)))
