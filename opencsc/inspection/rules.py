"""The action plan deadline as data plus pure functions (no Django imports).

Ofsted asks for a written action plan within 70 working days of the local authority receiving the
final report (for a focused visit, only when it found an area for priority action, and then usually
a draft within 20 working days: see the Ofsted letter in the seeds). Working days are national ones
(England and Wales bank holidays, not the authority's closure days: ``timescales.authority.national_calendar``),
as for every national deadline, counted as DfE counts them: the day the report was received is day 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opencsc.timescales.core import (
    AMBER,
    DONE,
    DONE_LATE,
    GREEN,
    RED,
    WORKING_DAYS,
    WorkingDayCalendar,
    describe_overdue,
    overdue_by,
    rag,
)
from opencsc.timescales.core.rules import Period

PLAN_WORKING_DAYS = 70
DRAFT_WORKING_DAYS = 20
# The plan deadline shows amber from this many working days before it.
PLAN_AMBER = Period(10, WORKING_DAYS)
# An action shows amber from this many calendar days before its due date.
ACTION_AMBER_DAYS = 14

ALWAYS = "always"
WITH_PRIORITY_ACTION = "with_priority_action"
NEVER = "never"

# Kind of inspection -> when a written action plan is due within 70 working days.
PLAN_REQUIRED = {
    "ilacs_standard": ALWAYS,
    "ilacs_short": ALWAYS,
    "focused_visit": WITH_PRIORITY_ACTION,
    "jtai": NEVER,  # the joint inspectorates' letter sets its own date for the written statement
    "monitoring_visit": NEVER,
}
# Kinds whose reports give judgements on Ofsted's four-point scale.
JUDGED_KINDS = frozenset({"ilacs_standard", "ilacs_short"})

RAG_LABELS = {RED: "Overdue", AMBER: "Due soon", GREEN: "On track", DONE: "Done on time", DONE_LATE: "Done late"}


def plan_required(kind: str, has_priority_action: bool) -> bool:
    rule = PLAN_REQUIRED.get(kind, NEVER)
    return rule == ALWAYS or (rule == WITH_PRIORITY_ACTION and has_priority_action)


def plan_due_on(received_on: dt.date, calendar: WorkingDayCalendar) -> dt.date:
    """The 70th working day after the day the final report was received."""
    return calendar.add_working_days(received_on, PLAN_WORKING_DAYS, count_start_day=False)


def draft_due_on(received_on: dt.date, calendar: WorkingDayCalendar) -> dt.date:
    return calendar.add_working_days(received_on, DRAFT_WORKING_DAYS, count_start_day=False)


@dataclass(frozen=True)
class PlanDeadline:
    required: bool
    received_on: dt.date | None = None
    due_on: dt.date | None = None
    draft_due_on: dt.date | None = None
    submitted_on: dt.date | None = None
    rag: str = ""
    working_days_left: int | None = None  # negative once overdue; None once submitted or not started
    # Once overdue, working days past the due date, counted as the due lists count (``core.overdue_by``).
    working_days_overdue: int = 0

    @property
    def rag_label(self) -> str:
        return RAG_LABELS.get(self.rag, "")

    @property
    def is_overdue(self) -> bool:
        return self.rag == RED

    @property
    def overdue_text(self) -> str:
        """'3 working days overdue', as the due lists say it (empty unless overdue)."""
        return describe_overdue(self.working_days_overdue, WORKING_DAYS) if self.rag == RED else ""


def plan_deadline(
    *,
    kind: str,
    has_priority_action: bool,
    received_on: dt.date | None,
    submitted_on: dt.date | None,
    today: dt.date,
    calendar: WorkingDayCalendar,
) -> PlanDeadline:
    """Where the action plan stands against its 70-working-day deadline on ``today``.

    No deadline until the final report is received; a submission date stops the clock.
    """
    required = plan_required(kind, has_priority_action)
    if not required or received_on is None:
        return PlanDeadline(required=required, received_on=received_on, submitted_on=submitted_on)
    due = plan_due_on(received_on, calendar)
    draft = draft_due_on(received_on, calendar) if PLAN_REQUIRED.get(kind) == WITH_PRIORITY_ACTION else None
    status = rag(due, today, PLAN_AMBER, submitted_on, calendar=calendar)
    left = None if submitted_on is not None else calendar.working_days_between(today, due)
    overdue = overdue_by(WORKING_DAYS, due, today, calendar) if status == RED else 0
    return PlanDeadline(required=True, received_on=received_on, due_on=due, draft_due_on=draft,
                        submitted_on=submitted_on, rag=status, working_days_left=left, working_days_overdue=overdue)


def action_rag(*, due_on: dt.date, today: dt.date, done: bool, completed_on: dt.date | None) -> str:
    """Red once past the due date and not done; amber within 14 days of it (and on the day); green before."""
    return rag(due_on, today, ACTION_AMBER_DAYS, completed_on if done else None)
