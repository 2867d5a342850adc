"""`manage.py restore PATH [--yes]`: replace the whole database with a backup, then prove it matches.

`--check` restores nothing: it compares the live database with the backup's manifest.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from opencsc.core import backup


class Command(BaseCommand):
    help = ("Replace the whole database with a backup made by `manage.py backup`, then compare every table's "
            "row count and checksum with the backup's manifest. Stop the web and worker processes first.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file (or its .json manifest).")
        parser.add_argument("--yes", action="store_true",
                            help="Do not ask: replace the database (needed when not run at a terminal).")
        parser.add_argument("--check", action="store_true",
                            help="Restore nothing: only compare the live database with the backup's manifest.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, path, yes, check, database, **options):
        try:
            backup_file, manifest = backup.read_manifest(path)
            if check:
                result = backup.verify(path, using=database)
            else:
                backup.check_restorable(backup_file, manifest, using=database)
                if not yes and not self._confirmed(manifest):
                    raise CommandError("Nothing was restored: give --yes to replace the database with the backup")
                result = backup.restore(path, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        if result.ok:
            what = "The database matches" if check else "Restored. The database matches"
            self.stdout.write(f"{what} the backup of {manifest['made_at']}: {result.tables} tables, "
                              f"{result.rows:,} rows, every count and checksum the same.")
            return
        for line in result.differences:
            self.stdout.write(f"  DIFFERS: {line}")
        raise CommandError(f"The database does NOT match the backup of {manifest['made_at']}: "
                           f"{len(result.differences)} difference(s), listed above")

    def _confirmed(self, manifest) -> bool:
        if not sys.stdin.isatty():
            return False
        self.stdout.write(
            f"This replaces EVERY record in the database with the backup made {manifest['made_at']} "
            f"({sum(t['rows'] for t in manifest['tables'].values()):,} rows). Changes made since are lost.")
        return input("Type yes to restore it: ").strip().lower() == "yes"
