"""The working-day calendar: England and Wales bank holidays, local closures and date arithmetic."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from opencsc.timescales.core import WorkingDayCalendar, england_and_wales_bank_holidays

D = dt.date
LONDON = ZoneInfo("Europe/London")

# England and Wales bank holidays as published on GOV.UK (gov.uk/bank-holidays.json,
# division "england-and-wales"), written out independently of the holidays package.
GOV_UK_ENGLAND_AND_WALES = {
    2018: ["2018-01-01", "2018-03-30", "2018-04-02", "2018-05-07", "2018-05-28", "2018-08-27",
           "2018-12-25", "2018-12-26"],
    2019: ["2019-01-01", "2019-04-19", "2019-04-22", "2019-05-06", "2019-05-27", "2019-08-26",
           "2019-12-25", "2019-12-26"],
    # Early May moved to Friday 8 May for the 75th anniversary of VE day; Boxing Day substitute.
    2020: ["2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31",
           "2020-12-25", "2020-12-28"],
    # Christmas Day and Boxing Day both at a weekend: substitutes on 27 and 28 December.
    2021: ["2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30",
           "2021-12-27", "2021-12-28"],
    # New Year substitute 3 Jan; spring bank holiday moved to 2 June; Platinum Jubilee 3 June;
    # State Funeral 19 September; Christmas substitute 27 December.
    2022: ["2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03",
           "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"],
    # Coronation of King Charles III on 8 May.
    2023: ["2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29",
           "2023-08-28", "2023-12-25", "2023-12-26"],
    2024: ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
           "2024-12-25", "2024-12-26"],
    2025: ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
           "2025-12-25", "2025-12-26"],
    2026: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
           "2026-12-25", "2026-12-28"],
    2027: ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
           "2027-12-27", "2027-12-28"],
}

CAL = WorkingDayCalendar()


def weekday_holidays(year):
    return {d for d in england_and_wales_bank_holidays(year) if d.weekday() < 5}


@pytest.mark.parametrize("year", sorted(GOV_UK_ENGLAND_AND_WALES))
def test_bank_holidays_on_weekdays_match_gov_uk_exactly(year):
    # Given the published list / When the calendar lists its weekday holidays / Then they are the same
    assert weekday_holidays(year) == {D.fromisoformat(d) for d in GOV_UK_ENGLAND_AND_WALES[year]}


@pytest.mark.parametrize(
    "year, day",
    [(year, D.fromisoformat(d)) for year, days in sorted(GOV_UK_ENGLAND_AND_WALES.items()) for d in days],
)
def test_every_gov_uk_bank_holiday_is_not_a_working_day(year, day):
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize(
    "day, why",
    [
        (D(2021, 12, 27), "Christmas Day substitute (25th a Saturday)"),
        (D(2021, 12, 28), "Boxing Day substitute (26th a Sunday)"),
        (D(2022, 1, 3), "New Year's Day substitute"),
        (D(2022, 12, 27), "Christmas Day substitute (25th a Sunday)"),
        (D(2023, 1, 2), "New Year's Day substitute"),
        (D(2020, 12, 28), "Boxing Day substitute (26th a Saturday)"),
        (D(2026, 12, 28), "Boxing Day substitute (26th a Saturday)"),
        (D(2027, 12, 27), "Christmas Day substitute"),
        (D(2027, 12, 28), "Boxing Day substitute"),
        (D(2028, 1, 3), "New Year's Day substitute"),
        (D(2022, 6, 3), "Platinum Jubilee"),
        (D(2022, 6, 2), "Spring bank holiday moved for the Jubilee"),
        (D(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
        (D(2023, 5, 8), "Coronation of King Charles III"),
        (D(2020, 5, 8), "Early May moved for VE day"),
        (D(2024, 3, 29), "Good Friday 2024"),
        (D(2024, 4, 1), "Easter Monday 2024"),
        (D(2025, 4, 18), "Good Friday 2025"),
        (D(2025, 4, 21), "Easter Monday 2025"),
        (D(2026, 4, 3), "Good Friday 2026"),
        (D(2026, 4, 6), "Easter Monday 2026"),
        (D(2027, 3, 26), "Good Friday 2027"),
        (D(2027, 3, 29), "Easter Monday 2027"),
        (D(2028, 4, 14), "Good Friday 2028"),
        (D(2028, 4, 17), "Easter Monday 2028"),
        (D(2024, 5, 6), "Early May 2024"),
        (D(2025, 5, 5), "Early May 2025"),
        (D(2024, 5, 27), "Spring 2024"),
        (D(2025, 5, 26), "Spring 2025"),
        (D(2026, 5, 25), "Spring 2026"),
        (D(2024, 12, 25), "Christmas Day on a Wednesday"),
        (D(2024, 12, 26), "Boxing Day on a Thursday"),
        (D(2026, 12, 25), "Christmas Day on a Friday"),
    ],
)
def test_non_working_days(day, why):
    assert not CAL.is_working_day(day), why


@pytest.mark.parametrize(
    "day, why",
    [
        (D(2022, 5, 30), "last Monday of May 2022 was NOT a holiday (moved to 2 June)"),
        (D(2020, 5, 4), "first Monday of May 2020 was NOT a holiday (moved to 8 May)"),
        (D(2023, 5, 2), "the day after the Early May holiday"),
        (D(2026, 12, 24), "Christmas Eve is a working day unless the authority closes"),
        (D(2026, 12, 29), "between Christmas and New Year"),
        (D(2026, 12, 31), "New Year's Eve"),
        (D(2025, 4, 17), "Maundy Thursday"),
        (D(2024, 2, 29), "leap day 2024 (a Thursday)"),
        (D(2028, 2, 29), "leap day 2028 (a Tuesday)"),
        (D(2026, 11, 23), "an ordinary Monday"),
    ],
)
def test_working_days(day, why):
    assert CAL.is_working_day(day), why


@pytest.mark.parametrize("day", [D(2026, 11, 21), D(2026, 11, 22), D(2024, 12, 28), D(2021, 12, 25),
                                 D(2021, 12, 26), D(2026, 12, 26)])
def test_weekends_are_not_working_days(day):
    assert not CAL.is_working_day(day)


def test_holiday_sets_are_cached_per_year():
    assert england_and_wales_bank_holidays(2026) is england_and_wales_bank_holidays(2026)


# -- local closures and extra working days ---------------------------------


def test_local_closure_days_are_not_working_days_and_only_for_that_authority():
    # Given an authority that closes on Christmas Eve and 29-31 December
    closures = {D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)}
    local = WorkingDayCalendar(extra_closures=closures)
    # Then those days are not working days for it, but are for the default calendar
    for day in closures:
        assert not local.is_working_day(day)
        assert CAL.is_working_day(day)
    # And the next working day after Wednesday 23 December is Monday 4 January
    assert local.add_working_days(D(2026, 12, 23), 1) == D(2027, 1, 4)
    assert CAL.add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 24)
    assert local.working_days_between(D(2026, 12, 23), D(2027, 1, 4)) == 1
    assert CAL.working_days_between(D(2026, 12, 23), D(2027, 1, 4)) == 5


def test_extra_working_days_override_holidays_and_weekends():
    # Given an authority that counts Boxing Day substitute 2026 and a Saturday as working days
    local = WorkingDayCalendar(extra_working_days={D(2026, 12, 28), D(2026, 11, 21)})
    assert local.is_working_day(D(2026, 12, 28))
    assert local.is_working_day(D(2026, 11, 21))
    assert local.add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 21)
    assert local.working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 2
    assert local.working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 2


# -- adding working days ----------------------------------------------------


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2026, 11, 23), 0, D(2026, 11, 23)),  # zero: unchanged
        (D(2026, 11, 21), 0, D(2026, 11, 21)),  # zero on a Saturday: unchanged
        (D(2026, 11, 23), 1, D(2026, 11, 24)),
        (D(2026, 11, 20), 1, D(2026, 11, 23)),  # Friday + 1 = Monday
        (D(2026, 11, 21), 1, D(2026, 11, 23)),  # Saturday + 1 = Monday
        (D(2026, 11, 23), 5, D(2026, 11, 30)),
        (D(2026, 11, 23), 45, D(2027, 1, 28)),  # across Christmas (25, 28 Dec) and New Year
        (D(2026, 12, 24), 1, D(2026, 12, 29)),  # over Christmas Day, weekend and Boxing Day substitute
        (D(2021, 12, 24), 1, D(2021, 12, 29)),  # both 2021 substitutes
        (D(2021, 12, 24), 2, D(2021, 12, 30)),
        (D(2021, 12, 31), 1, D(2022, 1, 4)),  # New Year substitute 3 Jan 2022
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # over Easter 2026
        (D(2024, 3, 28), 1, D(2024, 4, 2)),  # over Easter 2024
        (D(2025, 4, 17), 1, D(2025, 4, 22)),  # over Easter 2025
        (D(2027, 3, 25), 1, D(2027, 3, 30)),  # over Easter 2027
        (D(2022, 6, 1), 1, D(2022, 6, 6)),  # over the Jubilee weekend
        (D(2022, 9, 16), 1, D(2022, 9, 20)),  # over the State Funeral
        (D(2023, 5, 5), 1, D(2023, 5, 9)),  # over the coronation
        (D(2024, 2, 28), 1, D(2024, 2, 29)),  # leap day is a working day
        (D(2026, 11, 23), 15, D(2026, 12, 14)),
        (D(2026, 12, 14), 15, D(2027, 1, 7)),  # ICPC clock across Christmas 2026
        # negative: counting back
        (D(2026, 11, 23), -1, D(2026, 11, 20)),  # Monday - 1 = Friday
        (D(2026, 11, 22), -1, D(2026, 11, 20)),  # Sunday - 1 = Friday
        (D(2026, 12, 29), -1, D(2026, 12, 24)),
        (D(2027, 1, 28), -45, D(2026, 11, 23)),
        (D(2026, 4, 7), -1, D(2026, 4, 2)),
    ],
)
def test_add_working_days(start, n, expected):
    assert CAL.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2026, 11, 23), 1, D(2026, 11, 23)),  # day of the visit is day 1
        (D(2026, 11, 23), 20, D(2026, 12, 18)),
        (D(2026, 11, 21), 1, D(2026, 11, 23)),  # a Saturday is not counted: day 1 is Monday
        (D(2026, 11, 23), 0, D(2026, 11, 23)),
        (D(2026, 11, 23), -1, D(2026, 11, 23)),
        (D(2026, 11, 23), -2, D(2026, 11, 20)),
    ],
)
def test_add_working_days_counting_the_start_day(start, n, expected):
    assert CAL.add_working_days(start, n, count_start_day=True) == expected
    assert WorkingDayCalendar(count_start_day=True).add_working_days(start, n) == expected


# -- working days between ----------------------------------------------------


@pytest.mark.parametrize(
    "start, end, dfe, inclusive",
    [
        (D(2026, 11, 23), D(2026, 11, 23), 0, 1),
        (D(2026, 11, 23), D(2026, 11, 24), 1, 2),
        (D(2026, 11, 20), D(2026, 11, 23), 1, 2),  # Friday to Monday
        (D(2026, 11, 21), D(2026, 11, 22), 0, 0),  # weekend only
        (D(2026, 12, 24), D(2026, 12, 29), 1, 2),  # over Christmas 2026
        (D(2026, 12, 18), D(2027, 1, 8), 12, 13),  # 25 and 28 Dec, 1 Jan lost
        (D(2021, 12, 24), D(2022, 1, 4), 4, 5),  # 27, 28 Dec and 3 Jan lost
        (D(2026, 4, 1), D(2026, 4, 8), 3, 4),  # Easter 2026
        (D(2026, 11, 23), D(2027, 1, 28), 45, 46),
        (D(2024, 1, 1), D(2024, 12, 31), 254, 254),  # 262 weekdays less 8 holidays (1 Jan is one)
        (D(2026, 11, 24), D(2026, 11, 23), -1, -2),  # end before start
    ],
)
def test_working_days_between(start, end, dfe, inclusive):
    assert CAL.working_days_between(start, end) == dfe
    assert CAL.working_days_between(start, end, count_start_day=True) == inclusive


def _brute_force_between(cal, start, end):
    return sum(1 for i in range(1, (end - start).days + 1) if cal.is_working_day(start + dt.timedelta(days=i)))


@pytest.mark.parametrize(
    "cal",
    [CAL, WorkingDayCalendar(extra_closures={D(2026, 12, 24), D(2026, 12, 31)},
                             extra_working_days={D(2026, 12, 26), D(2027, 1, 1)})],
    ids=["national", "local"],
)
def test_working_days_between_agrees_with_counting_day_by_day(cal):
    starts = [D(2021, 12, 20) + dt.timedelta(days=i * 37) for i in range(30)]
    for start in starts:
        for length in (0, 1, 2, 6, 7, 13, 45, 100, 400):
            end = start + dt.timedelta(days=length)
            assert cal.working_days_between(start, end) == _brute_force_between(cal, start, end), (start, end)
    for start in [D(2026, 12, 20) + dt.timedelta(days=i) for i in range(14)]:
        end = start + dt.timedelta(days=20)
        assert cal.working_days_between(start, end) == _brute_force_between(cal, start, end), (start, end)


@pytest.mark.parametrize("count_start_day", [False, True])
@pytest.mark.parametrize("n", [1, 2, 5, 10, 15, 20, 45])
def test_adding_then_counting_gives_back_the_same_number(n, count_start_day):
    for start in [D(2026, 12, 18) + dt.timedelta(days=i) for i in range(21)]:
        due = CAL.add_working_days(start, n, count_start_day=count_start_day)
        assert CAL.is_working_day(due)
        assert CAL.working_days_between(start, due, count_start_day=count_start_day) == n
        # and going back from a working day the same number lands on the start, if it was a working day
        if CAL.is_working_day(start):
            assert CAL.add_working_days(due, -n, count_start_day=count_start_day) == start


# -- calendar periods --------------------------------------------------------


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2026, 8, 31), 3, D(2026, 11, 30)),
        (D(2026, 3, 31), 6, D(2026, 9, 30)),
        (D(2026, 11, 23), 3, D(2027, 2, 23)),
        (D(2026, 10, 15), 3, D(2027, 1, 15)),  # across the year end
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2026, 11, 23), 0, D(2026, 11, 23)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2027, 1, 15), -3, D(2026, 10, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, n, expected):
    assert CAL.add_months(start, n) == expected


@pytest.mark.parametrize(
    "method, start, n, expected",
    [
        ("add_calendar_days", D(2026, 12, 24), 7, D(2026, 12, 31)),
        ("add_calendar_days", D(2024, 2, 28), 1, D(2024, 2, 29)),
        ("add_calendar_days", D(2026, 3, 1), -1, D(2026, 2, 28)),
        ("add_calendar_days", D(2026, 3, 1), 0, D(2026, 3, 1)),
        ("add_weeks", D(2026, 11, 23), 1, D(2026, 11, 30)),
        ("add_weeks", D(2026, 11, 23), 6, D(2027, 1, 4)),  # a bank-holiday week still counts
        ("add_weeks", D(2024, 2, 22), 1, D(2024, 2, 29)),
        ("add_weeks", D(2026, 11, 23), -2, D(2026, 11, 9)),
        ("add_weeks", D(2026, 11, 23), 26, D(2027, 5, 24)),
    ],
)
def test_calendar_day_and_week_arithmetic(method, start, n, expected):
    assert getattr(CAL, method)(start, n) == expected


@pytest.mark.parametrize(
    "start, n, expected",
    [
        # 72 real hours across the spring clock change (29 Mar 2026, 01:00 GMT -> 02:00 BST)
        (dt.datetime(2026, 3, 28, 12, 0, tzinfo=LONDON), 72, dt.datetime(2026, 3, 31, 13, 0, tzinfo=LONDON)),
        # and across the autumn change (25 Oct 2026)
        (dt.datetime(2026, 10, 24, 12, 0, tzinfo=LONDON), 72, dt.datetime(2026, 10, 27, 11, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 11, 23, 9, 30, tzinfo=LONDON), 72, dt.datetime(2026, 11, 26, 9, 30, tzinfo=LONDON)),
        (dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC), 24, dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)),
        (dt.datetime(2026, 11, 23, 9, 30, tzinfo=LONDON), 0, dt.datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)),
        (dt.datetime(2026, 11, 23, 9, 30, tzinfo=LONDON), -24, dt.datetime(2026, 11, 22, 9, 30, tzinfo=LONDON)),
    ],
)
def test_add_hours_counts_elapsed_hours(start, n, expected):
    result = CAL.add_hours(start, n)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("value", [dt.datetime(2026, 11, 23, 9, 30), D(2026, 11, 23)])  # noqa: DTZ001
def test_add_hours_refuses_naive_values(value):
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add_hours(value, 72)


@pytest.mark.parametrize(
    "unit, n, expected",
    [
        ("working_days", 2, D(2026, 11, 25)),
        ("calendar_days", 2, D(2026, 11, 25)),
        ("weeks", 2, D(2026, 12, 7)),
        ("months", 2, D(2027, 1, 23)),
    ],
)
def test_add_dispatches_on_unit(unit, n, expected):
    assert CAL.add(D(2026, 11, 23), n, unit) == expected


def test_add_refuses_an_unknown_unit():
    with pytest.raises(ValueError, match="Unknown unit"):
        CAL.add(D(2026, 11, 23), 2, "fortnights")
