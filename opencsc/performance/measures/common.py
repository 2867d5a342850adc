"""What the measures share: their 12-month windows, dates in words, and the timescales engine's clocks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone

from opencsc.core.templatetags.govuk import govuk_date
from opencsc.timescales.core import WorkingDayCalendar
from opencsc.timescales.selectors import due_items


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (clamped to the end of a shorter month)."""
    return WorkingDayCalendar.add_months(day, -months)


def year_to(as_at: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months to `as_at`, both ends included: 1 Apr 2025 to 31 Mar 2026 for 31 Mar 2026."""
    return months_before(as_at, 12) + dt.timedelta(days=1), as_at


def in_words(day: dt.date | None) -> str:
    """A date as people write it: "3 Mar 2026" (the project's one date format, govuk_date)."""
    return govuk_date(day)


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes from the start of `first` to the start of the day after `last` (local time)."""
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(first, dt.time.min, tzinfo=tz),
            dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def clocks_as_at(children: QuerySet, rules: list[str], as_at: dt.date, *, all_clocks: bool = False):
    """The timescales engine's clocks for these children as they stood on `as_at`, by (child id, scope).

    Uses `timescales.selectors.due_items` (the due lists' own calculation: the authority's calendar
    and local settings, events after `as_at` ignored): a bounded number of queries for any number of
    children. With `all_clocks`, completed clocks are included as well as the one still running.
    """
    items = due_items(children=children, today=as_at, rules=rules,
                      completed_since=dt.date.min if all_clocks else None)
    grouped: dict[tuple[int, str], list] = defaultdict(list)
    for item in items:
        grouped[(item.child_id, item.scope)].append(item)
    return grouped
