"""Chronology items and statutory clock events from child protection records."""

import datetime as dt

import pytest
from django.utils import timezone

from opencsc.casework.events import get_source
from opencsc.casework.models import Meeting
from opencsc.casework.summary import services_for
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection import services
from opencsc.protection.tests.helpers import POLICE, cp_plan, strategy

D = dt.date


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


def events(key, child):
    return sorted((e.event, e.on, e.scope) for e in get_source(key).clock_events(Child.objects.filter(pk=child.pk)))


def test_strategy_s47_and_icpc_clock_events(worker, db):
    child = ChildFactory()
    plan = cp_plan(worker, child, D(2025, 3, 3))
    s47 = plan.conference.section47
    later = strategy(worker, child, D(2025, 9, 1))
    services.section47_outcome_record(actor=worker, section47=later.section47, outcome="not_substantiated",
                                      completed_on=D(2025, 9, 8))

    assert events("strategy_discussion", child) == [("strategy_discussion", D(2025, 3, 3), ""),
                                                    ("strategy_discussion", D(2025, 9, 1), "")]
    scope = str(later.section47.pk)
    assert events("section47", child) == sorted([
        ("s47_started", D(2025, 3, 3), str(s47.pk)), ("s47_started", D(2025, 9, 1), scope),
        ("s47_outcome", D(2025, 9, 8), scope), ("s47_no_further_action", D(2025, 9, 8), scope)])
    assert events("cp_conference", child) == [("icpc", D(2025, 3, 3), str(s47.pk))]


def test_review_and_transfer_in_clock_events(worker, db):
    child = ChildFactory()
    conference = services.conference_record(actor=worker, child=child, kind="transfer_in", held_on=D(2025, 3, 20),
                                            transfer_notified_on=D(2025, 3, 3), decision="plan", category="NEG",
                                            attendance=[POLICE])
    plan = services.cp_plan_start(actor=worker, conference=conference, contingency="C", actions=[
        {"what_must_change": "w", "action": "a", "responsible": "r", "due_date": D(2025, 5, 1), "measure": "m"}])
    services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 6, 1),
                               decision="continues", attendance=[POLICE])
    assert events("cp_conference", child) == [
        ("cp_review", D(2025, 6, 1), str(plan.plan_id)),
        ("transfer_in_conference", D(2025, 3, 20), str(conference.pk)),
        ("transfer_in_notice", D(2025, 3, 3), str(conference.pk)),
    ]
    # the casework plan clock uses the same scope
    assert ("cp_plan_started", D(2025, 3, 20), str(plan.plan_id)) in events("plan", child)
    assert Meeting.objects.get(kind="cp_review").plan_id == plan.plan_id


def test_police_protection_and_epo_clock_events(worker, db):
    child = ChildFactory()
    start = dt.datetime(2025, 3, 2, 14, 0, tzinfo=timezone.get_current_timezone())
    end = dt.datetime(2025, 3, 4, 10, 0, tzinfo=timezone.get_current_timezone())
    pp = services.police_protection_record(actor=worker, child=child, started_at=start, ended_at=end,
                                           ended_how="epo", circumstances="Found")
    order = services.epo_record(actor=worker, child=child, made_on=D(2025, 3, 4), expires_on=D(2025, 3, 12),
                                extended_to=D(2025, 3, 19), ended_on=D(2025, 3, 15), circumstances="Court")
    assert events("police_protection", child) == [("police_protection", start, str(pp.pk)),
                                                  ("police_protection_ended", end, str(pp.pk))]
    assert all(timezone.is_aware(e[1]) for e in events("police_protection", child))
    assert events("epo", child) == [("epo_ended", D(2025, 3, 15), str(order.pk)),
                                    ("epo_extended", D(2025, 3, 12), str(order.pk)),
                                    ("epo_made", D(2025, 3, 4), str(order.pk))]


def test_chronology_marks_protection_events_highly_significant(worker, db):
    child = ChildFactory()
    cp_plan(worker, child, D(2025, 3, 3), end=D(2025, 9, 1))
    items = [i for key in ("strategy_discussion", "section47", "cp_conference", "cp_plan")
             for i in get_source(key).fetch(child)]
    titles = sorted(i.title for i in items)
    assert titles == sorted([
        "Strategy discussion: start a section 47 enquiry", "Section 47 enquiry started",
        "Initial child protection conference: child protection plan needed",
        "Child protection plan started: neglect", "Child protection plan ended: child no longer at risk of "
        "significant harm"])
    assert all(i.significant for i in items)
    assert [i.title for i in get_source("cp_plan").fetch(child, date_from=D(2025, 6, 1))] == [
        "Child protection plan ended: child no longer at risk of significant harm"]


def test_clock_events_take_a_bounded_number_of_queries(worker, db, django_assert_max_num_queries):
    for day in (D(2024, 1, 8), D(2025, 1, 6)):
        cp_plan(worker, ChildFactory(), day)
    with django_assert_max_num_queries(1):
        list(get_source("cp_conference").clock_events(Child.objects.all()))


def test_services_now(worker, db):
    child = ChildFactory()
    assert "Child protection plan" not in services_for(child)
    plan = cp_plan(worker, child, D(2025, 3, 3))
    assert "Child protection plan" in services_for(child)
    assert "Section 47 enquiry" not in services_for(child)
    services.cp_plan_end(actor=worker, cp_plan=plan, end_date=D(2025, 4, 1), end_reason="moved")
    assert "Child protection plan" not in services_for(child)
