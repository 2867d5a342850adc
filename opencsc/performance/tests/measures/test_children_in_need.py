import datetime as dt

import pytest

from opencsc.assessment.tests.factories import AssessmentFactory, CINEpisodeFactory
from opencsc.casework.models import Plan, Visit
from opencsc.casework.tests.factories import PlanFactory, VisitFactory
from opencsc.people.tests.factories import ChildFactory
from opencsc.performance.measures.children_in_need import (
    assessments_45wd,
    cin_visits_in_time,
    re_referrals_12m,
)

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2026, 6, 30)


def episode(child, referred: dt.date, closed: dt.date | None = None):
    return CINEpisodeFactory(child=child, referral_date=referred, closure_date=closed)


@pytest.mark.parametrize(("previous", "met"), [
    (dt.date(2025, 3, 2), True),  # exactly 12 months before
    (dt.date(2025, 3, 1), False),  # 12 months and a day before
    (dt.date(2026, 1, 5), True),
    (None, False),
])
def test_re_referral_within_12_months(previous, met):
    child = ChildFactory(is_restricted=True)
    if previous:
        episode(child, previous, previous + dt.timedelta(days=10))
    episode(child, dt.date(2026, 3, 2))
    rows = [r for r in re_referrals_12m(AS_AT) if r.on == dt.date(2026, 3, 2)]
    assert [(r.child_id, r.met) for r in rows] == [(child.pk, met)]
    if met:
        assert rows[0].ref == f"Referral received 2 Mar 2026, previous referral {previous.day} {previous:%b %Y}"


def test_a_later_referral_is_not_a_previous_one():
    child = ChildFactory()
    episode(child, dt.date(2025, 9, 1), dt.date(2025, 10, 1))
    episode(child, dt.date(2026, 2, 1))
    assert [(r.on, r.met) for r in re_referrals_12m(AS_AT)] == [(dt.date(2025, 9, 1), False), (dt.date(2026, 2, 1), True)]


def test_referrals_outside_the_window_or_after_the_date_do_not_count():
    child = ChildFactory()
    episode(child, dt.date(2025, 6, 30), dt.date(2025, 6, 30))  # a year before: counted only as a previous one
    episode(child, dt.date(2026, 7, 1))  # after the date
    assert re_referrals_12m(AS_AT) == []
    assert [r.met for r in re_referrals_12m(dt.date(2026, 7, 1))] == [False]
    assert [r.on for r in re_referrals_12m(dt.date(2026, 6, 29))] == [dt.date(2025, 6, 30)]


# 2 Mar 2026 + 45 working days (Good Friday 3 Apr, Easter Monday 6 Apr and 4 May are bank holidays)
REFERRAL = dt.date(2026, 3, 2)
DAY_45 = dt.date(2026, 5, 7)


@pytest.mark.parametrize(("completed", "met"), [
    (REFERRAL, True),
    (DAY_45 - dt.timedelta(days=1), True),
    (DAY_45, True),  # 45 working days
    (DAY_45 + dt.timedelta(days=1), False),  # 46 working days
])
def test_assessment_within_45_working_days(completed, met):
    child = ChildFactory()
    AssessmentFactory(episode=episode(child, REFERRAL), completed_date=completed)
    [row] = assessments_45wd(AS_AT)
    assert (row.child_id, row.met, row.on) == (child.pk, met, completed)
    assert row.ref.startswith(f"Assessment completed {completed.day} {completed:%b %Y}, ")


def test_assessment_45_working_days_boundary_is_the_engine_calendar():
    from opencsc.timescales.core import WorkingDayCalendar

    assert WorkingDayCalendar().working_days_between(REFERRAL, DAY_45) == 45


def test_open_assessments_and_those_completed_after_the_date_do_not_count():
    AssessmentFactory(episode=episode(ChildFactory(), REFERRAL))
    AssessmentFactory(episode=episode(ChildFactory(), REFERRAL), completed_date=AS_AT + dt.timedelta(days=1))
    AssessmentFactory(episode=episode(ChildFactory(), dt.date(2025, 5, 1)), completed_date=dt.date(2025, 6, 30))
    assert assessments_45wd(AS_AT) == []


# CIN visits: every 20 working days counted from and including the day of the visit.
VISIT = dt.date(2026, 3, 2)  # a Monday; day 20 is Friday 27 March


def cin_child(start=dt.date(2026, 2, 2), end=None, **child):
    child = ChildFactory(**child)
    PlanFactory(child=child, kind=Plan.Kind.CHILD_IN_NEED, start_date=start, end_date=end)
    return child


@pytest.mark.parametrize(("as_at", "met"), [
    (dt.date(2026, 3, 26), True),
    (dt.date(2026, 3, 27), True),  # due today
    (dt.date(2026, 3, 28), False),  # the day after
])
def test_cin_visit_due_every_20_working_days(as_at, met):
    child = cin_child()
    VisitFactory(child=child, kind=Visit.Kind.CIN, visited_on=VISIT)
    [row] = cin_visits_in_time(as_at)
    assert (row.child_id, row.met, row.on) == (child.pk, met, dt.date(2026, 3, 27))
    assert row.ref == "Child in need plan since 2 Feb 2026: last visit 2 Mar 2026, next due 27 Mar 2026"


def test_cin_visit_not_seen_or_after_the_date_does_not_count():
    child = cin_child()
    VisitFactory(child=child, kind=Visit.Kind.CIN, visited_on=VISIT, child_seen=False, child_seen_alone=False)
    VisitFactory(child=child, kind=Visit.Kind.CIN, visited_on=dt.date(2026, 3, 30))
    [row] = cin_visits_in_time(dt.date(2026, 3, 28))
    assert row.met is False
    assert "no visit since the plan started 2 Feb 2026" in row.ref


@pytest.mark.parametrize(("start", "end", "counted"), [
    (dt.date(2026, 2, 2), None, True),
    (dt.date(2026, 2, 2), dt.date(2026, 3, 20), True),  # ended after the date: on a plan then
    (dt.date(2026, 2, 2), dt.date(2026, 3, 10), False),  # ended on the date
    (dt.date(2026, 3, 11), None, False),  # started after the date
])
def test_cin_cohort_is_children_on_a_plan_on_the_date(start, end, counted):
    cin_child(start, end, is_restricted=True)
    PlanFactory(kind=Plan.Kind.CHILD_PROTECTION, start_date=dt.date(2026, 1, 5))
    assert len(cin_visits_in_time(dt.date(2026, 3, 10))) == int(counted)


def _build(n):
    for _ in range(n):
        child = ChildFactory()
        AssessmentFactory(episode=episode(child, REFERRAL), completed_date=DAY_45)
        PlanFactory(child=child, kind=Plan.Kind.CHILD_IN_NEED, start_date=dt.date(2026, 2, 2))
        VisitFactory(child=child, kind=Visit.Kind.CIN, visited_on=VISIT)


@pytest.mark.parametrize("measure", [re_referrals_12m, assessments_45wd, cin_visits_in_time])
def test_query_count_does_not_grow(measure, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _build(2)
    with CaptureQueriesContext(connection) as small:
        assert len(measure(AS_AT)) == 2
    _build(18)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(measure(AS_AT)) == 20
