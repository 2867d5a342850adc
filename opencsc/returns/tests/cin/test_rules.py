"""Every DfE CIN rule, on a clean census (passes) and on one made wrong for that rule (fails)."""

import pytest

from opencsc.returns.cin import validate_xml
from opencsc.returns.cin.rules import RULES, not_implemented, rule_texts
from opencsc.returns.tests.cin.census_xml import (
    ASS,
    C1,
    C2,
    C3,
    CPP,
    E1,
    E2,
    IDS1,
    PLAN1,
    PLAN2,
    S47,
    UPN_1,
    add,
    changed,
    clean_xml,
    delete,
    duplicate,
    set_,
    upn,
)

pytestmark = pytest.mark.django_db

FACTORS = f"{ASS}/FactorsIdentifiedAtAssessment"

# rule code -> the changes that make the clean census break it
BREAKS = {
    "100": [set_("Header/CollectionDetails/ReferenceDate", "2026-03-30")],
    "8500": [set_(f"{IDS1}/LAchildID", "")],
    "1570": [set_(f"{IDS1}/LAchildID", "C" + "1" * 20)],
    "1580": [set_(f"{IDS1}/LAchildID", "C-1")],
    "8510": [set_(f"{C2}/ChildIdentifiers/LAchildID", "C1")],
    "1520": [add(f"{C2}/ChildIdentifiers", "UPN", UPN_1)],
    "1510": [set_(f"{IDS1}/UPN", ("B" if UPN_1[0] != "B" else "C") + UPN_1[1:])],
    "1530": [set_(f"{IDS1}/UPN", upn(la="899"))],
    "1540": [set_(f"{IDS1}/UPN", UPN_1[:5] + "X" + UPN_1[6:])],
    "1550": [set_(f"{IDS1}/UPN", UPN_1[:12] + "I")],
    "1560Q": [add(IDS1, "FormerUPN", "12345")],
    "8520": [set_(f"{IDS1}/PersonBirthDate", "2026-04-02")],
    "8525Q": [add(IDS1, "ExpectedPersonBirthDate", "2026-05-01")],
    "8530Q": [set_(f"{C2}/ChildIdentifiers/ExpectedPersonBirthDate", "2027-06-01")],
    "8535Q": [add(IDS1, "PersonDeathDate", "2014-01-01")],
    "8545Q": [add(IDS1, "PersonDeathDate", "2025-01-01")],
    "4180": [set_(f"{IDS1}/Sex", "X")],
    "8750": [set_(f"{C2}/ChildIdentifiers/Sex", "M")],
    "2886Q": [set_(f"{IDS1}/Sex", "U")],
    "8775Q": [set_(f"{IDS1}/PersonBirthDate", "1990-01-01")],
    "8770Q": [delete(f"{IDS1}/UPN")],
    "8772": [add(IDS1, "UPNunknown", "UN7")],
    "8590": [delete(f"{C3}/CINdetails")],
    "4220": [set_(f"{C1}/ChildCharacteristics/Ethnicity", "XXXX")],
    "8540": [delete(f"{C1}/ChildCharacteristics/Disabilities")],
    "8790": [add(f"{C1}/ChildCharacteristics/Disabilities", "Disability", "NONE")],
    "8794": [add(f"{C1}/ChildCharacteristics/Disabilities", "Disability", "MOB")],
    "2887Q": [delete(f"{C1}/ChildCharacteristics/Disabilities/Disability[position() > 2]")],
    "2888Q": [delete(f"{C1}/ChildCharacteristics/Disabilities/Disability[position() > 1]")],
    "8600": [set_(f"{E1}/CINreferralDate", "2026-04-05")],
    "8606": [set_(f"{IDS1}/PersonBirthDate", "2026-03-01")],
    "8555Q": [add(IDS1, "PersonDeathDate", "2025-04-15")],
    "8866": [set_(f"{E1}/ReferralSource", "99")],
    "8650": [set_(f"{E1}/PrimaryNeedCode", "N11")],
    "8610": [delete(f"{E1}/PrimaryNeedCode")],
    "8568": [set_(f"{E1}/ReferralNFA", "2")],
    "8569Q": [set_(f"{C3}/CINdetails/CINreferralDate", "2025-01-01")],
    "8620": [set_(f"{E1}/CINclosureDate", "2026-04-02")],
    "8630": [set_(f"{E1}/CINclosureDate", "2025-04-20")],
    "8640": [set_(f"{E1}/ReasonForClosure", "RC10")],
    "8805": [delete(f"{E1}/ReasonForClosure")],
    "8810": [delete(f"{E1}/CINclosureDate")],
    "8585Q": [set_(f"{E1}/ReasonForClosure", "RC2")],
    "8815": [duplicate(E2)],
    "8816": [duplicate(E2), set_(f"{C2}/CINdetails[2]/CINreferralDate", "2026-02-01"),
             add(f"{C2}/CINdetails[2]", "CINclosureDate", "2026-03-25"),
             add(f"{C2}/CINdetails[2]", "ReasonForClosure", "RC7")],
    "8820": [duplicate(E1)],
    "8825Q": [set_(f"{E1}/ReasonForClosure", "RC8"), delete(ASS)],
    "2990": [set_(f"{E1}/ReasonForClosure", "RC8")],
    "8831": [set_(f"{E1}/ReferralNFA", "1")],
    "8832": [set_(f"{E1}/ReferralNFA", "1")],
    "4000": [set_(f"{E1}/ReferralNFA", "1")],
    "8565": [set_(f"{E1}/CINclosureDate", "2026-02-01")],
    "8867": [delete(f"{ASS}/AssessmentAuthorisationDate")],
    "8868": [delete(f"{S47}/DateOfInitialCPC")],
    "2884": [add(E1, "DateOfInitialCPC", "2025-07-15")],
    "1104": [set_(f"{S47}/DateOfInitialCPC", "2025-04-22")],
    "8715": [set_(f"{S47}/DateOfInitialCPC", "2025-03-20")],
    "8875": [set_(f"{S47}/DateOfInitialCPC", "2025-07-19")],
    "2883": [delete(f"{S47}/DateOfInitialCPC")],
    "2885": [set_(f"{CPP}/CPPstartDate", "2025-07-16")],
    "1103": [set_(f"{ASS}/AssessmentActualStartDate", "2025-04-20")],
    "8608": [set_(f"{ASS}/AssessmentAuthorisationDate", "2025-05-01")],
    "8696": [set_(f"{ASS}/AssessmentAuthorisationDate", "2026-04-03")],
    "8736": [set_(f"{E2}/Assessments/AssessmentActualStartDate", "2025-03-01")],
    "8670Q": [set_(f"{E2}/Assessments/AssessmentActualStartDate", "2025-12-01")],
    "8614": [delete(f"{ASS}/AssessmentAuthorisationDate")],
    "8897Q": [delete(FACTORS)],
    "8869": [add(FACTORS, "AssessmentFactors", "21")],
    "8898": [add(FACTORS, "AssessmentFactors", "1B")],
    "8873Q": [delete(f"{FACTORS}/AssessmentFactors[2]"), set_(f"{FACTORS}/AssessmentFactors[1]", "21")],
    "8950Q": [add(FACTORS, "AssessmentFactors", "19A")],
    "8945Q": [add(FACTORS, "AssessmentFactors", "18A")],
    "8896": [duplicate(f"{E2}/Assessments")],
    "8863Q": [duplicate(ASS), set_(f"{E1}/Assessments[2]/AssessmentActualStartDate", "2025-05-10")],
    "2991Q": [delete(ASS)],
    "4010": [set_(f"{PLAN2}/CINPlanStartDate", "2026-04-05")],
    "4011": [set_(f"{PLAN1}/CINPlanEndDate", "2025-06-01")],
    "4012Q": [set_(f"{PLAN1}/CINPlanEndDate", "2025-06-03")],
    "4013": [set_(f"{PLAN2}/CINPlanEndDate", "2026-04-05")],
    "4015": [set_(f"{PLAN1}/CINPlanStartDate", "2025-04-20")],
    "4004": [delete(f"{E1}/CINPlanDates/CINPlanEndDate")],
    "4014": [set_(f"{PLAN2}/CINPlanStartDate", "2025-06-10")],
    "4008": [add(IDS1, "PersonDeathDate", "2026-01-01")],
    "4009Q": [add(IDS1, "PersonDeathDate", "2026-02-01")],
    "4001": [delete(f"{CPP}/CPPendDate"), delete(f"{PLAN2}/CINPlanEndDate")],
    "4016": [set_(f"{PLAN2}/CINPlanStartDate", "2026-01-10")],
    "4017": [set_(f"{PLAN1}/CINPlanEndDate", "2025-08-01")],
    "4003": [set_(f"{PLAN1}/CINPlanEndDate", "2025-11-01")],
    "2889": [set_(f"{S47}/S47ActualStartDate", "2025-04-22")],
    "8615": [set_(f"{S47}/S47ActualStartDate", "2025-07-16")],
    "8675Q": [delete(f"{S47}/DateOfInitialCPC")],
    "8740": [delete(f"{S47}/DateOfInitialCPC"), set_(f"{S47}/S47ActualStartDate", "2025-03-20")],
    "8839": [delete(f"{S47}/DateOfInitialCPC"), duplicate(S47)],
    "8890": [duplicate(S47), set_(f"{E1}/Section47[2]/S47ActualStartDate", "2025-07-07")],
    "8870Q": [set_(f"{S47}/InitialCPCtarget", "2025-07-19")],
    "1105": [set_(f"{CPP}/CPPstartDate", "2025-04-22")],
    "8720": [set_(f"{CPP}/CPPstartDate", "2026-04-05")],
    "8840": [set_(f"{CPP}/CPPendDate", "2025-07-15")],
    "8925": [set_(f"{CPP}/CPPendDate", "2025-07-01")],
    "8930": [set_(f"{CPP}/CPPendDate", "2026-04-05")],
    "8905": [set_(f"{CPP}/InitialCategoryOfAbuse", "XXX")],
    "8910": [set_(f"{CPP}/LatestCategoryOfAbuse", "XXX")],
    "8730": [set_(f"{CPP}/NumberOfPreviousCPP", "-1")],
    "8915": [add(IDS1, "PersonDeathDate", "2025-07-10")],
    "8920": [add(IDS1, "PersonDeathDate", "2026-01-10")],
    "8935": [duplicate(CPP), delete(f"{E1}/ChildProtectionPlans/CPPendDate")],
    "8940": [duplicate(CPP), set_(f"{E1}/ChildProtectionPlans[2]/CPPstartDate", "2025-08-01")],
    "8841": [set_(f"{CPP}/Reviews/CPPreviewDate", "2025-07-15")],
    "8842Q": [set_(f"{CPP}/Reviews/CPPreviewDate", "")],
}


