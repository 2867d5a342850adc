"""The report of records past their period: exactly the right children, each with its period and date."""

import datetime as dt

import pytest

from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.assessment.tests.factories import CINEpisodeFactory
from opencsc.casework.models import Allocation
from opencsc.people.tests.factories import ChildFactory
from opencsc.retention import selectors, services
from opencsc.retention.models import DestructionRequest, DestructionRequestItem, LegalHold
from opencsc.retention.rules import ADOPTION, LOOKED_AFTER, OTHER

from .helpers import TODAY, adopted, child, looked_after

D = dt.date
pytestmark = pytest.mark.django_db


def _past(**kwargs):
    return {p.la_child_id: p for p in selectors.past_period(today=TODAY, **kwargs)}


@pytest.mark.parametrize("born, died, care, order, keep_until, record_class", [
    (D(2001, 6, 14), None, False, None, D(2026, 6, 14), OTHER),          # 25th birthday yesterday
    (D(1951, 6, 14), None, True, None, D(2026, 6, 14), LOOKED_AFTER),    # 75th birthday yesterday
    (D(1995, 3, 1), D(2010, 1, 4), True, None, D(2025, 1, 4), LOOKED_AFTER),  # died at 14: 15 years on
    (D(1920, 1, 1), None, True, D(1926, 6, 14), D(2026, 6, 14), ADOPTION),   # adoption order 100 years ago
])
def test_a_child_past_their_period_is_listed_with_the_period_and_date(born, died, care, order, keep_until,
                                                                       record_class):
    kid = child(born, died=died)
    if care:
        looked_after(kid, start=born.replace(year=born.year + 2), end=born.replace(year=born.year + 3))
    if order:
        adopted(kid, order)
    past = _past()[kid.la_child_id]
    assert (past.keep_until, past.record_class, past.kept_because) == (keep_until, record_class, "")


@pytest.mark.parametrize("born, died, care, order", [
    (D(2001, 6, 15), None, False, None),     # 25th birthday today: kept until the day is over
    (D(2005, 1, 1), None, False, None),
    (D(1951, 6, 15), None, True, None),      # looked after: 75th birthday today
    (D(1960, 1, 1), None, True, None),       # looked after, 25th birthday long gone: kept to 75
    (D(1996, 3, 1), D(2012, 1, 4), True, None),  # looked after, died at 15: until 2027
    (D(1920, 1, 1), None, True, D(1926, 6, 15)),  # adopted: 100 years from the order is today
    (D(1940, 1, 1), None, False, D(1942, 1, 1)),  # adopted: past the 75th birthday, not the 100 years
    (None, None, False, None),               # no date of birth: kept
])
def test_a_child_within_their_period_is_not_listed(born, died, care, order):
    kid = child(born, died=died)
    if care:
        looked_after(kid, start=born.replace(year=born.year + 2), end=born.replace(year=born.year + 3))
    if order:
        adopted(kid, order)
    assert kid.la_child_id not in _past()


def _open_allocation(kid):
    Allocation.objects.create(child=kid, team=TeamFactory(), start_date=D(2026, 1, 5))


def _open_episode(kid):
    CINEpisodeFactory(child=kid, referral_date=D(2026, 1, 5))


def _open_care(kid):
    looked_after(kid, start=D(2026, 1, 5), end=None)


def _hold(kid):
    LegalHold.objects.create(child=kid, reason="Claim", placed_by=UserFactory(), placed_at=dt.datetime.now(dt.UTC))


def _restricted(kid):
    kid.__class__.objects.filter(pk=kid.pk).update(is_restricted=True, restriction_reason="Adopted")


def _waiting(kid):
    request = DestructionRequest.objects.create(reason="Review", requested_by=UserFactory(),
                                                requested_at=dt.datetime.now(dt.UTC))
    DestructionRequestItem.objects.create(request=request, child=kid, la_child_id=kid.la_child_id,
                                          record_class=OTHER, keep_until=D(2025, 1, 1))


@pytest.mark.parametrize("make, reason", [
    (_open_allocation, selectors.KEPT_OPEN), (_open_episode, selectors.KEPT_OPEN), (_open_care, selectors.KEPT_OPEN),
    (_hold, selectors.KEPT_HOLD), (_restricted, selectors.KEPT_RESTRICTED), (_waiting, selectors.KEPT_WAITING),
])
def test_open_work_a_hold_a_restriction_or_a_waiting_approval_keeps_the_records(make, reason, periods):
    kid = child(D(1940, 1, 1))  # past even the 75 years of a child looked after
    make(kid)
    assert _past()[kid.la_child_id].kept_because == reason
    manager = UserFactory(role="service_manager")
    report = selectors.report_for(manager, today=TODAY)
    assert kid.pk not in [p.child_id for p in report.offered]
    assert report.kept == {reason: 1}


def test_a_released_hold_no_longer_keeps_the_records(periods):
    kid = child(D(1990, 1, 1))
    _hold(kid)
    LegalHold.objects.filter(child=kid).update(released_at=dt.datetime.now(dt.UTC))
    assert _past()[kid.la_child_id].kept_because == ""


def test_merged_duplicates_are_never_listed_on_their_own(periods):
    kept = child(D(1990, 1, 1))
    duplicate = ChildFactory(date_of_birth=D(1990, 1, 1), merged_into=kept)
    assert set(_past()) == {kept.la_child_id}
    assert duplicate.la_child_id not in _past()


def test_the_report_lists_exactly_the_children_past_their_period(periods):
    listed = {child(D(1990, 1, 1)), child(D(2001, 6, 1)), child(D(1950, 1, 1))}
    child(D(2010, 1, 1))
    in_care = child(D(1990, 1, 1))
    looked_after(in_care)
    manager = UserFactory(role="team_manager")
    assert {p.child_id for p in selectors.report_for(manager, today=TODAY).offered} == {c.pk for c in listed}


def test_the_nightly_count(periods):
    child(D(1990, 1, 1))
    _hold(child(D(1991, 1, 1)))
    _restricted(child(D(1992, 1, 1)))
    child(D(2010, 1, 1))
    counts = services.refresh_report(today=TODAY)
    assert counts == {"past": 3, "offered": 1, "restricted": 1, "open": 0, "hold": 1, "waiting": 0}


def test_the_report_runs_a_fixed_number_of_queries(periods, django_assert_max_num_queries):
    for year in range(1980, 2000):
        kid = child(D(year, 1, 1))
        if year % 2:
            looked_after(kid, start=D(year + 5, 1, 1), end=D(year + 6, 1, 1))
        if year % 3 == 0:
            _hold(kid)
    with django_assert_max_num_queries(3):
        assert len(selectors.past_period(today=TODAY)) == 10


def test_the_nightly_job_counts_through_the_worker_and_deletes_nothing(periods):
    from opencsc.jobs import services as jobs
    from opencsc.jobs.models import Job
    from opencsc.jobs.testing import run_jobs
    from opencsc.people.models import Child

    child(D(1990, 1, 1))
    _hold(child(D(1991, 1, 1)))
    before = Child.objects.count()
    job = jobs.start("retention.report", user=None)
    run_jobs()
    job = Job.objects.get(pk=job.pk)
    assert job.state == "succeeded", job.error
    assert "2 past their period, 1 may be offered for destruction" in job.progress_message
    assert Child.objects.count() == before
