"""The rules as pure functions: re-referral window and the 45-working-day clock."""

import datetime as dt

import pytest

from opencsc.assessment import rules

D = dt.date


@pytest.mark.parametrize(
    ("referral", "previous", "expected"),
    [
        (D(2026, 3, 3), D(2025, 3, 3), True),  # exactly 12 months earlier: a re-referral
        (D(2026, 3, 3), D(2025, 3, 2), False),  # 12 months and a day
        (D(2026, 3, 3), D(2025, 3, 4), True),
        (D(2026, 3, 3), D(2026, 3, 3), True),  # the same day, an earlier episode
        (D(2026, 3, 3), D(2026, 3, 4), False),  # a later referral is not a previous one
        (D(2025, 2, 28), D(2024, 2, 29), True),  # 29 Feb: 12 months back from 28 Feb is 28 Feb
        (D(2025, 3, 1), D(2024, 2, 29), False),
        (D(2024, 2, 29), D(2023, 2, 28), True),
        (D(2024, 2, 29), D(2023, 2, 27), False),
        (D(2026, 1, 31), D(2025, 1, 31), True),
        (D(2026, 1, 31), D(2025, 1, 30), False),
    ],
)
def test_re_referral_is_within_12_months_of_a_previous_referral(referral, previous, expected):
    assert rules.is_re_referral(referral, [previous]) is expected


def test_no_previous_referral_is_not_a_re_referral():
    assert rules.is_re_referral(D(2026, 3, 3), []) is False


@pytest.mark.parametrize(
    ("referral", "due"),
    [
        # 2 Mar 2026: Good Friday 3 Apr, Easter Monday 6 Apr and 4 May are not working days.
        (D(2026, 3, 2), D(2026, 5, 7)),
        # 1 Dec 2026: Christmas Day (Fri), Boxing Day substitute (Mon 28 Dec) and New Year's Day.
        (D(2026, 12, 1), D(2027, 2, 5)),
        # A Saturday referral: day 1 is the Monday.
        (D(2026, 1, 3), D(2026, 3, 6)),
    ],
)
def test_assessment_is_due_45_working_days_after_the_referral(referral, due):
    assert rules.assessment_due(referral) == due
    assert rules.assessment_working_days(referral, due) == 45


@pytest.mark.parametrize(
    ("referral", "completed", "late"),
    [
        (D(2026, 3, 2), D(2026, 5, 6), False),
        (D(2026, 3, 2), D(2026, 5, 7), False),  # day 45 (Thursday)
        (D(2026, 3, 2), D(2026, 5, 8), True),  # day 46
        (D(2026, 1, 3), D(2026, 3, 6), False),  # day 45 (Friday)
        (D(2026, 1, 3), D(2026, 3, 7), False),  # the Saturday after: still 45 working days
        (D(2026, 1, 3), D(2026, 3, 9), True),  # the Monday: day 46
    ],
)
def test_assessment_is_late_only_after_45_working_days(referral, completed, late):
    assert rules.assessment_is_late(referral, completed) is late


@pytest.mark.parametrize(
    ("today", "completed", "status"),
    [
        (D(2026, 4, 1), None, "green"),
        (D(2026, 4, 23), None, "amber"),  # 10 working days before the due date
        (D(2026, 5, 7), None, "amber"),
        (D(2026, 5, 8), None, "red"),
        (D(2026, 6, 1), D(2026, 5, 7), "done"),
        (D(2026, 6, 1), D(2026, 5, 8), "done_late"),
    ],
)
def test_assessment_rag(today, completed, status):
    assert rules.assessment_rag(D(2026, 3, 2), today, completed) == status
