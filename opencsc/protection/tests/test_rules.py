"""The ICPC target and the plan flags, as pure rules."""

import datetime as dt

import pytest

from opencsc.protection import rules

D = dt.date


@pytest.mark.parametrize(
    ("s47_start", "target"),
    [
        (D(2026, 3, 2), D(2026, 3, 23)),  # Monday: 15 working days later is three weeks on
        (D(2026, 3, 6), D(2026, 3, 27)),  # Friday
        (D(2026, 3, 7), D(2026, 3, 27)),  # Saturday: counts from the next working day
        (D(2026, 3, 23), D(2026, 4, 15)),  # over Good Friday (3 Apr) and Easter Monday (6 Apr)
        (D(2026, 12, 18), D(2027, 1, 13)),  # over Christmas, Boxing Day (substitute Mon 28 Dec) and New Year
        (D(2026, 4, 27), D(2026, 5, 19)),  # over the early May bank holiday (4 May)
    ],
)
def test_icpc_target_is_15_working_days_after_the_strategy_discussion(s47_start, target):
    assert rules.icpc_target(s47_start) == target
    assert rules.icpc_working_days(s47_start, target) == 15


@pytest.mark.parametrize(
    ("held_on", "late"),
    [
        (D(2026, 3, 2), False),  # same day
        (D(2026, 4, 14), False),  # 14 working days
        (D(2026, 4, 15), False),  # 15 working days: on the target
        (D(2026, 4, 16), True),  # 16 working days
    ],
)
def test_icpc_held_after_the_target_is_late(held_on, late):
    start = D(2026, 3, 23)
    assert rules.icpc_is_late(start, held_on, today=D(2026, 11, 1)) is late


@pytest.mark.parametrize(("today", "late"), [(D(2026, 3, 23), False), (D(2026, 3, 24), True)])
def test_an_icpc_not_yet_held_is_late_once_the_target_has_passed(today, late):
    assert rules.icpc_is_late(D(2026, 3, 2), None, today=today) is late


@pytest.mark.parametrize(
    ("start", "end", "today", "long"),
    [
        (D(2024, 3, 1), None, D(2026, 2, 28), False),  # open, a day short of 2 years
        (D(2024, 3, 1), None, D(2026, 3, 1), True),  # open, exactly 2 years
        (D(2024, 3, 1), D(2026, 2, 28), D(2027, 1, 1), False),  # ended a day short
        (D(2024, 3, 1), D(2026, 3, 1), D(2027, 1, 1), True),  # ended on the 2-year day
        (D(2024, 2, 29), None, D(2026, 2, 27), False),  # leap day start
        (D(2024, 2, 29), None, D(2026, 2, 28), True),
        (D(2025, 1, 1), D(2025, 6, 1), D(2030, 1, 1), False),  # short plan ended long ago
    ],
)
def test_plans_of_2_years_or_more_are_flagged(start, end, today, long):
    assert rules.is_long_plan(start, end, today) is long
