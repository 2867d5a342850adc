"""The SSDA903 files built from the records, and our validator run over them (validate)."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencsc.accounts.tests.factories import UserFactory
from opencsc.adoption.tests.factories import AdopterHouseholdFactory, AdoptionPlanFactory
from opencsc.care.models import CareEpisode, LookedAfterReview, PeriodOfCare, Placement
from opencsc.care.tests.factories import CareEpisodeFactory, PlacementFactory
from opencsc.careleavers.tests.factories import CareLeaverFactory, ContactFactory
from opencsc.casework.models import Meeting
from opencsc.casework.tests.factories import AllocationFactory
from opencsc.missing.tests.factories import MissingEpisodeFactory
from opencsc.people.tests.factories import ChildFactory
from opencsc.returns.base import CollectionYear
from opencsc.returns.ssda903 import build, validate, validate_files
from opencsc.returns.ssda903.build import PREVIOUS_YEAR, split_years
from opencsc.returns.ssda903.tables import COLUMNS, FILE_NAMES
from opencsc.wellbeing.models import HealthStatus
from opencsc.wellbeing.tests.factories import SDQFactory

pytestmark = pytest.mark.django_db
YEAR = CollectionYear(2026)  # 1 Apr 2025 to 31 Mar 2026


def _tables(files):
    out = {}
    for f in files:
        rows = list(csv.reader(io.StringIO(f.content.decode("utf-8"))))
        out[f.name] = (rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]])
    return out


def _rows(files, table):
    return _tables(files)[FILE_NAMES[table]][1]


def _looked_after(child=None, *, start=dt.date(2025, 5, 1), place="U4", provider="PR1", **episode):
    child = child or ChildFactory(date_of_birth=dt.date(2014, 3, 9), sex="F")
    placement = PlacementFactory(period__child=child, period__start_date=start, start_date=start, placement_type=place,
                                 provider=provider, postcode="TW4 5EP", urn="123456")
    return CareEpisodeFactory(placement=placement, home_postcode="TW3 1JJ", **episode)


def _review(episode, on, code="PN1"):
    user = UserFactory()
    meeting = Meeting.objects.create(child=episode.child, kind="cla_review", held_on=on, recorded_by=user)
    return LookedAfterReview.objects.create(child=episode.child, period=episode.period, meeting=meeting,
                                            participation=code, decisions="Plan agreed.", recorded_by=user)


def test_one_file_per_table_with_the_dfe_columns_in_order():
    files, last = split_years(build(YEAR))
    tables = _tables(files)
    assert [f.name for f in files] == [FILE_NAMES[t] for t in COLUMNS]
    assert [f.name for f in last] == [FILE_NAMES[t] for t in COLUMNS]
    assert all(f.content_type == "text/csv" for f in files)
    for table, columns in COLUMNS.items():
        assert tables[FILE_NAMES[table]] == (columns, [])


def test_the_previous_years_files_come_with_this_years():
    """The DfE's tool compares this year with last (1001, 1002, 503...): the return carries both years."""
    left = _looked_after(start=dt.date(2024, 6, 3))
    CareEpisode.objects.filter(pk=left.pk).update(end_date=dt.date(2025, 1, 10), reason_ceased="E13")
    PeriodOfCare.objects.filter(pk=left.period_id).update(end_date=dt.date(2025, 1, 10))
    now = _looked_after(start=dt.date(2025, 5, 1))
    files = build(YEAR)
    assert [f.name for f in files][len(COLUMNS):] == [PREVIOUS_YEAR + FILE_NAMES[t] for t in COLUMNS]
    this, last = split_years(files)
    assert [r["CHILD"] for r in _rows(this, "Episodes")] == [now.child.la_child_id]
    assert [r["CHILD"] for r in _rows(last, "Episodes")] == [left.child.la_child_id]
    assert [(r["DECOM"], r["DEC"]) for r in _rows(last, "Episodes")] == [("03/06/2024", "10/01/2025")]


