"""This app's entries in the event registry: chronology items and the clock events of the
care leaver rules in timescales/core/rules.py.

- `became_eligible` (the first decision that the young person is an eligible child) starts
  `needs_assessment`, which a pathway plan's needs assessment date (`needs_assessment`) ends;
- `pathway_plan` starts `pathway_plan_review`, ended by each review (`pathway_plan_review`)
  and stopped when support ends (`leaving_care_support_ended`).

All scopes are "" (one pathway plan at a time per young person; a new plan restarts the clock).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q
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

from .codes import ACCOMMODATION, ACTIVITY, IN_TOUCH
from .models import CareLeaver, Category, Contact, EligibilityDecision, PathwayPlan, PathwayPlanReview

_decision_rows = recorded_rows(EligibilityDecision)


def _decisions(child, date_from=None, date_to=None):
    url = reverse("careleavers:overview", args=[child.pk])
    for d in _decision_rows(child.pk):
        if within(d.decided_on, date_from, date_to):
            yield ChronologyItem(
                date=d.decided_on, source="leaving_care_decision", category="Leaving care",
                title=f"Leaving care category: {d.get_category_display()}", detail=d.reason, url=url,
                significant=True, author=d.created_by.display_name, sort_key=(d.pk, 0),
            )


_plan_rows = recorded_rows(PathwayPlan)


@prepared
def _plan_review_rows(child_id):
    return PathwayPlanReview.objects.filter(plan__child_id=child_id).select_related("created_by")


def _plans(child, date_from=None, date_to=None):
    """Plans and their reviews: two queries."""
    url = reverse("careleavers:overview", args=[child.pk])
    for p in _plan_rows(child.pk):
        if within(p.start_date, date_from, date_to):
            yield ChronologyItem(
                date=p.start_date, source="pathway_plan", category="Pathway plan", title="Pathway plan written",
                detail=p.contingency[:200], url=url, significant=True, author=p.created_by.display_name,
                sort_key=(p.pk, 0),
            )
    for r in _plan_review_rows(child.pk):
        if within(r.reviewed_on, date_from, date_to):
            yield ChronologyItem(
                date=r.reviewed_on, source="pathway_plan", category="Pathway plan",
                title="Pathway plan reviewed", detail=r.changes[:200], url=url,
                author=r.created_by.display_name, sort_key=(r.plan_id, r.pk),
            )


_contact_rows = recorded_rows(Contact)


def _contacts(child, date_from=None, date_to=None):
    url = reverse("careleavers:overview", args=[child.pk])
    for c in _contact_rows(child.pk):
        if within(c.contact_date, date_from, date_to):
            yield ChronologyItem(
                date=c.contact_date, source="leaving_care_contact", category="Leaving care",
                title=f"Care leaver contact: {IN_TOUCH.label(c.in_touch)}",
                detail=f"{ACTIVITY.label(c.activity)}. {ACCOMMODATION.label(c.accommodation)}", url=url,
                author=c.created_by.display_name, sort_key=(c.pk, 0),
            )


@prepared
def _care_leaver_rows(child_id):
    return CareLeaver.objects.filter(child_id=child_id)  # one at most: the child is its key


def _support(child, date_from=None, date_to=None):
    url = reverse("careleavers:overview", args=[child.pk])
    rows = _care_leaver_rows(child.pk)
    if not rows:
        return
    care_leaver = rows[0]
    for day, title in ((care_leaver.staying_put_start, "Staying put arrangement started"),
                       (care_leaver.staying_put_end, "Staying put arrangement ended"),
                       (care_leaver.bursary_awarded_on, "Higher education bursary awarded"),
                       (care_leaver.support_ended_on, "Leaving care support ended")):
        if within(day, date_from, date_to):
            yield ChronologyItem(date=day, source="leaving_care_support", category="Leaving care", title=title,
                                 url=url, significant=title.endswith("support ended"), sort_key=(care_leaver.pk, 0))


@children_query
def _decision_clock_rows(children):
    return (of_children(EligibilityDecision.objects.filter(category=Category.ELIGIBLE), children)
            .order_by("child_id", "decided_on", "id").values_list("child_id", "decided_on"))


def decision_clock_events(children):
    """`became_eligible`: the first decision that the young person is eligible (one query)."""
    seen = set()
    for child_id, day in _decision_clock_rows(children):
        if child_id not in seen:
            seen.add(child_id)
            yield ClockEvent(child_id=child_id, event="became_eligible", on=day)


@children_query
def _plan_clock_rows(children):
    return of_children(PathwayPlan.objects.all(), children).values_list("child_id", "start_date", "needs_assessed_on")


@children_query
def _plan_review_clock_rows(children):
    return of_children(PathwayPlanReview.objects.all(), children, via="plan__child").values_list(
        "plan__child_id", "reviewed_on")


def plan_clock_events(children):
    """`needs_assessment`, `pathway_plan` and `pathway_plan_review` (two queries)."""
    for child_id, start, assessed in _plan_clock_rows(children):
        if assessed:
            yield ClockEvent(child_id=child_id, event="needs_assessment", on=assessed)
        yield ClockEvent(child_id=child_id, event="pathway_plan", on=start)
    for child_id, day in _plan_review_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="pathway_plan_review", on=day)


@children_query
def _support_clock_rows(children):
    return of_children(CareLeaver.objects.filter(support_ended_on__isnull=False), children).values_list(
        "child_id", "support_ended_on")


def support_clock_events(children):
    """`leaving_care_support_ended` (one query)."""
    for child_id, day in _support_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="leaving_care_support_ended", on=day)


register(EventSource(
    key="leaving_care_decision", label="Leaving care categories", fetch=_decisions,
    starts_clocks=("became_eligible",), clock_events=decision_clock_events,
))
register(EventSource(
    key="pathway_plan", label="Pathway plans", fetch=_plans,
    starts_clocks=("pathway_plan",), stops_clocks=("needs_assessment", "pathway_plan_review"),
    clock_events=plan_clock_events,
))
register(EventSource(key="leaving_care_contact", label="Care leaver contact", fetch=_contacts))
register(EventSource(
    key="leaving_care_support", label="Leaving care support", fetch=_support,
    stops_clocks=("leaving_care_support_ended",), clock_events=support_clock_events,
))


# --- The event log (core/events.py): what each record puts in the Event table -----------------


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
