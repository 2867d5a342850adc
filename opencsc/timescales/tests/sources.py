"""A clock source over the shared casework rows (plans, meetings, visits), for tests and the benchmark.

Not registered at import: tests register it with the ``casework_clocks`` fixture, the
benchmark only when no app has registered sources for these events yet.
"""

from __future__ import annotations

from opencsc.casework.events import ClockEvent, EventSource

PLAN_EVENTS = {"cp": ("cp_plan_started", "cp_plan_ended"), "cin": ("cin_plan_started", "cin_plan_ended")}
MEETING_EVENTS = {"core_group": "core_group", "cp_review": "cp_review", "cin_meeting": "cin_review",
                  "icpc": "icpc", "strategy": "strategy_discussion"}
VISIT_EVENTS = {"cp": "cp_visit", "cin": "cin_visit"}


def casework_clock_events(children):
    from opencsc.casework.models import Meeting, Plan, Visit

    plans = Plan.objects.filter(child__in=children, kind__in=PLAN_EVENTS).values_list(
        "child_id", "kind", "start_date", "end_date")
    for child_id, kind, start, end in plans.order_by("start_date", "id"):
        started, ended = PLAN_EVENTS[kind]
        yield ClockEvent(child_id, started, start)
        if end is not None:
            yield ClockEvent(child_id, ended, end)
    meetings = Meeting.objects.filter(child__in=children, kind__in=MEETING_EVENTS).values_list(
        "child_id", "kind", "held_on")
    for child_id, kind, held_on in meetings.order_by("held_on", "id"):
        yield ClockEvent(child_id, MEETING_EVENTS[kind], held_on)
    visits = Visit.objects.filter(child__in=children, kind__in=VISIT_EVENTS).values_list(
        "child_id", "kind", "visited_on")
    for child_id, kind, visited_on in visits.order_by("visited_on", "id"):
        yield ClockEvent(child_id, VISIT_EVENTS[kind], visited_on)


SOURCE = EventSource(
    key="timescales_test_casework",
    label="Plans, meetings and visits (timescales test source)",
    fetch=lambda child, date_from=None, date_to=None: [],
    starts_clocks=("cp_plan_started", "cin_plan_started"),
    stops_clocks=("cp_plan_ended", "cin_plan_ended", "core_group", "cp_review", "cin_review", "cp_visit", "cin_visit"),
    clock_events=casework_clock_events,
)
