"""The child protection timescales and flags, as pure functions (no Django imports).

- An initial child protection conference is due within 15 working days of the strategy
  discussion that started the section 47 enquiry (CIN census `InitialCPCtarget`).
- A plan is flagged when it is the child's second or subsequent plan (any earlier plan, ever)
  or when it has lasted 2 years or more (open for 2 years, or ended 2 years or more after it began).
"""

from __future__ import annotations

import datetime as dt

from opencsc.timescales.core import DONE_LATE, RED, Timescale, WorkingDayCalendar, get_rule

ICPC_RULE = "icpc"
ICPC_WORKING_DAYS = 15
LONG_PLAN_MONTHS = 24
FIRST_REVIEW_MONTHS = 3

# The rule as published, counted in national working days: what these functions use when not given the
# authority's (``opencsc.timescales.authority.timescale("icpc")``, which pages and indicators pass).
_DEFAULT = Timescale(get_rule(ICPC_RULE), WorkingDayCalendar())


def icpc_target(s47_start: dt.date, timescale: Timescale | None = None) -> dt.date:
    """The last day the initial conference can be held on time."""
    return (timescale or _DEFAULT).due(s47_start)


def icpc_working_days(s47_start: dt.date, held_on: dt.date, timescale: Timescale | None = None) -> int:
    return (timescale or _DEFAULT).elapsed(s47_start, held_on)


def icpc_is_late(s47_start: dt.date, held_on: dt.date | None, today: dt.date,
                 timescale: Timescale | None = None) -> bool:
    """Held after the target, or not held and the target has passed."""
    return (timescale or _DEFAULT).verdict(s47_start, today, held_on).rag in (RED, DONE_LATE)


def long_plan_from(start: dt.date) -> dt.date:
    """The day a plan that started on `start` has lasted 2 years."""
    return WorkingDayCalendar.add_months(start, LONG_PLAN_MONTHS)


def is_long_plan(start: dt.date, end: dt.date | None, today: dt.date) -> bool:
    return (end or today) >= long_plan_from(start)


def first_review_due(start: dt.date) -> dt.date:
    return WorkingDayCalendar.add_months(start, FIRST_REVIEW_MONTHS)
