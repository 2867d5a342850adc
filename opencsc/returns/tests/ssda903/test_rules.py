"""Every rule of our 903 validator, on a clean return (passes) and on one made wrong (fails).

No database: the rules run over parsed rows, as validate_files runs them.
"""

import copy

import pytest

from opencsc.returns.base import CollectionYear
from opencsc.returns.ssda903 import validate_files
from opencsc.returns.ssda903.build import files_of
from opencsc.returns.ssda903.engine import REGISTRY
from opencsc.returns.ssda903.validate import run

YEAR = CollectionYear(2026)  # 1 Apr 2025 to 31 Mar 2026

CLEAN = {
    "Header": [
        {"CHILD": "C1", "SEX": "F", "DOB": "01/06/2012", "ETHNIC": "WBRI", "UPN": "A123456789012", "MOTHER": "0",
         "MC_DOB": ""},
        {"CHILD": "C2", "SEX": "M", "DOB": "01/01/2022", "ETHNIC": "BAFR", "UPN": "UN1", "MOTHER": "", "MC_DOB": ""},
        {"CHILD": "C3", "SEX": "M", "DOB": "01/01/2009", "ETHNIC": "OOTH", "UPN": "UN4", "MOTHER": "", "MC_DOB": ""},
        {"CHILD": "C4", "SEX": "M", "DOB": "01/09/2007", "ETHNIC": "WBRI", "UPN": "UN4", "MOTHER": "", "MC_DOB": ""},
    ],
    "Episodes": [
        {"CHILD": "C1", "DECOM": "10/04/2025", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
         "PLACE_PROVIDER": "PR1", "DEC": "10/08/2025", "REC": "X1", "REASON_PLACE_CHANGE": "CARPL",
         "HOME_POST": "TW3 1JJ", "PL_POST": "TW4 5EP", "URN": "123456"},
        {"CHILD": "C1", "DECOM": "10/08/2025", "RNE": "P", "LS": "C2", "CIN": "N1", "PLACE": "U6",
         "PLACE_PROVIDER": "PR4", "DEC": "01/02/2026", "REC": "E4A", "REASON_PLACE_CHANGE": "",
         "HOME_POST": "TW3 1JJ", "PL_POST": "TW5 0EH", "URN": "654321"},
        {"CHILD": "C2", "DECOM": "01/05/2025", "RNE": "S", "LS": "E1", "CIN": "N1", "PLACE": "A5",
         "PLACE_PROVIDER": "PR1", "DEC": "01/03/2026", "REC": "E11", "REASON_PLACE_CHANGE": "",
         "HOME_POST": "TW7 4JX", "PL_POST": "TW13 4JF", "URN": "111111"},
        {"CHILD": "C3", "DECOM": "01/06/2024", "RNE": "S", "LS": "V2", "CIN": "N1", "PLACE": "U6",
         "PLACE_PROVIDER": "PR4", "DEC": "", "REC": "", "REASON_PLACE_CHANGE": "",
         "HOME_POST": "", "PL_POST": "TW14 0EP", "URN": "222222"},
    ],
    "Reviews": [
        {"CHILD": "C1", "DOB": "01/06/2012", "REVIEW": "10/05/2025", "REVIEW_CODE": "PN1"},
        {"CHILD": "C2", "DOB": "01/01/2022", "REVIEW": "01/06/2025", "REVIEW_CODE": "PN0"},
    ],
    "Missing": [
        {"CHILD": "C1", "DOB": "01/06/2012", "MISSING": "M", "MIS_START": "01/06/2025", "MIS_END": "02/06/2025"},
    ],
    "AD1": [
        {"CHILD": "C2", "DOB": "01/01/2022", "DATE_INT": "20/04/2025", "DATE_MATCH": "01/02/2026",
         "FOSTER_CARE": "0", "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11"},
    ],
    "PlacedAdoption": [
        {"CHILD": "C2", "DOB": "01/01/2022", "DATE_PLACED": "20/04/2025", "DATE_PLACED_CEASED": "",
         "REASON_PLACED_CEASED": ""},
    ],
    "UASC": [{"CHILD": "C3", "SEX": "M", "DOB": "01/01/2009", "DUC": "01/01/2027"}],
    "OC2": [
        {"CHILD": "C3", "DOB": "01/01/2009", "SDQ_SCORE": "12", "SDQ_REASON": "", "CONVICTED": "0", "HEALTH_CHECK": "",
         "IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "1",
         "INTERVENTION_RECEIVED": "0", "INTERVENTION_OFFERED": "1"},
    ],
    "OC3": [{"CHILD": "C4", "DOB": "01/09/2007", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "U1"}],
    "PrevPerm": [{"CHILD": "C1", "DOB": "01/06/2012", "PREV_PERM": "Z1", "LA_PERM": "", "DATE_PERM": ""}],
}


