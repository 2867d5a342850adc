"""The care measures run the same number of queries for 2 children as for 20.

A module of its own: the 20 children are built once for every measure, in a transaction that stays
open while these tests run, so no other test may share the module.
"""


import pytest

from .test_care import (
    AS_AT,
    _build,
    cla_reviews_in_time,
    cla_visits_in_time,
    dental_checks,
    health_assessments,
    peps_in_date,
    rhi_72_hours,
    stability_3_placements,
    stability_long_term,
)

GROWN_MEASURES = [cla_reviews_in_time, cla_visits_in_time, stability_3_placements,
                                     stability_long_term, health_assessments, dental_checks, peps_in_date,
                                     rhi_72_hours]


@pytest.fixture(scope="module")
def grown(django_db_setup, django_db_blocker):
    """Each measure's query count with 2 children, then its queries and rows with 20: built once for the
    module (in a transaction rolled back at the end), not once per measure."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from opencsc.accounts.tests.factories import UserFactory

    def run(measure):
        with CaptureQueriesContext(connection) as queries:
            rows = measure(AS_AT)
        return len(queries.captured_queries), len(rows)

    with django_db_blocker.unblock(), transaction.atomic():
        worker = UserFactory(role="social_worker")
        _build(worker, 2)
        small = {measure: run(measure)[0] for measure in GROWN_MEASURES}
        _build(worker, 18)
        yield {measure: (small[measure], *run(measure)) for measure in GROWN_MEASURES}
        transaction.set_rollback(True)


@pytest.mark.parametrize("measure", GROWN_MEASURES)
def test_query_count_does_not_grow(grown, measure, db):
    small, large, rows = grown[measure]
    assert large <= small, f"{measure.__name__}: {small} queries for 2 children, {large} for 20"
    assert rows == 20
