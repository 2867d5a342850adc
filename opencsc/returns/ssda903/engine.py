"""The rule engine of our SSDA903 validator: registered rules over parsed CSV rows, grouped by child.

No pandas and no Django: each rule is a small function over a `Data` (the parsed tables, their
dates parsed once, rows grouped by child) that yields the rows that break it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .tables import COLUMNS, parse_date

RULES_TSV = Path(__file__).with_name("ssda903_rules_2025_26.tsv")
DATE_COLUMNS = {
    "DOB", "MC_DOB", "DECOM", "DEC", "REVIEW", "DUC", "DATE_INT", "DATE_MATCH", "DATE_PLACED",
    "DATE_PLACED_CEASED", "DATE_PERM", "MIS_START", "MIS_END", "SW_DECOM", "SW_DEC", "DOLO_START", "DOLO_END",
}


@cache
def rule_texts() -> dict[str, str]:
    with RULES_TSV.open(encoding="utf-8") as f:
        return {row[0].strip(): row[1].strip() for row in csv.reader(f, delimiter="\t") if len(row) >= 2}


class Row(dict):
    """One CSV row: its text values by column, plus `d` (parsed dates) and `n` (its position)."""

    __slots__ = ("d", "n", "table")


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    table: str  # the table the failing rows are in
    field: str
    severity: str
    check: Callable[[Data], Iterable[Row]]


REGISTRY: dict[str, Rule] = {}


def rule(code: str, *, table: str, field: str = "", severity: str = "error"):
    """Register `check(data) -> rows that break the rule` under the DfE rule code."""

    def register(check):
        if code in REGISTRY:
            raise ValueError(f"Rule {code} is registered twice")
        message = rule_texts().get(code)
        if message is None:
            raise ValueError(f"Rule {code} is not in the DfE rule list")
        REGISTRY[code] = Rule(code=code, message=message, table=table, field=field, severity=severity, check=check)
        return check

    return register


class Data:
    """The return's tables, with dates parsed once and rows grouped by child."""

    def __init__(self, tables: dict[str, list[dict[str, str]]], *, start: dt.date, end: dt.date):
        self.start, self.end = start, end
        self.tables: dict[str, list[Row]] = {}
        self.by_child: dict[str, dict[str, list[Row]]] = {}
        for table in COLUMNS:
            rows = []
            grouped: dict[str, list[Row]] = defaultdict(list)
            dates = [c for c in COLUMNS[table] if c in DATE_COLUMNS]
            for n, values in enumerate(tables.get(table, ())):
                row = Row(values)
                row.n, row.table = n, table
                row.d = {c: parse_date(values.get(c, "")) for c in dates}
                rows.append(row)
                grouped[values.get("CHILD", "")].append(row)
            self.tables[table] = rows
            self.by_child[table] = grouped
        for rows in self.by_child["Episodes"].values():
            rows.sort(key=lambda r: (r.d["DECOM"] or dt.date.min, r.n))
        self.present = {t for t in COLUMNS if t in tables}
        self.header = {r["CHILD"]: r for r in self.tables["Header"]}

    def rows(self, table: str) -> list[Row]:
        return self.tables[table]

    def episodes_of(self, child: str) -> list[Row]:
        return self.by_child["Episodes"].get(child, [])

    def dob(self, child: str) -> dt.date | None:
        row = self.header.get(child)
        return row.d["DOB"] if row is not None else None


def age_on(dob: dt.date | None, day: dt.date | None) -> int | None:
    if dob is None or day is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
