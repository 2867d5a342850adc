"""The CIN census XML built from the records: who is in it, what each module holds, the schema, queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from opencsc.assessment.models import CINPlan
from opencsc.assessment.tests.factories import AssessmentFactory, CINEpisodeFactory
from opencsc.casework.models import Plan
from opencsc.casework.tests.factories import PlanFactory
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection.tests.helpers import ACTION, POLICE, cp_plan, icpc, strategy
from opencsc.returns import cin
from opencsc.returns.base import CollectionYear
from opencsc.returns.cin.builder import build_xml, schema_path
from opencsc.returns.tests.cin.census_xml import upn

D = dt.date
YEAR = CollectionYear(2026)  # 1 Apr 2025 to 31 Mar 2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


def parse(year=YEAR) -> etree._Element:
    (file,) = cin.build(year)
    assert file.name == f"cin_census_{year.ending}.xml" and file.content_type == "application/xml"
    root = etree.fromstring(file.content)
    schema = etree.XMLSchema(etree.parse(str(schema_path(year))))
    assert schema.validate(root), [str(e) for e in schema.error_log]
    return root


def child_el(root, child):
    found = root.xpath(f"Children/Child[ChildIdentifiers/LAchildID='{child.la_child_id}']")
    return found[0] if found else None


def texts(el, path) -> list[str]:
    return [e.text for e in el.xpath(path)]


def episode(child, referral, closure=None, **kwargs):
    values = {"reason_for_closure": "RC7" if closure else ""}
    values.update(kwargs)
    return CINEpisodeFactory(child=child, referral_date=referral, closure_date=closure, **values)


def test_header_names_the_collection_year_reference_date_and_la(settings):
    settings.OPENCSC_LA_CODE = "313"
    episode(ChildFactory(), D(2025, 6, 2))
    root = parse()
    assert texts(root, "Header/CollectionDetails/*") == ["CIN", "2026", "2026-03-31"]
    assert root.findtext("Header/Source/LEA") == "313"
    assert root.findtext("Header/Source/SourceLevel") == "L"


def test_schema_for_each_year():
    assert schema_path(CollectionYear(2025)).name == "CIN_schema_2025.xsd"
    assert schema_path(CollectionYear(2026)).name == "CIN_schema_2026.xsd"
    assert schema_path(CollectionYear(2027)).name == "CIN_schema_2026.xsd"


@pytest.mark.parametrize(
    ("referral", "closure", "in_return"),
    [
        (D(2024, 4, 1), D(2025, 3, 31), False),  # closed on the last day of the year before
        (D(2024, 4, 1), D(2025, 4, 1), True),  # closed on the first day of the year
        (D(2026, 3, 31), None, True),  # referred on the reference date
        (D(2026, 4, 1), None, False),  # referred the day after: next year's return
        (D(2023, 1, 5), None, True),  # open all year
    ],
)
def test_year_boundaries(referral, closure, in_return):
    episode(ChildFactory(), D(2025, 9, 1))  # someone is always in the return (the schema needs a child)
    child = ChildFactory()
    episode(child, referral, closure)
    assert (child_el(parse(), child) is not None) == in_return


def test_an_episode_ending_31_march_and_one_starting_1_april_fall_in_different_years():
    ending, starting = ChildFactory(), ChildFactory()
    episode(ending, D(2025, 10, 1), D(2026, 3, 31))
    episode(starting, D(2026, 4, 1))
    this_year, next_year = parse(CollectionYear(2026)), parse(CollectionYear(2027))
    assert child_el(this_year, ending) is not None and child_el(this_year, starting) is None
    assert child_el(next_year, ending) is None and child_el(next_year, starting) is not None
    assert child_el(this_year, ending).findtext("CINdetails/CINclosureDate") == "2026-03-31"


def test_an_episode_closed_after_the_reference_date_is_open_in_the_return():
    child = ChildFactory()
    episode(child, D(2025, 5, 1), D(2026, 4, 10))
    el = child_el(parse(), child)
    assert el.find("CINdetails/CINclosureDate") is None and el.find("CINdetails/ReasonForClosure") is None


def test_restricted_children_are_included_and_merged_duplicates_are_not():
    restricted = ChildFactory(is_restricted=True, restriction_reason="Adoption")
    kept = ChildFactory()
    merged = ChildFactory(merged_into=kept)
    for c in (restricted, kept, merged):
        episode(c, D(2025, 6, 2))
    root = parse()
    assert child_el(root, restricted) is not None and child_el(root, kept) is not None
    assert child_el(root, merged) is None


def test_child_identifiers_and_characteristics():
    child = ChildFactory(upn=upn(), date_of_birth=D(2014, 2, 3), sex="F", ethnicity="BAFR",
                         disabilities=["MOB", "AUT"], date_of_death=None)
    episode(child, D(2025, 6, 2))
    el = child_el(parse(), child)
    assert texts(el, "ChildIdentifiers/*") == [child.la_child_id, child.upn, "2014-02-03", "F"]
    assert texts(el, "ChildCharacteristics/Ethnicity") == ["BAFR"]
    assert texts(el, "ChildCharacteristics/Disabilities/Disability") == ["MOB", "AUT"]


def test_unborn_child_and_upn_unknown_reasons():
    unborn = ChildFactory(date_of_birth=None, expected_date_of_birth=D(2026, 5, 1), sex="U", upn=None)
    nfa_only = ChildFactory(date_of_birth=D(2012, 1, 1), upn=None, disabilities=[])
    school_age = ChildFactory(date_of_birth=D(2012, 1, 1), upn=None)
    episode(unborn, D(2026, 1, 5))
    episode(nfa_only, D(2025, 9, 1), referral_nfa=True)
    episode(school_age, D(2025, 9, 1))
    root = parse()
    el = child_el(root, unborn)
    assert texts(el, "ChildIdentifiers/*")[1:] == ["UN1", "2026-05-01", "U"]
    assert el.find("ChildIdentifiers/PersonBirthDate") is None
    assert child_el(root, nfa_only).findtext("ChildIdentifiers/UPNunknown") == "UN7"
    assert child_el(root, nfa_only).find("ChildCharacteristics/Disabilities") is None  # none recorded
    # A school-age child with no UPN and no known reason: left for the worker (rule 8770Q asks).
    assert child_el(root, school_age).find("ChildIdentifiers/UPNunknown") is None


def test_cin_details_and_assessments():
    child = ChildFactory()
    e = episode(child, D(2025, 5, 1), D(2026, 2, 27), referral_source="2A", primary_need="N4")
    AssessmentFactory(episode=e, start_date=D(2025, 5, 2), completed_date=D(2025, 6, 2), factors=["1B", "3A"])
    AssessmentFactory(episode=e, start_date=D(2024, 5, 2), completed_date=D(2024, 6, 2))  # done the year before
    el = child_el(parse(), child)
    cin_el = el.find("CINdetails")
    assert [c.tag for c in cin_el][:5] == [
        "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure"]
    assert texts(cin_el, "ReferralSource|PrimaryNeedCode|ReasonForClosure|ReferralNFA") == ["2A", "N4", "RC7", "0"]
    (a,) = cin_el.findall("Assessments")
    assert texts(a, "*[not(self::FactorsIdentifiedAtAssessment)]") == ["2025-05-02", "2025-06-02"]
    assert texts(a, "FactorsIdentifiedAtAssessment/AssessmentFactors") == ["1B", "3A"]


def test_an_assessment_authorised_after_the_reference_date_is_open_without_factors():
    child = ChildFactory()
    e = episode(child, D(2026, 3, 2))
    AssessmentFactory(episode=e, start_date=D(2026, 3, 3), completed_date=D(2026, 4, 20), factors=["1B"])
    a = child_el(parse(), child).find("CINdetails/Assessments")
    assert a.find("AssessmentAuthorisationDate") is None and a.find("FactorsIdentifiedAtAssessment") is None


def test_cin_plan_dates():
    child = ChildFactory()
    e = episode(child, D(2025, 5, 1))
    for start, end in [(D(2025, 6, 1), D(2025, 9, 1)), (D(2025, 10, 1), D(2026, 5, 1)), (D(2024, 6, 1), D(2025, 1, 1))]:
        CINPlan.objects.create(episode=e, plan=PlanFactory(child=child, start_date=start, end_date=end))
    plans = child_el(parse(), child).findall("CINdetails/CINPlanDates")
    assert [texts(p, "*") for p in plans] == [["2025-06-01", "2025-09-01"], ["2025-10-01"]]


def test_section_47_conference_and_cp_plan_with_reviews(worker):
    from opencsc.protection import services

    child = ChildFactory(date_of_birth=D(2015, 5, 1))
    plan = cp_plan(worker, child, D(2025, 7, 1))
    services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 9, 30),
                               decision="continues", category="NEG", attendance=[POLICE])
    services.cp_plan_end(actor=worker, cp_plan=plan, end_date=D(2026, 1, 6), end_reason="no_longer_at_risk")
    el = child_el(parse(), child)
    s47 = el.find("CINdetails/Section47")
    assert texts(s47, "*") == ["2025-07-01", "2025-07-22", "2025-07-01", "0"]  # target: 15 working days
    assert el.find("CINdetails/DateOfInitialCPC") is None  # given once, at the section 47 level
    cpp = el.find("CINdetails/ChildProtectionPlans")
    assert texts(cpp, "*[not(self::Reviews)]") == ["2025-07-01", "2026-01-06", "NEG", "NEG", "0"]
    assert texts(cpp, "Reviews/CPPreviewDate") == ["2025-09-30"]


def test_previous_plans_are_counted_and_a_s47_needing_no_conference_is_flagged(worker):
    from opencsc.protection import services

    child = ChildFactory(date_of_birth=D(2012, 5, 1))
    cp_plan(worker, child, D(2023, 3, 1), end=D(2023, 9, 1))
    discussion = strategy(worker, child, D(2025, 8, 4))
    services.section47_outcome_record(actor=worker, section47=discussion.section47, outcome="not_substantiated",
                                      outcome_summary="No evidence of harm", completed_on=D(2025, 8, 12))
    discussion2 = strategy(worker, child, D(2025, 11, 3))
    conference = icpc(worker, child, discussion2.section47, D(2025, 11, 14))
    services.cp_plan_start(actor=worker, conference=conference, contingency="Legal planning meeting", actions=[ACTION])
    el = child_el(parse(), child)
    s47s = el.findall("CINdetails/Section47")
    assert [s.findtext("ICPCnotRequired") for s in s47s] == ["1", "0"]
    assert el.findtext("CINdetails/ChildProtectionPlans/NumberOfPreviousCPP") == "1"
    assert el.find("CINdetails/ChildProtectionPlans/CPPendDate") is None


def test_the_synthetic_style_history_validates_with_no_errors(worker):
    child = ChildFactory(upn=upn(rest="200099001"), date_of_birth=D(2015, 5, 1), disabilities=["NONE"])
    cp_plan(worker, child, D(2025, 7, 1), end=D(2026, 1, 6))
    issues = [i for i in cin.validate(YEAR) if i.severity == "error"]
    assert issues == []


def test_validate_links_issues_to_the_childs_record():
    child = ChildFactory(disabilities=["NONE"])
    e = episode(child, D(2025, 5, 1))
    AssessmentFactory(episode=e, start_date=D(2025, 5, 2), completed_date=D(2025, 5, 1), factors=["1B"])
    (issue,) = [i for i in cin.validate(YEAR) if i.rule == "8608"]
    assert (issue.child_id, issue.child_reference, issue.field, issue.table) == (
        child.pk, child.la_child_id, "AssessmentAuthorisationDate", "Assessments")


def _history(worker, n):
    for i in range(n):
        child = ChildFactory(disabilities=["NONE"])
        e = episode(child, D(2025, 5, 1) + dt.timedelta(days=i))
        AssessmentFactory(episode=e, start_date=e.referral_date, completed_date=D(2025, 7, 1), factors=["1B"])
        CINPlan.objects.create(episode=e, plan=PlanFactory(child=child, start_date=D(2025, 7, 2)))
    cp_plan(worker, ChildFactory(date_of_birth=D(2015, 1, 1)), D(2025, 7, 1) + dt.timedelta(days=7 * n))


def test_query_count_does_not_grow_with_the_number_of_children(worker):
    _history(worker, 2)
    with CaptureQueriesContext(connection) as few:
        build_xml(YEAR)
    _history(worker, 6)
    with CaptureQueriesContext(connection) as more:
        build_xml(YEAR)
    assert len(few.captured_queries) == len(more.captured_queries) <= 10


def test_children_are_read_in_chunks_of_a_fixed_number_of_queries(worker):
    _history(worker, 5)
    with CaptureQueriesContext(connection) as one:
        whole = build_xml(YEAR)
    with CaptureQueriesContext(connection) as chunked:
        parts = build_xml(YEAR, chunk=2)
    strip = etree.XSLT(etree.XML(  # the header's DateTime differs between two builds
        b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        b'<xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>'
        b'</xsl:template><xsl:template match="DateTime"/></xsl:stylesheet>'))
    assert str(strip(etree.fromstring(whole))) == str(strip(etree.fromstring(parts)))
    chunk_queries = len(one.captured_queries) - 2  # less the calendar and the list of children
    assert len(chunked.captured_queries) == 2 + 3 * chunk_queries


def test_progress_is_reported_per_chunk():
    for _ in range(3):
        episode(ChildFactory(), D(2025, 6, 2))
    calls = []
    build_xml(YEAR, progress=lambda done, total, label: calls.append((done, total)), chunk=2)
    assert calls == [(2, 3), (3, 3)]


def test_plan_model_is_the_one_copy_of_cp_dates(worker):
    """The CP plan's dates are its casework Plan's: changing them changes the return."""
    child = ChildFactory(date_of_birth=D(2015, 5, 1))
    plan = cp_plan(worker, child, D(2025, 7, 1))
    Plan.objects.filter(pk=plan.plan_id).update(end_date=D(2025, 12, 1))
    assert child_el(parse(), child).findtext("CINdetails/ChildProtectionPlans/CPPendDate") == "2025-12-01"
