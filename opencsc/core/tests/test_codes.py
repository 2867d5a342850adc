"""The DfE code lists are read from the published specifications, not typed in."""

from pathlib import Path

import pytest

from opencsc import codes

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
