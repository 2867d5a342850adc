"""The DfE code lists are read from the published specifications, not typed in."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template

from opencsc import codes
from opencsc.codes.lists import _ssda903_columns
from opencsc.codes.ssda903_names import NAMES

SHARED_SPECS = Path(__file__).resolve().parents[4] / "shared" / "specs"


@pytest.mark.parametrize(
    "code_list, expected",
    [
        (codes.SEX, {"M", "F", "U"}),
        (codes.CATEGORY_OF_ABUSE, {"NEG", "PHY", "SAB", "EMO", "MUL"}),
        (codes.PRIMARY_NEED, {f"N{i}" for i in range(10)}),
        (codes.REASON_FOR_CLOSURE, {f"RC{i}" for i in range(1, 10)}),
    ],
)
def test_code_lists_match_the_cin_schema(code_list, expected):
    assert code_list.codes == expected


def test_ethnicity_has_the_twenty_dfe_codes_with_labels():
    assert len(codes.ETHNICITY) == 20
    assert codes.ETHNICITY.label("WBRI") == "White British"
    assert codes.ETHNICITY.label("NOBT") == "Information not yet obtained"
    assert "XXXX" not in codes.ETHNICITY


@pytest.mark.skipif(not SHARED_SPECS.exists(), reason="shared specs are not beside this checkout")
@pytest.mark.parametrize("name", ["CIN_schema_2026.xsd", "ssda903_codes_2024.yml", "ssda903_columns.json", "annex_a_columns.json"])
def test_bundled_specs_are_unchanged_copies(name):
    bundled = Path(codes.__file__).parent / "specs" / name
    assert bundled.read_bytes() == (SHARED_SPECS / name).read_bytes()


# --- Names of the SSDA903 codes (the code book gives none) and how a person reads a code ---------------


@pytest.mark.parametrize("table, column", sorted(NAMES))
def test_every_named_ssda903_code_is_in_the_code_book_and_every_code_has_a_name(table, column):
    book = {code for code, _ in _ssda903_columns()[(table, column)]}
    assert set(NAMES[(table, column)]) == book
    assert all(name and name[0].isupper() and name != code for code, name in NAMES[(table, column)].items())


@pytest.mark.parametrize("name, code_list", sorted(codes.CODE_LISTS.items()))
def test_every_code_a_person_reads_has_a_label(name, code_list):
    assert all(label and label != code for code, label in code_list), name


@pytest.mark.parametrize("list_name, code, with_code, expected", [
    ("LEGAL_STATUS", "C2", False, "Full care order"),
    ("LEGAL_STATUS", "C2", True, "Full care order (C2)"),
    ("PLACEMENT_TYPE", "U4", False, "Foster placement with other foster carers, long term"),
    ("REASON_PLACE_CHANGE", "CARPL", False, "Change to, or carrying out of, the care plan"),
    ("REASON_EPISODE_CEASED", "X1", True, "Episode ceased and a new one began the same day (X1)"),
    ("REFERRAL_SOURCE", "6", False, "Police"),
    ("REFERRAL_SOURCE", "3A", False, "Health services – general practitioner (GP)"),
    ("LEGAL_STATUS", "ZZ", True, "ZZ"),  # a code not in the list is shown as it is, never hidden
    ("LEGAL_STATUS", "", True, ""),
    ("LEGAL_STATUS", None, False, ""),
])
def test_a_code_is_described_in_words(list_name, code, with_code, expected):
    assert codes.describe(list_name, code, with_code=with_code) == expected


@pytest.mark.parametrize("template, expected", [
    ('{{ "C2"|code_label:"LEGAL_STATUS" }}', "Full care order"),
    ('{{ "V2"|code_and_label:"LEGAL_STATUS" }}', "Accommodated under section 20 (single period) (V2)"),
    ("{{ value|km }}", "2.8 km"),
    ("{{ 19770|number }}", "19,770"),
    ("{{ value|number }}", "2.8"),
    ("{{ 12.345|number:2 }}", "12.35"),
    ("{{ 3.0|number }}", "3"),
    ("{{ None|number }}", ""),
    ('{{ "n/a"|number }}', "n/a"),
])
def test_template_filters_show_codes_and_numbers_as_people_read_them(template, expected):
    assert Template(template).render(Context({"value": Decimal("2.80000000000000")})) == expected
