"""This app's sources in the event log (core/events.py): chronology items and the clock events of
the care leaver rules in timescales/core/rules.py.

- `became_eligible` (the first decision that the young person is an eligible child) starts
  `needs_assessment`, which a pathway plan's needs assessment date (`needs_assessment`) ends;
- `pathway_plan` starts `pathway_plan_review`, ended by each review (`pathway_plan_review`)
  and stopped when support ends (`leaving_care_support_ended`).

All scopes are "" (one pathway plan at a time per young person; a new plan restarts the clock).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse

from opencsc.core import events

from .codes import ACCOMMODATION, ACTIVITY, IN_TOUCH
from .models import Category, EligibilityDecision, PathwayPlanReview


def _overview(child_id) -> str:
    return reverse("careleavers:overview", args=[child_id])


def _with_earlier_eligible(queryset):
    """Each decision, with whether an earlier eligible decision (by date, then id) was made for the child."""
    earlier = EligibilityDecision.objects.filter(child=OuterRef("child"), category=Category.ELIGIBLE).filter(
        Q(decided_on__lt=OuterRef("decided_on")) | Q(decided_on=OuterRef("decided_on"), pk__lt=OuterRef("pk")))
    return queryset.annotate(earlier_eligible=Exists(earlier))


def _decision_facts(d):
    """The decision; the first decision that the young person is eligible starts `became_eligible`."""
    first_eligible = d.category == Category.ELIGIBLE and not d.earlier_eligible
    yield events.Fact(
        child_id=d.child_id, on=d.decided_on, title=f"Leaving care category: {d.get_category_display()}",
        category="Leaving care", detail=d.reason, url=_overview(d.child_id), significant=True,
        author_id=d.created_by_id, recorded_at=d.created_at, clock="became_eligible" if first_eligible else "",
    )


def _plan_facts(p):
    """The plan (starts `pathway_plan`), its reviews (`pathway_plan_review`, in the order they were
    recorded) and the needs assessment (`needs_assessment`, a clock only)."""
    url = _overview(p.child_id)
    yield events.Fact(
        child_id=p.child_id, on=p.start_date, seq=0, title="Pathway plan written", category="Pathway plan",
        detail=p.contingency[:200], url=url, significant=True, author_id=p.created_by_id,
        recorded_at=p.created_at, clock="pathway_plan",
    )
    reviews = list(p.reviews.all())
    for seq, r in enumerate(reviews, start=1):
        yield events.Fact(
            child_id=p.child_id, on=r.reviewed_on, seq=seq, title="Pathway plan reviewed",
            category="Pathway plan", detail=r.changes[:200], url=url, author_id=r.created_by_id,
            recorded_at=r.created_at, clock="pathway_plan_review",
        )
    if p.needs_assessed_on:
        yield events.Fact(child_id=p.child_id, on=p.needs_assessed_on, seq=len(reviews) + 1,
                          recorded_at=p.created_at, clock="needs_assessment")


def _contact_facts(c):
    yield events.Fact(
        child_id=c.child_id, on=c.contact_date, title=f"Care leaver contact: {IN_TOUCH.label(c.in_touch)}",
        category="Leaving care", detail=f"{ACTIVITY.label(c.activity)}. {ACCOMMODATION.label(c.accommodation)}",
        url=_overview(c.child_id), author_id=c.created_by_id, recorded_at=c.created_at,
    )


def _support_facts(care_leaver):
    """Staying put, the bursary and the end of support (which stops `leaving_care_support_ended`)."""
    url = _overview(care_leaver.child_id)
    for seq, (day, title, clock) in enumerate((
            (care_leaver.staying_put_start, "Staying put arrangement started", ""),
            (care_leaver.staying_put_end, "Staying put arrangement ended", ""),
            (care_leaver.bursary_awarded_on, "Higher education bursary awarded", ""),
            (care_leaver.support_ended_on, "Leaving care support ended", "leaving_care_support_ended"))):
        if day is not None:
            yield events.Fact(child_id=care_leaver.child_id, on=day, seq=seq, title=title, category="Leaving care",
                              url=url, significant=bool(clock), recorded_at=care_leaver.created_at, clock=clock)


events.register(events.Source(
    key="leaving_care_decision", label="Leaving care categories", model="careleavers.EligibilityDecision",
    project=_decision_facts, prepare=_with_earlier_eligible,
    # Which decision is the first eligible one depends on the child's other decisions.
    follows={"careleavers.EligibilityDecision": "child__leaving_care_decisions"},
    starts_clocks=("became_eligible",),
))
events.register(events.Source(
    key="pathway_plan", label="Pathway plans", model="careleavers.PathwayPlan", project=_plan_facts,
    prepare=lambda rows: rows.prefetch_related(Prefetch("reviews", PathwayPlanReview.objects.order_by("pk"))),
    follows={"careleavers.PathwayPlanReview": "reviews"},
    starts_clocks=("pathway_plan",), stops_clocks=("needs_assessment", "pathway_plan_review"),
))
events.register(events.Source(
    key="leaving_care_contact", label="Care leaver contact", model="careleavers.Contact", project=_contact_facts,
))
events.register(events.Source(
    key="leaving_care_support", label="Leaving care support", model="careleavers.CareLeaver",
    project=_support_facts, stops_clocks=("leaving_care_support_ended",),
))
