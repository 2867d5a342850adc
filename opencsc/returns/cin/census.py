"""The CIN census XML read back into plain objects, for the rules to check.

Only the XML is read (never the database), so the same file can be given to the DfE's own
validator and the two answers compared. A date that cannot be read is None (the schema
check reports its format); the text of each code is kept as written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lxml import etree


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _text(el, tag: str) -> str:
    found = el.find(tag)
    return (found.text or "").strip() if found is not None else ""


@dataclass
class Assessment:
    start: dt.date | None
    authorised: dt.date | None
    factors: list[str] = field(default_factory=list)


@dataclass
class CINPlan:
    start: dt.date | None
    end: dt.date | None


@dataclass
class Section47:
    start: dt.date | None
    target: dt.date | None
    icpc: dt.date | None
    not_required: str  # "1", "0", "true", "false" or wrong

    @property
    def icpc_not_required(self) -> bool:
        return self.not_required.lower() in ("1", "true")


@dataclass
class CPPlan:
    start: dt.date | None
    end: dt.date | None
    initial: str
    latest: str
    previous: str
    reviews: list[dt.date | None] = field(default_factory=list)


@dataclass
class Episode:
    referral: dt.date | None
    source: str
    need: str
    closure: dt.date | None
    reason: str
    icpc: dt.date | None
    nfa_text: str
    assessments: list[Assessment] = field(default_factory=list)
    plans: list[CINPlan] = field(default_factory=list)
    s47s: list[Section47] = field(default_factory=list)
    cpps: list[CPPlan] = field(default_factory=list)

    @property
    def nfa(self) -> bool:
        return self.nfa_text.lower() in ("1", "true")

    @property
    def further_action(self) -> bool:
        return self.nfa_text.lower() in ("0", "false")


@dataclass
class Child:
    la_child_id: str
    upn: str
    former_upn: str
    upn_unknown: str
    birth: dt.date | None
    expected_birth: dt.date | None
    sex: str
    death: dt.date | None
    ethnicity: str
    disabilities: list[str]
    episodes: list[Episode]


@dataclass
class Census:
    year: str
    reference_date: dt.date | None
    lea: str
    children: list[Child]

    @property
    def end(self) -> dt.date:
        """The reference date (or 31 March of the header's year when that is missing)."""
        if self.reference_date:
            return self.reference_date
        try:
            return dt.date(int(self.year), 3, 31)
        except ValueError:
            return dt.date.today().replace(month=3, day=31)  # noqa: DTZ011 - no year to go on

    @property
    def start(self) -> dt.date:
        end = self.end
        try:
            return end.replace(year=end.year - 1) + dt.timedelta(days=1)
        except ValueError:  # 29 February
            return dt.date(end.year - 1, 3, 1)


def _episode(el) -> Episode:
    e = Episode(
        referral=_date(_text(el, "CINreferralDate")), source=_text(el, "ReferralSource"),
        need=_text(el, "PrimaryNeedCode"), closure=_date(_text(el, "CINclosureDate")),
        reason=_text(el, "ReasonForClosure"), icpc=_date(_text(el, "DateOfInitialCPC")),
        nfa_text=_text(el, "ReferralNFA"),
    )
    for a in el.findall("Assessments"):
        e.assessments.append(Assessment(
            start=_date(_text(a, "AssessmentActualStartDate")),
            authorised=_date(_text(a, "AssessmentAuthorisationDate")),
            factors=[(f.text or "").strip() for f in a.findall("FactorsIdentifiedAtAssessment/AssessmentFactors")],
        ))
    for p in el.findall("CINPlanDates"):
        e.plans.append(CINPlan(_date(_text(p, "CINPlanStartDate")), _date(_text(p, "CINPlanEndDate"))))
    for s in el.findall("Section47"):
        e.s47s.append(Section47(
            start=_date(_text(s, "S47ActualStartDate")), target=_date(_text(s, "InitialCPCtarget")),
            icpc=_date(_text(s, "DateOfInitialCPC")), not_required=_text(s, "ICPCnotRequired"),
        ))
    for c in el.findall("ChildProtectionPlans"):
        e.cpps.append(CPPlan(
            start=_date(_text(c, "CPPstartDate")), end=_date(_text(c, "CPPendDate")),
            initial=_text(c, "InitialCategoryOfAbuse"), latest=_text(c, "LatestCategoryOfAbuse"),
            previous=_text(c, "NumberOfPreviousCPP"),
            reviews=[_date(r.text) for r in c.findall("Reviews/CPPreviewDate")],
        ))
    return e


def read(root: etree._Element) -> Census:
    children = []
    for el in root.iterfind("Children/Child"):
        ids = el.find("ChildIdentifiers")
        ids = ids if ids is not None else etree.Element("ChildIdentifiers")
        chars = el.find("ChildCharacteristics")
        chars = chars if chars is not None else etree.Element("ChildCharacteristics")
        children.append(Child(
            la_child_id=_text(ids, "LAchildID"), upn=_text(ids, "UPN"), former_upn=_text(ids, "FormerUPN"),
            upn_unknown=_text(ids, "UPNunknown"), birth=_date(_text(ids, "PersonBirthDate")),
            expected_birth=_date(_text(ids, "ExpectedPersonBirthDate")), sex=_text(ids, "Sex"),
            death=_date(_text(ids, "PersonDeathDate")), ethnicity=_text(chars, "Ethnicity"),
            disabilities=[(d.text or "").strip() for d in chars.findall("Disabilities/Disability")],
            episodes=[_episode(c) for c in el.findall("CINdetails")],
        ))
    return Census(
        year=_text(root, "Header/CollectionDetails/Year"),
        reference_date=_date(_text(root, "Header/CollectionDetails/ReferenceDate")),
        lea=_text(root, "Header/Source/LEA"),
        children=children,
    )
