"""Statutory timescales: the pure-Python core (no Django imports anywhere in this package).

- ``calendar``: the working-day calendar (England and Wales bank holidays plus local closures).
- ``rules``: every timescale as data (``RULES``), with the authority's settings for local rules.
- ``engine``: due dates, restarts (``clocks``, ``next_due``) and RAG status (``rag``).
- ``docs``: the Markdown table of rules in ``opencsc/timescales/docs/rules.md``.
"""

from .calendar import (
    CALENDAR_DAYS,
    HOURS,
    MONTHS,
    UNITS,
    WEEKS,
    WORKING_DAYS,
    WorkingDayCalendar,
    describe_period,
    england_and_wales_bank_holidays,
)
from .engine import (
    AMBER,
    DONE,
    DONE_LATE,
    GREEN,
    RAG_STATUSES,
    RED,
    Clock,
    Timescale,
    Verdict,
    amber_from,
    clock_rag,
    clocks,
    completed_on_time,
    describe_overdue,
    due_date,
    next_due,
    overdue_by,
    overdue_unit,
    rag,
    rule_calendar,
)
from .rules import (
    CALENDAR_SETTINGS,
    EACH_PLACEMENT,
    FROM_ACTUAL_PREVIOUS,
    LOCAL,
    NONE,
    NOT_MODELLED,
    RESTARTS,
    RULES,
    RULES_BY_CODE,
    STATUTORY,
    STATUTORY_GUIDANCE,
    Extension,
    Period,
    Rule,
    Switch,
    default_settings,
    effective_rule,
    effective_rules,
    get_rule,
    rule_override_errors,
)

__all__ = [
    "AMBER", "CALENDAR_DAYS", "CALENDAR_SETTINGS", "DONE", "DONE_LATE", "EACH_PLACEMENT", "FROM_ACTUAL_PREVIOUS", "GREEN", "HOURS",
    "LOCAL", "MONTHS", "NONE", "NOT_MODELLED", "RAG_STATUSES", "RED", "RESTARTS", "RULES", "RULES_BY_CODE",
    "STATUTORY", "STATUTORY_GUIDANCE", "UNITS", "WEEKS", "WORKING_DAYS", "Clock", "Extension", "Period", "Rule",
    "Switch", "WorkingDayCalendar", "amber_from", "clock_rag", "clocks", "default_settings", "describe_period",
    "due_date", "effective_rule", "effective_rules", "england_and_wales_bank_holidays", "get_rule", "next_due",
    "rag", "rule_override_errors", "Timescale", "Verdict", "completed_on_time", "describe_overdue", "overdue_by", "overdue_unit",
    "rule_calendar",
]
