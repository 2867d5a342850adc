"""This app's entries in the event registry: chronology items and the clock events of the
care leaver rules in timescales/core/rules.py.

- `became_eligible` (the first decision that the young person is an eligible child) starts
  `needs_assessment`, which a pathway plan's needs assessment date (`needs_assessment`) ends;
- `pathway_plan` starts `pathway_plan_review`, ended by each review (`pathway_plan_review`)
  and stopped when support ends (`leaving_care_support_ended`).

All scopes are "" (one pathway plan at a time per young person; a new plan restarts the clock).
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
