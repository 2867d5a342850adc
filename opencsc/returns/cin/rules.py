"""The DfE's CIN census validation rules (specs/cin_rules_2025_26.tsv), as small functions over the XML.

Each rule is registered with `@rule(code, table, field)`: its text and severity come from the
DfE rule list (codes ending in Q are queries). A child rule takes one `census.Child` and the
`census.Census` and yields once per failure (a field name, or "" for the rule's own field);
an authority rule (`la=True`) takes the census and yields the failing child, or None for a
return-level failure. Semantics follow the DfE's open-source validator (csc-validator-be-cin)
where the rule text leaves room, and docs/returns-cin.md lists what is and is not checked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from opencsc.codes import (
    ASSESSMENT_FACTORS,
    CATEGORY_OF_ABUSE,
    DISABILITY,
    ETHNICITY,
    PRIMARY_NEED,
    REASON_FOR_CLOSURE,
    REFERRAL_SOURCE,
)
from opencsc.people.validators import UPN_ALPHABET, upn_check_letter
from opencsc.timescales.core import WorkingDayCalendar

from .census import Census, Child, Episode

RULES_TSV = Path(__file__).parent / "specs" / "cin_rules_2025_26.tsv"
CALENDAR = WorkingDayCalendar()


@cache
def rule_texts() -> dict[str, str]:
    """Rule code -> the DfE's text, without its "(ERROR)" or "(QUERY)" tag."""
    texts = {}
    for line in RULES_TSV.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            code, text = line.split("\t", 1)
            text = text.strip()
            for tag in (" (ERROR)", " (QUERY)"):
                text = text.removesuffix(tag)
            texts[code.strip()] = text
    return texts


@dataclass(frozen=True)
class Rule:
    code: str
    table: str
    field: str
    func: Callable
    la: bool = False

    @property
    def message(self) -> str:
        return rule_texts()[self.code]

    @property
    def severity(self) -> str:
        return "query" if self.code.endswith("Q") else "error"


RULES: dict[str, Rule] = {}


def rule(code: str, table: str, field: str, *, la: bool = False):
    def register(func):
        if code not in rule_texts():
            raise KeyError(f"Rule {code} is not in the DfE rule list")
        if code in RULES:
            raise KeyError(f"Rule {code} is registered twice")
        RULES[code] = Rule(code, table, field, func, la)
        return func

    return register


def not_implemented() -> list[str]:
    return sorted(set(rule_texts()) - set(RULES))


# --- helpers -------------------------------------------------------------------------------------


def _outside(day: dt.date | None, census: Census) -> bool:
    return day is not None and not (census.start <= day <= census.end)


def _working_days_before(day: dt.date, n: int) -> dt.date:
    """The DfE validator's `day - england_working_days(n)`: n - 1 working days back."""
    return CALENDAR.add_working_days(day, -(n - 1), count_start_day=False)


def _each_if_several(open_: list):
    """The "only one may be open" rules: an error for each open item when there is more than one."""
    if len(open_) > 1:
        yield from ("" for _ in open_)


def _starting_inside_another(plans: list, census: Census):
    """An error for each plan that starts while another is open (to its end, or the census end)."""
    for i, p in enumerate(plans):
        for j, other in enumerate(plans):
            if i != j and p.start and other.start and other.start <= p.start <= (other.end or census.end):
                yield ""
                break


def _icpcs(e: Episode) -> list[dt.date]:
    return [d for d in [e.icpc, *(s.icpc for s in e.s47s)] if d]


# --- header --------------------------------------------------------------------------------------


@rule("100", "Header", "ReferenceDate", la=True)
def reference_date(census: Census) -> Iterator[None]:
    try:
        expected = dt.date(int(census.year), 3, 31)
    except ValueError:
        expected = None
    if census.reference_date is None or census.reference_date != expected:
        yield None


# --- child identifiers ---------------------------------------------------------------------------


@rule("8500", "ChildIdentifiers", "LAchildID")
def la_child_id_missing(child: Child, census: Census):
    if not child.la_child_id:
        yield ""


