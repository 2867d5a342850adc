"""The front door's rules as plain functions and data (no database): tested exhaustively."""

from __future__ import annotations

import datetime as dt

from opencsc.timescales.core import Timescale, WorkingDayCalendar, get_rule

# How long a partner agency has to answer an information request, by its RAG urgency.
# Defaults agreed across MASH partnerships: red within 4 hours, amber 24 hours, green 72 hours.
RAG_DEADLINES: dict[str, dt.timedelta] = {
    "red": dt.timedelta(hours=4),
    "amber": dt.timedelta(hours=24),
    "green": dt.timedelta(hours=72),
}
DECISION_RULE = "contact_decision"
_CALENDAR = WorkingDayCalendar()
# The rule as published, counted in national working days: what these functions use when not given the
# authority's (``opencsc.timescales.authority.timescale("contact_decision")``, which pages and indicators pass).
_DEFAULT = Timescale(get_rule(DECISION_RULE), _CALENDAR)


def request_due(requested_at: dt.datetime, rag: str) -> dt.datetime:
    """When a partner's answer is due: the request's moment plus its urgency's deadline, in elapsed time
    (4 hours is 4 hours even when the clocks change)."""
    return (requested_at.astimezone(dt.UTC) + RAG_DEADLINES[rag]).astimezone(requested_at.tzinfo)


def request_is_late(due_at: dt.datetime, now: dt.datetime, responded_at: dt.datetime | None = None) -> bool:
    """Late if answered after the deadline, or still unanswered once it has passed."""
    return (responded_at or now) > due_at


def decision_due(received_on: dt.date, timescale: Timescale | None = None) -> dt.date:
    """The manager's decision is due by the end of the next working day."""
    return (timescale or _DEFAULT).due(received_on)


def decided_in_time(received_on: dt.date, decided_on: dt.date, timescale: Timescale | None = None) -> bool:
    return not (timescale or _DEFAULT).is_late(received_on, decided_on)


def decision_rag(received_on: dt.date, today: dt.date, decided_on: dt.date | None = None,
                 timescale: Timescale | None = None) -> str:
    """green / amber / red while undecided; done / done_late once decided."""
    return (timescale or _DEFAULT).verdict(received_on, today, decided_on).rag


def is_out_of_hours(moment: dt.datetime, calendar: WorkingDayCalendar = _CALENDAR) -> bool:
    """Outside 9am to 5pm on a working day (when the out-of-hours service takes calls)."""
    return not calendar.is_working_day(moment.date()) or not (9 <= moment.hour < 17)
