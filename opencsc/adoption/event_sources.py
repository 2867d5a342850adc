"""This app's event sources (core/events.py): chronology entries and statutory clock events.

Clock events are named as in timescales/core/rules.py (adoption_review_not_placed,
adoption_review_placed, adoption_visit), scoped per plan for adoption (`adoption:<pk>`):
`authority_to_place` (the placement order) and `adoptive_placement` start the clocks;
`adoption_review` and `adoption_visit` stop them; `adoption_order`, `authority_to_place_ended`
and `adoptive_placement_ended` (the plan ended) stop them for good.
"""

from __future__ import annotations

from django.urls import reverse

from opencsc.core import events

from .codes import REASON_PLACED_CEASED
from .models import AdoptionPlan

CATEGORY = "Adoption and permanence"


def _url(child_id):
    return reverse("adoption:overview", args=[child_id])


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
                      scope=f"adoption:{visit.plan_id}", seen=events.seen(True, visit.seen_alone))


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
    visits="Visits to a child placed for adoption",
))
events.register(events.Source(
    key="permanence_order", label="Special guardianship and child arrangements orders",
    model="adoption.PermanenceOrder", project=_order_facts,
))
