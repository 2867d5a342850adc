"""Code lists parsed from the CIN census XSD (and, later, the SSDA903 code book)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .ssda903_names import name as ssda903_name

SPECS = Path(__file__).parent / "specs"
CIN_XSD = SPECS / "CIN_schema_2026.xsd"
_XS = "{http://www.w3.org/2001/XMLSchema}"


@dataclass(frozen=True)
class CodeList:
    """An ordered, immutable list of DfE codes with their labels."""

    name: str
    source: str
    items: tuple[tuple[str, str], ...]

    @property
    def choices(self) -> list[tuple[str, str]]:
        return list(self.items)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for code, _ in self.items)

    def label(self, code: str | None) -> str:
        for item_code, item_label in self.items:
            if item_code == code:
                return item_label
        return ""

    def describe(self, code: str | None, *, with_code: bool = False) -> str:
        """How a person reads a code: its label ("Full care order"), or "Full care order (C2)" where
        practitioners need the code too. A code not in the list is shown as it is, never hidden."""
        if code in (None, ""):
            return ""
        label = self.label(code)
        if not label or label == code:
            return str(code)
        return f"{label} ({code})" if with_code else label

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@cache
def _cin_tree() -> ET.Element:
    return ET.parse(CIN_XSD).getroot()


def _tidy(label: str) -> str:
    label = " ".join(label.split())
    label = label.lstrip("(")
    return label[:1].upper() + label[1:]


_KEEP_CAPITALS = {"GP", "LA", "A&E", "UASC", "FGM", "NHS"}


def _sentence_case(label: str) -> str:
    """The schema writes some labels in capitals ("POLICE", "HEALTH SERVICES – health visitor"): shown
    in sentence case ("Police", "Health services – health visitor"), keeping acronyms such as GP."""
    words = []
    for word in label.split(" "):
        core = word.strip("()‘’'\",.:;")
        if len(core) > 1 and core.isupper() and core not in _KEEP_CAPITALS:
            word = word.replace(core, "Cafcass" if core == "CAFCASS" else core.lower())
        words.append(word)
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def cin_simple_type(type_name: str, list_name: str) -> CodeList:
    """Read an enumerated simpleType from the CIN census schema."""
    for simple in _cin_tree().iter(f"{_XS}simpleType"):
        if simple.get("name") != type_name:
            continue
        items = []
        for enum in simple.iter(f"{_XS}enumeration"):
            doc = enum.find(f"{_XS}annotation/{_XS}documentation")
            items.append((enum.get("value"), _tidy(doc.text if doc is not None and doc.text else "")))
        return CodeList(name=list_name, source=f"CIN census schema: {type_name}", items=tuple(items))
    raise KeyError(type_name)


SEX = cin_simple_type("sextype", "Sex")
ETHNICITY = cin_simple_type("ethnicitytype", "Ethnicity")
DISABILITY = cin_simple_type("disabilitytype", "Disability")
_REFERRAL_SOURCE = cin_simple_type("referralsourcetype", "Referral source")
REFERRAL_SOURCE = CodeList(
    name=_REFERRAL_SOURCE.name, source=_REFERRAL_SOURCE.source,
    items=tuple((code, _sentence_case(label)) for code, label in _REFERRAL_SOURCE.items),
)
CATEGORY_OF_ABUSE = cin_simple_type("categoryofabusetype", "Category of abuse")
PRIMARY_NEED = cin_simple_type("primaryneedcodetype", "Primary need")
REASON_FOR_CLOSURE = cin_simple_type("reasonforclosuretype", "Reason for closure")
ASSESSMENT_FACTORS = cin_simple_type("assessmentfactorstype", "Assessment factors")


# --- SSDA903 (children looked after return) code book --------------------------------
SSDA903_YML = SPECS / "ssda903_codes_2024.yml"


@cache
def _ssda903_columns() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """Parse the `category:` lists of the SSDA903 code book (a small, regular YAML file).

    Read line by line so that no YAML library is needed: a table is indented 4 spaces,
    a column 6, and each `- code: "X"` (with an optional `name: "..."` line) is one item.
    """
    lists: dict[tuple[str, str], list[tuple[str, str]]] = {}
    table = column = None
    for raw in SSDA903_YML.read_text(encoding="utf-8").splitlines():
        indent = len(raw) - len(raw.lstrip(" "))
        line = raw.strip()
        if indent == 4 and line.endswith(":"):
            table, column = line[:-1], None
        elif indent == 6 and line.endswith(":"):
            column = line[:-1]
        elif table and column and line.startswith("- code:"):
            code = line.split(":", 1)[1].strip().strip('"')
            lists.setdefault((table, column), []).append((code, code))
        elif table and column and line.startswith("name:") and lists.get((table, column)):
            code, _ = lists[(table, column)][-1]
            lists[(table, column)][-1] = (code, line.split(":", 1)[1].strip().strip('"'))
    return {key: tuple(items) for key, items in lists.items()}


def ssda903_list(table: str, column: str, list_name: str) -> CodeList:
    """Read one column's codes from the SSDA903 code book."""
    items = tuple((code, ssda903_name(table, column, code, label)) for code, label in _ssda903_columns()[(table, column)])
    return CodeList(name=list_name, source=f"SSDA903 code book: {table}.{column}", items=items)


REASON_NEW_EPISODE = ssda903_list("Episodes", "RNE", "Reason for new episode")
LEGAL_STATUS = ssda903_list("Episodes", "LS", "Legal status")
CATEGORY_OF_NEED = ssda903_list("Episodes", "CIN", "Category of need")
PLACEMENT_TYPE = ssda903_list("Episodes", "PLACE", "Placement type")
PLACEMENT_PROVIDER = ssda903_list("Episodes", "PLACE_PROVIDER", "Placement provider")
REASON_EPISODE_CEASED = ssda903_list("Episodes", "REC", "Reason episode ceased")
REASON_PLACE_CHANGE = ssda903_list("Episodes", "REASON_PLACE_CHANGE", "Reason for placement change")
REVIEW_PARTICIPATION = ssda903_list("Reviews", "REVIEW_CODE", "Child's participation in the review")
SDQ_REASON = ssda903_list("OC2", "SDQ_REASON", "Reason for no SDQ score")
