from django.core.management.base import BaseCommand, CommandError

from forum.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restores a backup written by `backup` into the configured database, which must be "
        "empty (a new one), and checks its row counts against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            manifest, counts = backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if counts != manifest["counts"]:
            raise CommandError(
                f"The restored rows differ from the backup's: {counts} != {manifest['counts']}"
            )
        self.stdout.write(f"Restored {folder} (backed up {manifest['created']}).")
