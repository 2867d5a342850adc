"""Chronology entries and statutory clock events from child protection records, in the event log."""

import datetime as dt
import re
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opencsc.casework import services as casework
from opencsc.casework.models import Meeting
from opencsc.casework.selectors import chronology_for
from opencsc.casework.summary import services_for
from opencsc.core import events as event_log
from opencsc.core.models import Event
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection import services
from opencsc.protection.tests.helpers import POLICE, cp_plan, referral, strategy

D = dt.date


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


def logged_clocks(child, **where):
    """The child's clock events in the log, as the due lists read them: (name, day or moment, scope)."""
    return [(e.clock, e.occurred_at if e.timed else e.occurred_on, e.scope)
            for e in Event.objects.filter(child=child, **where).exclude(clock="")]


def events(key, child):
    return sorted(logged_clocks(child, kind=key))


def test_strategy_s47_and_icpc_clock_events(worker, db):
    child = ChildFactory()
    plan = cp_plan(worker, child, D(2025, 3, 3))
    s47 = plan.conference.section47
    later = strategy(worker, child, D(2025, 9, 1))
    services.section47_outcome_record(actor=worker, section47=later.section47, outcome="not_substantiated",
                                      completed_on=D(2025, 9, 8))

    assert events("strategy_discussion", child) == [("strategy_discussion", D(2025, 3, 3), ""),
                                                    ("strategy_discussion", D(2025, 9, 1), "")]
    scope = f"s47:{later.section47.pk}"
    assert events("section47", child) == sorted([
        ("s47_started", D(2025, 3, 3), f"s47:{s47.pk}"), ("s47_started", D(2025, 9, 1), scope),
        ("s47_outcome", D(2025, 9, 8), scope), ("s47_no_further_action", D(2025, 9, 8), scope)])
    assert events("cp_conference", child) == [("icpc", D(2025, 3, 3), f"s47:{s47.pk}")]


def test_review_and_transfer_in_clock_events(worker, db):
    child = ChildFactory()
    referral(worker, child, D(2025, 3, 3))
    conference = services.conference_record(actor=worker, child=child, kind="transfer_in", held_on=D(2025, 3, 20),
                                            transfer_notified_on=D(2025, 3, 3), decision="plan", category="NEG",
                                            attendance=[POLICE])
    plan = services.cp_plan_start(actor=worker, conference=conference, contingency="C", actions=[
        {"what_must_change": "w", "action": "a", "responsible": "r", "due_date": D(2025, 5, 1), "measure": "m"}])
    services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 6, 1),
                               decision="continues", attendance=[POLICE])
    assert events("cp_conference", child) == [
        ("cp_review", D(2025, 6, 1), f"plan:{plan.plan_id}"),
        ("transfer_in_conference", D(2025, 3, 20), f"conference:{conference.pk}"),
        ("transfer_in_notice", D(2025, 3, 3), f"conference:{conference.pk}"),
    ]
    # the casework plan clock uses the same scope
    assert ("cp_plan_started", D(2025, 3, 20), f"plan:{plan.plan_id}") in events("plan", child)
    assert Meeting.objects.get(kind="cp_review").plan_id == plan.plan_id


def test_police_protection_and_epo_clock_events(worker, db):
    child = ChildFactory()
    start = dt.datetime(2025, 3, 2, 14, 0, tzinfo=timezone.get_current_timezone())
    end = dt.datetime(2025, 3, 4, 10, 0, tzinfo=timezone.get_current_timezone())
    pp = services.police_protection_record(actor=worker, child=child, started_at=start, ended_at=end,
                                           ended_how="epo", circumstances="Found")
    order = services.epo_record(actor=worker, child=child, made_on=D(2025, 3, 4), expires_on=D(2025, 3, 12),
                                extended_to=D(2025, 3, 19), ended_on=D(2025, 3, 15), circumstances="Court")
    assert events("police_protection", child) == [("police_protection", start, f"police_protection:{pp.pk}"),
                                                  ("police_protection_ended", end, f"police_protection:{pp.pk}")]
    assert all(timezone.is_aware(e[1]) for e in events("police_protection", child))
    scope = f"epo:{order.pk}"
    assert events("epo", child) == [("epo_ended", D(2025, 3, 15), scope), ("epo_extended", D(2025, 3, 12), scope),
                                    ("epo_made", D(2025, 3, 4), scope)]


