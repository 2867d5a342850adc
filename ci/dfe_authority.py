"""Generate one synthetic authority into a SQLite file, for the DfE checks to read (`make dfe-check`).

    .venv/bin/python ci/dfe_authority.py --seed 2014 --size 0.3 --today 2026-03-31 --out var/dfe/a.sqlite3
    .venv/bin/python ci/dfe_authority.py --empty --out var/dfe/empty.sqlite3

--empty makes a database with the tables and no authority in it, built from the models as the test
suite builds its own (no migrations: 2 seconds rather than a minute; the one data migration, the
retention periods, plays no part in the returns); given --template (such a database), a generation
starts from a copy of it. Without either, the database is migrated as a real one is. The file is written under a temporary
name and renamed when complete, so a check never reads half an authority. ci/dfe_cin_check.py and
ci/dfe_903_check.py then read the file with --database (each on its own copy or in a rolled-back
transaction), so every authority is generated once for both checks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class _NoMigrations:
    """MIGRATION_MODULES for a database built from the models (as pytest-django's --no-migrations)."""

    def __contains__(self, item) -> bool:
        return True

    def __getitem__(self, item):
        return None


def setup_django(database: Path, *, from_models: bool = False) -> None:
    """Django on `database` (SQLite, no write-ahead log: the file is complete once closed)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("OPENCSC_DATABASE", None)
    sys.path.insert(0, str(ROOT))
    from django.conf import settings

    settings.DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(database), "OPTIONS": {"timeout": 20}}
    }
    if from_models:
        settings.MIGRATION_MODULES = _NoMigrations()
    import django

    django.setup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--size", type=float, default=0.3)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 3, 31))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--template", type=Path, help="a migrated, empty database to start from")
    parser.add_argument("--empty", action="store_true", help="only migrate: no authority")
    args = parser.parse_args(argv)
    started = time.monotonic()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    partial = args.out.with_name(args.out.name + ".partial")
    partial.unlink(missing_ok=True)
    if args.template:
        shutil.copyfile(args.template, partial)
    setup_django(partial, from_models=args.empty)
    from django.core.management import call_command
    from django.db import connection

    if not args.template:
        call_command("migrate", interactive=False, verbosity=0, run_syncdb=args.empty)
    if not args.empty:
        from opencsc.synthetic.services import authority_generate

        authority_generate(seed=args.seed, size=args.size, today=args.today)
    connection.close()
    partial.replace(args.out)
    what = "empty database" if args.empty else f"seed {args.seed}, size {args.size:g}, today {args.today:%d %b %Y}"
    print(f"Synthetic authority ({what}) in {args.out} ({time.monotonic() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