def test_a_looked_after_child_in_header_and_episodes_restricted_records_included():
    child = ChildFactory(date_of_birth=dt.date(2014, 3, 9), sex="F", ethnicity="BAFR", upn=None, is_restricted=True)
    episode = _looked_after(child)
    _review(episode, dt.date(2025, 6, 2))
    files = build(YEAR)
    assert _rows(files, "Header") == [{"CHILD": child.la_child_id, "SEX": "F", "DOB": "09/03/2014",
                                       "ETHNIC": "BAFR", "UPN": "UN4", "MOTHER": "0", "MC_DOB": ""}]
    assert _rows(files, "Episodes") == [{
        "CHILD": child.la_child_id, "DECOM": "01/05/2025", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
        "PLACE_PROVIDER": "PR1", "DEC": "", "REC": "", "REASON_PLACE_CHANGE": "", "HOME_POST": "TW3 1JJ",
        "PL_POST": "TW4 5EP", "URN": "123456"}]
    assert _rows(files, "Reviews") == [{"CHILD": child.la_child_id, "DOB": "09/03/2014", "REVIEW": "02/06/2025",
                                        "REVIEW_CODE": "PN1"}]


def test_children_not_looked_after_in_the_year_are_left_out():
    _looked_after(start=dt.date(2026, 4, 2))  # after the year
    ended = _looked_after(start=dt.date(2024, 1, 1))
    CareEpisode.objects.filter(pk=ended.pk).update(end_date=dt.date(2025, 3, 1), reason_ceased="E4A")
    assert _rows(build(YEAR), "Header") == []


def test_a_placement_change_gives_its_reason_and_an_end_after_the_year_is_left_blank():
    first = _looked_after(start=dt.date(2025, 5, 1))
    Placement.objects.filter(pk=first.placement_id).update(end_date=dt.date(2025, 9, 1), reason_for_change="CARPL")
    CareEpisode.objects.filter(pk=first.pk).update(end_date=dt.date(2025, 9, 1), reason_ceased="X1")
    second = PlacementFactory(period=first.period, start_date=dt.date(2025, 9, 1), placement_type="U6",
                              end_date=dt.date(2026, 5, 1))
    CareEpisodeFactory(placement=second, reason_new_episode="P", end_date=dt.date(2026, 5, 1), reason_ceased="E4A")
    episodes = _rows(build(YEAR), "Episodes")
    assert [(e["DECOM"], e["DEC"], e["REC"], e["REASON_PLACE_CHANGE"]) for e in episodes] == [
        ("01/05/2025", "01/09/2025", "X1", "CARPL"), ("01/09/2025", "", "", "")]


def test_uasc_child_has_no_home_postcode_and_a_uasc_row():
    child = ChildFactory(date_of_birth=dt.date(2009, 2, 1), sex="M", is_uasc=True)
    _looked_after(child)
    files = build(YEAR)
    assert _rows(files, "Episodes")[0]["HOME_POST"] == ""
    assert _rows(files, "UASC") == [{"CHILD": child.la_child_id, "SEX": "M", "DOB": "01/02/2009",
                                     "DUC": "01/02/2027"}]


def test_missing_episodes_of_looked_after_children():
    episode = _looked_after()
    MissingEpisodeFactory(child=episode.child, started_at=dt.datetime(2025, 7, 1, 21, 30, tzinfo=dt.UTC),
                          ended_at=None)
    MissingEpisodeFactory()  # a child not looked after
    assert _rows(build(YEAR), "Missing") == [{"CHILD": episode.child.la_child_id, "DOB": "09/03/2014",
                                              "MISSING": "M", "MIS_START": "01/07/2025", "MIS_END": ""}]


def test_adoption_tables_from_the_plan_for_adoption():
    child = ChildFactory(date_of_birth=dt.date(2022, 4, 1), sex="M")
    episode = _looked_after(child, start=dt.date(2024, 1, 10), place="A5", legal_status="E1")
    CareEpisode.objects.filter(pk=episode.pk).update(end_date=dt.date(2026, 2, 1), reason_ceased="E11")
    household = AdopterHouseholdFactory(adopters="FF", legal_status="L12")
    AdoptionPlanFactory(child=child, should_be_placed_on=dt.date(2024, 3, 1), matched_on=dt.date(2025, 6, 1),
                        placed_on=dt.date(2025, 7, 1), adoption_order_on=dt.date(2026, 2, 1), adopters=household)
    files = build(YEAR)
    assert _rows(files, "PlacedAdoption") == [{"CHILD": child.la_child_id, "DOB": "01/04/2022",
                                               "DATE_PLACED": "01/03/2024", "DATE_PLACED_CEASED": "",
                                               "REASON_PLACED_CEASED": ""}]
    assert _rows(files, "AD1") == [{"CHILD": child.la_child_id, "DOB": "01/04/2022", "DATE_INT": "01/03/2024",
                                    "DATE_MATCH": "01/06/2025", "FOSTER_CARE": "0", "NB_ADOPTR": "2",
                                    "SEX_ADOPTR": "FF", "LS_ADOPTR": "L12"}]


