"""`manage.py backup [--output PATH]`: the whole database to a file, with its manifest (docs/backup.md)."""

from django.core.management.base import BaseCommand, CommandError

from opencsc.core import backup


class Command(BaseCommand):
    help = ("Back up the whole database (SQLite's online backup, or pg_dump's custom format for PostgreSQL) "
            "and write a manifest of every table's row count and checksum beside it. Safe while the service runs.")

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None,
                            help="A file, or a directory for a file named by the time (default OPENCSC_BACKUP_DIR).")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, output, database, **options):
        try:
            result = backup.backup(output=output, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        self.stdout.write(
            f"Backed up the {backup.VENDORS[manifest['vendor']]} database: {len(manifest['tables'])} tables, "
            f"{result.rows:,} rows, {manifest['file_bytes']:,} bytes.\n"
            f"Backup:   {result.path}\nManifest: {result.manifest_path}"
        )