@rule("1570", "ChildIdentifiers", "LAchildID")
def la_child_id_too_long(child: Child, census: Census):
    if len(child.la_child_id) > 20:
        yield ""


@rule("1580", "ChildIdentifiers", "LAchildID")
def la_child_id_characters(child: Child, census: Census):
    if child.la_child_id and not (child.la_child_id.isascii() and child.la_child_id.isalnum()):
        yield ""


@rule("8510", "ChildIdentifiers", "LAchildID", la=True)
def la_child_id_unique(census: Census):
    counts = Counter(c.la_child_id for c in census.children if c.la_child_id)
    for c in census.children:
        if counts[c.la_child_id] > 1:
            yield c


@rule("1520", "ChildIdentifiers", "UPN", la=True)
def upn_unique(census: Census):
    counts = Counter(c.upn for c in census.children if c.upn)
    for c in census.children:
        if c.upn and counts[c.upn] > 1:
            yield c


@rule("1510", "ChildIdentifiers", "UPN")
def upn_check_letter_wrong(child: Child, census: Census):
    upn = child.upn
    if len(upn) == 13 and upn[1:12].isdigit() and (upn[12].isdigit() or upn[12] in UPN_ALPHABET):
        if upn_check_letter(upn[1:]) != upn[0].upper():
            yield ""


def _la_codes() -> frozenset[str]:
    ranges = [(1, 5), (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373), (380, 384),
              (390, 394), (660, 681), (701, 708), (800, 803), (805, 808), (810, 813), (820, 823), (835, 839),
              (850, 852), (855, 857), (865, 896), (935, 938), (940, 941)]
    singles = [420, 815, 816, 825, 826, 830, 831, 840, 841, 845, 846, 860, 861, 908, 909, 916, 919, 921, 925,
               926, 928, 929, 931, 933]
    codes = {n for lo, hi in ranges for n in range(lo, hi + 1)} | set(singles)
    return frozenset(f"{n:03d}" for n in codes)


LA_CODES = _la_codes()  # post-April 1998 LA numbers and pseudo LA numbers (DfE rule 1530)


@rule("1530", "ChildIdentifiers", "UPN")
def upn_la_code(child: Child, census: Census):
    if child.upn and child.upn[1:4] not in LA_CODES:
        yield ""


@rule("1540", "ChildIdentifiers", "UPN")
def upn_digits(child: Child, census: Census):
    if child.upn and not (len(child.upn) >= 12 and child.upn[4:12].isdigit()):
        yield ""


@rule("1550", "ChildIdentifiers", "UPN")
def upn_last_character(child: Child, census: Census):
    if child.upn and not (len(child.upn) == 13 and (child.upn[12].isdigit() or child.upn[12] in UPN_ALPHABET)):
        yield ""


@rule("1560Q", "ChildIdentifiers", "FormerUPN")
def former_upn_format(child: Child, census: Census):
    f = child.former_upn
    if f and not (len(f) == 13 and f[0].isalpha() and f[1:].isdigit()):
        yield ""


@rule("8520", "ChildIdentifiers", "PersonBirthDate")
def born_after_census(child: Child, census: Census):
    if child.birth and child.birth > census.end:
        yield ""


@rule("8525Q", "ChildIdentifiers", "PersonBirthDate")
def birth_or_expected(child: Child, census: Census):
    if (child.birth is None) == (child.expected_birth is None):
        yield ""


@rule("8530Q", "ChildIdentifiers", "ExpectedPersonBirthDate")
def expected_birth_range(child: Child, census: Census):
    e = child.expected_birth
    if e and not (census.end - dt.timedelta(days=30) <= e <= CALENDAR.add_months(census.end, 9)):
        yield ""


@rule("8535Q", "ChildIdentifiers", "PersonDeathDate")
def death_before_birth(child: Child, census: Census):
    if child.death and (child.birth is None or child.death < child.birth):
        yield ""