def _set(table, index, **values):
    def edit(tables):
        tables[table][index].update(values)
    return edit


def _add(table, **values):
    def edit(tables):
        tables[table].append({**tables[table][0], **values})
    return edit


def _both(*edits):
    def edit(tables):
        for one in edits:
            one(tables)
    return edit


H, E, R, M, A, P, U = "Header", "Episodes", "Reviews", "Missing", "AD1", "PlacedAdoption", "UASC"
O2, O3, PP = "OC2", "OC3", "PrevPerm"


def _clear(table):
    def edit(tables):
        tables[table].clear()
    return edit

ADULT = _set(H, 0, DOB="01/01/2006")

# rule code -> (what is made wrong, the child it is reported for)
BROKEN = {
    "101": (_set(H, 0, SEX="X"), "C1"),
    "102": (_set(H, 0, DOB="31/02/2012"), "C1"),
    "103": (_set(H, 0, ETHNIC="ZZZZ"), "C1"),
    "165": (_set(H, 0, MOTHER="2"), "C1"),
    "143": (_set(E, 1, RNE="X"), "C1"),
    "144": (_set(E, 1, LS="Z9"), "C1"),
    "145": (_set(E, 1, CIN="N9"), "C1"),
    "146": (_set(E, 1, PLACE="Q1"), "C1"),
    "178": (_set(E, 1, PLACE_PROVIDER="PR9"), "C1"),
    "149": (_set(E, 1, REC="E99"), "C1"),
    "1009": (_set(E, 0, REASON_PLACE_CHANGE="NOPE"), "C1"),
    "147": (_set(E, 1, DEC="32/01/2026"), "C1"),
    "148": (_set(E, 1, REC=""), "C1"),
    "356": (_set(E, 1, DEC="01/08/2025"), "C1"),
    "353": (_set(E, 3, DECOM="01/01/1990"), "C3"),
    "385": (_set(E, 1, DEC="01/04/2026"), "C1"),
    "388": (_set(E, 1, REC="X1"), "C1"),
    "433": (_set(E, 1, DECOM="12/08/2025"), "C1"),
    "431": (_both(_set(E, 0, REC="E4A"), _set(E, 1, RNE="S")), "C1"),
    "432": (_set(E, 0, REC="E4A"), "C1"),
    "357": (_set(E, 0, RNE="P"), "C1"),
    "217": (_set(E, 1, PLACE="A3"), "C1"),
    "386": (_both(ADULT, _set(E, 1, REC="E11")), "C1"),
    "407": (_both(ADULT, _set(E, 1, REC="E45")), "C1"),
    "387": (_set(E, 1, REC="E5"), "C1"),
    "389": (_set(E, 1, REC="E7"), "C1"),
    "460": (_set(E, 1, REC="E17"), "C1"),
    "358": (_set(E, 2, LS="J1"), "C2"),
    "527": (_set(E, 0, PLACE="P1"), "C1"),
    "528": (_set(E, 0, PLACE="R2", PLACE_PROVIDER="PR2"), "C1"),
    "529": (_set(E, 0, PLACE_PROVIDER="PR3"), "C1"),
    "530": (_set(E, 1, PLACE="P1"), "C1"),
    "531": (_set(E, 1, PLACE="P1", PLACE_PROVIDER="PR5"), "C1"),
    "550": (_set(E, 0, PLACE_PROVIDER="PR0"), "C1"),
    "376": (_set(E, 0, PLACE="T3"), "C1"),
    "379": (_set(E, 0, PLACE="T4"), "C1"),
    "166": (_set(R, 0, REVIEW=""), "C1"),
    "167": (_set(R, 0, REVIEW_CODE="PN9"), "C1"),
    "440": (_set(R, 0, REVIEW_CODE="PN0"), "C1"),
    "441": (_set(R, 1, REVIEW_CODE="PN1"), "C2"),
    "INT08": (_set(R, 0, CHILD="C9"), "C9"),
    "INT17": (_set(R, 0, DOB="02/06/2012"), "C1"),
    "1006": (_set(M, 0, MISSING="X"), "C1"),
    "564": (_set(M, 0, MIS_START=""), "C1"),
    "1004": (_set(M, 0, MIS_START="99/99/2025"), "C1"),
    "1005": (_set(M, 0, MIS_END="bad"), "C1"),
    "567": (_set(M, 0, MIS_END="31/05/2025"), "C1"),
    "570": (_set(M, 0, MIS_START="01/05/2026", MIS_END=""), "C1"),
    "571": (_set(M, 0, MIS_END="01/05/2026"), "C1"),
    "586": (_set(M, 0, MIS_START="01/01/2010"), "C1"),
    "574": (_both(_set(M, 0, MIS_END=""), _add(M, MIS_START="01/07/2025", MIS_END="02/07/2025")), "C1"),
    "577": (_set(M, 0, MIS_END=""), "C1"),
    "578": (_set(M, 0, MIS_START="10/02/2026", MIS_END="11/02/2026"), "C1"),
    "INT04": (_set(M, 0, CHILD="C9"), "C9"),
    "INT13": (_set(M, 0, DOB="02/06/2012"), "C1"),
    "112": (_set(A, 0, DATE_INT="bad"), "C2"),
    "113": (_set(A, 0, DATE_MATCH=""), "C2"),
    "114": (_set(A, 0, FOSTER_CARE="2"), "C2"),
    "175": (_set(A, 0, NB_ADOPTR="3"), "C2"),
    "176": (_set(A, 0, SEX_ADOPTR="XX"), "C2"),
    "177": (_set(A, 0, LS_ADOPTR="L9"), "C2"),
    "333": (_set(A, 0, DATE_INT="02/02/2026"), "C2"),
    "511": (_set(A, 0, SEX_ADOPTR="M1", LS_ADOPTR="L0"), "C2"),
    "514": (_set(A, 0, LS_ADOPTR="L0"), "C2"),
    "517": (_set(A, 0, LS_ADOPTR="L3", SEX_ADOPTR="MM"), "C2"),
    "518": (_set(A, 0, LS_ADOPTR="L4"), "C2"),
    "519": (_set(A, 0, LS_ADOPTR="L2", SEX_ADOPTR="M1", NB_ADOPTR="1"), "C2"),
    "520": (_set(A, 0, SEX_ADOPTR="FF"), "C2"),
    "524": (_set(A, 0, LS_ADOPTR="L12"), "C2"),
    "115": (_set(P, 0, DATE_PLACED=""), "C2"),
    "116": (_set(P, 0, DATE_PLACED_CEASED="bad", REASON_PLACED_CEASED="RD1"), "C2"),
    "120": (_set(P, 0, DATE_PLACED_CEASED="01/03/2026", REASON_PLACED_CEASED="RD9"), "C2"),
    "119": (_set(P, 0, DATE_PLACED_CEASED="01/03/2026"), "C2"),
    "184": (_set(P, 0, DATE_PLACED="01/01/2021"), "C2"),
    "522": (_set(P, 0, DATE_PLACED_CEASED="01/04/2025", REASON_PLACED_CEASED="RD1"), "C2"),
    "INT02": (_set(P, 0, CHILD="C9"), "C9"),
    "INT12": (_set(P, 0, DOB="02/01/2022"), "C2"),
    "104": (_set(U, 0, DUC="bad"), "C3"),
    "304": (_set(U, 0, DUC="02/01/2027"), "C3"),
    "434": (_set(E, 1, RNE="L"), "C1"),
    "435": (_set(E, 1, LS="C1"), "C1"),
    "437": (_set(E, 0, REC="E2"), "C1"),
    "355": (_set(E, 1, DEC="10/08/2025"), "C1"),
    "363": (_set(E, 3, LS="L3"), "C3"),
    "364": (_set(E, 3, LS="J2"), "C3"),
    "365": (_set(E, 3, LS="V3"), "C3"),
    "352": (_set(H, 0, DOB="01/01/2005"), "C1"),
    "351": (_set(H, 2, DOB="01/01/1999"), "C3"),
    "390": (_set(E, 2, PLACE="U4"), "C2"),
    "408": (_set(E, 2, LS="C2"), "C2"),
    "213": (_set(E, 0, PLACE="T1"), "C1"),
    "526": (_set(E, 0, PLACE_PROVIDER=""), "C1"),
    "222": (_set(E, 0, PLACE="R1"), "C1"),
    "226": (_set(E, 0, PLACE="T0", PLACE_PROVIDER=""), "C1"),
    "553": (_clear(P), "C2"),
    "551": (_both(_clear(P), _set(E, 2, LS="C2", PLACE="A4")), "C2"),
    "601": (_set(A, 0, LS_ADOPTR=""), "C2"),
    "602": (_set(E, 2, REC="E4A"), "C2"),
    "180": (_set(O2, 0, SDQ_SCORE="41"), "C3"),
    "196": (_set(O2, 0, SDQ_SCORE="", SDQ_REASON="SDQ9"), "C3"),
    "197a": (_set(O2, 0, SDQ_REASON="SDQ1"), "C3"),
    "181": (_set(O2, 0, HEALTH_CHECK="2"), "C3"),
    "188": (_set(O2, 0, CHILD="C2", DOB="01/06/2022", CONVICTED=""), "C2"),
    "501": (_set(E, 1, DECOM="01/08/2025"), "C1"),
    "575": (_set(M, 0, MIS_END=""), "C1"),
    "189": (_set(O2, 0, CHILD="C4", DOB="01/09/2007"), "C4"),
    "542": (_set(O2, 0, CHILD="C2", DOB="01/01/2022", SDQ_SCORE=""), "C2"),
    "158": (_set(O2, 0, INTERVENTION_RECEIVED="1"), "C3"),
    "159": (_set(O2, 0, INTERVENTION_OFFERED=""), "C3"),
    "192": (_set(O2, 0, INTERVENTION_RECEIVED=""), "C3"),
    "193": (_set(O2, 0, SUBSTANCE_MISUSE="0"), "C3"),
    "131": (_set(O3, 0, IN_TOUCH="MAYBE"), "C4"),
    "132": (_set(O3, 0, ACTIV="Q9"), "C4"),
    "133": (_set(O3, 0, ACCOM="Q9"), "C4"),
    "153": (_set(O3, 0, ACCOM=""), "C4"),
    "345": (_set(O3, 0, ACTIV="0"), "C4"),
    "INT01": (_set(A, 0, CHILD="C9"), "C9"),
    "INT03": (_set(E, 3, CHILD="C9"), "C9"),
    "INT05": (_set(O2, 0, CHILD="C9"), "C9"),
    "INT06": (_set(O3, 0, CHILD="C9"), "C9"),
    "INT07": (_set(PP, 0, CHILD="C9"), "C9"),
    "INT09": (_set(U, 0, CHILD="C9"), "C9"),
    "INT11": (_set(A, 0, DOB="02/01/2022"), "C2"),
    "INT14": (_set(O2, 0, DOB="02/01/2009"), "C3"),
    "INT15": (_set(O3, 0, DOB="02/09/2007"), "C4"),
    "INT16": (_set(PP, 0, DOB="02/06/2012"), "C1"),
    "INT18": (_set(U, 0, DOB="02/01/2009"), "C3"),
}


