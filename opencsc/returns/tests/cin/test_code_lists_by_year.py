"""The CIN census code lists for every collection year the census is built for.

The rules check codes against one set of lists (opencsc.codes, read from the latest schema). That is
right only while every year's DfE schema has the same codes: this test compares each list with the
schema of each year (2024-25 uses CIN_schema_2025.xsd, later years CIN_schema_2026.xsd). Should a
year's schema add or drop a code, it fails, naming the list and the year, and the lists must then be
chosen by year. (The labels may differ: N1 is "Abuse or neglect" in 2024-25 and "Abuse, neglect and
exploitation" from 2025-26; the census holds codes only.)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from opencsc.codes.lists import (
    ASSESSMENT_FACTORS,
    CATEGORY_OF_ABUSE,
    DISABILITY,
    ETHNICITY,
    PRIMARY_NEED,
    REASON_FOR_CLOSURE,
    REFERRAL_SOURCE,
    SEX,
)
from opencsc.returns.base import CollectionYear
from opencsc.returns.cin.builder import schema_path

XS = "{http://www.w3.org/2001/XMLSchema}"
LISTS = {"sextype": SEX, "ethnicitytype": ETHNICITY, "disabilitytype": DISABILITY,
         "referralsourcetype": REFERRAL_SOURCE, "categoryofabusetype": CATEGORY_OF_ABUSE,
         "primaryneedcodetype": PRIMARY_NEED, "reasonforclosuretype": REASON_FOR_CLOSURE,
         "assessmentfactorstype": ASSESSMENT_FACTORS}
YEARS = [2025, 2026, 2027]


def enumerations(year: CollectionYear) -> dict[str, frozenset[str]]:
    root = ET.parse(schema_path(year)).getroot()
    return {t.get("name"): frozenset(e.get("value") for e in t.iter(f"{XS}enumeration"))
            for t in root.iter(f"{XS}simpleType") if t.get("name")}


@pytest.mark.parametrize("ending", YEARS)
@pytest.mark.parametrize("type_name", LISTS)
def test_each_code_list_is_the_years_own(type_name, ending):
    year = CollectionYear(ending)
    assert LISTS[type_name].codes == enumerations(year)[type_name], f"{type_name} in {year.label}"

