import datetime as dt

import pytest

from opencsc.casework.models import Visit
from opencsc.casework.tests.factories import VisitFactory
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.performance.measures.protection import (
    cp_plans_2_years,
    cp_reviews_in_time,
    cp_second_plans,
    cp_visits_in_time,
    icpc_15wd,
)
from opencsc.protection import services
from opencsc.protection.tests.helpers import cp_plan, icpc, strategy

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2026, 6, 30)


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


def restricted(child):
    """Restrict a child after building their history (measures count every child)."""
    Child.objects.filter(pk=child.pk).update(is_restricted=True)
    return child


def conference(worker, discussed: dt.date, held: dt.date):
    child = ChildFactory(date_of_birth=dt.date(2015, 5, 1))
    discussion = strategy(worker, child, discussed)
    icpc(worker, child, discussion.section47, held)
    return restricted(child)


@pytest.mark.parametrize(("discussed", "held", "met"), [
    (dt.date(2026, 3, 2), dt.date(2026, 3, 2), True),
    (dt.date(2026, 3, 2), dt.date(2026, 3, 23), True),  # 15 working days
    (dt.date(2026, 3, 2), dt.date(2026, 3, 24), False),  # 16 working days
    (dt.date(2026, 3, 25), dt.date(2026, 4, 17), True),  # across Good Friday and Easter Monday: 15
    (dt.date(2026, 3, 25), dt.date(2026, 4, 20), False),
])
def test_icpc_within_15_working_days_of_the_strategy_discussion(worker, discussed, held, met):
    child = conference(worker, discussed, held)
    [row] = icpc_15wd(AS_AT)
    assert (row.child_id, row.met, row.on) == (child.pk, met, held)
    assert row.ref.startswith(f"Initial conference {held.day} {held:%b %Y}, ")


def test_icpc_window(worker):
    conference(worker, dt.date(2025, 6, 20), dt.date(2025, 6, 30))  # a year before the date
    conference(worker, dt.date(2025, 6, 20), dt.date(2025, 7, 1))
    assert [r.on for r in icpc_15wd(AS_AT)] == [dt.date(2025, 7, 1)]
    assert [r.on for r in icpc_15wd(dt.date(2025, 6, 30))] == [dt.date(2025, 6, 30)]


@pytest.mark.parametrize(("end", "met"), [
    (dt.date(2026, 2, 28), False),  # 2 years less a day
    (dt.date(2026, 3, 1), True),  # 2 years
    (dt.date(2026, 3, 2), True),
])
def test_plans_ending_that_lasted_2_years(worker, end, met):
    child = ChildFactory(date_of_birth=dt.date(2015, 5, 1))
    cp_plan(worker, child, dt.date(2024, 3, 1), end)
    restricted(child)
    assert [(r.child_id, r.met, r.on) for r in cp_plans_2_years(AS_AT)] == [(child.pk, met, end)]
    assert cp_plans_2_years(end - dt.timedelta(days=1)) == []  # not ended yet on the day before


def test_plans_not_ended_or_ended_outside_the_window_are_not_counted(worker):
    cp_plan(worker, ChildFactory(date_of_birth=dt.date(2015, 5, 1)), dt.date(2024, 3, 1))
    cp_plan(worker, ChildFactory(date_of_birth=dt.date(2015, 5, 1)), dt.date(2024, 3, 1), dt.date(2025, 6, 30))
    assert cp_plans_2_years(AS_AT) == []


@pytest.mark.parametrize(("previous", "met"), [
    (None, False),
    ((dt.date(2016, 1, 4), dt.date(2016, 9, 1)), True),  # however long ago
    ((dt.date(2025, 7, 7), dt.date(2025, 9, 1)), True),  # also counted itself
])
def test_second_or_subsequent_plans(worker, previous, met):
    child = ChildFactory(date_of_birth=dt.date(2014, 5, 1))
    if previous:
        cp_plan(worker, child, *previous)
        from opencsc.assessment.models import CINEpisode

        CINEpisode.objects.filter(child=child, closure_date__isnull=True).update(closure_date=previous[1])
    cp_plan(worker, child, dt.date(2026, 3, 2))
    restricted(child)
    rows = cp_second_plans(AS_AT)
    assert [(r.child_id, r.met, r.on) for r in rows if r.on == dt.date(2026, 3, 2)] == [
        (child.pk, met, dt.date(2026, 3, 2))]
    assert len(rows) == (2 if previous and previous[0].year == 2025 else 1)


def test_a_plan_starting_after_the_date_is_not_counted(worker):
    cp_plan(worker, ChildFactory(date_of_birth=dt.date(2014, 5, 1)), dt.date(2026, 7, 1))
    assert cp_second_plans(AS_AT) == []
    assert len(cp_second_plans(dt.date(2026, 7, 1))) == 1


