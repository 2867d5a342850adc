"""manage.py scorecard snapshot [--as-at DATE] [--weeks N]
manage.py scorecard export --format xlsx|pdf --scope authority|service:<key>|team:<id> --out FILE [--week DATE]
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from opencsc.performance import exports, selectors
from opencsc.performance.indicators import INDICATORS
from opencsc.performance.scopes import scope_parse
from opencsc.performance.services import snapshot_take, weeks_back


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Enter the date like 2026-11-23, not {value!r}") from None


class Command(BaseCommand):
    help = "Take weekly scorecard snapshots, or export a scorecard to xlsx or PDF."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
        snap = sub.add_parser("snapshot", help="Run every indicator and store the figures for every scope.")
        snap.add_argument("--as-at", type=_date, default=None, dest="as_at",
                          help="The date the figures are as at (default: today).")
        snap.add_argument("--weeks", type=int, default=1,
                          help="Take this many weekly snapshots ending on --as-at (52 fills a 12-month trend).")
        snap.add_argument("--quiet", action="store_true", help="No progress bar.")
        export = sub.add_parser("export", help="Write a scorecard to a file.")
        export.add_argument("--format", choices=["xlsx", "pdf"], required=True, dest="fmt")
        export.add_argument("--scope", default="authority", help="authority, service:<key> or team:<id>.")
        export.add_argument("--week", type=_date, default=None, help="The snapshot's date (default: the latest).")
        export.add_argument("--out", required=True, help="The file to write.")

    def handle(self, *args, action, **options):
        if action == "snapshot":
            return self._snapshot(**options)
        return self._export(**options)

    def _snapshot(self, *, as_at, weeks, quiet, **options):
        if weeks < 1:
            raise CommandError("Enter --weeks of 1 or more")
        as_at = as_at or timezone.localdate()
        dates = weeks_back(as_at, weeks)
        verbose = options.get("verbosity", 1) > 0
        bar = tqdm(total=len(dates) * len(INDICATORS), disable=quiet or not verbose or not sys.stderr.isatty(),
                   unit="indicator", file=sys.stderr)
        started = time.perf_counter()
        unavailable: set[str] = set()
        rows = 0
        try:
            for day in dates:
                bar.set_description(f"Week to {day:%-d %b %Y}")
                result = snapshot_take(as_at=day, progress=lambda _ind: bar.update(1))
                unavailable.update(result.unavailable)
                rows += result.rows
        finally:
            bar.close()
        if verbose:
            elapsed = time.perf_counter() - started
            self.stdout.write(f"Took {len(dates)} scorecard snapshot{'s' if len(dates) != 1 else ''} "
                              f"({dates[0]:%-d %b %Y} to {dates[-1]:%-d %b %Y}) in {elapsed:.1f}s: {rows:,} rows.")
            if unavailable:
                self.stdout.write("Not available (no measure yet, or it failed): " + ", ".join(sorted(unavailable)))

    def _export(self, *, fmt, scope, week, out, **options):
        chosen = scope_parse(scope)
        if chosen is None:
            raise CommandError(f"There is no scope {scope!r}: use authority, service:<key> or team:<id>")
        snapshot = selectors.snapshot_for(week)
        if snapshot is None:
            raise CommandError("There is no scorecard snapshot for that week: take one with `scorecard snapshot`")
        lines = selectors.scorecard(chosen, snapshot)
        body = (exports.scorecard_xlsx if fmt == "xlsx" else exports.scorecard_pdf)(chosen, snapshot, lines)
        Path(out).write_bytes(body)
        if options.get("verbosity", 1) > 0:
            self.stdout.write(f"Wrote {exports.title(chosen, snapshot)} to {out}.")
