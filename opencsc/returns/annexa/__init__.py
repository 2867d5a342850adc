"""Ofsted Annex A: lists 1 to 11 as one xlsx workbook, with the exact headers Ofsted's template uses.

    build(*, start: date | None = None, end: date | None = None, progress=None) -> list[ReturnFile]

The period defaults to the 12 months to today. The schema (annex_a_schema.yml) gives no period per
list, so every list covers the period asked for; "in the last 12 months" and "in the last six months"
columns count back from the period's end. Headers come from a copy of annex_a_columns.json kept beside this module (a test checks it matches
shared/specs).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from functools import cache
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..base import ReturnFile
from .lists import LISTS, Period

LOCAL_COLUMNS_JSON = Path(__file__).parent / "annex_a_columns.json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"  # the schema's "%d/%m/%Y"


@cache
def columns() -> dict[str, list[str]]:
    """The headers of each list, exactly as annex_a_columns.json gives them."""
    return json.loads(LOCAL_COLUMNS_JSON.read_text(encoding="utf-8"))


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today - relativedelta(months=12) + dt.timedelta(days=1), today


def file_name(start: dt.date, end: dt.date) -> str:
    return f"annex_a_{start:%Y%m%d}_{end:%Y%m%d}.xlsx"


def _cell(sheet, value):
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def build(*, start: dt.date | None = None, end: dt.date | None = None, progress=None) -> list[ReturnFile]:
    if start is None or end is None:
        default_start, default_end = default_period()
        start, end = start or default_start, end or default_end
    if start > end:
        raise ValueError("The period must start on or before the day it ends")
    period = Period(start=start, end=end)
    headers = columns()
    workbook = Workbook(write_only=True)
    total = len(LISTS)
    for done, (key, (title, make_rows)) in enumerate(LISTS.items()):
        if progress:
            progress(done, total, title)
        sheet = workbook.create_sheet(title=key.replace("_", " ").capitalize())
        sheet.append(headers[key])
        for row in make_rows(period):
            if len(row) != len(headers[key]):  # a programming error: refuse rather than send a skewed list
                raise AssertionError(f"{key} row has {len(row)} values for {len(headers[key])} headers")
            sheet.append([_cell(sheet, value) for value in row])
    if progress:
        progress(total, total, "Workbook written")
    out = io.BytesIO()
    workbook.save(out)
    return [ReturnFile(name=file_name(start, end), content=out.getvalue(), content_type=XLSX)]