@rule("8545Q", "ChildIdentifiers", "PersonDeathDate")
def death_in_year(child: Child, census: Census):
    if _outside(child.death, census):
        yield ""


@rule("4180", "ChildIdentifiers", "Sex")
def sex_valid(child: Child, census: Census):
    if child.sex not in ("M", "F", "U"):
        yield ""


@rule("8750", "ChildIdentifiers", "Sex")
def unborn_sex(child: Child, census: Census):
    if child.expected_birth and child.birth is None and child.sex != "U":
        yield ""


@rule("2886Q", "ChildIdentifiers", "Sex", la=True)
def sex_not_recorded_share(census: Census):
    total = len(census.children)
    missing = sum(1 for c in census.children if c.sex in ("", "U") and c.expected_birth is None)
    if total and missing / total > 0.02:
        yield None


@rule("8775Q", "ChildIdentifiers", "PersonBirthDate")
def over_25(child: Child, census: Census):
    b = child.birth
    if b and b < census.end.replace(year=census.end.year - 25):
        limit = dt.date(b.year + 25, b.month, 28 if (b.month, b.day) == (2, 29) else b.day)
        for e in child.episodes:
            if e.closure is None or e.closure > limit:
                yield ""


@rule("8770Q", "ChildIdentifiers", "UPN")
def upn_for_school_age(child: Child, census: Census):
    cutoff = dt.date(census.end.year - 6, 8, 31)
    if (
        child.birth and child.birth <= cutoff and not child.upn
        and child.upn_unknown.upper() not in ("UN2", "UN3", "UN4", "UN5", "UN6", "UN7")
        and any(e.further_action for e in child.episodes)
    ):
        yield ""


@rule("8772", "ChildIdentifiers", "UPNunknown")
def un7_with_further_action(child: Child, census: Census):
    if child.upn_unknown.upper() == "UN7" and any(not e.nfa for e in child.episodes):
        yield ""


@rule("8590", "CINdetails", "CINreferralDate")
def has_episode(child: Child, census: Census):
    if not child.episodes:
        yield ""


# --- characteristics ------------------------------------------------------------------------------


@rule("4220", "ChildCharacteristics", "Ethnicity")
def ethnicity_valid(child: Child, census: Census):
    if child.ethnicity not in ETHNICITY:
        yield ""


@rule("8540", "Disabilities", "Disability")
def disability_present(child: Child, census: Census):
    if child.birth and any(e.further_action for e in child.episodes):
        if not child.disabilities or any(d not in DISABILITY for d in child.disabilities):
            yield ""


@rule("8790", "Disabilities", "Disability")
def disability_none_and_others(child: Child, census: Census):
    if "NONE" in child.disabilities and len(set(child.disabilities)) > 1:
        yield ""


@rule("8794", "Disabilities", "Disability")
def disability_repeated(child: Child, census: Census):
    if len(child.disabilities) != len(set(child.disabilities)):
        yield ""


@rule("2887Q", "Disabilities", "Disability", la=True)
def disability_codes_used(census: Census):
    used = {d for c in census.children for d in c.disabilities if d and d != "NONE"}
    if len(used) <= 7:
        yield None


@rule("2888Q", "Disabilities", "Disability", la=True)
def multiple_disabilities(census: Census):
    counts = [len([d for d in c.disabilities if d != "NONE"]) for c in census.children]
    if max(counts, default=0) <= 1:
        yield None


# --- CIN details -----------------------------------------------------------------------------------


@rule("8600", "CINdetails", "CINreferralDate")
def referral_date(child: Child, census: Census):
    for e in child.episodes:
        if e.referral is None or e.referral > census.end:
            yield ""


@rule("8606", "CINdetails", "CINreferralDate")
def referral_long_before_birth(child: Child, census: Census):
    born = child.birth or child.expected_birth
    for e in child.episodes:
        if born and e.referral and e.referral < born - dt.timedelta(days=280):
            yield ""


