import datetime as dt

import pytest

from opencsc.accounts.tests.factories import UserFactory
from opencsc.casework.tests.factories import AllocationFactory
from opencsc.people.tests.factories import ChildFactory
from opencsc.performance.measures.workforce import average_caseload

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2026, 3, 31)


@pytest.mark.parametrize(("start", "end", "counted"), [
    (dt.date(2026, 3, 31), None, True),  # from the date
    (dt.date(2026, 4, 1), None, False),  # after the date
    (dt.date(2025, 1, 6), dt.date(2026, 4, 1), True),  # ended after the date
    (dt.date(2025, 1, 6), dt.date(2026, 3, 31), False),  # ended on the date (handed over)
])
def test_allocations_open_on_the_date(start, end, counted):
    worker = UserFactory(role="social_worker")
    child = ChildFactory(is_restricted=True)
    AllocationFactory(child=child, worker=worker, start_date=start, end_date=end)
    rows = average_caseload(AS_AT)
    assert [(r.child_id, r.worker_id) for r in rows] == ([(child.pk, worker.pk)] if counted else [])
    if counted:
        assert rows[0].ref == f"Allocated since {start.day} {start:%b %Y}"


@pytest.mark.parametrize(("role", "active", "counted"), [
    ("social_worker", True, True),
    ("senior_practitioner", True, True),
    ("personal_adviser", True, True),
    ("team_manager", True, False),
    ("mash_practitioner", True, False),
    ("social_worker", False, False),
])
def test_case_holding_workers_only(role, active, counted):
    AllocationFactory(worker=UserFactory(role=role, is_active=active), start_date=dt.date(2026, 1, 5))
    assert len(average_caseload(AS_AT)) == int(counted)


def test_a_child_counts_once_for_each_worker():
    worker, other = UserFactory(role="social_worker"), UserFactory(role="social_worker")
    child = ChildFactory()
    AllocationFactory(child=child, worker=worker, start_date=dt.date(2026, 1, 5))
    AllocationFactory(child=child, worker=worker, start_date=dt.date(2026, 2, 2))
    AllocationFactory(child=child, worker=other, start_date=dt.date(2026, 2, 2))
    assert sorted((r.child_id, r.worker_id) for r in average_caseload(AS_AT)) == sorted(
        [(child.pk, worker.pk), (child.pk, other.pk)])


def test_query_count_does_not_grow(django_assert_max_num_queries):
    for _ in range(2):
        AllocationFactory(worker=UserFactory(role="social_worker"), start_date=dt.date(2026, 1, 5))
    with django_assert_max_num_queries(1):
        average_caseload(AS_AT)
    for _ in range(18):
        AllocationFactory(worker=UserFactory(role="social_worker"), start_date=dt.date(2026, 1, 5))
    with django_assert_max_num_queries(1):
        assert len(average_caseload(AS_AT)) == 20
