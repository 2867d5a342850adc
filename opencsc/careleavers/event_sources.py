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

from opencsc.casework.events import ChronologyItem, ClockEvent, EventSource, register

from .codes import ACCOMMODATION, ACTIVITY, IN_TOUCH
from .models import CareLeaver, Category, Contact, EligibilityDecision, PathwayPlan, PathwayPlanReview


def _in_range(day, date_from, date_to) -> bool:
    return day is not None and (not date_from or day >= date_from) and (not date_to or day <= date_to)


def _decisions(child, date_from=None, date_to=None):
    url = reverse("careleavers:overview", args=[child.pk])
    for d in EligibilityDecision.objects.filter(child=child).select_related("created_by"):
        if _in_range(d.decided_on, date_from, date_to):
            yield ChronologyItem(
                date=d.decided_on, source="leaving_care_decision", category="Leaving care",
                title=f"Leaving care category: {d.get_category_display()}", detail=d.reason, url=url,
                significant=True, author=d.created_by.display_name, sort_key=(d.pk, 0),
            )


def _plans(child, date_from=None, date_to=None):
    """Plans and their reviews: two queries."""
    url = reverse("careleavers:overview", args=[child.pk])
    for p in PathwayPlan.objects.filter(child=child).select_related("created_by"):
        if _in_range(p.start_date, date_from, date_to):
            yield ChronologyItem(
                date=p.start_date, source="pathway_plan", category="Pathway plan", title="Pathway plan written",
                detail=p.contingency[:200], url=url, significant=True, author=p.created_by.display_name,
                sort_key=(p.pk, 0),
            )
    for r in PathwayPlanReview.objects.filter(plan__child=child).select_related("created_by"):
        if _in_range(r.reviewed_on, date_from, date_to):
            yield ChronologyItem(
                date=r.reviewed_on, source="pathway_plan", category="Pathway plan",
                title="Pathway plan reviewed", detail=r.changes[:200], url=url,
                author=r.created_by.display_name, sort_key=(r.plan_id, r.pk),
            )


def _contacts(child, date_from=None, date_to=None):
    url = reverse("careleavers:overview", args=[child.pk])
    for c in Contact.objects.filter(child=child).select_related("created_by"):
        if _in_range(c.contact_date, date_from, date_to):
            yield ChronologyItem(
                date=c.contact_date, source="leaving_care_contact", category="Leaving care",
                title=f"Care leaver contact: {IN_TOUCH.label(c.in_touch)}",
                detail=f"{ACTIVITY.label(c.activity)}. {ACCOMMODATION.label(c.accommodation)}", url=url,
                author=c.created_by.display_name, sort_key=(c.pk, 0),
            )


def _support(child, date_from=None, date_to=None):
    url = reverse("careleavers:overview", args=[child.pk])
    care_leaver = CareLeaver.objects.filter(child=child).first()
    if care_leaver is None:
        return
    for day, title in ((care_leaver.staying_put_start, "Staying put arrangement started"),
                       (care_leaver.staying_put_end, "Staying put arrangement ended"),
                       (care_leaver.bursary_awarded_on, "Higher education bursary awarded"),
                       (care_leaver.support_ended_on, "Leaving care support ended")):
        if _in_range(day, date_from, date_to):
            yield ChronologyItem(date=day, source="leaving_care_support", category="Leaving care", title=title,
                                 url=url, significant=title.endswith("support ended"), sort_key=(care_leaver.pk, 0))


def decision_clock_events(children):
    """`became_eligible`: the first decision that the young person is eligible (one query)."""
    rows = (EligibilityDecision.objects.filter(child__in=children, category=Category.ELIGIBLE)
            .order_by("child_id", "decided_on", "id").values_list("child_id", "decided_on"))
    seen = set()
    for child_id, day in rows:
        if child_id not in seen:
            seen.add(child_id)
            yield ClockEvent(child_id=child_id, event="became_eligible", on=day)


def plan_clock_events(children):
    """`needs_assessment`, `pathway_plan` and `pathway_plan_review` (two queries)."""
    for child_id, start, assessed in PathwayPlan.objects.filter(child__in=children).values_list(
            "child_id", "start_date", "needs_assessed_on"):
        if assessed:
            yield ClockEvent(child_id=child_id, event="needs_assessment", on=assessed)
        yield ClockEvent(child_id=child_id, event="pathway_plan", on=start)
    for child_id, day in PathwayPlanReview.objects.filter(plan__child__in=children).values_list(
            "plan__child_id", "reviewed_on"):
        yield ClockEvent(child_id=child_id, event="pathway_plan_review", on=day)


def support_clock_events(children):
    """`leaving_care_support_ended` (one query)."""
    for child_id, day in CareLeaver.objects.filter(child__in=children, support_ended_on__isnull=False).values_list(
            "child_id", "support_ended_on"):
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