@rule("8555Q", "CINdetails", "CINreferralDate")
def referral_after_death(child: Child, census: Census):
    for e in child.episodes:
        if child.death and e.referral and e.referral > child.death:
            yield ""


@rule("8866", "CINdetails", "ReferralSource")
def referral_source(child: Child, census: Census):
    for e in child.episodes:
        if e.referral and e.referral >= dt.date(2013, 4, 1) and e.source not in REFERRAL_SOURCE:
            yield ""


@rule("8650", "CINdetails", "PrimaryNeedCode")
def primary_need_valid(child: Child, census: Census):
    for e in child.episodes:
        if e.need and e.need not in PRIMARY_NEED:
            yield ""


@rule("8610", "CINdetails", "PrimaryNeedCode")
def primary_need_present(child: Child, census: Census):
    for e in child.episodes:
        if e.further_action and not e.need:
            yield ""


@rule("8568", "CINdetails", "ReferralNFA")
def nfa_flag(child: Child, census: Census):
    for e in child.episodes:
        if e.nfa_text.lower() not in ("0", "1", "true", "false"):
            yield ""


@rule("8569Q", "CINdetails", "ReferralNFA")
def old_referral_nfa(child: Child, census: Census):
    for e in child.episodes:
        if e.referral and e.referral < _working_days_before(census.start, 1) and not e.further_action:
            yield ""


@rule("8620", "CINdetails", "CINclosureDate")
def closure_in_year(child: Child, census: Census):
    for e in child.episodes:
        if _outside(e.closure, census):
            yield ""


@rule("8630", "CINdetails", "CINclosureDate")
def closure_before_referral(child: Child, census: Census):
    for e in child.episodes:
        if e.closure and e.referral and e.closure < e.referral:
            yield ""


@rule("8640", "CINdetails", "ReasonForClosure")
def closure_reason_valid(child: Child, census: Census):
    for e in child.episodes:
        if e.reason and e.reason not in REASON_FOR_CLOSURE:
            yield ""


@rule("8805", "CINdetails", "ReasonForClosure")
def closure_needs_reason(child: Child, census: Census):
    for e in child.episodes:
        if e.closure and not e.reason:
            yield ""


@rule("8810", "CINdetails", "CINclosureDate")
def reason_needs_closure(child: Child, census: Census):
    for e in child.episodes:
        if e.reason and not e.closure:
            yield ""


@rule("8585Q", "CINdetails", "ReasonForClosure")
def died_without_death_date(child: Child, census: Census):
    for e in child.episodes:
        if e.reason == "RC2" and child.death is None:
            yield ""


@rule("8815", "CINdetails", "CINclosureDate")
def one_open_episode(child: Child, census: Census):
    yield from _each_if_several([e for e in child.episodes if e.closure is None and e.further_action])


@rule("8816", "CINdetails", "CINreferralDate")
def open_episode_is_latest(child: Child, census: Census):
    latest = max((e.referral for e in child.episodes if e.referral), default=None)
    for e in child.episodes:
        if e.closure is None and e.further_action and e.referral and e.referral != latest:
            yield ""


@rule("8820", "CINdetails", "CINreferralDate")
def episodes_overlap(child: Child, census: Census):
    for e in child.episodes:
        for other in child.episodes:
            if other is e or not other.further_action or not e.referral or not other.referral:
                continue
            end = other.closure
            inside = e.referral >= other.referral and (e.referral < end if end else e.referral < census.end)
            if inside:
                yield ""
                break


@rule("8825Q", "CINdetails", "ReasonForClosure")
def closed_after_assessment_without_one(child: Child, census: Census):
    for e in child.episodes:
        if e.reason in ("RC8", "RC9") and not e.assessments:
            yield ""


@rule("2990", "CINdetails", "ReasonForClosure")
def activity_after_assessment_closure(child: Child, census: Census):
    for e in child.episodes:
        if e.reason in ("RC8", "RC9") and (e.s47s or e.cpps or e.icpc or e.plans):
            yield ""


