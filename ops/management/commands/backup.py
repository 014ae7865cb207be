from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Backs up the database (SQLite online backup, or pg_dump for PostgreSQL) and the media files "
        "into a new dated folder under --output (readable by its owner only), with a manifest of every "
        "table's row count, counted in the same snapshot as the dump. Safe to run while the portal serves."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.VAR_DIR / "backups"), help="folder for backups")
        parser.add_argument("--no-media", action="store_true", help="database only")

    def handle(self, *args, **options):
        try:
            folder = backup(options["output"], media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
