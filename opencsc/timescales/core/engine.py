"""Due dates, restarts and RAG status: pure functions over plain dates.

The Django side loads, in one query, the dated events for a set of children
(``(event_name, date)`` pairs, names as in ``rules.py``), groups them by child
and calls these functions: no query per child happens here, nothing here
touches a database.

Events on the same day are taken in the order given, so pass them in the
order they happened (a placement ending, then the next one starting).

Rules about one placement (placement plan, notification) are best fed the
events of that placement only: a rule whose end event may come before its
start (``may_complete_before_start``) takes any end event since the previous
start as done in advance.

Rules measured in hours (police protection, return home interviews) need
timezone-aware datetimes for their events; every other rule works on dates
(a datetime is reduced to its own date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .calendar import CALENDAR_DAYS, HOURS, WORKING_DAYS, WorkingDayCalendar, _as_date, describe_period
from .rules import NONE, Period, Rule, effective_rule

GREEN = "green"
AMBER = "amber"
RED = "red"
DONE = "done"
DONE_LATE = "done_late"
RAG_STATUSES = (GREEN, AMBER, RED, DONE, DONE_LATE)

Moment = dt.date | dt.datetime
Settings = Mapping[str, Mapping[str, Any]] | None


# Not frozen: a frozen dataclass sets each field through object.__setattr__, three times slower, and
# an authority's due list makes tens of thousands. Nothing changes one in place: use replace().
@dataclass
class Clock:
    """One step of one rule for one child: when it started, when it is due, how it ended."""

    rule_code: str
    started: Moment  # the start event this clock (or sequence) runs from
    step: int  # 0 for the first step of a sequence
    measured_from: Moment  # the start event, or the actual previous occurrence
    due: Moment
    completed_on: Moment | None = None
    stopped_on: Moment | None = None  # a stop event, or a new start, ended it before completion
    extensions: int = 0

    @property
    def outstanding(self) -> bool:
        return self.completed_on is None and self.stopped_on is None

    @property
    def on_time(self) -> bool | None:
        """True/False once completed; None while outstanding or if stopped."""
        if self.completed_on is None:
            return None
        return _le(self.completed_on, self.due)


def _step_period(
    rule: Rule, step: int, gap_start: Moment, anchor: Moment, switched: bool, calendar, steps=None
) -> Period:
    switch = rule.switch
    if switch is not None and step >= switch.from_step:
        if switched:
            return switch.interval
        if switch.after is not None and _le(calendar.add(anchor, switch.after.length, switch.after.unit), gap_start):
            return switch.interval
    if steps is None:
        steps = rule.steps
    return steps[min(step, len(steps) - 1)]


def _add(rule: Rule, start: Moment, period: Period, calendar: WorkingDayCalendar) -> Moment:
    return calendar.add(start, period.length, period.unit, count_start_day=rule.count_start_day)


def due_date(rule: Rule, start: Moment, calendar: WorkingDayCalendar, settings: Settings = None) -> Moment:
    """When the first step of ``rule`` is due for a clock started at ``start``."""
    rule = effective_rule(rule, settings)
    return _add(rule, _normalise(rule, start), rule.first, calendar)


def _normalise(rule: Rule, moment: Moment) -> Moment:
    if rule.uses_datetimes:
        if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
            raise ValueError(f"{rule.code} is measured in hours: give timezone-aware datetimes.")
        return moment
    return _as_date(moment)


def _relevant_names(rule: Rule) -> set[str]:
    names = {rule.start_event, rule.end_event, *rule.stop_events}
    if rule.switch is not None and rule.switch.event:
        names.add(rule.switch.event)
    if rule.extension is not None:
        names.add(rule.extension.event)
    return names


def clocks(
    rule: Rule,
    events: Iterable[tuple[str, Moment]],
    calendar: WorkingDayCalendar,
    settings: Settings = None,
    *,
    as_of: Moment | None = None,
) -> list[Clock]:
    """Every clock of ``rule`` that ``events`` give rise to, oldest first.

    ``events`` are ``(name, date)`` pairs for one child (any order across days;
    same-day events in the order they happened). Events after ``as_of`` are
    ignored.
    """
    rule = effective_rule(rule, settings)
    names = _relevant_names(rule)
    relevant = [
        (_normalise(rule, when), index, name)
        for index, (name, when) in enumerate(events)
        if name in names
    ]
    if as_of is not None:
        if not rule.uses_datetimes and type(as_of) is dt.date:
            relevant = [e for e in relevant if e[0] <= as_of]  # dates on both sides: compare directly
        else:
            relevant = [e for e in relevant if _le(e[0], as_of)]
    relevant.sort(key=_by_moment_and_index)

    result: list[Clock] = []
    current: dict[str, Any] | None = None
    switched = False
    anchor: Moment | None = None

    steps = rule.steps  # worked out once, not once per clock
    count_start_day = rule.count_start_day

    def open_clock(step: int, measured_from: Moment) -> dict[str, Any]:
        period = _step_period(rule, step, measured_from, anchor, switched, calendar, steps)
        return {
            "rule_code": rule.code, "started": anchor, "step": step, "measured_from": measured_from,
            "due": calendar.add(measured_from, period.length, period.unit, count_start_day=count_start_day),
            "extensions": 0,
        }

    pending_end: Moment | None = None  # an end event before its start (may_complete_before_start)

    for when, _index, name in relevant:
        if current is not None and rule.extension is not None and name == rule.extension.event:
            limit = rule.extension.max_times
            if limit is None or current["extensions"] < limit:
                current["extensions"] += 1
                current["due"] = _add(rule, current["due"], rule.extension.by, calendar)
        if name == rule.start_event and not (name == rule.end_event and current is not None):
            if current is not None:
                result.append(Clock(**current, stopped_on=when))
            anchor = when
            current = open_clock(0, when)
            if pending_end is not None:
                result.append(Clock(**current, completed_on=pending_end))
                current = pending_end = None
            continue
        if current is None and name == rule.end_event and rule.may_complete_before_start:
            pending_end = when
        if current is not None and name == rule.end_event:
            result.append(Clock(**current, completed_on=when))
            if rule.restart == NONE:
                current = None
            else:
                current = open_clock(current["step"] + 1, when)
        if current is not None and name in rule.stop_events:
            result.append(Clock(**current, stopped_on=when))
            current = None
        if rule.switch is not None and name == rule.switch.event:
            switched = True
    if current is not None:
        result.append(Clock(**current))
    return result


def _by_moment_and_index(event):
    return (event[0], event[1])


def next_due(
    rule: Rule,
    events: Iterable[tuple[str, Moment]],
    calendar: WorkingDayCalendar,
    settings: Settings = None,
    *,
    as_of: Moment | None = None,
) -> Clock | None:
    """The clock still running for ``rule`` (None if nothing is due)."""
    for clock in reversed(clocks(rule, events, calendar, settings, as_of=as_of)):
        if clock.outstanding:
            return clock
    return None


# -- RAG ------------------------------------------------------------------


def _pair(a: Moment, b: Moment) -> tuple[Moment, Moment]:
    """Compare a date with a datetime by their dates; two aware datetimes as instants (Python compares
    two datetimes in the same time zone by their wall-clock times, wrong across a clock change)."""
    if isinstance(a, dt.datetime) != isinstance(b, dt.datetime):
        return _as_date(a), _as_date(b)
    if isinstance(a, dt.datetime) and a.tzinfo is not None and b.tzinfo is not None:
        return a.astimezone(dt.UTC), b.astimezone(dt.UTC)
    return a, b


def _le(a: Moment, b: Moment) -> bool:
    a, b = _pair(a, b)
    return a <= b


def amber_from(due: Moment, amber_within: int | dt.timedelta | Period, calendar: WorkingDayCalendar | None = None):
    """The first moment the clock shows amber.

    ``amber_within`` is a number of calendar days, a ``timedelta`` or a
    ``Period`` (working days need ``calendar``).
    """
    if isinstance(amber_within, int):
        amber_within = Period(amber_within, CALENDAR_DAYS)
    if isinstance(amber_within, dt.timedelta):
        return due - amber_within
    if amber_within.unit == HOURS:
        if isinstance(due, dt.datetime):
            if due.tzinfo is not None:  # elapsed time: 24 hours before is 24 real hours, across a clock change too
                return WorkingDayCalendar.add_hours(due, -amber_within.length)
            return due - dt.timedelta(hours=amber_within.length)
        return due - dt.timedelta(days=-(-amber_within.length // 24))
    if calendar is None:
        calendar = WorkingDayCalendar()
    if isinstance(due, dt.datetime):
        return calendar.subtract(due.date(), amber_within.length, amber_within.unit)
    return calendar.subtract(due, amber_within.length, amber_within.unit)


def rag(
    due: Moment,
    today: Moment,
    amber_within: int | dt.timedelta | Period,
    completed_on: Moment | None = None,
    *,
    calendar: WorkingDayCalendar | None = None,
) -> str:
    """'done' or 'done_late' once completed; otherwise 'red' after the due date,
    'amber' from ``amber_within`` before it up to and including the due date,
    'green' before that.
    """
    if completed_on is not None:
        return DONE if _le(completed_on, due) else DONE_LATE
    if type(due) is dt.date and type(today) is dt.date:  # the usual case: compared directly
        if today > due:
            return RED
        return AMBER if amber_from(due, amber_within, calendar) <= today else GREEN
    if not _le(today, due):
        return RED
    if _le(amber_from(due, amber_within, calendar), today):
        return AMBER
    return GREEN


def clock_rag(
    clock: Clock, rule: Rule, today: Moment, calendar: WorkingDayCalendar, settings: Settings = None
) -> str:
    rule = effective_rule(rule, settings)
    if clock.completed_on is not None:
        on_time = completed_on_time(overdue_unit(rule, clock.step), clock.completed_on, clock.due, calendar)
        return DONE if on_time else DONE_LATE
    return rag(clock.due, today, rule.amber_within, calendar=calendar)


# -- The rule's calendar, overdue in the rule's unit, and the verdict ------------------------------


def rule_calendar(rule: Rule, local: WorkingDayCalendar, national: WorkingDayCalendar) -> WorkingDayCalendar:
    """The calendar ``rule`` counts in: ``local`` (with the authority's closure days) if the rule applies
    them (``Rule.applies_closures``: local rules by default), else ``national`` (bank holidays only)."""
    return local if rule.applies_closures else national


def overdue_unit(rule: Rule, step: int = 0) -> str:
    """The unit overdue is counted in: working days or hours for a step counted in them, else days."""
    steps = rule.steps
    unit = steps[min(step, len(steps) - 1)].unit
    return unit if unit in (WORKING_DAYS, HOURS) else CALENDAR_DAYS


def overdue_by(unit: str, due: Moment, now: Moment, calendar: WorkingDayCalendar) -> int:
    """How far past ``due`` ``now`` is, in ``unit`` (``overdue_unit``); 0 if not past it.

    Working days are those after the due date up to and including today (0 on the Saturday after a
    Friday due date: past it, but no working day lost yet); hours are whole hours of elapsed time
    (0 for a few minutes past a 72-hour clock); days are calendar days (at least 1 once past).
    ``describe_overdue`` says each in words.
    """
    if _le(now, due):
        return 0
    if unit == HOURS and isinstance(due, dt.datetime) and isinstance(now, dt.datetime):
        a, b = _pair(due, now)
        return int((b - a).total_seconds() // 3600)
    due_day, today = _as_date(due), _as_date(now)
    if unit == WORKING_DAYS:
        return calendar.working_days_between(due_day, today, count_start_day=False)
    return max(1, (today - due_day).days)


def describe_overdue(amount: int, unit: str) -> str:
    """'3 working days overdue', '2 days overdue', '5 hours overdue' (said so when none is lost yet)."""
    if amount == 0 and unit == WORKING_DAYS:
        return "Due date passed, no working day lost yet"
    if amount == 0 and unit == HOURS:
        return "Less than 1 hour overdue"
    return f"{describe_period(amount, unit)} overdue"


def completed_on_time(unit: str, completed: Moment, due: Moment, calendar: WorkingDayCalendar) -> bool:
    """Done by the due date; for a step counted in working days, also done before the next working day
    after it (on the Saturday after a Friday due date it still took the working days allowed, as the DfE
    counts: the working days after the start up to and including the day it was done)."""
    if _le(completed, due):
        return True
    if unit == WORKING_DAYS:
        return calendar.working_days_between(_as_date(due), _as_date(completed), count_start_day=False) == 0
    return False


@dataclass(frozen=True)
class Verdict:
    """Where one clock stands: its due date, RAG and, once past it, by how much, in the rule's unit."""

    due: Moment
    rag: str
    overdue: int = 0
    unit: str = WORKING_DAYS
    completed_on: Moment | None = None

    @property
    def on_time(self) -> bool | None:
        """True/False once completed; None while outstanding."""
        return None if self.completed_on is None else self.rag == DONE

    @property
    def overdue_text(self) -> str:
        return describe_overdue(self.overdue, self.unit) if self.rag == RED else ""


@dataclass(frozen=True)
class Timescale:
    """One rule (the authority's values applied) with the calendar it counts in: every page, list,
    export and indicator asks one of these for a due date and a verdict."""

    rule: Rule
    calendar: WorkingDayCalendar

    def due(self, start: Moment) -> Moment:
        return due_date(self.rule, start, self.calendar)

    def elapsed(self, start: Moment, end: Moment) -> int:
        """From ``start`` to ``end`` in the rule's unit, counted as the rule counts (working days after the
        start up to and including the end, unless the start day counts; whole hours; else days)."""
        if self.rule.unit == HOURS:
            a, b = _pair(start, end)
            return int((b - a).total_seconds() // 3600)
        if self.rule.unit == WORKING_DAYS:
            return self.calendar.working_days_between(start, end, count_start_day=self.rule.counts_start_day)
        return (_as_date(end) - _as_date(start)).days

    def is_late(self, start: Moment, completed: Moment) -> bool:
        """Completed after the due date (``completed_on_time``)."""
        return not completed_on_time(overdue_unit(self.rule), completed, self.due(start), self.calendar)

    def verdict(self, start: Moment, now: Moment, completed: Moment | None = None) -> Verdict:
        return self.verdict_for(self.due(start), now, completed)

    def verdict_for(self, due: Moment, now: Moment, completed: Moment | None = None, *, step: int = 0) -> Verdict:
        """The verdict on a clock due on ``due`` (a step of a sequence: ``step``) as at ``now``."""
        unit = overdue_unit(self.rule, step)
        if completed is not None:
            status = DONE if completed_on_time(unit, completed, due, self.calendar) else DONE_LATE
        else:
            status = rag(due, now, self.rule.amber_within, calendar=self.calendar)
        amount = overdue_by(unit, due, now, self.calendar) if status == RED else 0
        return Verdict(due=due, rag=status, overdue=amount, unit=unit, completed_on=completed)
