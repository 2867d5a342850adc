"""Pre-submission validation of the CIN census: the DfE schema, then the DfE rules, on the XML file.

Working on the file (not the database) means the report checks exactly what would be sent,
and the same file can be given to the DfE's own validator. Each issue names the LA child ID
as it appears in the return and, where that child is ours, its Child.pk to link to the record.
"""

from __future__ import annotations

import bisect
from functools import cache
from pathlib import Path

from lxml import etree

from opencsc.people.models import Child
from opencsc.returns.base import CollectionYear, Issue

from . import census as census_module
from .builder import SPECS, build_xml
from .rules import RULES

SCHEMA_ERROR = "L001"
NOT_XML = "L000"
LOCAL_MESSAGES = {
    NOT_XML: "The file is not well-formed XML",
    SCHEMA_ERROR: "The file does not match the DfE schema for the census",
}


@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(Path(SPECS) / name)))


def schema_for(census_year: str) -> etree.XMLSchema:
    try:
        ending = int(census_year)
    except ValueError:
        ending = 2026
    return _schema("CIN_schema_2025.xsd" if ending <= 2025 else "CIN_schema_2026.xsd")


def _child_pks(references: set[str]) -> dict[str, int]:
    refs = sorted(r for r in references if r)
    found: dict[str, int] = {}
    for i in range(0, len(refs), 2000):
        found.update(Child.objects.filter(la_child_id__in=refs[i : i + 2000]).values_list("la_child_id", "pk"))
    return found


def _schema_issues(root, schema: etree.XMLSchema) -> list[tuple[str, str]]:
    """(LA child ID or "", message) for each schema error, placed in the child it falls in."""
    starts = []
    for child in root.iterfind("Children/Child"):
        ref = child.find("ChildIdentifiers/LAchildID")
        starts.append((child.sourceline or 0, (ref.text or "").strip() if ref is not None else ""))
    lines = [s for s, _ in starts]
    found = []
    for error in schema.error_log:
        at = bisect.bisect_right(lines, error.line) - 1
        ref = starts[at][1] if at >= 0 else ""
        found.append((ref, f"{LOCAL_MESSAGES[SCHEMA_ERROR]}: {error.message} (line {error.line})"))
    return found


def validate_xml(xml_bytes: bytes, *, progress=None) -> list[Issue]:
    """The schema check and every implemented DfE rule, on a CIN census XML file."""
    try:
        root = etree.fromstring(xml_bytes, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return [Issue(rule=NOT_XML, message=f"{LOCAL_MESSAGES[NOT_XML]}: {exc}", child_id=None)]

    census = census_module.read(root)
    found: list[tuple[str, str, str, str, str, str]] = []  # rule, message, ref, field, severity, table
    schema = schema_for(census.year)
    if not schema.validate(root):
        for ref, message in _schema_issues(root, schema):
            found.append((SCHEMA_ERROR, message, ref, "", "error", ""))

    rules = list(RULES.values())
    child_rules = [r for r in rules if not r.la]
    total = len(census.children) + 1
    for r in rules:
        if r.la:
            for child in r.func(census):
                ref = child.la_child_id if child is not None else ""
                found.append((r.code, r.message, ref, r.field, r.severity, r.table))
    for n, child in enumerate(census.children, start=1):
        for r in child_rules:
            for field in r.func(child, census):
                found.append((r.code, r.message, child.la_child_id, field or r.field, r.severity, r.table))
        if progress is not None and n % 1000 == 0:
            progress(n, total, "Checking the DfE rules")
    if progress is not None:
        progress(total, total, "Checking the DfE rules")

    pks = _child_pks({ref for _, _, ref, _, _, _ in found})
    return [
        Issue(rule=code, message=message, child_id=pks.get(ref), child_reference=ref, field=field,
              severity=severity, table=table)
        for code, message, ref, field, severity, table in found
    ]


def validate(year: CollectionYear, *, progress=None) -> list[Issue]:
    """Build the year's census XML and check it: the schema, then the DfE rules."""
    return validate_xml(build_xml(year, progress=progress), progress=progress)
