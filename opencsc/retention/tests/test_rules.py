"""The record-keeping periods as pure rules: which applies, and until when (no database)."""

import datetime as dt

import pytest

from opencsc.retention import rules
from opencsc.retention.rules import ADOPTION, LOOKED_AFTER, OTHER, Facts

D = dt.date
TABLE = rules.DEFAULTS_BY_CLASS


@pytest.mark.parametrize("facts, keep_until, record_class", [
    # Any other child: until the 25th birthday.
    (Facts(born=D(2000, 5, 1)), D(2025, 5, 1), OTHER),
    # Ever looked after: until the 75th birthday.
    (Facts(born=D(2000, 5, 1), looked_after=True), D(2075, 5, 1), LOOKED_AFTER),
    # Looked after and died before 18: 15 years from the death, when that is longer than the local period.
    (Facts(born=D(2000, 5, 1), died=D(2016, 3, 1), looked_after=True), D(2031, 3, 1), LOOKED_AFTER),
    # ... but never less than the other children's period, which applies to every child's record.
    (Facts(born=D(2000, 5, 1), died=D(2002, 3, 1), looked_after=True), D(2025, 5, 1), OTHER),
    # Died on the 18th birthday: not "before 18", so the 75th birthday.
    (Facts(born=D(2000, 5, 1), died=D(2018, 5, 1), looked_after=True), D(2075, 5, 1), LOOKED_AFTER),
    (Facts(born=D(2000, 5, 1), died=D(2018, 4, 30), looked_after=True), D(2033, 4, 30), LOOKED_AFTER),
    # A child never looked after who died: the local period (no death clause).
    (Facts(born=D(2000, 5, 1), died=D(2016, 3, 1)), D(2025, 5, 1), OTHER),
    # Adopted: 100 years from the adoption order, longer than the 75th birthday.
    (Facts(born=D(2000, 5, 1), looked_after=True, adoption_order=D(2003, 2, 10)), D(2103, 2, 10), ADOPTION),
    (Facts(born=D(2000, 5, 1), adoption_order=D(2003, 2, 10)), D(2103, 2, 10), ADOPTION),
    # Born on 29 February: the anniversary in a year without one is 1 March (never a day early).
    (Facts(born=D(2004, 2, 29)), D(2029, 3, 1), OTHER),
    (Facts(born=D(2004, 2, 29), looked_after=True), D(2079, 3, 1), LOOKED_AFTER),
    # No date of birth: the records are kept (no date can be worked out).
    (Facts(born=None), None, OTHER),
    (Facts(born=None, looked_after=True), None, LOOKED_AFTER),
])
def test_the_longest_period_that_applies(facts, keep_until, record_class):
    decision = rules.decide(TABLE, facts)
    assert (decision.keep_until, decision.record_class) == (keep_until, record_class)


@pytest.mark.parametrize("born, past", [
    (D(2001, 6, 14), True),   # 25th birthday 14 Jun 2026: the day before today, so past
    (D(2001, 6, 15), False),  # 25th birthday today: kept until the end of the day
    (D(2001, 6, 16), False),
])
def test_past_the_period_only_after_the_keep_until_date(born, past):
    assert rules.decide(TABLE, Facts(born=born)).is_past(D(2026, 6, 15)) is past


@pytest.mark.parametrize("today", [D(2026, 6, 15), D(2026, 3, 1), D(2028, 3, 1), D(2028, 2, 29), D(2027, 1, 1)])
@pytest.mark.parametrize("years", [18, 25, 75, 100])
def test_latest_start_passed_is_exactly_the_boundary(today, years):
    start = rules.latest_start_passed(today, years)
    assert rules.add_years(start, years) < today
    assert rules.add_years(start + dt.timedelta(days=1), years) >= today


def test_a_longer_local_period_applies_to_every_child():
    table = {**TABLE, OTHER: rules.Period(OTHER, "Other", rules.BIRTH, 80, 18)}
    decision = rules.decide(table, Facts(born=D(2000, 5, 1), looked_after=True))
    assert (decision.keep_until, decision.record_class) == (D(2080, 5, 1), OTHER)


@pytest.mark.parametrize("record_class, years, after_death, field", [
    (ADOPTION, 99, None, "years"),
    (LOOKED_AFTER, 74, 15, "years"),
    (LOOKED_AFTER, 75, 14, "after_death_years"),
    (OTHER, 17, None, "years"),
    (OTHER, 201, None, "years"),
])
def test_a_period_cannot_go_below_its_floor(record_class, years, after_death, field):
    errors = rules.floor_errors(years=years, after_death_years=after_death, period=TABLE[record_class])
    assert set(errors) == {field}


@pytest.mark.parametrize("record_class, years, after_death", [
    (ADOPTION, 100, None), (ADOPTION, 120, None), (LOOKED_AFTER, 75, 15), (LOOKED_AFTER, 80, None),
    (OTHER, 18, None), (OTHER, 40, None),
])
def test_a_period_at_or_above_its_floor_is_allowed(record_class, years, after_death):
    assert rules.floor_errors(years=years, after_death_years=after_death, period=TABLE[record_class]) == {}


def test_the_floor_message_is_plain_english():
    errors = rules.floor_errors(years=50, after_death_years=15, period=TABLE[LOOKED_AFTER])
    assert errors["years"] == ("Records of children looked after must be kept for at least 75 years: "
                               "that is the law's minimum")
