import datetime as dt

import pytest

from opencsc.careleavers.tests.factories import CareLeaverFactory, ContactFactory, YoungPersonFactory
from opencsc.performance.measures.careleavers import (
    care_leavers_eet,
    care_leavers_in_touch,
    care_leavers_suitable_accommodation,
)

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2026, 3, 31)
MEASURES = [care_leavers_in_touch, care_leavers_eet, care_leavers_suitable_accommodation]


def young_person(dob=dt.date(2006, 6, 1), **care_leaver):
    child = YoungPersonFactory(date_of_birth=dob, is_restricted=True)
    CareLeaverFactory(child=child, **care_leaver)
    return child


@pytest.mark.parametrize(("dob", "counted"), [
    (dt.date(2008, 3, 31), False),  # 18 today
    (dt.date(2007, 4, 1), False),  # 18, 19 tomorrow
    (dt.date(2007, 3, 31), True),  # 19 today
    (dt.date(2005, 6, 1), True),  # 20
    (dt.date(2004, 4, 1), True),  # 21, 22 tomorrow
    (dt.date(2004, 3, 31), False),  # 22 today
])
@pytest.mark.parametrize("measure", MEASURES)
def test_aged_19_to_21(measure, dob, counted):
    child = young_person(dob)
    assert [r.child_id for r in measure(AS_AT)] == ([child.pk] if counted else [])


@pytest.mark.parametrize("measure", MEASURES)
def test_support_ended_before_the_date_is_not_counted(measure):
    young_person(support_ended_on=dt.date(2026, 3, 31))
    young_person(support_ended_on=dt.date(2026, 4, 1))
    assert len(measure(AS_AT)) == 1


@pytest.mark.parametrize(("in_touch", "activity", "accommodation", "expected"), [
    ("YES", "F2", "U1", [True, True, True]),
    ("NO", "G5", "U2", [False, False, False]),
    ("REFU", "0", "0", [False, False, False]),
    ("YES", "P4", "S2", [True, True, False]),
    ("YES", "G6", "Z1", [True, False, True]),
])
def test_latest_contact(in_touch, activity, accommodation, expected):
    child = young_person()
    ContactFactory(child=child, contact_date=dt.date(2025, 1, 10), in_touch="NO", activity="G5", accommodation="U2")
    ContactFactory(child=child, contact_date=dt.date(2026, 3, 31), in_touch=in_touch, activity=activity,
                   accommodation=accommodation)
    ContactFactory(child=child, contact_date=dt.date(2026, 4, 1), in_touch="DIED", activity="0",
                   accommodation="0")  # after the date
    rows = [measure(AS_AT) for measure in MEASURES]
    assert [r.met for [r] in rows] == expected
    assert {(r.child_id, r.on) for [r] in rows} == {(child.pk, dt.date(2026, 3, 31))}
    assert rows[0][0].ref.startswith("Last contact 31 Mar 2026: ")


@pytest.mark.parametrize("measure", MEASURES)
def test_no_contact_recorded_is_not_met(measure):
    child = young_person()
    ContactFactory(child=child, contact_date=dt.date(2026, 4, 1))
    assert [(r.child_id, r.met, r.ref) for r in measure(AS_AT)] == [(child.pk, False, "No contact recorded")]


@pytest.mark.parametrize("measure", MEASURES)
def test_query_count_does_not_grow(measure, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def build(n):
        for _ in range(n):
            ContactFactory(child=young_person(), contact_date=dt.date(2026, 3, 2))

    build(2)
    with CaptureQueriesContext(connection) as small:
        measure(AS_AT)
    build(18)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(measure(AS_AT)) == 20
