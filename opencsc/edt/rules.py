"""When the day team must have picked up an out-of-hours handover: pure functions, tested exhaustively.

The emergency duty team works evenings, nights, weekends and bank holidays. What it
did is handed over to the day team, who must acknowledge it by 10:00 on the next
working morning: the same day for something that happened before 09:00 on a working
day, otherwise the next working day after it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DAY_STARTS = dt.time(9, 0)
ACKNOWLEDGE_BY = dt.time(10, 0)


def handover_day(occurred_at: dt.datetime, calendar, tz: ZoneInfo) -> dt.date:
    """The working day whose morning the handover belongs to."""
    local = occurred_at.astimezone(tz)
    day = local.date()
    if calendar.is_working_day(day) and local.time() < DAY_STARTS:
        return day
    return calendar.add_working_days(day, 1, count_start_day=False)


def acknowledge_by(occurred_at: dt.datetime, calendar, tz: ZoneInfo) -> dt.datetime:
    """10:00 (local time) on the handover's working morning: after it, an unacknowledged handover is overdue."""
    return dt.datetime.combine(handover_day(occurred_at, calendar, tz), ACKNOWLEDGE_BY, tzinfo=tz)


def is_overdue(occurred_at: dt.datetime, acknowledged_at: dt.datetime | None, now: dt.datetime, calendar,
               tz: ZoneInfo) -> bool:
    """Not acknowledged by 10:00 on the working morning (whether acknowledged since, or not yet)."""
    due = acknowledge_by(occurred_at, calendar, tz)
    return (acknowledged_at or now) > due
