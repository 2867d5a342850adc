"""Our SSDA903 validator: the DfE rules in rules.py run over the files, as the DfE tool runs them.

    validate_files(files, *, year=None) -> list[Issue]   files by name (any name: tables are known by columns)
    validate(year, *, progress=None) -> list[Issue]      build, then validate, with each issue linked to the child
"""

from __future__ import annotations

from django.utils import timezone

from opencsc.returns.base import CollectionYear, Issue

from . import rules as _rules  # noqa: F401  (registers the rules)
from .build import PREVIOUS_YEAR, build_rows
from .engine import REGISTRY, Data
from .tables import parse_date, read_csv


def _year_of(tables: dict[str, list[dict[str, str]]]) -> CollectionYear:
    """The collection year of files that do not say: the one containing the latest episode start or review."""
    today = timezone.localdate()
    latest = None
    for table, column in (("Episodes", "DECOM"), ("Reviews", "REVIEW"), ("Missing", "MIS_START")):
        for row in tables.get(table, ()):
            day = parse_date(row.get(column, ""))
            if day is not None and day <= today and (latest is None or day > latest):
                latest = day
    return CollectionYear.containing(latest or today)


def run(tables: dict[str, list[dict[str, str]]], year: CollectionYear, *, child_ids=None, progress=None,
        codes=None) -> list[Issue]:
    data = Data(tables, start=year.start, end=year.end)
    child_ids = child_ids or {}
    out: list[Issue] = []
    chosen = [r for code, r in REGISTRY.items() if codes is None or code in codes]
    for i, r in enumerate(chosen, start=1):
        if r.table not in data.present:
            continue
        for row in r.check(data):
            child = row.get("CHILD", "")
            out.append(Issue(rule=r.code, message=r.message, child_id=child_ids.get(child), child_reference=child,
                             field=r.field, severity=r.severity, table=row.table))
        if progress is not None:
            progress(i, len(chosen), f"Rule {r.code}")
    return out


def parse_files(files: dict[str, bytes]) -> dict[str, list[dict[str, str]]]:
    """This year's tables, each known by its columns; the previous year's files that ``build`` adds are left out."""
    tables: dict[str, list[dict[str, str]]] = {}
    for name, content in files.items():
        if name.startswith(PREVIOUS_YEAR):
            continue
        table, rows = read_csv(content)
        if table is not None:
            tables.setdefault(table, []).extend(rows)
    return tables


def validate_files(files: dict[str, bytes], *, year: CollectionYear | None = None) -> list[Issue]:
    """Check 903 CSV files (by file name) against the DfE rules we implement."""
    tables = parse_files(files)
    return run(tables, year or _year_of(tables))


def validate(year: CollectionYear, *, progress=None) -> list[Issue]:
    """Build the year's files from the records and check them; each issue carries the child's pk."""
    tables, child_ids = build_rows(year, progress=progress)
    return run(tables, year, child_ids=child_ids, progress=progress)
