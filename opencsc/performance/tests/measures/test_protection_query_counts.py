"""The protection measures run the same number of queries for 2 children as for 20.

A module of its own: the 20 children are built once for every measure, in a transaction that stays
open while these tests run, so no other test may share the module.
"""

import datetime as dt

import pytest

from .growth import grown_counts
from .test_protection import (
    _build,
    cp_plans_2_years,
    cp_reviews_in_time,
    cp_second_plans,
    cp_visits_in_time,
    icpc_15wd,
)

GROWN_MEASURES = [icpc_15wd, cp_plans_2_years, cp_second_plans, cp_visits_in_time,
                  cp_reviews_in_time]


@pytest.fixture(scope="module")
def grown(django_db_setup, django_db_blocker):
    with grown_counts(django_db_blocker, build=_build, measures=GROWN_MEASURES, as_at=dt.date(2026, 6, 5)) as counts:
        yield counts


@pytest.mark.parametrize("measure", GROWN_MEASURES)
def test_query_count_does_not_grow(grown, measure, db):
    small, large, rows = grown[measure]
    assert large <= small, f"{measure.__name__}: {small} queries for 2 children, {large} for 20"
    assert rows == (0 if measure is cp_plans_2_years else 20)