def _issues(tables):
    return run(tables, YEAR)


def test_the_clean_return_breaks_no_rule():
    assert _issues(copy.deepcopy(CLEAN)) == []


def test_every_registered_rule_has_a_case():
    assert set(REGISTRY) == set(BROKEN)


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_rule_passes_on_clean_data_and_fails_on_wrong_data(code):
    edit, child = BROKEN[code]
    assert not [i for i in _issues(copy.deepcopy(CLEAN)) if i.rule == code]
    tables = copy.deepcopy(CLEAN)
    edit(tables)
    found = [i for i in _issues(tables) if i.rule == code]
    assert found, f"rule {code} did not fire"
    assert {i.child_reference for i in found} == {child}
    rule = REGISTRY[code]
    assert all(i.message == rule.message and i.table == rule.table and i.field == rule.field for i in found)


def test_validate_files_reads_the_csv_files_by_their_columns():
    tables = copy.deepcopy(CLEAN)
    tables["Episodes"][1]["RNE"] = "X"
    files = {f"any-name-{f.name}": f.content for f in files_of(tables)}
    issues = validate_files(files, year=YEAR)
    assert [(i.rule, i.child_reference, i.child_id) for i in issues] == [("143", "C1", None)]


def test_validate_files_works_out_the_year_when_not_given():
    tables = copy.deepcopy(CLEAN)
    tables["Episodes"][1]["DEC"] = "01/04/2026"  # after the end of the year its episodes start in
    issues = validate_files({f.name: f.content for f in files_of(tables)})
    assert "385" in {i.rule for i in issues}


