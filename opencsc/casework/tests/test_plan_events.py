"""Plans, meetings, visits and oversight in the chronology and as clock events for the timescales."""

import datetime as dt
from typing import NamedTuple

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.casework import event_sources
from opencsc.core import events
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.timescales.core.rules import RULES
from opencsc.timescales.reads import clock_facts

from .factories import (
    MeetingFactory,
    OversightActionFactory,
    OversightRecordFactory,
    PlanFactory,
    VisitFactory,
)

OURS = ("plan", "meeting", "visit")


@pytest.fixture(autouse=True)
def casework_shows_every_kind():
    """Other apps may take over some kinds in the chronology; these tests are about casework's own items."""
    saved = {key: set(kinds) for key, kinds in event_sources._SHOWN_ELSEWHERE.items()}
    for kinds in event_sources._SHOWN_ELSEWHERE.values():
        kinds.clear()
    yield
    for key, kinds in saved.items():
        event_sources._SHOWN_ELSEWHERE[key].clear()
        event_sources._SHOWN_ELSEWHERE[key].update(kinds)


class ClockEvent(NamedTuple):
    child_id: int
    event: str
    on: dt.date
    scope: str = ""


def clock_events_for(children):
    """Our sources' clock events in the event log, as the due lists read them."""
    ours = {name for key in OURS for name in (*events.get_source(key).starts_clocks,
                                              *events.get_source(key).stops_clocks)}
    return [ClockEvent(child_id, name, on, scope) for _order, child_id, name, on, scope in clock_facts(children)
            if name in ours]


def test_plans_meetings_and_visits_start_and_stop_the_right_clocks(db):
    child = ChildFactory()
    cin = PlanFactory(child=child, kind="cin", start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 6, 2))
    cp = PlanFactory(child=child, kind="cp", start_date=dt.date(2025, 6, 2))
    PlanFactory(child=child, kind="care", start_date=dt.date(2025, 9, 1))
    MeetingFactory(child=child, plan=cin, kind="cin_meeting", held_on=dt.date(2025, 1, 15))
    MeetingFactory(child=child, plan=cp, kind="core_group", held_on=dt.date(2025, 6, 12))
    MeetingFactory(child=child, kind="strategy", held_on=dt.date(2025, 5, 20))
    VisitFactory(child=child, kind="cin", visited_on=dt.date(2025, 2, 3))
    VisitFactory(child=child, kind="cin", visited_on=dt.date(2025, 2, 10), child_seen=False, child_seen_alone=False)
    VisitFactory(child=child, kind="cp", visited_on=dt.date(2025, 6, 9))
    VisitFactory(child=child, kind="cla", visited_on=dt.date(2025, 9, 8))
    VisitFactory(child=child, kind="cla", visited_on=dt.date(2025, 9, 9), child_seen=False, child_seen_alone=False)
    VisitFactory(child=child, kind="pa", visited_on=dt.date(2025, 9, 10), child_seen=False, child_seen_alone=False)
    VisitFactory(child=child, kind="other", visited_on=dt.date(2025, 9, 11))

    got = set(clock_events_for(Child.objects.filter(pk=child.pk)))

    assert got == {
        ClockEvent(child.pk, "cin_plan_started", dt.date(2025, 1, 6), f"plan:{cin.pk}"),
        ClockEvent(child.pk, "cin_plan_ended", dt.date(2025, 6, 2), f"plan:{cin.pk}"),
        ClockEvent(child.pk, "cp_plan_started", dt.date(2025, 6, 2), f"plan:{cp.pk}"),
        ClockEvent(child.pk, "cin_review", dt.date(2025, 1, 15), f"plan:{cin.pk}"),
        ClockEvent(child.pk, "core_group", dt.date(2025, 6, 12), f"plan:{cp.pk}"),
        ClockEvent(child.pk, "cin_visit", dt.date(2025, 2, 3)),
        ClockEvent(child.pk, "cp_visit", dt.date(2025, 6, 9)),
        ClockEvent(child.pk, "cla_visit", dt.date(2025, 9, 8)),
        ClockEvent(child.pk, "pa_visit", dt.date(2025, 9, 10)),
    }


