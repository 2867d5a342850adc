"""The working-day calendar for children's social care in England.

A *working day* is any day except Saturday, Sunday, Christmas Day, Good Friday
or a bank holiday in England and Wales (the Banking and Financial Dealings
Act 1971 formula used in children's regulations). On top of that an
authority may:

- close on extra days (``extra_closures``, for example 24 and 29-31 December).
  These are NOT working days for this calendar. By law they still count, so
  only set them if the authority has decided its clocks should skip them.
- work on a day the bank-holiday list marks as a holiday
  (``extra_working_days``), for example if the list is wrong or a holiday is
  cancelled. These win over everything else, including weekends.

Bank holidays come from the ``holidays`` package (England: substitute days and
one-off proclaimed days such as the Platinum Jubilee, the State Funeral of
Queen Elizabeth II and the coronation of King Charles III are included). They
are cached per year.

Counting convention
-------------------
DfE reports durations as "working days between two recorded dates": the start
day is day 0 and is not counted; every working day *after* it, up to and
including the end day, is counted. So an assessment started on Monday and
finished on Tuesday took 1 working day. This is the default here.

Some authorities count "from and including the day of the visit" (the start
day is day 1 if it is a working day). Pass ``count_start_day=True`` to the
calendar (the authority's setting) or to a single call to use that convention.

No Django here: this module must import without Django installed.
"""

from __future__ import annotations

import bisect
import calendar as _stdlib_calendar
import datetime as dt
from collections.abc import Callable, Iterable
from functools import lru_cache

import holidays as _holidays

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
WEEKS = "weeks"
MONTHS = "months"
HOURS = "hours"
UNITS = (WORKING_DAYS, CALENDAR_DAYS, WEEKS, MONTHS, HOURS)

UNIT_LABELS = {
    WORKING_DAYS: ("working day", "working days"),
    CALENDAR_DAYS: ("day", "days"),
    WEEKS: ("week", "weeks"),
    MONTHS: ("month", "months"),
    HOURS: ("hour", "hours"),
}


def describe_period(length: int, unit: str) -> str:
    """'1 week', '20 working days', '72 hours'."""
    singular, plural = UNIT_LABELS[unit]
    return f"{length} {singular if abs(length) == 1 else plural}"


