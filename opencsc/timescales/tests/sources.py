"""Event sources over the shared casework rows (plans, meetings, visits), for the timescales tests.

Not registered at import: the ``casework_clocks`` fixture puts them in place of every other source,
so that these tests see only the clocks they set up.
"""

from __future__ import annotations

from opencsc.core.events import Fact, Source

PLAN_EVENTS = {"cp": ("cp_plan_started", "cp_plan_ended"), "cin": ("cin_plan_started", "cin_plan_ended")}
MEETING_EVENTS = {"core_group": "core_group", "cp_review": "cp_review", "cin_meeting": "cin_review",
                  "icpc": "icpc", "strategy": "strategy_discussion"}
VISIT_EVENTS = {"cp": "cp_visit", "cin": "cin_visit"}


def _plan(plan):
    if plan.kind in PLAN_EVENTS:
        started, ended = PLAN_EVENTS[plan.kind]
        yield Fact(child_id=plan.child_id, on=plan.start_date, clock=started)
        if plan.end_date is not None:
            yield Fact(child_id=plan.child_id, on=plan.end_date, clock=ended, seq=1)


def _meeting(meeting):
    if meeting.kind in MEETING_EVENTS:
        yield Fact(child_id=meeting.child_id, on=meeting.held_on, clock=MEETING_EVENTS[meeting.kind])


def _visit(visit):
    if visit.kind in VISIT_EVENTS:
        yield Fact(child_id=visit.child_id, on=visit.visited_on, clock=VISIT_EVENTS[visit.kind])


SOURCES = (
    Source(key="test_plan", label="Timescales test source 1: plans", model="casework.Plan", project=_plan,
           starts_clocks=("cp_plan_started", "cin_plan_started"), stops_clocks=("cp_plan_ended", "cin_plan_ended")),
    Source(key="test_meeting", label="Timescales test source 2: meetings", model="casework.Meeting",
           project=_meeting, stops_clocks=("core_group", "cp_review", "cin_review")),
    Source(key="test_visit", label="Timescales test source 3: visits", model="casework.Visit", project=_visit,
           stops_clocks=("cp_visit", "cin_visit")),
)
