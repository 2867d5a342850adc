"""The care measures run the same number of queries for 2 children as for 20.

A module of its own: the 20 children are built once for every measure, in a transaction that stays
open while these tests run, so no other test may share the module.
"""

import pytest

from .growth import grown_counts
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
                  stability_long_term, health_assessments, dental_checks, peps_in_date, rhi_72_hours]


@pytest.fixture(scope="module")
def grown(django_db_setup, django_db_blocker):
    with grown_counts(django_db_blocker, build=_build, measures=GROWN_MEASURES, as_at=AS_AT) as counts:
        yield counts


@pytest.mark.parametrize("measure", GROWN_MEASURES)
def test_query_count_does_not_grow(grown, measure, db):
    small, large, rows = grown[measure]
    assert large <= small, f"{measure.__name__}: {small} queries for 2 children, {large} for 20"
    assert rows == 20
