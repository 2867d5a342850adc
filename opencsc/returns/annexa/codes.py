"""Our codes (DfE and the apps' own) in the words the Annex A schema expects.

Every value on the right is a `code` in /work/shared/specs/annex_a_schema.yml (a test parses the
schema and checks each one); every DfE code our records can hold is a key (a test checks that too).
"""

from __future__ import annotations

import json
from pathlib import Path

YES, NO, UNKNOWN = "Yes", "No", "Unknown"

GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}

_ETHNIC_GROUPS = {
    "W": "a) White", "M": "b) Mixed", "A": "c) Asian or Asian British", "B": "d) Black or black British",
    "C": "e) Other ethnic group", "O": "e) Other ethnic group",
}
ETHNICITY_NOT_STATED = "f) Not stated"


def ethnicity(code: str) -> str:
    if code in ("REFU", "NOBT", ""):
        return ETHNICITY_NOT_STATED
    return _ETHNIC_GROUPS.get(code[:1], ETHNICITY_NOT_STATED)


def disability(codes: list | None) -> str:
    """The child's DfE disability codes: none recorded is "Unknown", NONE alone is "No"."""
    codes = [c for c in (codes or []) if c]
    if not codes:
        return UNKNOWN
    return NO if set(codes) == {"NONE"} else YES


SOURCE = {
    "1A": "a) Individual", "1B": "a) Individual", "1C": "a) Individual", "1D": "a) Individual",
    "2A": "b) Schools", "2B": "c) Education services",
    "3A": "d) Health services", "3B": "d) Health services", "3C": "d) Health services",
    "3D": "d) Health services", "3E": "d) Health services", "3F": "d) Health services",
    "4": "e) Housing",
    "5A": "f) LA services", "5B": "f) LA services", "5C": "f) LA services", "5D": "f) LA services",
    "6": "g) Police", "7": "h) Other legal agency", "8": "i) Other", "9": "j) Anonymous", "10": "k) Unknown",
}

PRIMARY_NEED = {
    "N1": "a) Abuse or neglect", "N2": "b) Child's disability", "N3": "c) Parents illness or disability",
    "N4": "d) Family in acute stress", "N5": "e) Family dysfunction", "N6": "f) Socially unacceptable behaviour",
    "N7": "g) Low income", "N8": "h) Absent parenting", "N9": "i) Not CIN", "N0": "j) Not stated",
}

REASON_FOR_CLOSURE = {
    "RC1": "a) Adopted", "RC2": "b) Died", "RC3": "c) Residence Order", "RC4": "d) Special Guardianship Order",
    "RC5": "e) Transfer to another LA", "RC6": "f) Transfer to Adult Social Services",
    "RC7": "g) 'Other' incl. Child no longer in need", "RC8": "h) Child not in need after assessment",
    "RC9": "h) Child not in need after assessment",
}

CASE_STATUS = {
    "cla": "a) Looked after child", "cp": "b) Child Protection plan", "cin": "c) Child in need plan",
    "assessment": "d) Open assessment", "closed": "e) Closed episode",
}

CATEGORY_OF_ABUSE = {
    "NEG": "a) Neglect", "PHY": "b) Physical Abuse", "SAB": "c) Sexual Abuse", "EMO": "d) Emotional Abuse",
    "MUL": "e) Multiple",
}

LEGAL_STATUS = {
    "C1": "a) Interim care orders", "C2": "b) Full care orders", "D1": "c) Freed for  Adoption",
    "E1": "d) Placement order granted", "V2": "e) Accommodated under S20",
    "L1": "f) Detained on child protection grounds in LA accommodation",
    "L2": "f) Detained on child protection grounds in LA accommodation",
    "L3": "f) Detained on child protection grounds in LA accommodation",
    "J1": "g) Youth justice legal Statuses", "J2": "g) Youth justice legal Statuses",
    "J3": "g) Youth justice legal Statuses",
    # V3 and V4 (short breaks) are not periods of care Annex A lists; the schema files them as errors.
    "V3": "zzCodeError", "V4": "zzCodeError",
}

REASON_CEASED = {
    "E11": "a) Adopted", "E12": "a) Adopted", "E2": "b) Died", "E3": "c) Care taken by another LA",
    "E4A": "d) Returned home to live with parents or relatives",
    "E4B": "d) Returned home to live with parents or relatives",
    "E13": "e) Left care to live with parents, relatives or other person with no parental responsibility",
    "E17": "e) Left care to live with parents, relatives or other person with no parental responsibility",
    "E41": "f) Residence order granted",
    "E45": "g) Special Guardianship Orders", "E46": "g) Special Guardianship Orders",
    "E47": "g) Special Guardianship Orders", "E48": "g) Special Guardianship Orders",
    "E5": "h) Moved into independent living", "E6": "h) Moved into independent living",
    "E7": "i) Transferred to residential care funded by adult social services",
    "E9": "j) Sentenced to custody", "E14": "k) Accommodation on remand ended",
    "E15": "l) Age assessment determined child was 18 or over", "E16": "m) Child moved abroad",
    "E8": "n) Care ceased for any other reason", "X1": "zzCodeError",
}