@lru_cache(maxsize=256)
def england_and_wales_bank_holidays(year: int) -> frozenset[dt.date]:
    """Bank holidays in England and Wales for one year, cached."""
    return frozenset(_holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def _weekdays_up_to(day: dt.date) -> int:
    """How many Mondays to Fridays there are from 1 Jan 0001 (a Monday) up to and including ``day``."""
    weeks, remainder = divmod(day.toordinal(), 7)
    return weeks * 5 + min(remainder, 5)


class WorkingDayCalendar:
    """England and Wales bank holidays plus the authority's own closures.

    ``holiday_source`` returns the bank holidays for a year; it defaults to the
    ``holidays`` package and exists so a GOV.UK list can be plugged in.
    """

    def __init__(
        self,
        extra_closures: Iterable[dt.date] = frozenset(),
        extra_working_days: Iterable[dt.date] = frozenset(),
        *,
        count_start_day: bool = False,
        holiday_source: Callable[[int], frozenset[dt.date]] = england_and_wales_bank_holidays,
    ) -> None:
        self.extra_closures = frozenset(extra_closures)
        self.extra_working_days = frozenset(extra_working_days)
        self.count_start_day = count_start_day
        self._holiday_source = holiday_source
        self._year_cache: dict[int, tuple[dt.date, ...]] = {}

    def __repr__(self) -> str:
        return (
            f"WorkingDayCalendar({len(self.extra_closures)} closures, "
            f"{len(self.extra_working_days)} extra working days, count_start_day={self.count_start_day})"
        )

    # -- working days ------------------------------------------------------

    def bank_holidays(self, year: int) -> frozenset[dt.date]:
        return self._holiday_source(year)

    def is_bank_holiday(self, day: dt.date) -> bool:
        return day in self._holiday_source(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        day = _as_date(day)
        if day in self.extra_working_days:
            return True
        if day.weekday() >= 5:
            return False
        return day not in self.extra_closures and day not in self._holiday_source(day.year)

    def _lost_weekdays(self, year: int) -> tuple[dt.date, ...]:
        """Sorted weekdays in ``year`` that are not working days."""
        if year not in self._year_cache:
            lost = {
                d
                for d in self._holiday_source(year) | {c for c in self.extra_closures if c.year == year}
                if d.weekday() < 5 and d not in self.extra_working_days
            }
            self._year_cache[year] = tuple(sorted(lost))
        return self._year_cache[year]

    def _count_working_days_after(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end (start <= end)."""
        count = _weekdays_up_to(end) - _weekdays_up_to(start)
        for year in range(start.year, end.year + 1):
            lost = self._lost_weekdays(year)
            count -= bisect.bisect_right(lost, end) - bisect.bisect_right(lost, start)
        count += sum(1 for d in self.extra_working_days if start < d <= end and d.weekday() >= 5)
        return count

    def working_days_between(
        self, start: dt.date, end: dt.date, *, count_start_day: bool | None = None
    ) -> int:
        """Working days from ``start`` to ``end``.

        Default (DfE): the working days after ``start`` up to and including
        ``end``; the same day gives 0. With ``count_start_day`` the start day is
        counted too when it is a working day (same working day gives 1).
        If ``end`` is before ``start`` the answer is negative.
        """
        start, end = _as_date(start), _as_date(end)
        inclusive = self.count_start_day if count_start_day is None else count_start_day
        if end < start:
            return -self.working_days_between(end, start, count_start_day=count_start_day)
        count = self._count_working_days_after(start, end)
        if inclusive and self.is_working_day(start):
            count += 1
        return count

    def add_working_days(self, day: dt.date, n: int, *, count_start_day: bool | None = None) -> dt.date:
        """The ``n``-th working day after ``day`` (before it if ``n`` is negative).

        ``n == 0`` returns ``day`` unchanged, even if it is not a working day.
        With ``count_start_day`` the start day counts as day 1 when it is a
        working day, so ``add_working_days(monday, 1, count_start_day=True)``
        is that Monday. In both conventions
        ``working_days_between(day, result) == n`` when the result is a working day.
        """
        day = _as_date(day)
        inclusive = self.count_start_day if count_start_day is None else count_start_day
        if n == 0:
            return day
        if inclusive and self.is_working_day(day):
            n = n - 1 if n > 0 else n + 1
            if n == 0:
                return day
        step = dt.timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        current = day
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, otherwise the next one."""
        day = _as_date(day)
        return day if self.is_working_day(day) else self.add_working_days(day, 1, count_start_day=False)

    # -- calendar periods --------------------------------------------------

    @staticmethod
    def add_calendar_days(day: dt.date, n: int) -> dt.date:
        return _as_date(day) + dt.timedelta(days=n)

    @staticmethod
    def add_weeks(day: dt.date, n: int) -> dt.date:
        return _as_date(day) + dt.timedelta(weeks=n)

    @staticmethod
    def add_months(day: dt.date, n: int) -> dt.date:
        """Calendar months, clamped to the end of a shorter month.

        31 Jan + 1 month = 28 Feb (29 Feb in a leap year); 29 Feb + 12 months = 28 Feb.
        """
        day = _as_date(day)
        month_index = day.year * 12 + (day.month - 1) + n
        year, month = divmod(month_index, 12)
        month += 1
        last = _stdlib_calendar.monthrange(year, month)[1]
        return dt.date(year, month, min(day.day, last))

    @staticmethod
    def add_hours(moment: dt.datetime, n: int) -> dt.datetime:
        """Elapsed hours (72 hours is 72 real hours, even across a clock change).

        ``moment`` must be timezone-aware; the answer is in the same time zone.
        """
        if not isinstance(moment, dt.datetime) or moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("add_hours needs a timezone-aware datetime.")
        utc = moment.astimezone(dt.UTC) + dt.timedelta(hours=n)
        return utc.astimezone(moment.tzinfo)

    def add(self, start: dt.date | dt.datetime, length: int, unit: str, *, count_start_day: bool | None = None):
        """Add a period in any unit: the one place the units are interpreted."""
        if unit == WORKING_DAYS:
            return self.add_working_days(start, length, count_start_day=count_start_day)
        if unit == CALENDAR_DAYS:
            return self.add_calendar_days(start, length)
        if unit == WEEKS:
            return self.add_weeks(start, length)
        if unit == MONTHS:
            return self.add_months(start, length)
        if unit == HOURS:
            return self.add_hours(start, length)
        raise ValueError(f"Unknown unit {unit!r}.")

    def subtract(self, start: dt.date | dt.datetime, length: int, unit: str):
        return self.add(start, -length, unit, count_start_day=False)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    """Dates pass through; a datetime becomes its own (local) date."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value