def codes(xml: bytes) -> set[str]:
    return {i.rule for i in validate_xml(xml)}


def test_every_rule_in_the_dfe_list_is_implemented_and_tested():
    assert not_implemented() == []
    assert set(RULES) == set(rule_texts()) == set(BREAKS)
    assert len(RULES) >= 108


def test_the_clean_census_has_no_issues_at_all():
    assert validate_xml(clean_xml()) == []


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_rule_passes_on_clean_census(code):
    assert code not in codes(clean_xml())


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_rule_fails_when_broken(code):
    issues = [i for i in validate_xml(changed(*BREAKS[code])) if i.rule == code]
    assert issues, f"{code} did not fire"
    rule = RULES[code]
    for issue in issues:
        assert issue.message == rule_texts()[code]
        assert issue.severity == ("query" if code.endswith("Q") else "error")
        assert not issue.message.endswith(("(ERROR)", "(QUERY)"))
        assert issue.table == rule.table


@pytest.mark.parametrize(
    ("code", "changes"),
    [
        # Boundaries the DfE rules allow.
        ("4016", [set_(f"{PLAN2}/CINPlanStartDate", "2026-01-20")]),  # CIN plan starts as the CP plan ends
        ("4017", [set_(f"{PLAN1}/CINPlanEndDate", "2025-07-15")]),  # CIN plan ends as the CP plan starts
        ("4003", [set_(f"{CPP}/Reviews/CPPreviewDate", "2026-01-20"), set_(f"{PLAN2}/CINPlanStartDate", "2026-01-20")]),
        ("8620", [set_(f"{E1}/CINclosureDate", "2026-03-31"), set_(f"{PLAN2}/CINPlanEndDate", "2026-03-31")]),
        ("8630", [set_(f"{C3}/CINdetails/CINreferralDate", "2026-02-02")]),
        ("8770Q", [delete(f"{IDS1}/UPN"), add(IDS1, "UPNunknown", "UN3")]),
        ("8569Q", [set_(f"{C3}/CINdetails/CINreferralDate", "2025-04-01")]),
        ("8606", [set_(f"{IDS1}/PersonBirthDate", "2026-02-04")]),  # referral exactly 279 days before birth
    ],
)
def test_rule_allows_its_boundary(code, changes):
    assert code not in codes(changed(*changes))