def test_chronology_marks_protection_events_highly_significant(worker, db):
    child = ChildFactory()
    cp_plan(worker, child, D(2025, 3, 3), end=D(2025, 9, 1))
    kinds = ["strategy_discussion", "section47", "cp_conference", "cp_plan"]
    items = list(chronology_for(user=worker, child=child, sources=kinds))
    titles = sorted(i.title for i in items)
    assert titles == sorted([
        "Strategy discussion: start a section 47 enquiry", "Section 47 enquiry started",
        "Initial child protection conference: child protection plan needed",
        "Child protection plan started: neglect", "Child protection plan ended: child no longer at risk of "
        "significant harm"])
    assert all(i.significant for i in items)
    assert [i.title for i in chronology_for(user=worker, child=child, sources=["cp_plan"], date_from=D(2025, 6, 1))] == [
        "Child protection plan ended: child no longer at risk of significant harm"]


def queries_to_rebuild(kinds):
    with CaptureQueriesContext(connection) as queries:
        event_log.rebuild(kinds=kinds)
    return len(queries.captured_queries)


def test_writing_the_events_takes_a_number_of_queries_that_does_not_grow_with_the_records(worker, db):
    """Each source reads what its facts need with its records (`related`): no query per record."""
    kinds = ["strategy_discussion", "section47", "cp_conference", "cp_plan", "police_protection", "epo"]
    cp_plan(worker, ChildFactory(), D(2024, 1, 8))
    few = queries_to_rebuild(kinds)
    for day in (D(2025, 1, 6), D(2025, 2, 3), D(2025, 3, 3)):
        plan = cp_plan(worker, ChildFactory(), day)
        services.conference_record(actor=worker, child=plan.child, kind="review", held_on=day + dt.timedelta(days=90),
                                   decision="continues", attendance=[POLICE])
    assert Event.objects.filter(kind="cp_conference").count() == 7
    assert queries_to_rebuild(kinds) == few


def test_services_now(worker, db):
    child = ChildFactory()
    assert "Child protection plan" not in services_for(child)
    plan = cp_plan(worker, child, D(2025, 3, 3))
    assert "Child protection plan" in services_for(child)
    assert "Section 47 enquiry" not in services_for(child)
    services.cp_plan_end(actor=worker, cp_plan=plan, end_date=D(2025, 4, 1), end_reason="moved")
    assert "Child protection plan" not in services_for(child)


SCOPE = re.compile(r"^(plan|episode|s47|conference|police_protection|epo):[1-9][0-9]*$")


def test_clock_scopes_are_namespaced_and_related_events_meet_in_one_group(worker, db):
    """Records of different models with the same primary key can never share a clock group."""
    child = ChildFactory()
    cp = cp_plan(worker, child, D(2025, 3, 3))
    casework.meeting_record(actor=worker, child=child, kind="core_group", held_on=D(2025, 3, 14), plan=cp.plan,
                            attendance=[POLICE])
    services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 6, 2),
                               decision="continues", attendance=[POLICE])
    at = timezone.get_current_timezone()
    services.police_protection_record(actor=worker, child=child, started_at=dt.datetime(2025, 2, 1, 9, tzinfo=at),
                                      circumstances="Found")
    services.epo_record(actor=worker, child=child, made_on=D(2025, 2, 2), expires_on=D(2025, 2, 9),
                        circumstances="Court")

    grouped = defaultdict(list)
    for name, on, scope in logged_clocks(child):
        grouped[(child.pk, scope)].append((name, on))

    scopes = {scope for _, scope in grouped}
    assert {s for s in scopes if s and not SCOPE.match(s)} == set()
    names = {scope: sorted(name for name, _ in events) for (_, scope), events in grouped.items()}
    episode = cp.episode
    s47 = cp.conference.section47
    assert names[f"episode:{episode.pk}"] == ["referral"]
    assert names[f"s47:{s47.pk}"] == ["icpc", "s47_started"]
    assert names[f"plan:{cp.plan_id}"] == ["core_group", "cp_plan_started", "cp_review"]
    assert sorted(s.split(":")[0] for s in scopes if s) == [
        "episode", "epo", "plan", "police_protection", "s47"]