def test_every_clock_event_we_emit_is_named_in_the_rules():
    named = set()
    for rule in RULES:
        named |= {rule.start_event, rule.end_event, *rule.stop_events}
    for key in OURS:
        source = events.get_source(key)
        for name in (*source.starts_clocks, *source.stops_clocks):
            assert name in named, name


def test_clock_events_are_set_based(db):
    children = []
    for _ in range(6):
        child = ChildFactory()
        plan = PlanFactory(child=child, kind="cp")
        MeetingFactory(child=child, plan=plan, kind="core_group")
        VisitFactory(child=child, kind="cp")
        children.append(child.pk)

    with CaptureQueriesContext(connection) as queries:
        got = clock_events_for(Child.objects.filter(pk__in=children))

    assert len(queries) == 1  # one read of the event log, whatever the number of children and sources
    assert len(got) == 18
    assert {e.child_id for e in got} == set(children)


@pytest.fixture
def history(db):
    child = ChildFactory()
    plan = PlanFactory(child=child, kind="cp", start_date=dt.date(2026, 1, 12), end_date=dt.date(2026, 3, 30))
    MeetingFactory(child=child, plan=plan, kind="core_group", held_on=dt.date(2026, 1, 22), chair="Sam Lee",
                   child_contributed=True)
    VisitFactory(child=child, kind="cp", visited_on=dt.date(2026, 1, 19), child_seen_alone=True)
    VisitFactory(child=child, kind="cp", visited_on=dt.date(2026, 2, 2), child_seen=False, child_seen_alone=False)
    record = OversightRecordFactory(child=child, held_on=dt.date(2026, 1, 26), decisions="Convene core group sooner")
    OversightActionFactory(record=record)
    OversightActionFactory(record=record)
    return child


def test_the_chronology_shows_plans_meetings_visits_and_oversight(signed_in, history):
    html = signed_in(Role.SOCIAL_WORKER).get(reverse("casework:chronology", args=[history.pk])).content.decode()

    for text in ("Child protection plan started", "Child protection plan ended", "Core group", "Chaired by Sam Lee",
                 "Child&#x27;s views shared", "Child seen alone", "Child not seen", "Management oversight by",
                 "Convene core group sooner", "2 actions set"):
        assert text in html, text


def test_oversight_and_plans_are_significant_visits_are_not(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER)

    html = client.get(reverse("casework:chronology", args=[history.pk]), {"significant": "on"}).content.decode()

    assert "Convene core group sooner" in html
    assert "Child protection plan started" in html
    assert "Child seen alone" not in html


def test_the_chronology_can_show_visits_only(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER)

    html = client.get(reverse("casework:chronology", args=[history.pk]), {"source": "visit"}).content.decode()

    assert "Child seen alone" in html
    assert "Core group" not in html


def test_date_filters_apply_to_our_sources(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER)

    html = client.get(reverse("casework:chronology", args=[history.pk]), {
        "date_from_0": "25", "date_from_1": "1", "date_from_2": "2026",
        "date_to_0": "31", "date_to_1": "1", "date_to_2": "2026"}).content.decode()

    assert "Convene core group sooner" in html
    assert "Child seen alone" not in html  # 19 Jan
    assert "Child not seen" not in html  # 2 Feb


def test_kinds_shown_by_their_owning_app_are_not_shown_twice(signed_in, history):
    event_sources.shown_elsewhere(plan_kinds=["cp"], meeting_kinds=["core_group"])
    events.rebuild(child_ids=[history.pk])  # the facts written before the owning app took the kinds over
    html = signed_in(Role.SOCIAL_WORKER).get(reverse("casework:chronology", args=[history.pk])).content.decode()
    got = set(clock_events_for(Child.objects.filter(pk=history.pk)))

    assert "Child protection plan started" not in html
    assert "Chaired by Sam Lee" not in html
    assert "Child seen alone" in html
    assert {e.event for e in got} >= {"cp_plan_started", "cp_plan_ended", "core_group"}