@rule("8831", "CINdetails", "ReferralNFA")
def activity_on_nfa(child: Child, census: Census):
    for e in child.episodes:
        if e.nfa and (e.assessments or e.s47s or e.icpc):
            yield ""


@rule("8832", "ChildProtectionPlans", "CPPstartDate")
def cp_on_nfa(child: Child, census: Census):
    for e in child.episodes:
        if e.nfa and e.cpps:
            yield ""


@rule("4000", "CINplanDates", "CINPlanStartDate")
def cin_plan_on_nfa(child: Child, census: Census):
    for e in child.episodes:
        if e.nfa and e.plans:
            yield ""


@rule("8565", "CINdetails", "CINclosureDate")
def activity_after_closure(child: Child, census: Census):
    for e in child.episodes:
        if not e.closure:
            continue
        dates = [*(a.start for a in e.assessments), *(a.authorised for a in e.assessments),
                 *(s.start for s in e.s47s), *_icpcs(e), *(c.end for c in e.cpps),
                 *(p.start for p in e.plans), *(p.end for p in e.plans)]
        if any(d and d > e.closure for d in dates):
            yield ""


@rule("8867", "Assessments", "AssessmentAuthorisationDate")
def closed_with_open_assessment(child: Child, census: Census):
    for e in child.episodes:
        if e.closure:
            yield from ("" for a in e.assessments if a.authorised is None)


@rule("8868", "Section47", "ICPCnotRequired")
def closed_with_open_s47(child: Child, census: Census):
    for e in child.episodes:
        if e.closure:
            yield from ("" for s in e.s47s if s.icpc is None and not s.icpc_not_required)


@rule("2884", "CINdetails", "DateOfInitialCPC")
def icpc_twice(child: Child, census: Census):
    s47_icpcs = {s.icpc for e in child.episodes for s in e.s47s if s.icpc}
    for e in child.episodes:
        if e.icpc and e.icpc in s47_icpcs:
            yield ""


@rule("1104", "Section47", "DateOfInitialCPC")
def icpc_before_referral(child: Child, census: Census):
    for e in child.episodes:
        for s in e.s47s:
            if s.icpc and e.referral and s.icpc < e.referral:
                yield ""


@rule("8715", "Section47", "DateOfInitialCPC")
def icpc_in_year(child: Child, census: Census):
    for e in child.episodes:
        for day in _icpcs(e):
            if _outside(day, census):
                yield ""


@rule("8875", "Section47", "DateOfInitialCPC")
def icpc_weekend(child: Child, census: Census):
    for e in child.episodes:
        for day in _icpcs(e):
            if day.weekday() >= 5:
                yield ""


@rule("2883", "ChildProtectionPlans", "CPPstartDate", la=True)
def more_plans_than_conferences(census: Census):
    def within(d):
        return d is not None and census.start <= d <= census.end

    plans = sum(1 for c in census.children for e in c.episodes for p in e.cpps if within(p.start))
    conferences = sum(1 for c in census.children for e in c.episodes for d in _icpcs(e) if within(d))
    if plans > conferences:
        yield None


@rule("2885", "ChildProtectionPlans", "CPPstartDate")
def plan_starts_at_conference(child: Child, census: Census):
    for e in child.episodes:
        for p in e.cpps:
            if p.start and census.start <= p.start <= census.end and p.start not in _icpcs(e):
                yield ""


# --- assessments ----------------------------------------------------------------------------------


def _assessments(child: Child):
    for e in child.episodes:
        for a in e.assessments:
            yield e, a


@rule("1103", "Assessments", "AssessmentActualStartDate")
def assessment_before_referral(child: Child, census: Census):
    for e, a in _assessments(child):
        if a.start and e.referral and a.start < e.referral:
            yield ""


@rule("8608", "Assessments", "AssessmentAuthorisationDate")
def assessment_authorised_before_start(child: Child, census: Census):
    for _, a in _assessments(child):
        if a.start and a.authorised and a.authorised < a.start:
            yield ""


