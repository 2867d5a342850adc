"""Chronology items and statutory clocks (adoption reviews and visits) from adoption records."""

import datetime as dt

import pytest

from opencsc.adoption.tests.factories import (
    AdopterHouseholdFactory,
    AdoptionPlanFactory,
    AdoptionReviewFactory,
    AdoptionVisitFactory,
    PermanenceOrderFactory,
)
from opencsc.casework.summary import services_for
from opencsc.core.models import Event
from opencsc.people.models import Child
from opencsc.timescales.selectors import due_items

D = dt.date


def events(key, *children):
    """The clock events the log holds from one source for these children."""
    rows = Event.objects.filter(kind=key, child__in=children).exclude(clock="")
    return sorted(rows.values_list("clock", "occurred_on", "scope"))


def placed_plan(**kwargs):
    return AdoptionPlanFactory(placement_order_on=D(2025, 8, 4), matched_on=D(2025, 10, 6),
                               adopters=AdopterHouseholdFactory(), placed_on=D(2025, 11, 3), **kwargs)


def test_plan_milestones_are_clock_events_scoped_by_plan(db):
    plan = placed_plan(adoption_order_on=D(2026, 5, 11))
    ended = AdoptionPlanFactory(placement_order_on=D(2025, 8, 4), ended_on=D(2025, 9, 1), end_reason="RD3",
                                end_details="Long-term fostering")
    assert events("adoption_plan", plan.child, ended.child) == sorted([
        ("authority_to_place", D(2025, 8, 4), f"adoption:{plan.pk}"),
        ("adoptive_placement", D(2025, 11, 3), f"adoption:{plan.pk}"),
        ("adoption_order", D(2026, 5, 11), f"adoption:{plan.pk}"),
        ("authority_to_place", D(2025, 8, 4), f"adoption:{ended.pk}"),
        ("authority_to_place_ended", D(2025, 9, 1), f"adoption:{ended.pk}"),
    ])


def test_reviews_and_visits_are_clock_events(db):
    plan = placed_plan()
    AdoptionReviewFactory(plan=plan, held_on=D(2025, 11, 28))
    AdoptionVisitFactory(plan=plan, visited_on=D(2025, 11, 7))
    assert events("adoption_review", plan.child) == [("adoption_review", D(2025, 11, 28), f"adoption:{plan.pk}")]
    assert events("adoption_visit", plan.child) == [("adoption_visit", D(2025, 11, 7), f"adoption:{plan.pk}")]


def _due(child, today):
    return {(i.rule_code, i.due_date) for i in due_items(children=Child.objects.filter(pk=child.pk), today=today)}


def test_a_placement_order_starts_the_review_clock_until_the_child_is_placed(db):
    plan = AdoptionPlanFactory(placement_order_on=D(2025, 8, 4))
    assert ("adoption_review_not_placed", D(2025, 11, 4)) in _due(plan.child, D(2025, 10, 1))
    AdoptionReviewFactory(plan=plan, held_on=D(2025, 10, 20))
    assert ("adoption_review_not_placed", D(2026, 4, 20)) in _due(plan.child, D(2025, 12, 1))


def test_placement_starts_visits_weekly_and_the_first_review_within_four_weeks(db):
    plan = placed_plan()
    due = _due(plan.child, D(2025, 11, 5))
    assert ("adoption_visit", D(2025, 11, 10)) in due
    assert ("adoption_review_placed", D(2025, 12, 1)) in due
    assert not any(code == "adoption_review_not_placed" for code, _ in due)


@pytest.mark.parametrize("stop", ["adoption_order_on", "ended_on"])
def test_an_adoption_order_or_the_end_of_the_plan_stops_the_clocks(db, stop):
    plan = placed_plan(**{stop: D(2025, 11, 20)}, **({"end_reason": "RD4", "end_details": "Disrupted"}
                                                      if stop == "ended_on" else {}))
    assert not _due(plan.child, D(2025, 12, 15))


def test_chronology_has_each_milestone_review_visit_and_order(db):
    plan = placed_plan(ffa_placed_on=D(2025, 3, 1))
    AdoptionReviewFactory(plan=plan, held_on=D(2025, 11, 28), notes="Settling well")
    AdoptionVisitFactory(plan=plan, visited_on=D(2025, 11, 7), seen_alone=True)
    PermanenceOrderFactory(child=plan.child, made_on=D(2026, 1, 5))
    logged = Event.objects.filter(child=plan.child).exclude(title="")
    titles = [e.title for key in ("adoption_plan", "adoption_review", "adoption_visit", "permanence_order")
              for e in logged.filter(kind=key).order_by("source_id", "seq")]
    assert titles == [
        "Decision that the child should be placed for adoption", "Placed with fostering for adoption carers",
        "Placement order made", "Matched with adopters", "Placed for adoption", "Adoption review",
        "Visit to the child placed for adoption (seen alone)", "Special guardianship order made",
    ]
    in_range = logged.filter(kind="adoption_plan", occurred_on__range=(D(2025, 8, 1), D(2025, 10, 31)))
    assert sorted(in_range.values_list("occurred_on", flat=True)) == [D(2025, 8, 4), D(2025, 10, 6)]


@pytest.mark.parametrize("kwargs, labels", [
    ({}, ["Plan for adoption"]),
    ({"placed": True}, ["Placed for adoption"]),
    ({"placed": True, "adoption_order_on": D(2026, 1, 5)}, []),
])
def test_which_services_now(db, kwargs, labels):
    plan = placed_plan(**{k: v for k, v in kwargs.items() if k != "placed"}) if kwargs.get("placed") \
        else AdoptionPlanFactory()
    assert [label for label in services_for(plan.child) if "adoption" in label.lower()] == labels
