"""The front door's rules, exhaustively."""

import datetime as dt

import pytest

from opencsc.frontdoor import rules
from opencsc.timescales.core import get_rule

from .factories import at

D = dt.date


@pytest.mark.parametrize("rag, hours", [("red", 4), ("amber", 24), ("green", 72)])
def test_the_deadline_follows_the_urgency(rag, hours):
    asked = at(D(2026, 11, 2), 9, 30)
    assert rules.request_due(asked, rag) == asked + dt.timedelta(hours=hours)


def test_the_deadline_is_elapsed_time_when_the_clocks_go_forward():
    asked = at(D(2026, 3, 29), 0, 30)  # GMT; the clocks go forward at 1am
    assert rules.request_due(asked, "red") == at(D(2026, 3, 29), 5, 30)  # BST


@pytest.mark.parametrize("answered_after, late", [(None, True), (-1, False), (0, False), (1, True)])
def test_a_request_is_late_once_its_deadline_passes(answered_after, late):
    due = at(D(2026, 11, 2), 13, 30)
    now = due + dt.timedelta(minutes=5)
    responded = None if answered_after is None else due + dt.timedelta(minutes=answered_after)
    assert rules.request_is_late(due, now, responded) is late


def test_an_open_request_before_its_deadline_is_not_late():
    due = at(D(2026, 11, 2), 13, 30)
    assert not rules.request_is_late(due, due - dt.timedelta(minutes=1))


@pytest.mark.parametrize("received, due", [
    (D(2026, 11, 2), D(2026, 11, 3)),    # Monday: Tuesday
    (D(2026, 11, 6), D(2026, 11, 9)),    # Friday: Monday
    (D(2026, 11, 7), D(2026, 11, 9)),    # Saturday (out of hours): Monday
    (D(2026, 12, 24), D(2026, 12, 29)),  # Christmas Eve: over Christmas and Boxing Day (substitute)
])
def test_the_decision_is_due_within_one_working_day(received, due):
    assert rules.decision_due(received) == due


def test_the_rule_is_the_timescales_rule():
    rule = get_rule("contact_decision")
    assert (rule.start_event, rule.end_event, rule.length, rule.unit) == (
        "contact_received", "contact_decided", 1, "working_days")


@pytest.mark.parametrize("today, decided, expected", [
    (D(2026, 11, 2), None, "green"),  # amber only on the day it is due
    (D(2026, 11, 3), None, "amber"),
    (D(2026, 11, 4), None, "red"),
    (D(2026, 11, 4), D(2026, 11, 3), "done"),
    (D(2026, 11, 4), D(2026, 11, 4), "done_late"),
])
def test_decision_rag(today, decided, expected):
    assert rules.decision_rag(D(2026, 11, 2), today, decided) == expected


@pytest.mark.parametrize("moment, out", [
    (at(D(2026, 11, 2), 8, 59), True),
    (at(D(2026, 11, 2), 9, 0), False),
    (at(D(2026, 11, 2), 16, 59), False),
    (at(D(2026, 11, 2), 17, 0), True),
    (at(D(2026, 11, 7), 12, 0), True),   # Saturday
    (at(D(2026, 12, 25), 12, 0), True),  # Christmas Day
])
def test_out_of_hours(moment, out):
    assert rules.is_out_of_hours(moment) is out
