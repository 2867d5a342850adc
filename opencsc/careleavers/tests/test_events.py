"""The chronology and the statutory clocks read from this app."""

import datetime as dt

import pytest

from opencsc.careleavers.event_sources import decision_clock_events, plan_clock_events, support_clock_events
from opencsc.casework.events import ClockEvent, get_source
from opencsc.people.models import Child
from opencsc.timescales.selectors import due_items

from .factories import (
    EligibilityDecisionFactory,
    PathwayPlanFactory,
    PathwayPlanReviewFactory,
    ago,
    care_leaver,
    today,
)

pytestmark = pytest.mark.django_db


def _due(child, rule):
    return [i for i in due_items(children=Child.objects.filter(pk=child.pk)) if i.rule_code == rule]


def test_clock_events_are_set_based(django_assert_max_num_queries):
    children = []
    for _ in range(3):
        cl = care_leaver(age=17, category="eligible")
        plan = PathwayPlanFactory(child=cl.child, start_date=ago(100), needs_assessed_on=ago(110))
        PathwayPlanReviewFactory(plan=plan, reviewed_on=ago(20))
        cl.support_ended_on = ago(1)
        cl.save()
        children.append(cl.child)
    qs = Child.objects.filter(pk__in=[c.pk for c in children])
    with django_assert_max_num_queries(1):
        decisions = list(decision_clock_events(qs))
    with django_assert_max_num_queries(2):
        plans = list(plan_clock_events(qs))
    with django_assert_max_num_queries(1):
        support = list(support_clock_events(qs))
    child = children[0]
    decided_on = child.leaving_care_decisions.get().decided_on
    assert ClockEvent(child.pk, "became_eligible", decided_on) in decisions and len(decisions) == 3
    assert {e.event for e in plans if e.child_id == child.pk} == {"needs_assessment", "pathway_plan",
                                                                 "pathway_plan_review"}
    assert ClockEvent(child.pk, "leaving_care_support_ended", ago(1)) in support


def test_only_the_first_eligible_decision_starts_the_needs_assessment_clock():
    cl = care_leaver(age=17, category="eligible")
    EligibilityDecisionFactory(child=cl.child, category="eligible", decided_on=ago(10))
    EligibilityDecisionFactory(child=cl.child, category="relevant", decided_on=ago(5))
    events = [e for e in decision_clock_events(Child.objects.filter(pk=cl.child.pk))]
    assert events == [ClockEvent(cl.child.pk, "became_eligible", ago(200))]


def test_a_pathway_plan_review_is_due_six_months_after_the_plan_and_each_review():
    cl = care_leaver()
    plan = PathwayPlanFactory(child=cl.child, start_date=ago(100))
    [item] = _due(cl.child, "pathway_plan_review")
    assert item.rag == "green" and ago(100) + dt.timedelta(days=180) <= item.due_date <= ago(100) + dt.timedelta(
        days=184)
    PathwayPlanReviewFactory(plan=plan, reviewed_on=ago(10))
    [item] = _due(cl.child, "pathway_plan_review")
    assert ago(10) + dt.timedelta(days=180) <= item.due_date <= ago(10) + dt.timedelta(days=184)


def test_a_late_review_is_red_and_the_end_of_support_stops_the_clock():
    cl = care_leaver()
    PathwayPlanFactory(child=cl.child, start_date=ago(250))
    [item] = _due(cl.child, "pathway_plan_review")
    assert item.rag == "red"
    cl.support_ended_on = ago(3)
    cl.save()
    assert _due(cl.child, "pathway_plan_review") == []


def test_the_needs_assessment_is_due_three_months_after_becoming_eligible():
    cl = care_leaver(age=16, category="eligible")
    decided_on = cl.child.leaving_care_decisions.get().decided_on
    [item] = _due(cl.child, "needs_assessment")
    assert decided_on + dt.timedelta(days=89) <= item.due_date <= decided_on + dt.timedelta(days=92)
    PathwayPlanFactory(child=cl.child, start_date=today(), needs_assessed_on=ago(1))
    assert _due(cl.child, "needs_assessment") == []


def test_the_chronology_shows_decisions_plans_reviews_contact_and_support():
    cl = care_leaver()
    plan = PathwayPlanFactory(child=cl.child, start_date=ago(100))
    PathwayPlanReviewFactory(plan=plan, reviewed_on=ago(20))
    cl.bursary_awarded_on = ago(50)
    cl.save()
    titles = []
    for key in ("leaving_care_decision", "pathway_plan", "leaving_care_contact", "leaving_care_support"):
        titles += [i.title for i in get_source(key).fetch(cl.child)]
    assert titles == ["Leaving care category: Former relevant", "Pathway plan written", "Pathway plan reviewed",
                      "Higher education bursary awarded"]
    in_range = [i.title for i in get_source("pathway_plan").fetch(cl.child, date_from=ago(30))]
    assert in_range == ["Pathway plan reviewed"]
