"""Make and check statutory returns from the command line.

    manage.py returns build <cin|ssda903|annexa> [--year 2026 | --from 2025-12-01 --to 2026-11-30] --out DIR
    manage.py returns validate <cin|ssda903> --year 2026 [--format text|csv]

Progress bars go to stderr (--no-progress to hide them). `validate` exits with status 1 when the
return has errors (queries alone do not fail it). With --store --user NAME, the run is saved (files
and issues) as if made on the Returns page by that user, who must be allowed to make returns.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from opencsc.returns import registry, services
from opencsc.returns.base import CollectionYear

VALIDATING = [k for k, kind in registry.KINDS.items() if kind.by_year]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write dates like 2026-03-31") from None


def _messages(error: ValidationError) -> str:
    return "; ".join(error.messages)


class Command(BaseCommand):
    help = "Make a statutory return (build) or run its validation rules (validate)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="build|validate")
        build = actions.add_parser("build", help="Make the return's files")
        build.add_argument("kind", choices=list(registry.KINDS), help="Which return")
        build.add_argument("--year", help="Collection year, named by the year it ends (2026 is 2025 to 2026)")
        build.add_argument("--from", dest="start", help="Annex A: first day of the period (YYYY-MM-DD)")
        build.add_argument("--to", dest="end", help="Annex A: last day of the period (YYYY-MM-DD)")
        build.add_argument("--out", required=True, help="Directory to write the files to")
        validate = actions.add_parser("validate", help="Run the DfE validation rules and list what fails")
        validate.add_argument("kind", choices=VALIDATING, help="Which return")
        validate.add_argument("--year", help="Collection year (defaults to the latest that has ended)")
        validate.add_argument("--format", choices=["text", "csv"], default="text")
        for sub in (build, validate):
            sub.add_argument("--no-progress", action="store_true", help="Do not draw progress bars")
            sub.add_argument("--store", action="store_true", help="Save the run, as the Returns page does")
            sub.add_argument("--user", help="With --store: the user the run is made for")

    # --- helpers ----------------------------------------------------------------------------

    def _progress(self, show: bool):
        bar = tqdm(total=1, disable=not show, file=sys.stderr, unit="step", leave=True)

        def progress(done: int, total: int, label: str) -> None:
            bar.total = total
            bar.n = done
            bar.set_description(label[:40])
            bar.refresh()

        return bar, progress

    def _module(self, kind):
        module = kind.load()
        if module is None:
            raise CommandError(f"The {kind.title} is not available yet")
        return module

    def _year(self, kind, value) -> CollectionYear:
        if not kind.by_year:
            raise CommandError(f"{kind.title}: give a period with --from and --to, not --year")
        if value in (None, ""):
            return CollectionYear(services.latest_year())
        try:
            return services.check_year(value)
        except ValidationError as error:
            raise CommandError(_messages(error)) from None

    def _user(self, options):
        if not options["user"]:
            raise CommandError("--store needs --user, the user the run is made for")
        try:
            return get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user called {options['user']!r}") from None

    def _store(self, kind, options, progress, **values):
        try:
            return services.return_run(kind=kind.key, by=self._user(options), progress=progress, **values)
        except (ValidationError, PermissionDenied) as error:
            text = _messages(error) if isinstance(error, ValidationError) else str(error)
            raise CommandError(text) from None

    # --- actions ----------------------------------------------------------------------------

    def handle(self, *args, **options):
        kind = registry.KINDS[options["kind"]]
        if options["action"] == "build":
            return self.build(kind, options)
        return self.validate(kind, options)

    def build(self, kind, options):
        module = self._module(kind)
        if kind.by_year:
            if options["start"] or options["end"]:
                raise CommandError(f"{kind.title}: give a collection year with --year, not --from/--to")
            values = {"year": self._year(kind, options["year"]).ending}
        else:
            if options["year"]:
                raise CommandError(f"{kind.title}: give a period with --from and --to, not --year")
            start = _date(options["start"]) if options["start"] else None
            end = _date(options["end"]) if options["end"] else None
            try:
                start, end = services.check_period(start, end)
            except ValidationError as error:
                raise CommandError(_messages(error)) from None
            values = {"start": start, "end": end}
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        bar, progress = self._progress(not options["no_progress"])
        try:
            if options["store"]:
                run = self._store(kind, options, progress, **values)
                files = [(f.name, bytes(f.content)) for f in run.files.all()]
            elif kind.by_year:
                files = [(f.name, f.content) for f in module.build(CollectionYear(values["year"]), progress=progress)]
            else:
                files = [(f.name, f.content) for f in module.build(start=start, end=end, progress=progress)]
        finally:
            bar.close()
        for name, content in files:
            (out / name).write_bytes(content)
            self.stdout.write(f"Wrote {out / name} ({len(content):,} bytes)")

    def validate(self, kind, options):
        module = self._module(kind)
        year = self._year(kind, options["year"])
        if not hasattr(module, "validate"):
            raise CommandError(f"The {kind.title} has no validation rules")
        bar, progress = self._progress(not options["no_progress"])
        try:
            if options["store"]:
                run = self._store(kind, options, progress, year=year.ending)
                issues = list(run.issues.all())
            else:
                issues = module.validate(year, progress=progress)
        finally:
            bar.close()
        errors = sum(1 for i in issues if i.severity == "error")
        if options["format"] == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(["rule", "severity", "child_reference", "table", "field", "message"])
            for i in issues:
                writer.writerow([i.rule, i.severity, i.child_reference, i.table, i.field, i.message])
        else:
            for i in issues:
                where = ".".join(p for p in (i.table, i.field) if p)
                self.stdout.write(f"{i.rule:<6} {i.severity:<5} {i.child_reference or '-':<12} {where:<28} {i.message}")
            self.stdout.write(f"{kind.title} {year.label}: {errors} error{'s' if errors != 1 else ''}, "
                              f"{len(issues) - errors} quer{'ies' if len(issues) - errors != 1 else 'y'}")
        if errors:
            raise CommandError(f"{errors} validation error{'s' if errors != 1 else ''} in the {kind.title}",
                               returncode=1)
