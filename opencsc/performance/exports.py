"""Scorecard exports: xlsx (one sheet for the scorecard, one per indicator's trend) and PDF (A4 landscape).

Both take the lines selectors.scorecard returns, so they show exactly what the page shows.
Figures only: no child is named in an export.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from opencsc.core.templatetags.govuk import govuk_date

from .scopes import Scope

HEADERS = ["Area", "Indicator", "Value", "Worked out from", "Children or cases counted", "Target", "Rating", "National figure",
           "National figure is for", "Trend", "Commentary"]


def title(scope: Scope, snapshot) -> str:
    return f"Performance scorecard: {scope.name}, as at {govuk_date(snapshot.as_at)}"


def _cells(line) -> list:
    ind = line["indicator"]
    commentary = line["commentary"].text if line["commentary"] else ""
    return [
        ind.area_label, ind.title,
        round(line["value"], 1) if line["value"] is not None else line["value_text"],
        line["basis"], line["denominator"] if line["available"] else "",
        line["target"].target, line["rag_label"],
        ind.national if ind.national is not None else "Not available", ind.national_label,
        line["direction"], commentary,
    ]


def _sheet_title(key: str, used: set[str]) -> str:
    name = key[:31]
    n = 2
    while name in used:
        suffix = f"~{n}"
        name = key[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def scorecard_xlsx(scope: Scope, snapshot, lines: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Scorecard"
    sheet.append([title(scope, snapshot)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append(_cells(line))
    sheet.freeze_panes = "A3"
    for column, width in zip("ABCDEFGHIJK", (28, 60, 12, 12, 12, 10, 14, 14, 30, 12, 60), strict=True):
        sheet.column_dimensions[column].width = width
    used = {"Scorecard"}
    for line in lines:
        ind = line["indicator"]
        trend = book.create_sheet(_sheet_title(ind.key, used))
        trend.append([ind.title])
        trend["A1"].font = Font(bold=True)
        trend.append(["Week (as at)", "Value"])
        for day, value in line["points"]:
            trend.append([day, round(value, 1) if value is not None else "No data"])
            trend.cell(row=trend.max_row, column=1).number_format = "d mmm yyyy"
        trend.column_dimensions["A"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def scorecard_pdf(scope: Scope, snapshot, lines: list[dict]) -> bytes:
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=title(scope, snapshot),
                            author="OpenCSC")
    data = [[Paragraph(h, small) for h in ("Indicator", "Value", "Worked out from", "Target", "Rating",
                                            "National", "Trend", "Commentary")]]
    for line in lines:
        ind = line["indicator"]
        fraction = line["basis"]
        data.append([
            Paragraph(ind.title, small), Paragraph(line["value_text"], small), Paragraph(fraction, small),
            Paragraph(line["target_text"], small), Paragraph(line["verdict_sentence"] or line["rag_label"], small),
            Paragraph(line["national_text"], small), Paragraph(line["direction"], small),
            Paragraph((line["commentary"].text if line["commentary"] else "")[:600], small),
        ])
    table = Table(data, repeatRows=1, colWidths=[70 * mm, 20 * mm, 28 * mm, 20 * mm, 22 * mm, 20 * mm,
                                                 20 * mm, 73 * mm])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    doc.build([Paragraph(title(scope, snapshot), styles["Title"]), Spacer(1, 4 * mm), table])
    return out.getvalue()