# --- The placement codes of the collection year being validated (they changed from 2025-26) ----------------


@pytest.mark.parametrize(("ending", "place", "provider", "urn", "rules"), [
    (2025, "H5", "PR4", "", set()),  # semi-independent living: valid until 2024-25 (146), with no URN (222)
    (2026, "H5", "PR4", "", {"146"}),  # replaced by K3 from 2025-26
    (2026, "K3", "PR4", "123456", set()),
    (2025, "Z1", "", "", set()),
    (2025, "Z1", "PR4", "", {"178"}),  # Z1 had no provider
    (2026, "Z1", "", "", {"146", "526"}),  # replaced by Z11 to Z14 (and so taken for one with a provider)
    (2026, "Z14", "", "", set()),
    (2026, "Z14", "PR4", "", {"178", "213"}),
    (2025, "Z14", "", "", {"146", "526"}),  # not yet a code
    (2025, "P2", "PR4", "", set()),
    (2026, "P2", "PR4", "", {"146"}),  # independent living went in 2025-26
    (2025, "T1", "PR1", "", {"178", "213"}),
    (2026, "T4", "PR1", "", {"213"}),  # the DfE's 2025-26 rule 178 leaves T4 to 213
    (2025, "H5", "PR4", "123456", set()),  # H5 may have an Ofsted URN from 2023-24
    (2023, "H5", "PR4", "123456", {"222"}),
    (2026, "K3", "", "123456", {"526"}),
])
def test_placement_codes_are_those_of_the_year_validated(ending, place, provider, urn, rules):
    year = CollectionYear(ending)
    tables = copy.deepcopy(CLEAN)
    tables["Episodes"][3].update(PLACE=place, PLACE_PROVIDER=provider, URN=urn)
    placement_rules = {"146", "178", "213", "222", "526"}
    found = {i.rule for i in run(tables, year) if i.rule in placement_rules and i.child_reference == "C3"}
    assert found == rules


@pytest.mark.parametrize(("ending", "sex", "valid"), [
    (2024, "1", True), (2024, "M", False), (2025, "M", True), (2025, "U", True), (2025, "1", False), (2026, "F", True),
])
def test_sex_codes_are_those_of_the_year_validated(ending, sex, valid):
    tables = copy.deepcopy(CLEAN)
    tables["Header"][0]["SEX"] = sex
    found = [i for i in run(tables, CollectionYear(ending)) if i.rule == "101" and i.child_reference == "C1"]
    assert (not found) == valid