def _left_care(child, on, start=dt.date(2023, 1, 1)):
    episode = _looked_after(child, start=start)
    CareEpisode.objects.filter(pk=episode.pk).update(end_date=on, reason_ceased="E8")
    PeriodOfCare.objects.filter(pk=episode.period_id).update(end_date=on)
    return episode


def test_oc3_for_care_leavers_with_a_birthday_in_the_year_who_had_left_care():
    leaver = CareLeaverFactory(child__date_of_birth=dt.date(2007, 9, 1)).child  # 18 on 1 Sep 2025
    _left_care(leaver, dt.date(2025, 8, 31))
    CareLeaverFactory(child__date_of_birth=dt.date(2007, 10, 1))  # never looked after: not a care leaver (1001)
    ContactFactory(child=leaver, contact_date=dt.date(2025, 8, 20), in_touch="YES", activity="F2",
                   accommodation="U1")
    still_in_care = CareLeaverFactory(child__date_of_birth=dt.date(2008, 10, 1)).child  # 17 on 1 Oct 2025
    _looked_after(still_in_care, start=dt.date(2023, 1, 1))
    files = build(YEAR)
    assert _rows(files, "OC3") == [{"CHILD": leaver.la_child_id, "DOB": "01/09/2007", "IN_TOUCH": "YES",
                                    "ACTIV": "F2", "ACCOM": "U1"}]
    assert leaver.la_child_id in {r["CHILD"] for r in _rows(files, "Header")}


def test_social_worker_episodes_for_children_looked_after_at_31_march():
    episode = _looked_after()
    worker = UserFactory()
    AllocationFactory(child=episode.child, worker=worker, start_date=dt.date(2025, 1, 1),
                      end_date=dt.date(2025, 8, 1), reason="Transferred after assessment")
    AllocationFactory(child=episode.child, worker=worker, start_date=dt.date(2025, 8, 1))
    rows = _rows(build(YEAR), "SWEpisodes")
    assert [(r["SW_ID"], r["SW_DECOM"], r["SW_DEC"], r["SW_REASON"]) for r in rows] == [
        (f"XX{worker.pk:06d}", "01/04/2025", "01/08/2025", "TSPROC"),
        (f"XX{worker.pk:06d}", "01/08/2025", "", "OTHERS")]


def _queries_to_build():
    with CaptureQueriesContext(connection) as queries:
        build(YEAR)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_children():
    for _ in range(2):
        episode = _looked_after()
        _review(episode, dt.date(2025, 7, 1))
        MissingEpisodeFactory(child=episode.child, started_at=dt.datetime(2025, 7, 1, 21, tzinfo=dt.UTC))
    few = _queries_to_build()
    for _ in range(6):
        episode = _looked_after()
        _review(episode, dt.date(2025, 7, 1))
        MissingEpisodeFactory(child=episode.child, started_at=dt.datetime(2025, 7, 1, 21, tzinfo=dt.UTC))
        AllocationFactory(child=episode.child, start_date=dt.date(2025, 1, 1))
    assert _queries_to_build() == few


def test_validate_links_each_issue_to_the_child_record():
    episode = _looked_after(place="U4", provider="PR3")  # PR3 cannot provide foster care (rule 529)
    issues = validate(YEAR)
    assert [(i.rule, i.child_id, i.child_reference, i.table, i.field) for i in issues] == [
        ("529", episode.child_id, episode.child.la_child_id, "Episodes", "PLACE_PROVIDER")]


