"""The scorecard measures and the stages, as pure functions; and the code lists from the 903 code book."""

import datetime as dt

import pytest

from opencsc.adoption import rules
from opencsc.adoption.codes import NUMBER_OF_ADOPTERS, REASON_PLACED_CEASED, SEX_OF_ADOPTERS
from opencsc.codes.lists import ssda903_list

D = dt.date


@pytest.mark.parametrize("code, threshold", [("A1", 426), ("A2", 121), ("A10", 426)])
def test_thresholds_are_the_scorecard_figures(code, threshold):
    assert rules.MEASURES[code].threshold == threshold


@pytest.mark.parametrize("today, start", [
    (D(2026, 12, 1), D(2023, 12, 2)),
    (D(2024, 2, 29), D(2021, 3, 1)),
    (D(2026, 1, 1), D(2023, 1, 2)),
])
def test_the_window_is_three_years_ending_today(today, start):
    assert rules.window(today) == (start, today)


@pytest.mark.parametrize("days, expected", [([], None), ([100], 100.0), ([100, 201], 150.5), ([1, 1, 2], 1.3)])
def test_average(days, expected):
    assert rules.average(days) == expected


@pytest.mark.parametrize("average, meets", [(None, None), (426, True), (426.1, False), (0, True)])
def test_meeting_the_threshold_means_at_or_under_it(average, meets):
    assert rules.meets_threshold(rules.MEASURES["A1"], average) is meets


@pytest.mark.parametrize("start, end, days", [
    (D(2025, 1, 1), D(2025, 1, 1), 0), (D(2025, 1, 1), D(2026, 1, 1), 365), (None, D(2025, 1, 1), None),
    (D(2025, 1, 1), None, None),
])
def test_days_between(start, end, days):
    assert rules.days_between(start, end) == days


ADOPTER_CASES = [
    ({}, ("enquiry", D(2025, 1, 1))),
    ({"stage_one_on": D(2025, 2, 1)}, ("stage_one", D(2025, 2, 1))),
    ({"stage_one_on": D(2025, 2, 1), "stage_two_on": D(2025, 4, 1)}, ("stage_two", D(2025, 4, 1))),
    ({"stage_two_on": D(2025, 4, 1), "approved_on": D(2025, 9, 1)}, ("approved", D(2025, 9, 1))),
    ({"approved_on": D(2025, 9, 1), "matched_on": D(2025, 11, 1)}, ("matched", D(2025, 11, 1))),
    ({"matched_on": D(2025, 11, 1), "placed_on": D(2025, 12, 1)}, ("placed", D(2025, 12, 1))),
    ({"approved_on": D(2025, 9, 1), "adopted_on": D(2026, 6, 1)}, ("adopted", D(2026, 6, 1))),
    ({"approved_on": D(2025, 9, 1), "adopted_on": D(2026, 6, 1), "matched_on": D(2026, 9, 1)},
     ("matched", D(2026, 9, 1))),
    ({"stage_one_on": D(2025, 2, 1), "withdrawn_on": D(2025, 3, 1)}, ("withdrawn", D(2025, 3, 1))),
]


@pytest.mark.parametrize("dates, expected", ADOPTER_CASES)
def test_adopter_stage(dates, expected):
    assert rules.adopter_stage(enquiry_on=D(2025, 1, 1), **dates) == expected


CHILD_CASES = [
    ({}, ("decided", D(2025, 1, 1))),
    ({"placement_order_on": D(2025, 3, 1)}, ("placement_order", D(2025, 3, 1))),
    ({"placement_order_on": D(2025, 3, 1), "matched_on": D(2025, 6, 1)}, ("matched", D(2025, 6, 1))),
    ({"matched_on": D(2025, 6, 1), "placed_on": D(2025, 7, 1)}, ("placed", D(2025, 7, 1))),
    ({"placed_on": D(2025, 7, 1), "adoption_order_on": D(2026, 1, 5)}, ("adopted", D(2026, 1, 5))),
    ({"placement_order_on": D(2025, 3, 1), "ended_on": D(2025, 5, 1)}, ("ended", D(2025, 5, 1))),
]


@pytest.mark.parametrize("dates, expected", CHILD_CASES)
def test_child_stage(dates, expected):
    assert rules.child_stage(should_be_placed_on=D(2025, 1, 1), **dates) == expected


@pytest.mark.parametrize("codes, table, column", [
    (REASON_PLACED_CEASED, "PlacedAdoption", "REASON_PLACED_CEASED"),
    (SEX_OF_ADOPTERS, "AD1", "SEX_ADOPTR"),
])
def test_code_lists_are_the_903_code_books_codes_each_with_a_description(codes, table, column):
    assert [c for c, _ in codes] == [c for c, _ in ssda903_list(table, column, "x")]
    assert all(label != code for code, label in codes)


def test_every_kind_of_adopters_has_a_number():
    assert set(NUMBER_OF_ADOPTERS) == SEX_OF_ADOPTERS.codes
