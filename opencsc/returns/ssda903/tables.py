"""The SSDA903 tables: their columns (from the DfE column list) and the file names the DfE tool reads.

No Django imports here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

SPECS = Path(__file__).resolve().parents[4] / "shared" / "specs"
_BUNDLED = Path(__file__).resolve().parents[2] / "codes" / "specs"


def _columns() -> dict[str, list[str]]:
    for folder in (_BUNDLED, SPECS):
        path = folder / "ssda903_columns.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    raise FileNotFoundError("ssda903_columns.json")


COLUMNS: dict[str, list[str]] = _columns()

# The file names of the DfE tool's offline run (lac_validator run-offline); it recognises each
# table by its columns, so the names are for people.
FILE_NAMES: dict[str, str] = {
    "Header": "header.csv",
    "Episodes": "episodes.csv",
    "Reviews": "reviews.csv",
    "UASC": "uasc.csv",
    "OC2": "oc2.csv",
    "OC3": "oc3.csv",
    "AD1": "ad1.csv",
    "PlacedAdoption": "placed_for_adoption.csv",
    "PrevPerm": "previous_permanence.csv",
    "Missing": "missing.csv",
    "SWEpisodes": "sw_episodes.csv",
    "DoLo": "dolo.csv",
}
TABLE_OF_FILE = {name: table for table, name in FILE_NAMES.items()}


def fmt_date(day: dt.date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def parse_date(text: str) -> dt.date | None:
    """A 903 date (dd/mm/yyyy), or None when blank or not a real date."""
    if not text or len(text) != 10 or text[2] != "/" or text[5] != "/":
        return None
    try:
        return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
    except ValueError:
        return None


def to_csv(table: str, rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = COLUMNS[table]
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode("utf-8")


def table_of(columns: list[str]) -> str | None:
    """Which table a file is, from its columns (as the DfE tool recognises files)."""
    wanted = set(columns)
    for table, expected in COLUMNS.items():
        if set(expected) == wanted:
            return table
    return None


def read_csv(content: bytes) -> tuple[str | None, list[dict[str, str]]]:
    """(table, rows) of one file; values stripped, codes upper-cased as the DfE tool does."""
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    try:
        columns = [c.strip() for c in next(reader)]
    except StopIteration:
        return None, []
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        rows.append({c: (values[i].strip().upper() if i < len(values) else "") for i, c in enumerate(columns)})
    return table_of(columns), rows
