"""The action plan as a spreadsheet (xlsx) to send to Ofsted."""

from __future__ import annotations

import io

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from opencsc.core.templatetags.govuk import govuk_date

COLUMNS = (
    ("No.", 6), ("Area for improvement", 50), ("Priority action", 10), ("Performance indicators", 28),
    ("Action", 50), ("Owner", 22), ("Due", 12), ("Status", 14), ("Latest update", 40),
    ("Evidence of impact", 40), ("Date done", 12),
)


def action_plan_xlsx(plan: dict) -> bytes:
    """One sheet: the inspection and its deadline above a table with one row per action."""
    inspection, deadline = plan["inspection"], plan["deadline"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    bold = Font(bold=True)
    heading = [
        (f"{settings.OPENCSC_AUTHORITY_NAME}: action plan", ""),
        ("Inspection", f"{inspection.get_kind_display()}, {govuk_date(inspection.started_on)} to {govuk_date(inspection.ended_on)}"),
        ("Final report received", govuk_date(inspection.report_received_on) or "Not yet"),
        ("Overall effectiveness", inspection.get_overall_judgement_display() or "Not judged"),
    ]
    if deadline.due_on:
        heading.append(("Action plan due", govuk_date(deadline.due_on)))
    if deadline.submitted_on:
        heading.append(("Action plan sent", govuk_date(deadline.submitted_on)))
    for row, (label, value) in enumerate(heading, start=1):
        sheet.cell(row=row, column=1, value=label).font = bold
        sheet.cell(row=row, column=2, value=value)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    top = len(heading) + 2
    for col, (title, width) in enumerate(COLUMNS, start=1):
        sheet.cell(row=top, column=col, value=title).font = bold
        sheet.column_dimensions[get_column_letter(col)].width = width
    row = top
    for item in plan["areas"]:
        area = item["area"]
        indicators = ", ".join(i["title"] for i in item["indicators"])
        first = [area.order, area.text, "Yes" if area.is_priority_action else "No", indicators]
        actions = item["actions"] or [None]
        for entry in actions:
            row += 1
            values = list(first)
            if entry is None:
                values += ["No actions yet", "", "", "", "", "", ""]
            else:
                action, latest = entry["action"], entry["latest"]
                values += [action.description, action.owner.get_full_name() or action.owner.username,
                           action.due_on, entry["status_label"], latest.note if latest else "",
                           action.evidence_of_impact, action.completed_on]
            for col, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=col, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text typed by people is never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if col in (7, 11) and value:
                    cell.number_format = "d mmm yyyy"
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
