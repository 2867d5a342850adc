"""The 70-working-day action plan deadline and the RAG of actions, on the authority's working-day calendar."""

import datetime as dt

import pytest

from opencsc.inspection import rules
from opencsc.timescales.core import WorkingDayCalendar

D = dt.date
CALENDAR = WorkingDayCalendar()
# Closed 24 and 29-31 December 2026, as many authorities are.
CHRISTMAS_CLOSURES = WorkingDayCalendar(extra_closures={D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 30),
                                                        D(2026, 12, 31)})


@pytest.mark.parametrize("received, calendar, due, why", [
    (D(2026, 3, 2), CALENDAR, D(2026, 6, 12), "Good Friday, Easter Monday, early May and spring bank holidays"),
    (D(2026, 5, 22), CALENDAR, D(2026, 9, 1), "received the Friday before the spring bank holiday; summer one on day 70"),
    (D(2026, 4, 4), CALENDAR, D(2026, 7, 15), "received on a Saturday of the Easter weekend"),
    (D(2026, 11, 2), CALENDAR, D(2027, 2, 11), "Christmas Day (Fri), Boxing Day substitute (Mon 28), New Year's Day"),
    (D(2026, 11, 2), CHRISTMAS_CLOSURES, D(2027, 2, 17), "the authority's Christmas closure days too"),
    (D(2027, 10, 4), CALENDAR, D(2028, 1, 13), "Christmas on a Saturday: substitutes 27 and 28 Dec, and 3 Jan 2028"),
    (D(2026, 6, 1), CALENDAR, D(2026, 9, 8), "14 weeks less the summer bank holiday"),
])
def test_the_plan_is_due_on_the_70th_working_day_after_the_report_was_received(received, calendar, due, why):
    assert rules.plan_due_on(received, calendar) == due, why
    assert calendar.working_days_between(received, due) == 70
    assert calendar.is_working_day(due)


@pytest.mark.parametrize("received, draft", [
    (D(2026, 3, 2), D(2026, 3, 30)),
    (D(2026, 12, 14), D(2027, 1, 14)),  # 25, 28 Dec and 1 Jan are not working days
])
def test_a_draft_is_usually_asked_for_within_20_working_days(received, draft):
    assert rules.draft_due_on(received, CALENDAR) == draft


@pytest.mark.parametrize("kind, priority, required", [
    ("ilacs_standard", False, True), ("ilacs_standard", True, True),
    ("ilacs_short", False, True), ("ilacs_short", True, True),
    ("focused_visit", False, False), ("focused_visit", True, True),
    ("jtai", False, False), ("jtai", True, False),
    ("monitoring_visit", False, False), ("monitoring_visit", True, False),
])
def test_which_inspections_need_a_plan_in_70_working_days(kind, priority, required):
    assert rules.plan_required(kind, priority) is required


RECEIVED = D(2026, 3, 2)


def _deadline(today, submitted=None, kind="ilacs_standard", priority=False, received=RECEIVED):
    return rules.plan_deadline(kind=kind, has_priority_action=priority, received_on=received,
                               submitted_on=submitted, today=today, calendar=CALENDAR)


@pytest.mark.parametrize("today, rag, left", [
    (D(2026, 3, 2), "green", 70),
    (D(2026, 5, 28), "green", 11),
    (D(2026, 5, 29), "amber", 10),   # amber from 10 working days before
    (D(2026, 5, 30), "amber", 10),   # a Saturday: still 10 working days to go
    (D(2026, 6, 12), "amber", 0),    # the day it is due
    (D(2026, 6, 13), "red", 0),      # Saturday after: overdue, no working day lost yet
    (D(2026, 6, 15), "red", -1),
    (D(2026, 7, 1), "red", -13),
])
def test_days_left_and_rag_before_the_plan_is_sent(today, rag, left):
    deadline = _deadline(today)
    assert (deadline.due_on, deadline.rag, deadline.working_days_left) == (D(2026, 6, 12), rag, left)
    assert deadline.is_overdue is (rag == "red")
    assert deadline.working_days_overdue == max(0, -left)


@pytest.mark.parametrize("submitted, rag", [
    (D(2026, 5, 1), "done"), (D(2026, 6, 12), "done"), (D(2026, 6, 15), "done_late")])
def test_sending_the_plan_stops_the_clock(submitted, rag):
    deadline = _deadline(D(2026, 9, 1), submitted=submitted)
    assert (deadline.rag, deadline.working_days_left, deadline.is_overdue) == (rag, None, False)


def test_no_deadline_until_the_report_is_received_or_when_none_is_required():
    assert _deadline(D(2026, 9, 1), received=None).due_on is None
    assert _deadline(D(2026, 9, 1), received=None).required is True
    none = _deadline(D(2026, 9, 1), kind="monitoring_visit")
    assert (none.required, none.due_on, none.rag) == (False, None, "")
    focused = _deadline(D(2026, 3, 3), kind="focused_visit", priority=True)
    assert (focused.due_on, focused.draft_due_on) == (D(2026, 6, 12), D(2026, 3, 30))
    assert _deadline(D(2026, 3, 3)).draft_due_on is None


@pytest.mark.parametrize("today, done, completed, rag", [
    (D(2026, 6, 1), False, None, "green"),
    (D(2026, 6, 15), False, None, "green"),   # 15 days before
    (D(2026, 6, 16), False, None, "amber"),   # 14 days before
    (D(2026, 6, 30), False, None, "amber"),   # the due date
    (D(2026, 7, 1), False, None, "red"),      # the day after
    (D(2026, 7, 1), True, D(2026, 6, 30), "done"),
    (D(2026, 7, 2), True, D(2026, 7, 1), "done_late"),
    (D(2026, 6, 1), True, D(2026, 5, 1), "done"),
    (D(2026, 7, 1), False, D(2026, 6, 1), "red"),  # a date without "done" does not count
])
def test_action_rag_by_due_date(today, done, completed, rag):
    assert rules.action_rag(due_on=D(2026, 6, 30), today=today, done=done, completed_on=completed) == rag