# CP visits: every 10 working days (not counting the day of the visit).
@pytest.mark.parametrize(("as_at", "met"), [
    (dt.date(2026, 3, 16), True),  # 10 working days after 2 Mar
    (dt.date(2026, 3, 17), False),
])
def test_cp_visits_every_10_working_days(worker, as_at, met):
    child = ChildFactory(date_of_birth=dt.date(2015, 5, 1))
    cp_plan(worker, child, dt.date(2026, 2, 2))
    VisitFactory(child=child, kind=Visit.Kind.CP, visited_on=dt.date(2026, 3, 2))
    VisitFactory(child=child, kind=Visit.Kind.CP, visited_on=dt.date(2026, 3, 20))  # after the date
    VisitFactory(child=child, kind=Visit.Kind.CIN, visited_on=dt.date(2026, 3, 16))  # not a CP visit
    restricted(child)
    [row] = cp_visits_in_time(as_at)
    assert (row.child_id, row.met, row.on) == (child.pk, met, dt.date(2026, 3, 16))
    assert row.ref == "Child protection plan since 2 Feb 2026: last visit 2 Mar 2026, next due 16 Mar 2026"


def test_cp_visits_cohort(worker):
    cp_plan(worker, ChildFactory(date_of_birth=dt.date(2015, 5, 1)), dt.date(2026, 2, 2), dt.date(2026, 3, 2))
    [row] = cp_visits_in_time(dt.date(2026, 3, 1))  # on a plan then: first visit was due 16 Feb
    assert row.met is False
    assert row.ref == ("Child protection plan since 2 Feb 2026: no visit since the plan started 2 Feb 2026, "
                       "next due 16 Feb 2026")
    assert cp_visits_in_time(dt.date(2026, 3, 2)) == []


def review(worker, plan, held: dt.date, decision="continues"):
    services.conference_record(actor=worker, child=plan.child, kind="review", held_on=held, decision=decision,
                               category="NEG")


PLAN_START = dt.date(2025, 12, 1)  # first review due 1 Mar 2026, then 6 months after the actual review


@pytest.mark.parametrize(("reviews", "as_at", "met"), [
    ([dt.date(2026, 2, 27)], dt.date(2026, 4, 1), True),
    ([dt.date(2026, 3, 1)], dt.date(2026, 4, 1), True),  # on the due day
    ([dt.date(2026, 3, 2)], dt.date(2026, 4, 1), False),  # a day late
    ([], dt.date(2026, 3, 1), True),  # 3 months on the plan, review due today
    ([dt.date(2026, 3, 2)], dt.date(2026, 3, 1), True),  # a review after the date does not count yet
    ([], dt.date(2026, 3, 2), False),  # overdue
    ([dt.date(2026, 2, 2), dt.date(2026, 8, 3)], dt.date(2026, 8, 10), False),  # second review a day late
    ([dt.date(2026, 2, 2), dt.date(2026, 8, 2)], dt.date(2026, 8, 10), True),
    ([dt.date(2026, 3, 2), dt.date(2026, 6, 1)], dt.date(2026, 6, 30), False),  # one late review stays late
])
def test_cp_reviews_all_on_time(worker, reviews, as_at, met):
    child = ChildFactory(date_of_birth=dt.date(2015, 5, 1))
    plan = cp_plan(worker, child, PLAN_START)
    for held in reviews:
        review(worker, plan, held)
    restricted(child)
    [row] = cp_reviews_in_time(as_at)
    assert (row.child_id, row.met, row.on) == (child.pk, met, PLAN_START)


def test_cp_reviews_cohort_is_plans_of_3_months_or_more(worker):
    child = ChildFactory(date_of_birth=dt.date(2015, 5, 1))
    plan = cp_plan(worker, child, PLAN_START)
    assert cp_reviews_in_time(dt.date(2026, 2, 28)) == []  # on the plan for less than 3 months
    assert len(cp_reviews_in_time(dt.date(2026, 3, 1))) == 1
    review(worker, plan, dt.date(2026, 2, 27), decision="ends")
    assert cp_reviews_in_time(dt.date(2026, 3, 1)) == []  # the plan ended


def _build(worker, n):
    for _ in range(n):
        child = ChildFactory(date_of_birth=dt.date(2015, 5, 1))
        plan = cp_plan(worker, child, dt.date(2026, 3, 2))
        VisitFactory(child=child, kind=Visit.Kind.CP, visited_on=dt.date(2026, 5, 25))
        review(worker, plan, dt.date(2026, 5, 29))
