from django.core.management.base import BaseCommand, CommandError

from forum.backups import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Writes a consistent backup of the database (pg_dump, or SQLite's online backup) "
        "and the media into a new folder, with a manifest of the migrations and row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new or empty folder.")

    def handle(self, *args, folder, **options):
        try:
            manifest = backup_write(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{label}: {count}" for label, count in manifest["counts"].items())
        self.stdout.write(f"Backed up to {folder} ({counts}).")