_PLACEMENT_GROUPS = {
    "A": "b) Placed for adoption", "U": "a) Foster placement", "T": "o) Temporary placement",
}
PLACEMENT_TYPE = {
    "H5": "f) Residential accommodation", "K1": "g) Secure Children’s Homes", "K2": "h) Children’s Homes",
    "P1": "c) Placed with parents", "P2": "d) Independent living", "P3": "e) Residential employment",
    "R1": "i) Residential Care Home", "R2": "j) NHS/Health Trust",
    "R3": "k) Family Centre or Mother and Baby Unit", "R5": "l) Young Offender Institution",
    "S1": "m) Residential school", "Z1": "n) Other placements",
}


def placement_type(code: str) -> str:
    return PLACEMENT_TYPE.get(code) or _PLACEMENT_GROUPS.get(code[:1], "") if code else ""


PROVIDER = {"PR1": "a) Own LA", "PR4": "b) Private", "PR0": "c) Other", "PR2": "c) Other", "PR3": "c) Other",
            "PR5": "c) Other", "": "c) Other"}

PERMANENCE = {
    "return_home": "a) Return to family", "adoption": "b) Adoption", "sgo": "c) SGO/CAO", "cao": "c) SGO/CAO",
    "long_term_fostering": "f) Long-term fostering", "kinship": "f) Long-term fostering",
    "residential": "e) Long-term residential placement", "independence": "d) Supported living in the community",
    "other": "g) Other",
}

ELIGIBILITY = {"relevant": "a) Relevant", "former_relevant": "b) Former relevant", "qualifying": "c) Qualifying",
               "eligible": "d) Eligible"}

IN_TOUCH = {"YES": "a) In touch", "NO": "b) Not in touch", "REFU": "b) Not in touch", "NREQ": "b) Not in touch",
            "RHOM": "d) Exclude", "DIED": "d) Exclude"}
IN_TOUCH_NOT_RECORDED = "c) Not recorded"

ACCOMMODATION = {
    "B": "a) With parents or relatives", "C": "b) Community home",
    "D": "c) Semi-independent transitional accommodation", "E": "d) Supported lodgings", "G": "e) Gone abroad",
    "H": "f) Deported", "K": "g) Ordinary lodgings", "R": "h) Residence not known",
    "S": "i) No fixed abode / homeless", "T": "j) Foyers", "U": "k) Independent living",
    "V": "l) Emergency accommodation", "W": "m) Bed and breakfast", "X": "n) In custody",
    "Y": "p) Other accommodation", "Z": "o) With Former Foster Carer",
}
SUITABILITY = {"1": "a) Suitable", "2": "b) Not suitable"}
SUITABILITY_NOT_RECORDED = "c) Not in touch or not recorded"

ACTIVITY = {
    "F1": "F1: Full time in higher education",
    "P1": "P1: Part time in higher education",
    "F2": "F2: Full time in education other than higher",
    "P2": "P2: Part time in education other than higher",
    "F4": "F4: Young person engaged full time in an apprenticeship",
    "P4": "P4: Young person engaged part time in an apprenticeship",
    "F5": "F5: Young person engaged full time in training or employment (not apprenticeship)",
    "P5": "P5: Young person engaged part time in training or employment (not apprenticeship)",
    "G4": "G4: Not in education, employment or training - illness or disability",
    "G5": "G5: Not in education, employment or training - other",
    "G6": "G6: Not in education, employment or training - pregnancy or parenting",
    "0": "",
}

ADOPTION_ENDED = {"RD1": "a) Child’s needs changed", "RD2": "b) Court did not make a PO",
                  "RD3": "c) Prospective adopters cannot be found", "RD4": "d) Any other reason"}

ADOPTER_WITHDREW = "a) Withdrew"
ADOPTER_REFUSED = "c) Application refused"


# "LA of Placement": the schema's name for each local authority, by its DfE LA number (OPENCSC_LA_CODE);
# taken from the schema's own names for each authority (a test checks every one against it).
LA_NAMES: dict[str, str] = json.loads((Path(__file__).parent / "annex_a_la_names.json").read_text(encoding="utf-8"))


def la_name(la_code) -> str:
    return LA_NAMES.get(str(la_code), "")


def yes_no(value: bool) -> str:
    return YES if value else NO