def test_validate_reports_progress():
    _looked_after()
    seen = []
    validate(YEAR, progress=lambda done, total, label: seen.append((done, total)))
    assert seen and all(0 < done <= total for done, total in seen)


# --- What the DfE's own validator found on a default-size authority -----------------------------------------


@pytest.mark.parametrize(("year", "recorded", "provider", "place", "place_provider", "urn"), [
    # semi-independent living became supported accommodation, which has an Ofsted URN (DfE 146, 222)
    (CollectionYear(2026), "H5", "PR4", "K3", "PR4", "123456"),
    (CollectionYear(2026), "Z1", "PR4", "Z14", "", ""),  # "other placements" became Z11 to Z14, with no provider
    (CollectionYear(2026), "U4", "PR1", "U4", "PR1", "123456"),
    (CollectionYear(2026), "T1", "PR1", "T1", "", ""),  # temporary placements: no provider, no URN (213, 222)
    (CollectionYear(2025), "H5", "PR4", "H5", "PR4", "123456"),  # as the 2024-25 return had them (URN: 218)
    (CollectionYear(2023), "H5", "PR4", "H5", "PR4", ""),  # until 2022-23 H5 had no URN (222)
    (CollectionYear(2025), "Z1", "PR4", "Z1", "", ""),  # until 2024-25 Z1 had no provider either (DfE 178)
    (CollectionYear(2025), "T4", "PR1", "T4", "", ""),
])
def test_placement_codes_of_the_collection_year(year, recorded, provider, place, place_provider, urn):
    _looked_after(start=dt.date(2022, 6, 1), place=recorded, provider=provider)
    files = build(year)
    episode = _rows(files, "Episodes")[0]
    assert (episode["PLACE"], episode["PLACE_PROVIDER"], episode["URN"]) == (place, place_provider, urn)
    assert not {i.rule for i in validate_files({f.name: f.content for f in files}, year=year)} & {
        "146", "178", "213", "222", "526"}


@pytest.mark.parametrize(("start", "in_oc2"), [
    (dt.date(2025, 3, 31), True),
    (dt.date(2025, 4, 1), True),  # 1 April to 31 March is 12 months (DfE rule 191)
    (dt.date(2025, 4, 2), False),
])
def test_children_looked_after_for_12_months_at_31_march_are_in_oc2(start, in_oc2):
    episode = _looked_after(start=start, reason_new_episode="S")
    files = build(YEAR)
    assert [r["CHILD"] for r in _rows(files, "OC2")] == ([episode.child.la_child_id] if in_oc2 else [])


@pytest.mark.parametrize(("is_uasc", "ceased", "dob", "duc"), [
    (True, None, dt.date(2009, 2, 1), "01/02/2027"),  # the 18th birthday, after the year
    (False, dt.date(2025, 6, 1), dt.date(2009, 2, 1), "01/06/2025"),  # ceased in the year
    (False, dt.date(2025, 3, 31), dt.date(2009, 2, 1), None),  # ceased before the year: no row (rule 104)
    (True, None, dt.date(2007, 2, 1), None),  # 18 before the year
    # born on 29 February: 18 in a common year on 1 March in law, on 28 February to the DfE's tool (rule 304
    # asks for a day on or before the birthday, so the earlier of the two satisfies both)
    (True, None, dt.date(2008, 2, 29), "28/02/2026"),
])
def test_uasc_rows_only_for_status_that_ceased_in_or_after_the_year(is_uasc, ceased, dob, duc):
    child = ChildFactory(date_of_birth=dob, sex="M", is_uasc=is_uasc, uasc_ceased=ceased)
    _looked_after(child)
    files = build(YEAR)
    assert [r["DUC"] for r in _rows(files, "UASC")] == ([duc] if duc else [])
    assert _rows(files, "Episodes")[0]["HOME_POST"] == ""  # formerly UASC too


def _health(child, on, **values):
    return HealthStatus.objects.create(child=child, recorded_on=on, immunisations_up_to_date=True,
                                       substance_misuse=False, created_by=UserFactory(), **values)


