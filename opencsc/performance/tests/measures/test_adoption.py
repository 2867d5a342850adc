import datetime as dt

import pytest

from opencsc.adoption.tests.factories import AdoptionPlanFactory
from opencsc.performance.measures.adoption import a1_days, a2_days, a10_days

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2026, 3, 31)


def adopted(on=dt.date(2025, 11, 3), **dates):
    values = {"entered_care_on": dt.date(2024, 1, 8), "placement_order_on": dt.date(2024, 9, 2),
              "matched_on": dt.date(2024, 11, 4), "placed_on": dt.date(2024, 12, 2), **dates}
    return AdoptionPlanFactory(adoption_order_on=on, child__is_restricted=True, **values)


@pytest.mark.parametrize(("measure", "days"), [
    (a1_days, (dt.date(2024, 12, 2) - dt.date(2024, 1, 8)).days),
    (a2_days, (dt.date(2024, 11, 4) - dt.date(2024, 9, 2)).days),
    (a10_days, (dt.date(2024, 12, 2) - dt.date(2024, 1, 8)).days),
])
def test_days(measure, days):
    plan = adopted()
    assert [(r.child_id, r.value, r.met, r.on) for r in measure(AS_AT)] == [
        (plan.child_id, days, None, dt.date(2025, 11, 3))]
    assert measure(AS_AT)[0].ref.startswith("Adopted 3 Nov 2025: ")


def test_a10_runs_to_moving_in_with_foster_carers_who_adopt():
    adopted(ffa_placed_on=dt.date(2024, 6, 3))
    assert [r.value for r in a10_days(AS_AT)] == [(dt.date(2024, 6, 3) - dt.date(2024, 1, 8)).days]
    assert [r.value for r in a1_days(AS_AT)] == [(dt.date(2024, 12, 2) - dt.date(2024, 1, 8)).days]


def test_missing_dates_give_no_value():
    adopted(placement_order_on=None)
    [row] = a2_days(AS_AT)
    assert row.value is None
    assert row.ref == "Adopted 3 Nov 2025: not counted, no placement order date"


@pytest.mark.parametrize(("order", "counted"), [
    (dt.date(2023, 3, 31), False),  # 3 years before
    (dt.date(2023, 4, 1), True),
    (AS_AT, True),
    (dt.date(2026, 4, 1), False),  # after the date
])
def test_three_year_window(order, counted):
    adopted(on=order)
    AdoptionPlanFactory()  # not adopted
    assert len(a1_days(AS_AT)) == int(counted)


@pytest.mark.parametrize("measure", [a1_days, a2_days, a10_days])
def test_query_count_does_not_grow(measure, django_assert_max_num_queries):
    for _ in range(2):
        adopted()
    with django_assert_max_num_queries(1):
        measure(AS_AT)
    for _ in range(18):
        adopted()
    with django_assert_max_num_queries(1):
        assert len(measure(AS_AT)) == 20