def test_issues_carry_the_child_reference_field_and_no_pk_for_children_not_in_the_database():
    issues = [i for i in validate_xml(changed(*BREAKS["8840"])) if i.rule == "8840"]
    assert [(i.child_reference, i.field, i.child_id) for i in issues] == [("C1", "CPPendDate", None)]


def test_return_level_issues_name_no_child():
    (issue,) = [i for i in validate_xml(changed(*BREAKS["100"])) if i.rule == "100"]
    assert (issue.child_id, issue.child_reference, issue.table) == (None, "", "Header")


def test_schema_errors_are_reported_in_the_child_they_fall_in():
    issues = validate_xml(changed(delete(f"{E1}/ReferralSource")))
    schema = [i for i in issues if i.rule == "L001"]
    assert schema and {i.child_reference for i in schema} == {"C1"}
    assert "ReferralSource" in schema[0].message


def test_a_file_that_is_not_xml_is_one_issue():
    (issue,) = validate_xml(b"<Message><Children>")
    assert issue.rule == "L000" and issue.child_id is None


def test_every_rule_is_in_the_documentation_table():
    from pathlib import Path

    docs = Path(__file__).resolve().parents[4] / "docs" / "returns-cin.md"
    table = docs.read_text(encoding="utf-8").split("\n## The rules\n", 1)[1]
    rows = {line.split("|")[1].strip() for line in table.splitlines()
            if line.startswith("| ") and not line.startswith("| Code")}
    assert rows == set(RULES)
