"""The chronology for court and for the family: chosen entries of the child's chronology as a PDF or a Word
document, in the layout used in care proceedings (Date | Event | Source | Significance for the child |
Analysis), oldest first.

Everything comes from ``selectors.chronology_for``, which leaves out what the reader may not see; nothing
here says that anything was left out. The family's version leaves out the worker's analysis and who
recorded each entry. The worker's analysis of an entry (``ChronologyAnalysis``) is keyed to the entry as
the event log names it: (kind, source_id, seq).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.http import Http404
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from opencsc.core import events
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people.access import can

from . import selectors
from .models import ChronologyAnalysis

COURT = "court"
FAMILY = "family"
AUDIENCES = {COURT: "Social work chronology", FAMILY: "Your family's chronology"}
PDF, WORD = "pdf", "docx"
FORMATS = {PDF: "PDF", WORD: "Word"}
CONTENT_TYPES = {
    PDF: "application/pdf",
    WORD: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
COURT_COLUMNS = ("Date", "Event", "Source", "Significance for the child", "Analysis")
FAMILY_COLUMNS = ("Date", "What happened", "Type of record", "Why it matters")


# --- Reading the chronology ---------------------------------------------------------------------


def _key(item) -> tuple[str, int, int]:
    """(kind, source_id, seq): how an analysis names the entry it is about."""
    return item.kind, int(item.source_id), int(item.seq or 0)


def kinds_for(user, child) -> list[tuple[str, str]]:
    """The kinds of entry this reader may see in the child's chronology, as choices by label (the keys of
    the sources that share a label joined by commas: casework.forms.kinds_chosen reads them)."""
    keys: dict[str, list[str]] = {}
    for source in events.sources():
        if source.visible_to is None or can(user, source.visible_to, child):
            keys.setdefault(source.label, []).append(source.key)
    return sorted(((",".join(sorted(group)), label) for label, group in keys.items()), key=lambda pair: pair[1])


@dataclass(frozen=True)
class Entry:
    """One chronology entry as the chronology page and the exports show it."""

    date: dt.date
    kind: str
    source_id: int
    seq: int
    category: str
    title: str
    detail: str
    url: str
    significant: bool
    author: str
    analysis: ChronologyAnalysis | None = None

    @property
    def author_name(self) -> str:
        return self.author

    @property
    def source(self) -> str:
        return self.kind

    @property
    def key(self) -> tuple[str, int, int]:
        return self.kind, self.source_id, self.seq


def analyses_for(child) -> dict[tuple[str, int, int], ChronologyAnalysis]:
    rows = ChronologyAnalysis.objects.filter(child=child).select_related("author")
    return {(a.kind, a.source_id, a.seq): a for a in rows}


def entries(items, child) -> list[Entry]:
    """chronology_for's items with the worker's analysis of each (one query)."""
    analyses = analyses_for(child)
    found = []
    for item in items:
        key = _key(item)
        found.append(Entry(
            date=item.date, kind=key[0], source_id=key[1], seq=key[2], category=item.category, title=item.title,
            detail=item.detail or "", url=item.url or "", significant=bool(item.significant), author=item.author_name,
            analysis=analyses.get(key),
        ))
    return found


def entry_for(*, user, child, kind: str, source_id: int, seq: int) -> Entry:
    """The entry of the child's chronology the user may read with this key, or 404."""
    items = selectors.chronology_for(user=user, child=child, sources=[kind])
    if hasattr(items, "filter"):  # the event log: only the entry's own row
        items = items.filter(source_id=source_id, seq=seq)
    for entry in entries(items, child):
        if entry.key == (kind, source_id, seq):
            return entry
    raise Http404("No chronology entry found")