@rule("8696", "Assessments", "AssessmentAuthorisationDate")
def assessment_authorised_in_year(child: Child, census: Census):
    for _, a in _assessments(child):
        if _outside(a.authorised, census):
            yield ""


@rule("8736", "Assessments", "AssessmentActualStartDate")
def open_assessment_started_in_year(child: Child, census: Census):
    for _, a in _assessments(child):
        if a.authorised is None and _outside(a.start, census):
            yield ""


@rule("8670Q", "Assessments", "AssessmentActualStartDate")
def open_assessment_over_45_days(child: Child, census: Census):
    cutoff = _working_days_before(census.end, 45)
    for _, a in _assessments(child):
        if a.authorised is None and a.start and a.start < cutoff:
            yield ""


@rule("8614", "Assessments", "AssessmentFactors")
def factors_only_when_complete(child: Child, census: Census):
    for _, a in _assessments(child):
        if a.authorised is None and a.factors:
            yield ""


@rule("8897Q", "Assessments", "AssessmentFactors")
def factors_missing(child: Child, census: Census):
    for _, a in _assessments(child):
        if a.authorised and a.authorised >= census.start:
            if not a.factors or any(f not in ASSESSMENT_FACTORS for f in a.factors):
                yield ""


@rule("8869", "Assessments", "AssessmentFactors")
def factor_21_alone(child: Child, census: Census):
    for _, a in _assessments(child):
        if "21" in a.factors and len(a.factors) > 1:
            yield ""


@rule("8898", "Assessments", "AssessmentFactors")
def factors_repeated(child: Child, census: Census):
    for _, a in _assessments(child):
        if len(a.factors) != len(set(a.factors)):
            yield ""


@rule("8873Q", "CINdetails", "ReasonForClosure")
def factor_21_closure(child: Child, census: Census):
    for e in child.episodes:
        if len(e.assessments) == 1 and "21" in e.assessments[0].factors and e.reason not in ("RC8", "RC9"):
            yield ""


@rule("8950Q", "Assessments", "AssessmentFactors")
def factor_19a(child: Child, census: Census):
    for _, a in _assessments(child):
        if "19A" in a.factors:
            yield ""


@rule("8945Q", "Assessments", "AssessmentFactors")
def factor_18a(child: Child, census: Census):
    for _, a in _assessments(child):
        if "18A" in a.factors:
            yield ""


@rule("8896", "Assessments", "AssessmentAuthorisationDate")
def two_open_assessments(child: Child, census: Census):
    for e in child.episodes:
        yield from _each_if_several([a for a in e.assessments if a.authorised is None])


@rule("8863Q", "Assessments", "AssessmentActualStartDate")
def assessment_during_another(child: Child, census: Census):
    for e in child.episodes:
        for a in e.assessments:
            for other in e.assessments:
                if other is a or not a.start or not other.start:
                    continue
                if (a.start, a.authorised) == (other.start, other.authorised):
                    continue
                if other.start <= a.start <= (other.authorised or census.end):
                    yield ""
                    break


@rule("2991Q", "Section47", "S47ActualStartDate")
def s47_without_assessment(child: Child, census: Census):
    for e in child.episodes:
        if e.s47s and not e.assessments:
            yield ""


# --- CIN plans ---------------------------------------------------------------------------------------


def _plans(child: Child):
    for e in child.episodes:
        for p in e.plans:
            yield e, p


@rule("4010", "CINplanDates", "CINPlanStartDate")
def cin_plan_start(child: Child, census: Census):
    for _, p in _plans(child):
        if p.start is None or p.start > census.end:
            yield ""


@rule("4011", "CINplanDates", "CINPlanEndDate")
def cin_plan_end_before_start(child: Child, census: Census):
    for _, p in _plans(child):
        if p.start and p.end and p.end < p.start:
            yield ""


@rule("4012Q", "CINplanDates", "CINPlanEndDate")
def cin_plan_one_day(child: Child, census: Census):
    for _, p in _plans(child):
        if p.start and p.end and p.end == p.start:
            yield ""


