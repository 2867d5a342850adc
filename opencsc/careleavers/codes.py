"""The SSDA903 OC3 (care leavers) code lists, read from the code book in opencsc/codes.

The code book gives the codes without names, so the names below are the descriptions
from the SSDA903 guidance; a test checks every code here is in the code book and the
other way round. Nothing else in this app types a DfE code.
"""

from __future__ import annotations

from opencsc.codes import CodeList, ssda903_list

_IN_TOUCH = ssda903_list("OC3", "IN_TOUCH", "In touch")
_ACTIVITY = ssda903_list("OC3", "ACTIV", "Main activity")
_ACCOMMODATION = ssda903_list("OC3", "ACCOM", "Accommodation")

IN_TOUCH_NAMES = {
    "YES": "Yes, in touch",
    "NO": "No, not in touch",
    "DIED": "Young person has died",
    "REFU": "Young person refuses contact",
    "NREQ": "Young person no longer requires services",
    "RHOM": "Young person has returned home to their parents for 6 months or more",
}
ACTIVITY_NAMES = {
    "F1": "Full-time higher education",
    "P1": "Part-time higher education",
    "F2": "Full-time education other than higher education",
    "P2": "Part-time education other than higher education",
    "F4": "Full-time apprenticeship",
    "P4": "Part-time apprenticeship",
    "F5": "Full-time training or employment (not an apprenticeship)",
    "P5": "Part-time training or employment (not an apprenticeship)",
    "G4": "Not in education, employment or training: illness or disability",
    "G5": "Not in education, employment or training: other reasons",
    "G6": "Not in education, employment or training: pregnancy or parenting",
    "0": "Information not known",
}
ACCOMMODATION_KINDS = {
    "B": "With parents or relatives",
    "C": "Community home or other residential care",
    "D": "Semi-independent, transitional accommodation",
    "E": "Supported lodgings",
    "G": "Gone abroad",
    "H": "Deported",
    "K": "Ordinary lodgings, without formal support",
    "R": "Residence not known",
    "S": "No fixed abode or homeless",
    "T": "Foyers and similar supported accommodation",
    "U": "Independent living",
    "V": "Emergency accommodation",
    "W": "Bed and breakfast",
    "X": "In custody",
    "Y": "Other accommodation",
    "Z": "With former foster carers",
}
SUITABILITY = {"1": "suitable", "2": "not suitable"}


def _accommodation_name(code: str) -> str:
    if code == "0":
        return "Information not known"
    return f"{ACCOMMODATION_KINDS[code[0]]} ({SUITABILITY[code[1]]})"


def _named(codes: CodeList, names) -> CodeList:
    return CodeList(name=codes.name, source=codes.source,
                    items=tuple((code, names(code)) for code, _ in codes.items))


IN_TOUCH = _named(_IN_TOUCH, IN_TOUCH_NAMES.__getitem__)
ACTIVITY = _named(_ACTIVITY, ACTIVITY_NAMES.__getitem__)
ACCOMMODATION = _named(_ACCOMMODATION, _accommodation_name)

IN_TOUCH_YES = "YES"
# Education, employment or training: every activity code but the G (NEET) codes and "not known".
EET_CODES = frozenset(c for c in ACTIVITY.codes if c[0] in "FP")
NEET_CODES = frozenset(c for c in ACTIVITY.codes if c[0] == "G")
HIGHER_EDUCATION_CODES = frozenset({"F1", "P1"})
EDUCATION_CODES = frozenset({"F1", "P1", "F2", "P2"})
SUITABLE_ACCOMMODATION = frozenset(c for c in ACCOMMODATION.codes if c.endswith("1"))
UNSUITABLE_ACCOMMODATION = frozenset(c for c in ACCOMMODATION.codes if c.endswith("2"))
STAYING_PUT_ACCOMMODATION = frozenset(c for c in ACCOMMODATION.codes if c.startswith("Z"))
