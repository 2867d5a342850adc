"""Leaving care rules as pure functions over dates (no database here).

The categories are those of the Children (Leaving Care) Act 2000 and the Care Leavers
(England) Regulations 2010:

- eligible: aged 16 or 17, looked after now, and looked after for at least 13 weeks
  in all since the age of 14, ending after the 16th birthday;
- relevant: aged 16 or 17, no longer looked after, and was eligible when they left care;
- former relevant: aged 18 to 24 (support to 25), and was eligible or relevant;
- qualifying: looked after at some time after the 16th birthday, without the 13 weeks,
  aged 16 to 20 (21).

The system only suggests a category from the periods of care it holds; a worker
records the decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

ELIGIBLE = "eligible"
RELEVANT = "relevant"
FORMER_RELEVANT = "former_relevant"
QUALIFYING = "qualifying"

QUALIFYING_WEEKS = 13
SUPPORT_ENDS_AT = 21
SUPPORT_EXTENDS_TO = 25


def birthday(date_of_birth: dt.date, age: int) -> dt.date:
    """The day someone turns `age` (29 February birthdays fall on 1 March in other years)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:
        return dt.date(date_of_birth.year + age, 3, 1)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    years = day.year - date_of_birth.year
    return years if birthday(date_of_birth, years) <= day else years - 1


def _days_looked_after(periods, start: dt.date, end: dt.date) -> int:
    """Days looked after from `start` up to (not including) `end`; a period's end day is its last day out."""
    total = 0
    for p_start, p_end in periods:
        lo = max(p_start, start)
        hi = min(p_end or end, end)
        if hi > lo:
            total += (hi - lo).days
    return total


def eligible_from(date_of_birth: dt.date, periods: Iterable[tuple[dt.date, dt.date | None]],
                  on: dt.date) -> dt.date | None:
    """The day the young person met the 13 weeks since 14 ending after 16 (on or before `on`), if they did."""
    periods = sorted((s, e) for s, e in periods if s <= on)
    fourteen, sixteen, eighteen = (birthday(date_of_birth, a) for a in (14, 16, 18))
    needed = QUALIFYING_WEEKS * 7
    count = 0
    for p_start, p_end in periods:
        lo = max(p_start, fourteen)
        hi = min(p_end or on + dt.timedelta(days=1), eighteen, on + dt.timedelta(days=1))
        if hi <= lo:
            continue
        first = lo + dt.timedelta(days=max(0, needed - count - 1))  # the day the count reaches 13 weeks
        candidate = max(first, sixteen)
        if candidate < hi:
            return candidate
        count += (hi - lo).days
    return None


def looked_after_on(periods, day: dt.date) -> bool:
    return any(s <= day and (e is None or e > day) for s, e in periods)


def suggested_category(date_of_birth: dt.date | None, periods: Iterable[tuple[dt.date, dt.date | None]],
                       on: dt.date) -> str | None:
    """The category the periods of care suggest on `on`, or None (not a care leaver, or unknown)."""
    if date_of_birth is None:
        return None
    periods = [(s, e) for s, e in periods if s <= on]
    age = age_on(date_of_birth, on)
    if age < 16 or age >= SUPPORT_EXTENDS_TO:
        return None
    sixteen = birthday(date_of_birth, 16)
    after_sixteen = any((e is None or e > sixteen) for _, e in periods)
    if not after_sixteen:
        return None
    met = eligible_from(date_of_birth, periods, on) is not None
    if met:
        if age >= 18:
            return FORMER_RELEVANT
        return ELIGIBLE if looked_after_on(periods, on) else RELEVANT
    if looked_after_on(periods, on) and age < 18:
        return None  # still looked after, and not yet eligible
    return QUALIFYING if age < SUPPORT_ENDS_AT else None


def support_ends_on(date_of_birth: dt.date, *, to_25: bool) -> dt.date:
    """Support ends at 21, or at 25 when the young person asks for it (or is in education)."""
    return birthday(date_of_birth, SUPPORT_EXTENDS_TO if to_25 else SUPPORT_ENDS_AT)


def latest_support_end(date_of_birth: dt.date) -> dt.date:
    return birthday(date_of_birth, SUPPORT_EXTENDS_TO)


def age_group(age: int) -> str | None:
    """The overview's age groups: 17-18, 19-21 and 22-25."""
    for label, lo, hi in AGE_GROUPS:
        if lo <= age <= hi:
            return label
    return None


AGE_GROUPS = (("17-18", 17, 18), ("19-21", 19, 21), ("22-25", 22, 25))


def oc3_window(date_of_birth: dt.date, today: dt.date) -> tuple[int, dt.date, dt.date] | None:
    """The SSDA903 OC3 birthday contact the young person is in (aged 17 to 21): from 3 months
    before to 1 month after the birthday. Returns (age, window start, window end) or None."""
    for age in range(17, 22):
        day = birthday(date_of_birth, age)
        start = _add_months(day, -3)
        end = _add_months(day, 1)
        if start <= today <= end:
            return age, start, end
    return None


def next_oc3_birthday(date_of_birth: dt.date, today: dt.date) -> tuple[int, dt.date] | None:
    """The next birthday from 17 to 21 (or the one just passed, within a month), for the OC3 contact."""
    for age in range(17, 22):
        day = birthday(date_of_birth, age)
        if _add_months(day, 1) >= today:
            return age, day
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)
