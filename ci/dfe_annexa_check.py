"""Check a generated authority's Ofsted Annex A workbook against the Annex A schema (`make dfe-check`).

    .venv/bin/python ci/dfe_annexa_check.py --database var/dfe/a.sqlite3 --today 2026-11-23

Builds the workbook for the 12 months to the authority's today and for each of the two collection
years before it, and fails on any value the schema does not allow (a code not in its column's list,
a blank where a value is wanted, a date column holding something else) and on any date after the
period's end (a past period's lists are as they stood then). The schema is read as the tests read it
(opencsc/returns/tests/annexa_schema.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dfe_authority import setup_django  # noqa: E402


def day(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--today", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--seed", type=int, help="how the authority was made (shown only)")
    parser.add_argument("--size", type=float, help="how the authority was made (shown only)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="opencsc-annexa-") as tmp:
        copy = Path(tmp) / "authority.sqlite3"
        shutil.copyfile(args.database, copy)
        setup_django(copy)
        from opencsc.returns import annexa
        from opencsc.returns.base import CollectionYear
        from opencsc.returns.tests.annexa_schema import SCHEMA, dated_after, values_not_allowed, workbook_rows

        if not SCHEMA.exists():
            print(f"The Annex A schema is not here ({SCHEMA})")
            return 1
        this_year = CollectionYear.containing(args.today)
        periods = [annexa.default_period(args.today)]
        periods += [(y.start, y.end) for y in (CollectionYear(this_year.ending - 1), CollectionYear(this_year.ending - 2))]
        failed = False
        print(f"Annex A of {args.database.name} (today {day(args.today)})")
        for start, end in periods:
            lists = workbook_rows(annexa.build(start=start, end=end)[0].content)
            wrong, late = values_not_allowed(lists), dated_after(lists, end)
            rows = ", ".join(f"{key.split('_')[1]}: {len(r)}" for key, r in lists.items())
            print(f"  {day(start)} to {day(end)}: rows by list {rows}")
            for key, column, child, value in wrong[:20]:
                print(f"    FAIL: {key} {column!r} child {child}: {value!r} is not a value the schema allows")
            for key, column, child, value in late[:20]:
                print(f"    FAIL: {key} {column!r} child {child}: {day(value)} is after the period")
            if wrong or late:
                failed = True
                print(f"    {len(wrong)} values not allowed, {len(late)} dates after the period")
    print(f"{'FAILED' if failed else 'Passed'} in {time.monotonic() - started:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
