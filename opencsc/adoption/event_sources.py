"""This app's entries in the event registry: chronology items and statutory clock events.

Clock events are named as in timescales/core/rules.py (adoption_review_not_placed,
adoption_review_placed, adoption_visit), scoped per plan for adoption (`adoption:<pk>`):
`authority_to_place` (the placement order) and `adoptive_placement` start the clocks;
`adoption_review` and `adoption_visit` stop them; `adoption_order`, `authority_to_place_ended`
and `adoptive_placement_ended` (the plan ended) stop them for good.
"""

from __future__ import annotations

from django.urls import reverse

from opencsc.casework.events import (
    ChronologyItem,
    ClockEvent,
    EventSource,
    children_query,
    of_children,
    recorded_rows,
    register,
    within,
)
from opencsc.core import events
from opencsc.core.prepared import prepared

from .codes import REASON_PLACED_CEASED
from .models import AdoptionPlan, AdoptionReview, AdoptionVisit, PermanenceOrder

CATEGORY = "Adoption and permanence"


def _url(child_id):
    return reverse("adoption:overview", args=[child_id])


_plan_rows = recorded_rows(AdoptionPlan)


def _plans(child, date_from=None, date_to=None):
    """The milestones of each plan for adoption: one query."""
    for plan in _plan_rows(child.pk):
        milestones = (
            (plan.should_be_placed_on, "Decision that the child should be placed for adoption",
             f"Agency decision maker: {plan.decision_maker}"),
            (plan.ffa_placed_on, "Placed with fostering for adoption carers", ""),
            (plan.placement_order_on, "Placement order made", ""),
            (plan.matched_on, "Matched with adopters", ""),
            (plan.placed_on, "Placed for adoption", ""),
            (plan.adoption_order_on, "Adoption order made", ""),
            (plan.ended_on, "Plan for adoption ended",
             f"{REASON_PLACED_CEASED.label(plan.end_reason)}. {plan.end_details}".strip()),
        )
        for order, (day, title, detail) in enumerate(milestones):
            if within(day, date_from, date_to):
                yield ChronologyItem(date=day, source="adoption_plan", category=CATEGORY, title=title,
                                     detail=detail[:300], url=_url(child.pk), significant=True,
                                     author=plan.created_by.display_name if order == 0 else "",
                                     sort_key=(plan.pk, order))


@prepared
def _review_rows(child_id):
    return AdoptionReview.objects.filter(plan__child_id=child_id).select_related("created_by")


def _reviews(child, date_from=None, date_to=None):
    for review in _review_rows(child.pk):
        if within(review.held_on, date_from, date_to):
            yield ChronologyItem(date=review.held_on, source="adoption_review", category=CATEGORY,
                                 title="Adoption review", detail=review.notes[:300], url=_url(child.pk),
                                 author=review.created_by.display_name, sort_key=(review.pk,))


@prepared
def _visit_rows(child_id):
    return AdoptionVisit.objects.filter(plan__child_id=child_id).select_related("created_by")


def _visits(child, date_from=None, date_to=None):
    for visit in _visit_rows(child.pk):
        if within(visit.visited_on, date_from, date_to):
            yield ChronologyItem(date=visit.visited_on, source="adoption_visit", category=CATEGORY,
                                 title="Visit to the child placed for adoption"
                                       + (" (seen alone)" if visit.seen_alone else ""),
                                 detail=visit.notes[:300], url=_url(child.pk),
                                 author=visit.created_by.display_name, sort_key=(visit.pk,))


_order_rows = recorded_rows(PermanenceOrder)


def _orders(child, date_from=None, date_to=None):
    for order in _order_rows(child.pk):
        if within(order.made_on, date_from, date_to):
            yield ChronologyItem(date=order.made_on, source="permanence_order", category=CATEGORY,
                                 title=f"{order.get_kind_display()} made",
                                 detail=f"{order.guardians} ({order.relationship})", url=_url(child.pk),
                                 significant=True, author=order.created_by.display_name, sort_key=(order.pk,))


@children_query
def _plan_clock_rows(children):
    return of_children(AdoptionPlan.objects.all(), children).values_list(
        "pk", "child_id", "placement_order_on", "placed_on", "adoption_order_on", "ended_on"
    ).order_by("child_id", "id")


def plan_clock_events(children):
    """The plan's milestones as clock events (scope `adoption:<pk>`); one query."""
    for pk, child_id, ordered, placed, adopted, ended in _plan_clock_rows(children):
        scope = f"adoption:{pk}"
        if ordered:
            yield ClockEvent(child_id=child_id, event="authority_to_place", on=ordered, scope=scope)
        if placed:
            yield ClockEvent(child_id=child_id, event="adoptive_placement", on=placed, scope=scope)
        if adopted:
            yield ClockEvent(child_id=child_id, event="adoption_order", on=adopted, scope=scope)
        if ended:
            yield ClockEvent(child_id=child_id, event="authority_to_place_ended", on=ended, scope=scope)
            if placed:
                yield ClockEvent(child_id=child_id, event="adoptive_placement_ended", on=ended, scope=scope)


@children_query
def _review_clock_rows(children):
    return of_children(AdoptionReview.objects.all(), children, via="plan__child").values_list(
        "plan_id", "plan__child_id", "held_on").order_by("plan__child_id", "held_on", "id")


