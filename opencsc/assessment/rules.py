"""The rules of referral and assessment as plain functions (no database): tested exhaustively."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

from opencsc.timescales.core import WorkingDayCalendar, get_rule
from opencsc.timescales.core import rag as _rag

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


def calendar() -> WorkingDayCalendar:
    """The authority's working-day calendar (England and Wales bank holidays)."""
    return _CALENDAR


_CALENDAR = WorkingDayCalendar()


def assessment_due(referral_date: dt.date) -> dt.date:
    """The 45th working day after the referral."""
    return calendar().add_working_days(referral_date, ASSESSMENT_WORKING_DAYS)


def assessment_working_days(referral_date: dt.date, completed: dt.date) -> int:
    return calendar().working_days_between(referral_date, completed)


def assessment_is_late(referral_date: dt.date, completed: dt.date) -> bool:
    """Authorised more than 45 working days after the referral."""
    return assessment_working_days(referral_date, completed) > ASSESSMENT_WORKING_DAYS


def assessment_rag(referral_date: dt.date, today: dt.date, completed: dt.date | None = None) -> str:
    """green / amber / red while open; done / done_late once authorised."""
    rule = get_rule("assessment")
    return _rag(assessment_due(referral_date), today, rule.amber_within, completed, calendar=calendar())