@rule("4013", "CINplanDates", "CINPlanEndDate")
def cin_plan_end_in_year(child: Child, census: Census):
    for _, p in _plans(child):
        if _outside(p.end, census):
            yield ""


@rule("4015", "CINplanDates", "CINPlanStartDate")
def cin_plan_before_referral(child: Child, census: Census):
    for e, p in _plans(child):
        if p.start and e.referral and p.start < e.referral:
            yield ""


@rule("4004", "CINplanDates", "CINPlanEndDate")
def one_open_cin_plan(child: Child, census: Census):
    yield from _each_if_several([p for _, p in _plans(child) if p.end is None])


@rule("4014", "CINplanDates", "CINPlanStartDate")
def cin_plans_overlap(child: Child, census: Census):
    yield from _starting_inside_another([p for _, p in _plans(child)], census)


@rule("4008", "CINplanDates", "CINPlanStartDate")
def cin_plan_after_death(child: Child, census: Census):
    for _, p in _plans(child):
        if child.death and p.start and p.start > child.death:
            yield ""


@rule("4009Q", "CINplanDates", "CINPlanEndDate")
def cin_plan_ends_after_death(child: Child, census: Census):
    for _, p in _plans(child):
        if child.death and p.end and p.end > child.death:
            yield ""


@rule("4001", "CINplanDates", "CINPlanEndDate")
def open_cin_and_cp_plans(child: Child, census: Census):
    for e in child.episodes:
        if any(c.end is None for c in e.cpps):
            yield from ("" for p in e.plans if p.end is None)


def _cpps(child: Child):
    for e in child.episodes:
        for c in e.cpps:
            yield e, c


@rule("4016", "CINplanDates", "CINPlanStartDate")
def cin_plan_during_cp_plan(child: Child, census: Census):
    for _, p in _plans(child):
        for _, c in _cpps(child):
            if p.start and c.start and c.start <= p.start < (c.end or census.end + dt.timedelta(days=1)):
                yield ""
                break


@rule("4017", "ChildProtectionPlans", "CPPstartDate")
def cp_plan_during_cin_plan(child: Child, census: Census):
    for _, c in _cpps(child):
        for _, p in _plans(child):
            if p.start and c.start and p.start <= c.start < (p.end or census.end + dt.timedelta(days=1)):
                yield ""
                break


@rule("4003", "Reviews", "CPPreviewDate")
def review_during_cin_plan(child: Child, census: Census):
    for _, c in _cpps(child):
        for review in c.reviews:
            if review is None or review == c.end:
                continue
            if any(p.start and p.start <= review < (p.end or census.end + dt.timedelta(days=1))
                   for _, p in _plans(child)):
                yield ""


# --- section 47 enquiries ------------------------------------------------------------------------------


def _s47s(child: Child):
    for e in child.episodes:
        for s in e.s47s:
            yield e, s


@rule("2889", "Section47", "S47ActualStartDate")
def s47_before_referral(child: Child, census: Census):
    for e, s in _s47s(child):
        if s.start and e.referral and s.start < e.referral:
            yield ""


@rule("8615", "Section47", "S47ActualStartDate")
def s47_start_before_icpc(child: Child, census: Census):
    for _, s in _s47s(child):
        if s.icpc and (s.start is None or s.start > s.icpc):
            yield ""


@rule("8675Q", "Section47", "S47ActualStartDate")
def s47_without_icpc_over_15_days(child: Child, census: Census):
    cutoff = _working_days_before(census.end, 15)
    for _, s in _s47s(child):
        if s.icpc is None and s.not_required.lower() in ("0", "false") and s.start and s.start < cutoff:
            yield ""


@rule("8740", "Section47", "S47ActualStartDate")
def open_s47_started_in_year(child: Child, census: Census):
    for _, s in _s47s(child):
        if s.icpc is None and not s.icpc_not_required and _outside(s.start, census):
            yield ""


@rule("8839", "Section47", "DateOfInitialCPC")
def two_open_s47s(child: Child, census: Census):
    for e in child.episodes:
        yield from _each_if_several([s for s in e.s47s if s.icpc is None and not s.icpc_not_required])