@pytest.mark.parametrize(("dob", "health_check", "sdq"), [
    (dt.date(2021, 6, 1), "1", "12"),  # 4 at 31 March: health promotion and an SDQ
    (dt.date(2022, 6, 1), "1", ""),  # 3 at the end of the year: no SDQ (rule 188)
    (dt.date(2020, 6, 1), "", "12"),  # 5 at 31 March: no health promotion (rule 546)
    (dt.date(2008, 3, 1), "", ""),  # 17 at the start of the year: no SDQ (rule 189)
    (dt.date(2008, 5, 1), "", "12"),  # 16 at the start
])
def test_oc2_health_promotion_and_sdq_by_age(dob, health_check, sdq):
    child = ChildFactory(date_of_birth=dob, sex="M")
    _looked_after(child, start=dt.date(2024, 1, 1))
    _health(child, dt.date(2025, 10, 1), development_check_up_to_date=True)
    SDQFactory(child=child, completed_on=dt.date(2025, 11, 1), score=12)
    row = _rows(build(YEAR), "OC2")[0]
    assert row["HEALTH_CHECK"] == health_check
    assert row["SDQ_SCORE"] == sdq
    assert row["IMMUNISATIONS"] == "1"


def test_oc2_while_the_year_is_in_progress_gives_the_latest_facts_of_the_12_months_to_today(settings):
    from django.utils import timezone

    year = CollectionYear.containing(timezone.localdate())
    child = ChildFactory(date_of_birth=dt.date(2014, 6, 1), sex="M")
    _looked_after(child, start=year.start - dt.timedelta(days=800))
    _health(child, year.start - dt.timedelta(days=30))  # before the year, in the 12 months to today
    SDQFactory(child=child, completed_on=year.start - dt.timedelta(days=20), score=9)
    row = _rows(build(year), "OC2")[0]
    if timezone.localdate() < year.end:
        assert (row["IMMUNISATIONS"], row["SDQ_SCORE"]) == ("1", "9")
    else:  # only on 31 March: the year is complete and its own facts count
        assert (row["IMMUNISATIONS"], row["SDQ_SCORE"]) == ("", "")


def test_missing_episodes_still_open_at_the_start_of_the_year_are_carried_into_it():
    episode = _looked_after(start=dt.date(2024, 6, 1))
    child = episode.child
    for started, ended in ((dt.datetime(2025, 3, 30, 21, tzinfo=dt.UTC), dt.datetime(2025, 4, 2, 9, tzinfo=dt.UTC)),
                           (dt.datetime(2025, 3, 1, 21, tzinfo=dt.UTC), dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)),
                           (dt.datetime(2026, 1, 5, 21, tzinfo=dt.UTC), None)):
        MissingEpisodeFactory(child=child, started_at=started, ended_at=ended)
    rows = _rows(build(YEAR), "Missing")
    assert [(r["MIS_START"], r["MIS_END"]) for r in rows] == [("30/03/2025", "02/04/2025"), ("05/01/2026", "")]


def test_social_worker_episodes_leave_out_team_allocations_and_start_at_birth():
    child = ChildFactory(date_of_birth=dt.date(2025, 11, 17), sex="M")
    _looked_after(child, start=dt.date(2025, 11, 17))
    worker = UserFactory()
    AllocationFactory(child=child, worker=worker, start_date=dt.date(2025, 11, 1), end_date=dt.date(2025, 12, 1))
    AllocationFactory(child=child, worker=None, start_date=dt.date(2025, 12, 2))  # the team's, no worker yet
    rows = _rows(build(YEAR), "SWEpisodes")
    assert [(r["SW_ID"], r["SW_DECOM"], r["SW_DEC"]) for r in rows] == [
        (f"XX{worker.pk:06d}", "17/11/2025", "01/12/2025")]


@pytest.mark.parametrize(("year", "sex"), [(CollectionYear(2024), "2"), (CollectionYear(2025), "F"), (YEAR, "F")])
def test_sex_is_given_in_the_codes_of_the_collection_year(year, sex):
    child = ChildFactory(date_of_birth=dt.date(2009, 2, 1), sex="F", is_uasc=True)
    _looked_after(child, start=dt.date(2022, 6, 1))
    files = build(year)
    assert _rows(files, "Header")[0]["SEX"] == _rows(files, "UASC")[0]["SEX"] == sex
    assert "101" not in {i.rule for i in validate_files({f.name: f.content for f in files}, year=year)}
