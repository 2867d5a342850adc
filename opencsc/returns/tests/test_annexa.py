"""Ofsted Annex A: the workbook's sheets and headers, one row per list from factories, the schema's
values and date format, period boundaries, restricted children, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from opencsc.codes.lists import (
    CATEGORY_OF_ABUSE,
    CATEGORY_OF_NEED,
    ETHNICITY,
    LEGAL_STATUS,
    PLACEMENT_PROVIDER,
    PLACEMENT_TYPE,
    PRIMARY_NEED,
    REASON_EPISODE_CEASED,
    REASON_FOR_CLOSURE,
    REFERRAL_SOURCE,
    SEX,
)
from opencsc.returns import annexa
from opencsc.returns.annexa import codes

from .annexa_schema import codes_for

SHARED_COLUMNS = Path("/work/shared/specs/annex_a_columns.json")
START, END = dt.date(2025, 12, 1), dt.date(2026, 11, 30)
LISTS = [f"list_{n}" for n in range(1, 12)]


def workbook(start=START, end=END, progress=None):
    files = annexa.build(start=start, end=end, progress=progress)
    assert len(files) == 1
    return files[0], load_workbook(io.BytesIO(files[0].content))


def rows(book, key) -> list[dict]:
    sheet = book[key.replace("_", " ").capitalize()]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def as_date(value):
    return value.date() if isinstance(value, dt.datetime) else value


# --- Headers ------------------------------------------------------------------------------------


def test_bundled_columns_match_the_shared_spec():
    if not SHARED_COLUMNS.exists():
        pytest.skip("shared specs not present")
    assert annexa.columns() == json.loads(SHARED_COLUMNS.read_text(encoding="utf-8"))


@pytest.mark.django_db
@pytest.mark.parametrize("key", LISTS)
def test_each_list_has_exactly_the_spec_headers(key):
    spec = json.loads(SHARED_COLUMNS.read_text(encoding="utf-8")) if SHARED_COLUMNS.exists() else annexa.columns()
    _file, book = workbook()
    sheet = book[key.replace("_", " ").capitalize()]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == spec[key]


@pytest.mark.django_db
def test_one_sheet_per_list_in_order_and_the_file():
    file, book = workbook()
    assert book.sheetnames == [f"List {n}" for n in range(1, 12)]
    assert file.name == "annex_a_20251201_20261130.xlsx"
    assert file.content_type == annexa.XLSX


# --- One row per list, from factories -------------------------------------------------------------


def _user():
    from opencsc.accounts.tests.factories import UserFactory

    return UserFactory(role="social_worker", first_name="Dana", last_name="Kerr")


def _allocate(child, user):
    from opencsc.casework.tests.factories import AllocationFactory

    return AllocationFactory(child=child, worker=user, team=user.team or _team(), start_date=dt.date(2025, 1, 6))


def _team():
    from opencsc.accounts.tests.factories import TeamFactory

    return TeamFactory(name="Assessment team 2")


def make_list_1(user, child):
    from opencsc.frontdoor.tests.factories import ContactFactory, at

    ContactFactory(children=[child], received_at=at(dt.date(2026, 3, 2)), referral_source="2A")
    return {"Date of Contact": dt.date(2026, 3, 2), "Contact Source": "b) Schools"}


def make_list_2(user, child):
    from opencsc.earlyhelp.models import EarlyHelpAssessment
    from opencsc.earlyhelp.tests.factories import EarlyHelpEpisodeFactory

    episode = EarlyHelpEpisodeFactory(child=child, start_date=dt.date(2026, 2, 2))
    EarlyHelpAssessment.objects.create(episode=episode, start_date=dt.date(2026, 2, 2),
                                       completed_date=dt.date(2026, 3, 9), created_by=user)
    return {"Assessment start date": dt.date(2026, 2, 2), "Assessment completion date": dt.date(2026, 3, 9),
            "Organisation completing assessment": settings.OPENCSC_AUTHORITY_NAME}


def make_list_3(user, child):
    from opencsc.assessment.tests.factories import CINEpisodeFactory

    _allocate(child, user)
    CINEpisodeFactory(child=child, referral_date=dt.date(2025, 6, 2), closure_date=dt.date(2025, 9, 1),
                      reason_for_closure="RC8")  # before the period: counted, not listed
    CINEpisodeFactory(child=child, referral_date=dt.date(2026, 3, 2), referral_source="6", referral_nfa=True)
    return {"Date of referral": dt.date(2026, 3, 2), "Referral Source": "g) Police", "Referral NFA?": "Yes",
            "Number of Referrals in Last 12 Months": 2, "Allocated Worker": "Dana Kerr"}


def make_list_4(user, child):
    from opencsc.assessment.tests.factories import AssessmentFactory, CINEpisodeFactory

    child.disabilities = ["AUT"]
    child.save()
    AssessmentFactory(episode=CINEpisodeFactory(child=child, referral_date=dt.date(2026, 3, 2)),
                      start_date=dt.date(2026, 3, 3), child_seen_date=dt.date(2026, 3, 10),
                      completed_date=dt.date(2026, 4, 20), outcome="cin_plan")
    return {"Does the Child have a Disability": "Yes", "Continuous Assessment Start Date": dt.date(2026, 3, 3),
            "Child Seen During Continuous Assessment": "Yes",
            "Continuous Assessment Date of Authorisation": dt.date(2026, 4, 20),
            "Was the child assessed as requiring LA children's social care support?": "Yes"}


def make_list_5(user, child):
    from opencsc.protection.tests.helpers import cp_plan

    cp_plan(user, child, dt.date(2026, 3, 2))
    return {"Strategy discussion initiating Section 47 Enquiry Start Date": dt.date(2026, 3, 2),
            "Date of Initial Child Protection Conference": dt.date(2026, 3, 2),
            "Did the Initial Child Protection Conference Result in a Child Protection Plan": "Yes",
            "Number of Section 47 Enquiries in the last 12 months": 1, "Number of ICPCs in the last 12 months": 1}


def make_list_6(user, child):
    from opencsc.protection.tests.helpers import cp_plan

    cp_plan(user, child, dt.date(2026, 3, 2))
    return {"CIN Start Date": dt.date(2026, 3, 2), "Primary Need Code": "a) Abuse or neglect",
            "Case Status": "b) Child Protection plan", "CIN Closure Date": None}


def make_list_7(user, child):
    from opencsc.casework.tests.factories import VisitFactory
    from opencsc.protection.tests.helpers import cp_plan

    cp_plan(user, child, dt.date(2026, 3, 2))
    VisitFactory(child=child, kind="cp", visited_on=dt.date(2026, 3, 9), child_seen_alone=True, visitor=user)
    return {"Child Protection Plan Start Date": dt.date(2026, 3, 2), "Initial Category of Abuse": "a) Neglect",
            "Date of the Last Statutory Visit": dt.date(2026, 3, 9), "Was the Child Seen Alone?": "Yes",
            "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)": "No",
            "Number of Previous Child Protection Plans": 0}


def make_list_8(user, child):
    from opencsc.care.tests.factories import looked_after
    from opencsc.missing.tests.factories import MissingEpisodeFactory, ReturnInterviewFactory, at

    looked_after(user, child, on=dt.date(2026, 4, 1))
    episode = MissingEpisodeFactory(child=child, started_at=at(dt.date(2026, 5, 4), 21))
    ReturnInterviewFactory(episode=episode)
    MissingEpisodeFactory(child=child, kind="A", started_at=at(dt.date(2026, 5, 1), 21))
    return {"Date Started to be Looked After": dt.date(2026, 4, 1), "Child's Legal Status": "b) Full care orders",
            "Start date of current legal status": dt.date(2026, 4, 1), "Placement Type": "a) Foster placement",
            "Placement Provider": "a) Own LA", "Placement Location": "a) In",
            "Number of Placements in the Last 12 months": 1,
            "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months": 1,
            "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months": 1,
            "Was the child offered a Return Interview after their last missing episode (Y/N)?": "Yes",
            "Did the child accept a Return Interview after their last missing episode (Y/N)?": "Yes"}


def make_list_9(user, child):
    from opencsc.careleavers.tests.factories import ContactFactory, care_leaver

    young = care_leaver(age=19, sex="F", ethnicity="BAFR").child  # a care leaver, not `child`
    ContactFactory(child=young, contact_date=dt.date(2026, 11, 2), in_touch="YES", activity="F2", accommodation="U1")
    return {"Child Unique ID": young.la_child_id, "Gender": "b) Female", "Eligibility Category": "b) Former relevant",
            "LA in Touch": "a) In touch", "Latest Date of Contact": dt.date(2026, 11, 2),
            "Type of Accommodation": "k) Independent living", "Suitability of Accommodation": "a) Suitable",
            "Activity Status": "F2: Full time in education other than higher"}


def make_list_10(user, child):
    from opencsc.adoption.tests.factories import AdoptionPlanFactory

    AdoptionPlanFactory(child=child, placement_order_on=dt.date(2025, 9, 1))
    return {"Date the Child Entered Care": dt.date(2025, 1, 6),
            "Date of Decision that Child Should be Placed for Adoption": dt.date(2025, 6, 3),
            "Date of Placement Order": dt.date(2025, 9, 1), "Date of Adoption Order": None}


def make_list_11(user, child):
    from opencsc.adoption.tests.factories import AdopterHouseholdFactory

    household = AdopterHouseholdFactory()
    return {"Individual adopter identifier": f"H{household.pk}", "Date enquiry received": dt.date(2024, 1, 8),
            "Date Stage 1 started": dt.date(2024, 2, 5), "Date application approved": dt.date(2024, 9, 2),
            "Is the (prospective) adopter fostering for adoption?": "No"}


MAKERS = {key: globals()[f"make_{key}"] for key in LISTS}


@pytest.mark.django_db
@pytest.mark.parametrize("key", LISTS)
def test_each_list_has_a_row_from_the_records(key):
    from opencsc.people.tests.factories import ChildFactory

    user = _user()
    child = ChildFactory(sex="F", ethnicity="BAFR", date_of_birth=dt.date(2015, 6, 1))
    expected = MAKERS[key](user, child)
    child.refresh_from_db()
    _file, book = workbook()
    listed = rows(book, key)
    if key == "list_11":
        row = next(r for r in listed if r["Individual adopter identifier"] == expected["Individual adopter identifier"])
    else:
        wanted = expected.get("Child Unique ID", child.la_child_id)
        matching = [r for r in listed if r["Child Unique ID"] == wanted]
        assert len(matching) == 1, listed
        row = matching[0]
        assert row["Gender"] == "b) Female"
        if key != "list_9":
            assert row["Gender"] == "b) Female"
            assert row["Ethnicity"] == "d) Black or black British"
            assert as_date(row["Date of Birth"]) == dt.date(2015, 6, 1)
    for column, value in expected.items():
        assert as_date(row[column]) == value, column


# --- The schema's values and formats --------------------------------------------------------------

SCHEMA_MAPS = [
    ("Gender", codes.GENDER.values()),
    ("Ethnicity", [codes.ethnicity(c) for c in ETHNICITY.codes]),
    ("Contact Source", codes.SOURCE.values()),
    ("Primary Need Code", codes.PRIMARY_NEED.values()),
    ("Reason for Closure", codes.REASON_FOR_CLOSURE.values()),
    ("Case Status", codes.CASE_STATUS.values()),
    ("Initial Category of Abuse", codes.CATEGORY_OF_ABUSE.values()),
    ("Child's Legal Status", codes.LEGAL_STATUS.values()),
    ("Reason Ceased to be Looked After", codes.REASON_CEASED.values()),
    ("Placement Type", [codes.placement_type(c) for c in PLACEMENT_TYPE.codes]),
    ("Placement Provider", codes.PROVIDER.values()),
    ("What is the permanence plan for this child?", codes.PERMANENCE.values()),
    ("Eligibility Category", [*codes.ELIGIBILITY.values(), "e) Other"]),
    ("LA in Touch", [*codes.IN_TOUCH.values(), codes.IN_TOUCH_NOT_RECORDED]),
    ("Type of Accommodation", codes.ACCOMMODATION.values()),
    ("Suitability of Accommodation", [*codes.SUITABILITY.values(), codes.SUITABILITY_NOT_RECORDED]),
    ("Activity Status", [v for v in codes.ACTIVITY.values() if v]),
    ("Reason Why Child No Longer Placed for Adoption", codes.ADOPTION_ENDED.values()),
    ("Reason for leaving adoption process", [codes.ADOPTER_WITHDREW, codes.ADOPTER_REFUSED]),
    ("Does the Child have a Disability", [codes.disability([]), codes.disability(["NONE"]),
                                          codes.disability(["AUT"])]),
]


@pytest.mark.parametrize("column, values", SCHEMA_MAPS, ids=[c for c, _ in SCHEMA_MAPS])
def test_every_value_we_write_is_a_schema_code(column, values):
    assert set(values) <= codes_for(column)


CODE_COVERAGE = [
    (SEX, codes.GENDER), (REFERRAL_SOURCE, codes.SOURCE), (PRIMARY_NEED, codes.PRIMARY_NEED),
    (REASON_FOR_CLOSURE, codes.REASON_FOR_CLOSURE), (CATEGORY_OF_ABUSE, codes.CATEGORY_OF_ABUSE),
    (LEGAL_STATUS, codes.LEGAL_STATUS), (REASON_EPISODE_CEASED, codes.REASON_CEASED),
    (PLACEMENT_PROVIDER, codes.PROVIDER), (CATEGORY_OF_NEED, codes.PRIMARY_NEED),
]


@pytest.mark.parametrize("code_list, mapping", CODE_COVERAGE, ids=[c.name for c, _ in CODE_COVERAGE])
def test_every_dfe_code_has_an_annex_a_value(code_list, mapping):
    assert code_list.codes <= set(mapping)


def test_every_placement_type_and_care_leaver_code_is_mapped():
    from opencsc.careleavers.codes import ACCOMMODATION, ACTIVITY, IN_TOUCH

    assert all(codes.placement_type(c) for c in PLACEMENT_TYPE.codes)
    assert IN_TOUCH.codes <= set(codes.IN_TOUCH)
    assert ACTIVITY.codes <= set(codes.ACTIVITY)
    assert {c[:1] for c in ACCOMMODATION.codes if c != "0"} <= set(codes.ACCOMMODATION)


@pytest.mark.django_db
def test_dates_are_real_dates_shown_as_the_schema_says():
    from opencsc.people.tests.factories import ChildFactory

    child = ChildFactory(date_of_birth=dt.date(2014, 2, 3))
    make_list_1(_user(), child)
    _file, book = workbook()
    sheet = book["List 1"]
    data = list(sheet.iter_rows(min_row=2))[0]
    headers = annexa.columns()["list_1"]
    for name in ("Date of Birth", "Date of Contact"):
        cell = data[headers.index(name)]
        assert cell.is_date and cell.number_format == "dd/mm/yyyy"
    assert data[headers.index("Age of Child (Years)")].value == 12


@pytest.mark.django_db
@pytest.mark.parametrize("received, listed", [
    (dt.date(2025, 11, 30), False), (dt.date(2025, 12, 1), True), (dt.date(2026, 11, 30), True),
    (dt.date(2026, 12, 1), False),
])
def test_period_boundaries_are_inclusive(received, listed):
    from opencsc.frontdoor.tests.factories import ContactFactory, at
    from opencsc.people.tests.factories import ChildFactory

    child = ChildFactory()
    ContactFactory(children=[child], received_at=at(received, 23, 30))
    _file, book = workbook()
    assert (child.la_child_id in [r["Child Unique ID"] for r in rows(book, "list_1")]) is listed


@pytest.mark.django_db
@pytest.mark.parametrize("referral, closure, listed", [
    (dt.date(2025, 6, 1), dt.date(2025, 11, 30), False),  # closed the day before the period
    (dt.date(2025, 6, 1), dt.date(2025, 12, 1), True),  # closed on its first day
    (dt.date(2026, 11, 30), None, True),  # referred on its last day
    (dt.date(2026, 12, 1), None, False),  # after it
])
def test_children_in_need_open_during_the_period(referral, closure, listed):
    from opencsc.assessment.tests.factories import CINEpisodeFactory

    episode = CINEpisodeFactory(referral_date=referral, closure_date=closure,
                                reason_for_closure="RC7" if closure else "")
    _file, book = workbook()
    assert (episode.child.la_child_id in [r["Child Unique ID"] for r in rows(book, "list_6")]) is listed


@pytest.mark.django_db
def test_restricted_and_merged_children():
    from opencsc.frontdoor.tests.factories import ContactFactory, at
    from opencsc.people.tests.factories import ChildFactory

    restricted = ChildFactory(is_restricted=True)
    kept = ChildFactory()
    merged = ChildFactory(merged_into=kept)
    ContactFactory(children=[restricted, merged], received_at=at(dt.date(2026, 3, 2)))
    _file, book = workbook()
    ids = [r["Child Unique ID"] for r in rows(book, "list_1")]
    assert restricted.la_child_id in ids  # the lists go to Ofsted: restrictions do not apply
    assert merged.la_child_id not in ids  # a merged duplicate is not a second child


@pytest.mark.django_db
def test_default_period_is_the_12_months_to_today():
    from django.utils import timezone

    start, end = annexa.default_period(dt.date(2026, 12, 1))
    assert (start, end) == (dt.date(2025, 12, 2), dt.date(2026, 12, 1))
    file = annexa.build()[0]
    assert file.name.endswith(f"_{timezone.localdate():%Y%m%d}.xlsx")


@pytest.mark.django_db
def test_progress_is_reported_for_each_list():
    calls = []
    workbook(progress=lambda done, total, label: calls.append((done, total)))
    assert calls[0] == (0, 11) and calls[-1] == (11, 11) and len(calls) == 12


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        annexa.build(start=END, end=START)


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_number_of_children():
    from opencsc.people.tests.factories import ChildFactory

    def everything():
        user = _user()
        for key in LISTS:
            if key != "list_9":
                MAKERS[key](user, ChildFactory())
        make_list_9(user, ChildFactory())

    everything()
    with CaptureQueriesContext(connection) as one:
        workbook()
    everything()
    everything()
    with CaptureQueriesContext(connection) as three:
        _file, book = workbook()
    assert len(rows(book, "list_7")) >= 3  # the data really tripled (cp plans from lists 5-7)
    assert len(three) == len(one)
    assert len(one) <= 40
