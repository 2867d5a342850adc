"""The rules of referral and assessment as plain functions (no database): tested exhaustively."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

from opencsc.timescales.core import Timescale, WorkingDayCalendar, get_rule

RE_REFERRAL_MONTHS = 12
ASSESSMENT_WORKING_DAYS = 45


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier; 29 Feb becomes 28 Feb in a non-leap year."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def re_referral_window_start(referral_date: dt.date) -> dt.date:
    """The earliest previous referral date that makes this referral a re-referral.

    DfE: a re-referral is a referral within 12 months of a previous referral. A previous
    referral on the same date one year earlier counts (exactly 12 months); a day earlier does not.
    """
    return months_before(referral_date, RE_REFERRAL_MONTHS)


def is_re_referral(referral_date: dt.date, previous_referral_dates) -> bool:
    start = re_referral_window_start(referral_date)
    return any(start <= previous <= referral_date for previous in previous_referral_dates)


ASSESSMENT_RULE = "assessment"
_CALENDAR = WorkingDayCalendar()
# The rule as published, counted in national working days: what these functions use when not given the
# authority's (``opencsc.timescales.authority.timescale("assessment")``, which pages and indicators pass).
_DEFAULT = Timescale(get_rule(ASSESSMENT_RULE), _CALENDAR)


def calendar(timescale: Timescale | None = None) -> WorkingDayCalendar:
    """The calendar the assessment rule counts in (national working days unless the authority says otherwise)."""
    return (timescale or _DEFAULT).calendar


def assessment_due(referral_date: dt.date, timescale: Timescale | None = None) -> dt.date:
    """The 45th working day after the referral."""
    return (timescale or _DEFAULT).due(referral_date)


def assessment_working_days(referral_date: dt.date, completed: dt.date, timescale: Timescale | None = None) -> int:
    return (timescale or _DEFAULT).elapsed(referral_date, completed)


def assessment_is_late(referral_date: dt.date, completed: dt.date, timescale: Timescale | None = None) -> bool:
    """Authorised after the due date (more than 45 working days after the referral)."""
    return (timescale or _DEFAULT).is_late(referral_date, completed)


def assessment_rag(referral_date: dt.date, today: dt.date, completed: dt.date | None = None,
                   timescale: Timescale | None = None) -> str:
    """green / amber / red while open; done / done_late once authorised."""
    return (timescale or _DEFAULT).verdict(referral_date, today, completed).rag
