"""The Children in Need census XML, built from the records for one collection year.

Who is in the return: every child (restricted records included, merged duplicates left out)
with an episode of need (`CINdetails`) open at any time in the year: referred on or before
31 March and not closed before 1 April. Within each episode, the modules the DfE asks for:
assessments, CIN plan dates, section 47 enquiries, child protection plans with their reviews,
each when it was open at some time in the year. Dates after the reference date are left out
(an episode closed after 31 March is open on the census day).

The queries are set-based: the children are read in chunks of `CHUNK` and each chunk costs
the same eight queries whatever its children's histories. The XML is written child by child
with lxml's incremental writer, so the whole document is never held as a tree.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from lxml import etree

from opencsc.assessment.models import Assessment, CINEpisode, CINPlan
from opencsc.people.models import Child
from opencsc.protection.models import Conference, CPPlan, Section47
from opencsc.returns.base import CollectionYear, ReturnFile
from opencsc.timescales.authority import timescale

SPECS = Path(__file__).parent / "specs"
CHUNK = 1000
SOFTWARE_CODE = "OpenCSC"
CONTENT_TYPE = "application/xml"


def la_code() -> str:
    """The authority's three-digit DfE LA number, for the header's <LEA>."""
    return str(settings.OPENCSC_LA_CODE)


def schema_path(year: CollectionYear) -> Path:
    """The DfE schema for the year: CIN_schema_2025.xsd up to 2024-25, CIN_schema_2026.xsd after."""
    return SPECS / ("CIN_schema_2025.xsd" if year.ending <= 2025 else "CIN_schema_2026.xsd")


def file_name(year: CollectionYear) -> str:
    return f"cin_census_{year.ending}.xml"


def school_age_cutoff(year: CollectionYear) -> dt.date:
    """Children born on or before this day are of school age for the census (rule 8770Q)."""
    return dt.date(year.ending - 6, 8, 31)


# --- what the XML holds, before it is written -------------------------------------------------


@dataclass
class _Episode:
    pk: int
    referral_date: dt.date
    referral_source: str
    primary_need: str
    referral_nfa: bool
    closure_date: dt.date | None
    reason_for_closure: str
    icpc: dt.date | None = None
    assessments: list[dict] = field(default_factory=list)
    plans: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    s47s: list[dict] = field(default_factory=list)
    cpps: list[dict] = field(default_factory=list)


def _d(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _in_year(start: dt.date | None, end: dt.date | None, year: CollectionYear) -> bool:
    return start is not None and start <= year.end and (end is None or end >= year.start)


def _upto(value: dt.date | None, year: CollectionYear) -> dt.date | None:
    """A date as the census sees it: dates after the reference date have not happened yet."""
    return value if value is not None and value <= year.end else None


def _episode_for(episodes: list[_Episode], pk: int | None, day: dt.date | None) -> _Episode | None:
    """The episode a record belongs to: its own when that is in the return, else the one covering its date."""
    for e in episodes:
        if e.pk == pk:
            return e
    if day is None:
        return None
    for e in sorted(episodes, key=lambda e: e.referral_date, reverse=True):
        if e.referral_date <= day and (e.closure_date is None or day <= e.closure_date):
            return e
    return None


def episode_filter(year: CollectionYear, prefix: str = "") -> Q:
    """Episodes of need open at some time in the collection year."""
    return Q(**{f"{prefix}referral_date__lte": year.end}) & (
        Q(**{f"{prefix}closure_date__isnull": True}) | Q(**{f"{prefix}closure_date__gte": year.start})
    )


def child_ids(year: CollectionYear) -> list[int]:
    return list(
        CINEpisode.objects.filter(episode_filter(year), child__merged_into__isnull=True)
        .order_by("child_id")
        .values_list("child_id", flat=True)
        .distinct()
    )


def _load_chunk(ids: list[int], year: CollectionYear, icpc_target: Callable[[dt.date], dt.date]):
    """Eight queries for a chunk of children: the children and every module of their episodes."""
    children = list(
        Child.objects.filter(pk__in=ids)
        .order_by("pk")
        .values(
            "pk", "la_child_id", "upn", "date_of_birth", "expected_date_of_birth", "sex",
            "date_of_death", "ethnicity", "disabilities",
        )
    )
    episodes: dict[int, list[_Episode]] = defaultdict(list)
    for row in (
        CINEpisode.objects.filter(episode_filter(year), child_id__in=ids)
        .order_by("referral_date", "pk")
        .values(
            "pk", "child_id", "referral_date", "referral_source", "primary_need", "referral_nfa",
            "closure_date", "reason_for_closure",
        )
    ):
        closed = _upto(row["closure_date"], year)
        episodes[row["child_id"]].append(
            _Episode(
                pk=row["pk"], referral_date=row["referral_date"], referral_source=row["referral_source"],
                primary_need=row["primary_need"], referral_nfa=row["referral_nfa"], closure_date=closed,
                reason_for_closure=row["reason_for_closure"] if closed else "",
            )
        )
    by_pk = {e.pk: e for eps in episodes.values() for e in eps}

    for row in (
        Assessment.objects.filter(episode_id__in=by_pk.keys() or [0], start_date__lte=year.end)
        .order_by("start_date", "pk")
        .values("episode_id", "start_date", "completed_date", "factors")
    ):
        if row["completed_date"] and row["completed_date"] < year.start:
            continue
        done = _upto(row["completed_date"], year)
        by_pk[row["episode_id"]].assessments.append(
            {"start": row["start_date"], "authorised": done, "factors": list(row["factors"] or []) if done else []}
        )

    for row in (
        CINPlan.objects.filter(episode_id__in=by_pk.keys() or [0])
        .order_by("plan__start_date", "pk")
        .values("episode_id", "plan__start_date", "plan__end_date")
    ):
        if _in_year(row["plan__start_date"], row["plan__end_date"], year):
            by_pk[row["episode_id"]].plans.append((row["plan__start_date"], _upto(row["plan__end_date"], year)))

    conferences = list(
        Conference.objects.filter(child_id__in=ids, meeting__held_on__lte=year.end)
        .order_by("meeting__held_on", "pk")
        .values("pk", "child_id", "episode_id", "kind", "section47_id", "cp_plan_id", "meeting__held_on")
    )
    icpc_of_s47: dict[int, dt.date] = {}
    reviews: dict[int, list[dt.date]] = defaultdict(list)
    for c in conferences:
        if c["kind"] == Conference.Kind.INITIAL and c["section47_id"] and c["section47_id"] not in icpc_of_s47:
            icpc_of_s47[c["section47_id"]] = c["meeting__held_on"]
        if c["kind"] == Conference.Kind.REVIEW and c["cp_plan_id"] and c["meeting__held_on"] >= year.start:
            reviews[c["cp_plan_id"]].append(c["meeting__held_on"])

    s47_icpcs: set[tuple[int, dt.date]] = set()  # (episode pk, ICPC date) already given at the S47 level
    for row in (
        Section47.objects.filter(child_id__in=ids, strategy_discussion__meeting__held_on__lte=year.end)
        .order_by("strategy_discussion__meeting__held_on", "pk")
        .values("pk", "child_id", "episode_id", "strategy_discussion__meeting__held_on", "icpc_not_required",
                "completed_on")
    ):
        start = row["strategy_discussion__meeting__held_on"]
        icpc = icpc_of_s47.get(row["pk"])
        finished = icpc or (_upto(row["completed_on"], year) if row["icpc_not_required"] else None)
        if finished is not None and finished < year.start:
            continue
        episode = _episode_for(episodes.get(row["child_id"], []), row["episode_id"], start)
        if episode is None:
            continue
        not_required = bool(row["icpc_not_required"]) and icpc is None
        episode.s47s.append(
            {"start": start, "target": icpc_target(start), "icpc": icpc, "not_required": not_required}
        )
        if icpc:
            s47_icpcs.add((episode.pk, icpc))

    plans = list(
        CPPlan.objects.filter(child_id__in=ids, plan__start_date__lte=year.end)
        .order_by("plan__start_date", "pk")
        .values("pk", "child_id", "episode_id", "plan__start_date", "plan__end_date", "initial_category",
                "latest_category", "conference_id")
    )
    previous: dict[int, int] = defaultdict(int)
    for row in plans:
        start, end = row["plan__start_date"], row["plan__end_date"]
        before = previous[row["child_id"]]
        previous[row["child_id"]] += 1
        if not _in_year(start, end, year):
            continue
        episode = _episode_for(episodes.get(row["child_id"], []), row["episode_id"], start)
        if episode is None:
            continue
        episode.cpps.append(
            {
                "start": start, "end": _upto(end, year), "initial": row["initial_category"],
                "latest": row["latest_category"], "previous": before,
                "reviews": sorted(d for d in reviews.get(row["pk"], []) if d > start),
            }
        )

    # An initial (or transfer-in) conference with no section 47 in the return is given at the CIN level.
    for c in conferences:
        if c["kind"] == Conference.Kind.REVIEW or c["meeting__held_on"] < year.start:
            continue
        episode = _episode_for(episodes.get(c["child_id"], []), c["episode_id"], c["meeting__held_on"])
        if episode is None or (episode.pk, c["meeting__held_on"]) in s47_icpcs:
            continue
        episode.icpc = c["meeting__held_on"]
    return children, episodes


# --- writing ------------------------------------------------------------------------------------


def _sub(parent, tag: str, text: str | None):
    if text is None or text == "":
        return None
    el = etree.SubElement(parent, tag)
    el.text = text
    return el


def _child_element(child: dict, episodes: list[_Episode], year: CollectionYear) -> etree._Element:
    el = etree.Element("Child")
    ids = etree.SubElement(el, "ChildIdentifiers")
    _sub(ids, "LAchildID", child["la_child_id"])
    _sub(ids, "UPN", child["upn"] or "")
    if not child["upn"]:
        dob = child["date_of_birth"]
        if all(e.referral_nfa for e in episodes):
            _sub(ids, "UPNunknown", "UN7")
        elif dob is None or dob > school_age_cutoff(year):
            _sub(ids, "UPNunknown", "UN1")
    if child["date_of_birth"]:
        _sub(ids, "PersonBirthDate", _d(child["date_of_birth"]))
    else:
        _sub(ids, "ExpectedPersonBirthDate", _d(child["expected_date_of_birth"]))
    _sub(ids, "Sex", child["sex"] or "U")
    _sub(ids, "PersonDeathDate", _d(_upto(child["date_of_death"], year)))

    chars = etree.SubElement(el, "ChildCharacteristics")
    _sub(chars, "Ethnicity", child["ethnicity"] or "NOBT")
    if child["disabilities"]:  # none recorded: left out, so that rule 8540 asks for it
        disabilities = etree.SubElement(chars, "Disabilities")
        for code in child["disabilities"]:
            _sub(disabilities, "Disability", code)

    for e in episodes:
        cin = etree.SubElement(el, "CINdetails")
        _sub(cin, "CINreferralDate", _d(e.referral_date))
        _sub(cin, "ReferralSource", e.referral_source)
        _sub(cin, "PrimaryNeedCode", e.primary_need)
        _sub(cin, "CINclosureDate", _d(e.closure_date))
        _sub(cin, "ReasonForClosure", e.reason_for_closure)
        _sub(cin, "DateOfInitialCPC", _d(e.icpc))
        for a in e.assessments:
            ass = etree.SubElement(cin, "Assessments")
            _sub(ass, "AssessmentActualStartDate", _d(a["start"]))
            _sub(ass, "AssessmentAuthorisationDate", _d(a["authorised"]))
            if a["factors"]:
                factors = etree.SubElement(ass, "FactorsIdentifiedAtAssessment")
                for code in a["factors"]:
                    _sub(factors, "AssessmentFactors", code)
        for start, end in e.plans:
            plan = etree.SubElement(cin, "CINPlanDates")
            _sub(plan, "CINPlanStartDate", _d(start))
            _sub(plan, "CINPlanEndDate", _d(end))
        for s in e.s47s:
            s47 = etree.SubElement(cin, "Section47")
            _sub(s47, "S47ActualStartDate", _d(s["start"]))
            _sub(s47, "InitialCPCtarget", _d(s["target"]))
            _sub(s47, "DateOfInitialCPC", _d(s["icpc"]))
            _sub(s47, "ICPCnotRequired", "1" if s["not_required"] else "0")
        _sub(cin, "ReferralNFA", "1" if e.referral_nfa else "0")
        for p in e.cpps:
            cpp = etree.SubElement(cin, "ChildProtectionPlans")
            _sub(cpp, "CPPstartDate", _d(p["start"]))
            _sub(cpp, "CPPendDate", _d(p["end"]))
            _sub(cpp, "InitialCategoryOfAbuse", p["initial"])
            _sub(cpp, "LatestCategoryOfAbuse", p["latest"] or p["initial"])
            _sub(cpp, "NumberOfPreviousCPP", str(p["previous"]))
            if p["reviews"]:
                reviews = etree.SubElement(cpp, "Reviews")
                for day in p["reviews"]:
                    _sub(reviews, "CPPreviewDate", _d(day))
    return el


def _header(year: CollectionYear) -> etree._Element:
    header = etree.Element("Header")
    details = etree.SubElement(header, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", str(year.ending))
    _sub(details, "ReferenceDate", year.end.isoformat())
    source = etree.SubElement(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", la_code())
    _sub(source, "SoftwareCode", SOFTWARE_CODE)
    _sub(source, "Release", str(year.ending))
    _sub(source, "SerialNo", "001")
    _sub(source, "DateTime", timezone.localtime().replace(microsecond=0).isoformat())
    return header


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def build_xml(year: CollectionYear, *, progress=None, chunk: int = CHUNK) -> bytes:
    icpc_target = timescale("icpc").due  # the ICPC page's due date: the rule's own calendar
    ids = child_ids(year)
    out = io.BytesIO()
    done = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write(_header(year), pretty_print=True)
            with xf.element("Children"):
                for part in _chunks(ids, chunk):
                    children, episodes = _load_chunk(part, year, icpc_target)
                    for child in children:
                        if episodes.get(child["pk"]):
                            xf.write(_child_element(child, episodes[child["pk"]], year), pretty_print=True)
                    done += len(part)
                    if progress is not None:
                        progress(done, len(ids), "Children in need census")
    return out.getvalue()


def build(year: CollectionYear, *, progress=None) -> list[ReturnFile]:
    return [ReturnFile(name=file_name(year), content=build_xml(year, progress=progress), content_type=CONTENT_TYPE)]
