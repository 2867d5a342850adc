"""Code lists parsed from the CIN census XSD (and, later, the SSDA903 code book)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
REFERRAL_SOURCE = cin_simple_type("referralsourcetype", "Referral source")
CATEGORY_OF_ABUSE = cin_simple_type("categoryofabusetype", "Category of abuse")
PRIMARY_NEED = cin_simple_type("primaryneedcodetype", "Primary need")
REASON_FOR_CLOSURE = cin_simple_type("reasonforclosuretype", "Reason for closure")
ASSESSMENT_FACTORS = cin_simple_type("assessmentfactorstype", "Assessment factors")
