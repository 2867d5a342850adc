"""The census of a generated synthetic authority: valid against the DfE schema, with no DfE errors."""

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from opencsc.people.models import Child
from opencsc.returns.base import CollectionYear
from opencsc.returns.cin import build, validate, validate_xml
from opencsc.returns.cin.builder import SPECS, schema_path
from opencsc.synthetic.testing import rolled_back_authority

TODAY = dt.date(2026, 11, 23)
SHARED_SPECS = Path(__file__).resolve().parents[5] / "shared" / "specs"


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    """One authority for the module, rolled back at the end."""
    with rolled_back_authority(django_db_blocker, seed=11, size=0.05, today=TODAY) as ctx:
        yield ctx


# Its own authority, generated once: the module runs on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("small-authority")]


@pytest.mark.parametrize("ending", [2026, 2027])
def test_the_return_is_valid_against_the_schema_and_has_no_dfe_errors(authority, ending):
    year = CollectionYear(ending)
    (file,) = build(year)
    root = etree.fromstring(file.content)
    schema = etree.XMLSchema(etree.parse(str(schema_path(year))))
    assert schema.validate(root), [str(e) for e in schema.error_log][:5]
    assert len(root.findall("Children/Child")) > 20
    errors = [(i.rule, i.child_reference) for i in validate_xml(file.content) if i.severity == "error"]
    assert errors == []


def test_restricted_children_are_in_the_return(authority):
    year = CollectionYear.containing(TODAY)
    before = set(etree.fromstring(build(year)[0].content).xpath("Children/Child/ChildIdentifiers/LAchildID/text()"))
    Child.objects.filter(la_child_id__in=sorted(before)[:5]).update(is_restricted=True, restriction_reason="Test")
    restricted = set(Child.objects.filter(is_restricted=True).values_list("la_child_id", flat=True)) & before
    after = set(etree.fromstring(build(year)[0].content).xpath("Children/Child/ChildIdentifiers/LAchildID/text()"))
    assert len(restricted) >= 5 and after == before


def test_validate_links_every_child_issue_to_a_record(authority):
    issues = validate(CollectionYear.containing(TODAY))
    assert issues  # some late work is realistic: queries such as 8670Q
    with_child = [i for i in issues if i.child_reference]
    assert with_child and all(i.child_id is not None for i in with_child)
    pks = dict(Child.objects.filter(pk__in={i.child_id for i in with_child}).values_list("pk", "la_child_id"))
    assert all(pks[i.child_id] == i.child_reference for i in with_child)


@pytest.mark.skipif(not SHARED_SPECS.exists(), reason="the shared specifications are not here")
@pytest.mark.parametrize("name", ["CIN_schema_2025.xsd", "CIN_schema_2026.xsd", "cin_rules_2025_26.tsv"])
def test_bundled_specifications_are_the_shared_ones(name):
    assert (SPECS / name).read_bytes() == (SHARED_SPECS / name).read_bytes()


def test_no_assessment_starts_or_ends_after_its_episode_closed(authority):
    from opencsc.assessment.models import Assessment

    closed = Assessment.objects.filter(episode__closure_date__isnull=False).values_list(
        "start_date", "completed_date", "episode__closure_date")
    assert closed
    assert [row for row in closed if row[0] > row[2] or (row[1] and row[1] > row[2])] == []  # rule 8565


def test_an_episode_closed_after_assessment_closes_when_the_assessment_is_authorised(authority):
    from opencsc.assessment.models import Assessment

    rows = Assessment.objects.filter(episode__reason_for_closure__in=("RC8", "RC9"), completed_date__isnull=False)
    gaps = [(r.episode.closure_date - r.completed_date).days for r in rows.select_related("episode")]
    assert gaps and all(0 <= gap <= 7 for gap in gaps)  # not months later (query 8825Q)


def test_an_episode_opened_for_child_protection_has_its_assessment(authority):
    from opencsc.assessment.models import CINEpisode

    made = CINEpisode.objects.filter(referral_details="Child protection concerns")
    assert made.exists()
    assert not made.filter(assessments__isnull=True).exists()  # query 2991Q