@rule("8890", "Section47", "S47ActualStartDate")
def s47_during_another(child: Child, census: Census):
    for e in child.episodes:
        for s in e.s47s:
            for other in e.s47s:
                if other is s or not s.start or not other.start or (s.start, s.icpc) == (other.start, other.icpc):
                    continue
                if other.icpc:
                    inside = other.start <= s.start <= other.icpc
                else:
                    inside = s.start >= other.start and not other.icpc_not_required
                if inside:
                    yield ""
                    break


@rule("8870Q", "Section47", "InitialCPCtarget")
def icpc_target_weekend(child: Child, census: Census):
    for _, s in _s47s(child):
        if s.target and s.target.weekday() >= 5:
            yield ""


# --- child protection plans ------------------------------------------------------------------------------


@rule("1105", "ChildProtectionPlans", "CPPstartDate")
def cp_plan_before_referral(child: Child, census: Census):
    for e, c in _cpps(child):
        if c.start and e.referral and c.start < e.referral:
            yield ""


@rule("8720", "ChildProtectionPlans", "CPPstartDate")
def cp_plan_start(child: Child, census: Census):
    for _, c in _cpps(child):
        if c.start is None or c.start > census.end:
            yield ""


@rule("8840", "ChildProtectionPlans", "CPPendDate")
def cp_plan_one_day(child: Child, census: Census):
    for _, c in _cpps(child):
        if c.start and c.end and c.start == c.end:
            yield ""


@rule("8925", "ChildProtectionPlans", "CPPendDate")
def cp_plan_end_before_start(child: Child, census: Census):
    for _, c in _cpps(child):
        if c.start and c.end and c.end < c.start:
            yield ""


@rule("8930", "ChildProtectionPlans", "CPPendDate")
def cp_plan_end_in_year(child: Child, census: Census):
    for _, c in _cpps(child):
        if _outside(c.end, census):
            yield ""


@rule("8905", "ChildProtectionPlans", "InitialCategoryOfAbuse")
def initial_category(child: Child, census: Census):
    for _, c in _cpps(child):
        if c.initial not in CATEGORY_OF_ABUSE:
            yield ""


@rule("8910", "ChildProtectionPlans", "LatestCategoryOfAbuse")
def latest_category(child: Child, census: Census):
    for _, c in _cpps(child):
        if c.latest not in CATEGORY_OF_ABUSE:
            yield ""


@rule("8730", "ChildProtectionPlans", "NumberOfPreviousCPP")
def previous_plans(child: Child, census: Census):
    for _, c in _cpps(child):
        if not c.previous.isdigit():
            yield ""


@rule("8915", "ChildProtectionPlans", "CPPstartDate")
def cp_plan_after_death(child: Child, census: Census):
    for _, c in _cpps(child):
        if child.death and c.start and c.start > child.death:
            yield ""


@rule("8920", "ChildProtectionPlans", "CPPendDate")
def cp_plan_ends_after_death(child: Child, census: Census):
    for _, c in _cpps(child):
        if child.death and c.end and c.end > child.death:
            yield ""


@rule("8935", "ChildProtectionPlans", "CPPendDate")
def one_open_cp_plan(child: Child, census: Census):
    yield from _each_if_several([c for _, c in _cpps(child) if c.end is None])


@rule("8940", "ChildProtectionPlans", "CPPstartDate")
def cp_plans_overlap(child: Child, census: Census):
    yield from _starting_inside_another([c for _, c in _cpps(child)], census)


@rule("8841", "Reviews", "CPPreviewDate")
def review_after_start(child: Child, census: Census):
    for _, c in _cpps(child):
        for review in c.reviews:
            if review and c.start and review <= c.start:
                yield ""


@rule("8842Q", "Reviews", "CPPreviewDate")
def review_date_missing(child: Child, census: Census):
    for _, c in _cpps(child):
        yield from ("" for review in c.reviews if review is None)
