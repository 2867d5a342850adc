"""The handover rule: acknowledged by 10:00 on the next working morning (England and Wales calendar)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from opencsc.edt import rules
from opencsc.timescales.core import WorkingDayCalendar

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
CALENDAR = WorkingDayCalendar()


def at(y, m, d, h, mi=0, tz=LONDON):
    return dt.datetime(y, m, d, h, mi, tzinfo=tz)


@pytest.mark.parametrize("occurred, expected", [
    (at(2026, 3, 6, 22, 30), dt.date(2026, 3, 9)),   # Friday night: Monday
    (at(2026, 3, 7, 3, 0), dt.date(2026, 3, 9)),     # Saturday small hours: Monday
    (at(2026, 3, 8, 23, 59), dt.date(2026, 3, 9)),   # Sunday night: Monday
    (at(2026, 3, 9, 2, 0), dt.date(2026, 3, 9)),     # Monday before the day starts: the same morning
    (at(2026, 3, 9, 8, 59), dt.date(2026, 3, 9)),
    (at(2026, 3, 9, 9, 0), dt.date(2026, 3, 10)),    # from 09:00 the day team is in: the next morning
    (at(2026, 3, 9, 18, 0), dt.date(2026, 3, 10)),   # Monday evening: Tuesday
    (at(2026, 4, 2, 20, 0), dt.date(2026, 4, 7)),    # Thursday before Easter: Tuesday after Easter Monday
    (at(2026, 4, 3, 7, 0), dt.date(2026, 4, 7)),     # Good Friday morning is not a working morning
    (at(2026, 12, 24, 19, 0), dt.date(2026, 12, 29)),  # Christmas Day and the Boxing Day substitute
    (at(2026, 3, 29, 1, 30, UTC), dt.date(2026, 3, 30)),  # the night the clocks go forward
    (at(2026, 3, 9, 8, 30, UTC), dt.date(2026, 3, 9)),    # 08:30 GMT: before the day starts
    (at(2026, 6, 1, 8, 30, UTC), dt.date(2026, 6, 2)),    # 08:30 UTC is 09:30 BST: after it starts
])
def test_the_handover_belongs_to_the_next_working_morning(occurred, expected):
    assert rules.handover_day(occurred, CALENDAR, LONDON) == expected
    assert rules.acknowledge_by(occurred, CALENDAR, LONDON) == dt.datetime.combine(expected, dt.time(10),
                                                                                   tzinfo=LONDON)


def test_local_closure_days_are_not_working_mornings():
    calendar = WorkingDayCalendar(extra_closures={dt.date(2026, 3, 9)})
    assert rules.handover_day(at(2026, 3, 6, 22, 30), calendar, LONDON) == dt.date(2026, 3, 10)


FRIDAY_NIGHT = at(2026, 3, 6, 22, 30)


@pytest.mark.parametrize("acknowledged, now, overdue", [
    (None, at(2026, 3, 9, 9, 59), False),
    (None, at(2026, 3, 9, 10, 0), False),
    (None, at(2026, 3, 9, 10, 1), True),
    (None, at(2026, 3, 7, 12, 0), False),
    (at(2026, 3, 9, 9, 50), at(2026, 3, 20, 12, 0), False),
    (at(2026, 3, 9, 10, 30), at(2026, 3, 20, 12, 0), True),   # acknowledged late stays late
    (at(2026, 3, 7, 11, 0), at(2026, 3, 20, 12, 0), False),   # picked up at the weekend by a manager
])
def test_overdue_after_ten_on_the_working_morning(acknowledged, now, overdue):
    assert rules.is_overdue(FRIDAY_NIGHT, acknowledged, now, CALENDAR, LONDON) is overdue