def review_clock_events(children):
    for plan_id, child_id, held_on in _review_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="adoption_review", on=held_on, scope=f"adoption:{plan_id}")


@children_query
def _visit_clock_rows(children):
    return of_children(AdoptionVisit.objects.all(), children, via="plan__child").values_list(
        "plan_id", "plan__child_id", "visited_on").order_by("plan__child_id", "visited_on", "id")


def visit_clock_events(children):
    for plan_id, child_id, visited_on in _visit_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="adoption_visit", on=visited_on, scope=f"adoption:{plan_id}")


register(EventSource(
    key="adoption_plan", label="Plans for adoption", fetch=_plans,
    starts_clocks=("authority_to_place", "adoptive_placement"),
    stops_clocks=("adoption_order", "authority_to_place_ended", "adoptive_placement_ended"),
    clock_events=plan_clock_events,
))
register(EventSource(
    key="adoption_review", label="Adoption reviews", fetch=_reviews, stops_clocks=("adoption_review",),
    clock_events=review_clock_events,
))
register(EventSource(
    key="adoption_visit", label="Visits to children placed for adoption", fetch=_visits,
    stops_clocks=("adoption_visit",), clock_events=visit_clock_events,
))
register(EventSource(key="permanence_order", label="Special guardianship and child arrangements orders",
                     fetch=_orders))


# --- The event log (core/events.py): what each record puts in the Event table -----------------------


def _plan_facts(plan):
    """The plan's milestones (seq 0 to 6), with the clock events that fall on them (scope `adoption:<pk>`),
    and the adoptive placement's clock stopped when a plan that had placed the child ends (seq 7)."""
    scope = f"adoption:{plan.pk}"
    url = _url(plan.child_id)
    milestones = (
        (plan.should_be_placed_on, "Decision that the child should be placed for adoption",
         f"Agency decision maker: {plan.decision_maker}", ""),
        (plan.ffa_placed_on, "Placed with fostering for adoption carers", "", ""),
        (plan.placement_order_on, "Placement order made", "", "authority_to_place"),
        (plan.matched_on, "Matched with adopters", "", ""),
        (plan.placed_on, "Placed for adoption", "", "adoptive_placement"),
        (plan.adoption_order_on, "Adoption order made", "", "adoption_order"),
        (plan.ended_on, "Plan for adoption ended",
         f"{REASON_PLACED_CEASED.label(plan.end_reason)}. {plan.end_details}".strip(), "authority_to_place_ended"),
    )
    for seq, (day, title, detail, clock) in enumerate(milestones):
        if day is not None:
            yield events.Fact(child_id=plan.child_id, on=day, seq=seq, title=title, category=CATEGORY,
                              detail=detail[:300], url=url, significant=True,
                              author_id=plan.created_by_id if seq == 0 else None, recorded_at=plan.created_at,
                              clock=clock, scope=scope if clock else "")
    if plan.ended_on and plan.placed_on:
        yield events.Fact(child_id=plan.child_id, on=plan.ended_on, seq=7, clock="adoptive_placement_ended",
                          scope=scope, recorded_at=plan.created_at)


def _review_facts(review):
    yield events.Fact(child_id=review.plan.child_id, on=review.held_on, title="Adoption review", category=CATEGORY,
                      detail=review.notes[:300], url=_url(review.plan.child_id), author_id=review.created_by_id,
                      recorded_at=review.created_at, clock="adoption_review", scope=f"adoption:{review.plan_id}")


def _visit_facts(visit):
    yield events.Fact(child_id=visit.plan.child_id, on=visit.visited_on,
                      title="Visit to the child placed for adoption" + (" (seen alone)" if visit.seen_alone else ""),
                      category=CATEGORY, detail=visit.notes[:300], url=_url(visit.plan.child_id),
                      author_id=visit.created_by_id, recorded_at=visit.created_at, clock="adoption_visit",
                      scope=f"adoption:{visit.plan_id}")


def _order_facts(order):
    yield events.Fact(child_id=order.child_id, on=order.made_on, title=f"{order.get_kind_display()} made",
                      category=CATEGORY, detail=f"{order.guardians} ({order.relationship})",
                      url=_url(order.child_id), significant=True, author_id=order.created_by_id,
                      recorded_at=order.created_at)


def _with_child(queryset):
    """Only the plan's child, not the whole plan (a review or a visit reads no more of it)."""
    return queryset.select_related("plan").defer(*(
        f"plan__{f.name}" for f in AdoptionPlan._meta.concrete_fields if f.name not in ("id", "child")))


events.register(events.Source(
    key="adoption_plan", label="Plans for adoption", model="adoption.AdoptionPlan", project=_plan_facts,
    starts_clocks=("authority_to_place", "adoptive_placement"),
    stops_clocks=("adoption_order", "authority_to_place_ended", "adoptive_placement_ended"),
))
events.register(events.Source(
    key="adoption_review", label="Adoption reviews", model="adoption.AdoptionReview", project=_review_facts,
    child="plan__child", prepare=_with_child, stops_clocks=("adoption_review",),
))
events.register(events.Source(
    key="adoption_visit", label="Visits to children placed for adoption", model="adoption.AdoptionVisit",
    project=_visit_facts, child="plan__child", prepare=_with_child, stops_clocks=("adoption_visit",),
))
events.register(events.Source(
    key="permanence_order", label="Special guardianship and child arrangements orders",
    model="adoption.PermanenceOrder", project=_order_facts,
))
