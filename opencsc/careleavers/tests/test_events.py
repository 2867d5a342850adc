"""The chronology and the statutory clocks read from this app."""

import datetime as dt

import pytest

from opencsc.casework.selectors import chronology_for
from opencsc.core import events
from opencsc.people.models import Child
from opencsc.timescales.reads import clock_facts
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
KINDS = ["leaving_care_decision", "pathway_plan", "leaving_care_contact", "leaving_care_support"]


def _due(child, rule):
    return [i for i in due_items(children=Child.objects.filter(pk=child.pk)) if i.rule_code == rule]


def _clock_events(children):
    """(child id, clock event, day) of these children in the event log."""
    return [(child_id, name, on) for _order, child_id, name, on, _scope in clock_facts(children)]


def test_the_clock_events_are_in_the_log_and_read_for_many_children_at_once(django_assert_max_num_queries):
    children = []
    for _ in range(3):
        cl = care_leaver(age=17, category="eligible")
        plan = PathwayPlanFactory(child=cl.child, start_date=ago(100), needs_assessed_on=ago(110))
        PathwayPlanReviewFactory(plan=plan, reviewed_on=ago(20))
        cl.support_ended_on = ago(1)
        cl.save()
        events.announce(cl)
        children.append(cl.child)
    assert events.verify(kinds=KINDS) == []
    qs = Child.objects.filter(pk__in=[c.pk for c in children])
    with django_assert_max_num_queries(2):
        read = _clock_events(qs)
    child = children[0]
    decided_on = child.leaving_care_decisions.get().decided_on
    assert [e for e in read if e[1] == "became_eligible"] == [(c.pk, "became_eligible", decided_on) for c in children]
    assert {name for child_id, name, _on in read if child_id == child.pk} == {
        "became_eligible", "needs_assessment", "pathway_plan", "pathway_plan_review", "leaving_care_support_ended"}
    assert (child.pk, "leaving_care_support_ended", ago(1)) in read


def test_only_the_first_eligible_decision_starts_the_needs_assessment_clock():
    cl = care_leaver(age=17, category="eligible")
    EligibilityDecisionFactory(child=cl.child, category="eligible", decided_on=ago(10))
    EligibilityDecisionFactory(child=cl.child, category="relevant", decided_on=ago(5))
    assert _clock_events(Child.objects.filter(pk=cl.child.pk)) == [(cl.child.pk, "became_eligible", ago(200))]
    assert events.verify(kinds=KINDS) == []


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
    events.announce(cl)
    assert _due(cl.child, "pathway_plan_review") == []


def test_the_needs_assessment_is_due_three_months_after_becoming_eligible():
    cl = care_leaver(age=16, category="eligible")
    decided_on = cl.child.leaving_care_decisions.get().decided_on
    [item] = _due(cl.child, "needs_assessment")
    assert decided_on + dt.timedelta(days=89) <= item.due_date <= decided_on + dt.timedelta(days=92)
    PathwayPlanFactory(child=cl.child, start_date=today(), needs_assessed_on=ago(1))
    assert _due(cl.child, "needs_assessment") == []


def test_the_chronology_shows_decisions_plans_reviews_contact_and_support(make_user):
    cl = care_leaver()
    plan = PathwayPlanFactory(child=cl.child, start_date=ago(100))
    PathwayPlanReviewFactory(plan=plan, reviewed_on=ago(20))
    cl.bursary_awarded_on = ago(50)
    cl.save()
    events.announce(cl)
    user = make_user(role="personal_adviser")
    titles = [i.title for i in chronology_for(user=user, child=cl.child, sources=KINDS)]
    assert titles == ["Pathway plan reviewed", "Higher education bursary awarded", "Pathway plan written",
                      "Leaving care category: Former relevant"]
    in_range = [i.title for i in chronology_for(user=user, child=cl.child, sources=["pathway_plan"], date_from=ago(30))]
    assert in_range == ["Pathway plan reviewed"]
