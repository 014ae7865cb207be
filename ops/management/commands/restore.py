from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Restores a folder written by `manage.py backup` into the configured database and MEDIA_ROOT. "
        "First counts the rows in the backup file and refuses, touching nothing, when they differ from its "
        "manifest; afterwards checks every table's row count in the database. Overwrites what is there: "
        "asks for --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")
        parser.add_argument("--yes", action="store_true", help="really overwrite the current database")
        parser.add_argument("--no-media", action="store_true", help="database only")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("Restoring replaces the current database. Run again with --yes to go ahead.")
        try:
            manifest = restore(options["folder"], media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        differences = verify(manifest)
        if differences:
            raise CommandError(f"Restored, but these tables differ from the backup: {differences}")
        total = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"Restored {total} rows in {len(manifest['counts'])} tables; all match."))