# --- The document -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chronology:
    """What an export holds: the heading block and the rows, oldest first."""

    audience: str
    child_name: str
    date_of_birth: str
    la_child_id: str
    period: str
    selection: str
    produced: str
    rows: list[Entry]

    @property
    def title(self) -> str:
        return AUDIENCES[self.audience]

    @property
    def for_court(self) -> bool:
        return self.audience == COURT

    @property
    def columns(self) -> tuple[str, ...]:
        return COURT_COLUMNS if self.for_court else FAMILY_COLUMNS

    def heading(self) -> list[tuple[str, str]]:
        return [(label, _clean(value)) for label, value in self._heading()]

    def _heading(self) -> list[tuple[str, str]]:
        return [("Name", self.child_name), ("Date of birth", self.date_of_birth), ("LA child ID", self.la_child_id),
                ("Period", self.period), ("Events included", self.selection), ("Produced", self.produced)]

    def cells(self, entry: Entry) -> list[tuple[str, str]]:
        """Each cell of the entry's row as (bold first line, text)."""
        source = entry.category if not (self.for_court and entry.author) else f"{entry.category}\n{entry.author}"
        significance = ("Significant" if entry.significant else "", entry.detail)
        cells = [("", govuk_date(entry.date)), ("", entry.title), ("", source), significance]
        if self.for_court:
            cells.append(("", entry.analysis.text if entry.analysis else ""))
        return [(bold, _clean(text)) for bold, text in cells]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Text as both formats can hold it: line breaks as \\n, and no control characters (pasted text may
    carry some; a Word document may not hold them at all)."""
    return _NOT_XML.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def _period(date_from, date_to) -> str:
    if date_from and date_to:
        return f"{govuk_date(date_from)} to {govuk_date(date_to)}"
    if date_from:
        return f"From {govuk_date(date_from)}"
    if date_to:
        return f"Up to {govuk_date(date_to)}"
    return "All recorded events"


def _selection(kinds, chosen, significant_only) -> str:
    labels = dict(kinds)
    which = "All kinds" if set(chosen) >= set(labels) else ", ".join(labels[k] for k in labels if k in chosen)
    return f"{which}; significant events only" if significant_only else which


def build(*, user, child, audience: str, kinds: list[str], date_from=None, date_to=None,
          significant_only: bool = False) -> Chronology:
    """The chronology to export, read with chronology_for as ``user`` (who must be able to read it)."""
    allowed = kinds_for(user, child)
    chosen = [k for k, _ in allowed if k in set(kinds)]
    items = selectors.chronology_for(user=user, child=child, sources=chosen, date_from=date_from,
                                     date_to=date_to, significant_only=significant_only) if chosen else []
    rows = list(reversed(entries(items, child)))  # a court chronology reads oldest first
    today = govuk_date(timezone.localdate())
    if child.date_of_birth:
        born = govuk_date(child.date_of_birth)
    elif child.expected_date_of_birth:
        born = f"Not born yet (expected {govuk_date(child.expected_date_of_birth)})"
    else:
        born = "Not recorded"
    return Chronology(
        audience=audience, child_name=_clean(child.full_name), date_of_birth=born,
        la_child_id=_clean(child.la_child_id),
        period=_period(date_from, date_to), selection=_selection(allowed, chosen, significant_only),
        produced=f"Produced by {user.display_name} on {today}" if audience == COURT else f"Produced on {today}",
        rows=rows,
    )


def file_name(chronology: Chronology, child, fmt: str) -> str:
    stem = "chronology" if chronology.for_court else "family-chronology"
    safe_id = "".join(c for c in child.la_child_id if c.isalnum() or c in "-_") or str(child.pk)
    return f"{stem}-{safe_id}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def render(chronology: Chronology, fmt: str) -> bytes:
    return {PDF: render_pdf, WORD: render_docx}[fmt](chronology)


EMPTY = "No events in this period."


# --- PDF (reportlab) ----------------------------------------------------------------------------


def _para(text: str, style, bold: str = ""):

    parts = []
    if bold:
        parts.append(f"<b>{escape(bold)}</b>")
    if text:
        parts.append(escape(text).replace("\n", "<br/>"))
    return Paragraph("<br/>".join(parts), style)


def render_pdf(chronology: Chronology) -> bytes:

    footer_text = f"{chronology.title}: {chronology.child_name} ({chronology.la_child_id})"

    class NumberedCanvas(Canvas):
        """Draws "Page X of Y" once every page is laid out (Y is known only then)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("Helvetica", 8)
                width, _ = self._pagesize
                self.drawString(12 * mm, 7 * mm, footer_text)
                self.drawRightString(width - 12 * mm, 7 * mm, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8.5, leading=10.5)
    header = small.clone("header", fontName="Helvetica-Bold")
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=15 * mm, title=f"{chronology.title}: {chronology.child_name}",
                            author="OpenCSC")
    story = [Paragraph(escape(chronology.title), styles["Title"])]
    facts = Table([[_para(label, header), _para(value, small)] for label, value in chronology.heading()],
                  colWidths=[35 * mm, 150 * mm], hAlign="LEFT")
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    story += [facts, Spacer(1, 5 * mm)]
    if chronology.for_court:
        widths = [22 * mm, 60 * mm, 38 * mm, 70 * mm, 83 * mm]
    else:
        widths = [25 * mm, 90 * mm, 50 * mm, 108 * mm]
    data = [[_para(c, header) for c in chronology.columns]]
    for entry in chronology.rows:
        data.append([_para(text, small, bold) for bold, text in chronology.cells(entry)])
    if not chronology.rows:
        data.append([_para(EMPTY, small)] + [""] * (len(widths) - 1))
    table = Table(data, repeatRows=1, colWidths=widths, splitInRow=1)  # a long entry runs over pages
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story.append(table)
    doc.build(story, canvasmaker=NumberedCanvas)
    return out.getvalue()


# --- Word (python-docx) -------------------------------------------------------------------------


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in the paragraph, shown as 1 until Word updates it."""

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "1":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _cell_text(cell, bold: str, text: str) -> None:
    paragraph = cell.paragraphs[0]
    if bold:
        paragraph.add_run(bold).bold = True
        if text:
            paragraph.add_run().add_break()
    lines = text.split("\n") if text else []
    for n, line in enumerate(lines):
        if n:
            paragraph.add_run().add_break()
        paragraph.add_run(line)


def render_docx(chronology: Chronology) -> bytes:

    document = Document()
    document.core_properties.title = f"{chronology.title}: {chronology.child_name}"
    document.core_properties.author = "OpenCSC"
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))

    footer = section.footer.paragraphs[0]
    footer.text = f"{chronology.title}: {chronology.child_name} ({chronology.la_child_id})    "
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT

    document.add_heading(chronology.title, level=1)
    facts = document.add_table(rows=0, cols=2)
    for label, value in chronology.heading():
        row = facts.add_row().cells
        row[0].paragraphs[0].add_run(label).bold = True
        row[1].text = value
    document.add_paragraph()

    table = document.add_table(rows=1, cols=len(chronology.columns))
    table.style = "Table Grid"
    header = table.rows[0]
    for cell, name in zip(header.cells, chronology.columns, strict=True):
        cell.paragraphs[0].add_run(name).bold = True
    marker = OxmlElement("w:tblHeader")  # repeat the header row at the top of every page
    marker.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(marker)
    for entry in chronology.rows:
        cells = table.add_row().cells
        for cell, (bold, text) in zip(cells, chronology.cells(entry), strict=True):
            _cell_text(cell, bold, text)
    if not chronology.rows:
        table.add_row().cells[0].text = EMPTY
    widths = [Mm(w) for w in ((25, 55, 40, 70, 77) if chronology.for_court else (28, 85, 50, 104))]
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
