"""This app's entries in the event registry (chronology items and clock events) and its
"which services now" label on the record summary.

Clock scopes:
- `period:<pk>`: became_looked_after, first_placement, care_plan, iro_appointed, cla_review,
  ceased_looked_after (the rules care_plan, iro_appointed and cla_review).
- `placement:<pk>`: placement_started, placement_plan, placement_notified, placement_ended, and
  `only:<rule>` naming the one regulation 28 visit rule the placement's visiting pattern runs
  (`cla_visit`, `cla_visit_long_term`, `cla_visit_placed_with_parent` or
  `cla_visit_connected_person`, which share their start and end events: see ONLY in
  timescales/selectors.py). The period's reviews are repeated here, since two of those rules
  change pace at the first review. Visits themselves
  (`cla_visit`) come from casework's Visit source, shared by all of the child's scopes.
"""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse

from opencsc.casework.event_sources import shown_elsewhere
from opencsc.casework.events import (
    ChronologyItem,
    ClockEvent,
    EventSource,
    children_query,
    of_children,
    register,
    within,
)
from opencsc.casework.models import Meeting, Plan
from opencsc.casework.summary import register_service_check
from opencsc.core.prepared import prepared
from opencsc.timescales.selectors import ONLY

from .models import CareEpisode, CarePlan, IROAppointment, LookedAfterReview, PeriodOfCare, Placement

VISIT_RULES = {
    Placement.VisitRegime.STANDARD: "cla_visit",
    Placement.VisitRegime.UNTIL_18: "cla_visit_long_term",
    Placement.VisitRegime.WITH_PARENT: "cla_visit_placed_with_parent",
    Placement.VisitRegime.CONNECTED_PERSON: "cla_visit_connected_person",
}

shown_elsewhere(plan_kinds=[Plan.Kind.CARE], meeting_kinds=[Meeting.Kind.CLA_REVIEW])


@prepared
def _episode_rows(child_id):
    return CareEpisode.objects.filter(child_id=child_id).select_related("placement", "created_by").order_by(
        "start_date", "id")


def _episodes(child, date_from=None, date_to=None):
    """Becoming looked after, each change of placement or legal status, and ceasing: one query."""
    url = reverse("care:overview", args=[child.pk])
    for episode in _episode_rows(child.pk):
        place = episode.placement
        if within(episode.start_date, date_from, date_to):
            title = {
                "S": "Became looked after",
                "L": "Legal status changed",
                "B": "Legal status changed",
                "P": "Placement changed",
            }.get(episode.reason_new_episode, "Placement and legal status changed")
            yield ChronologyItem(
                date=episode.start_date, source="care_episode", category="Child in care", title=title,
                detail=f"Legal status {episode.legal_status}. Placement {place.placement_type}"
                       + (f" with {place.carer_name}" if place.carer_name else ""),
                url=url, significant=episode.reason_new_episode != "L", author=episode.created_by.display_name,
                sort_key=(episode.pk, 0),
            )
        if episode.reason_ceased and episode.reason_ceased != "X1" and within(episode.end_date, date_from, date_to):
            yield ChronologyItem(
                date=episode.end_date, source="care_episode", category="Child in care",
                title="Ceased to be looked after", detail=f"Reason {episode.reason_ceased}", url=url,
                significant=True, sort_key=(episode.pk, 9),
            )


@prepared
def _review_rows(child_id):
    return LookedAfterReview.objects.filter(child_id=child_id).select_related("meeting", "iro", "recorded_by")


def _reviews(child, date_from=None, date_to=None):
    url = reverse("care:overview", args=[child.pk])
    for review in _review_rows(child.pk):
        if within(review.held_on, date_from, date_to):
            yield ChronologyItem(
                date=review.held_on, source="cla_review", category="Looked-after review",
                title="Looked-after review held", detail=review.decisions[:300], url=url, significant=True,
                author=review.recorded_by.display_name, sort_key=(review.pk,),
            )


@prepared
def _care_plan_rows(child_id):
    return CarePlan.objects.filter(child_id=child_id).select_related("plan", "plan__created_by")


def _care_plans(child, date_from=None, date_to=None):
    url = reverse("care:overview", args=[child.pk])
    for care_plan in _care_plan_rows(child.pk):
        if within(care_plan.plan.start_date, date_from, date_to):
            yield ChronologyItem(
                date=care_plan.plan.start_date, source="care_plan", category="Plan", title="Care plan recorded",
                detail=care_plan.get_permanence_option_display() or "", url=url, significant=True,
                author=care_plan.plan.created_by.display_name, sort_key=(care_plan.pk,),
            )


@children_query
def _period_clock_rows(children):
    return of_children(PeriodOfCare.objects.all(), children).values_list("pk", "child_id", "start_date", "end_date")


@children_query
def _care_plan_clock_rows(children):
    return of_children(CarePlan.objects.all(), children).values_list("period_id", "child_id", "plan__start_date")


@children_query
def _iro_clock_rows(children):
    return of_children(IROAppointment.objects.all(), children).values_list("period_id", "child_id", "appointed_on")


@children_query
def _review_clock_rows(children):
    return of_children(LookedAfterReview.objects.all(), children).values_list(
        "period_id", "child_id", "meeting__held_on")


def period_clock_events(children):
    """Per period of care (scope `period:<pk>`): four queries for any number of children."""
    for pk, child_id, start, end in _period_clock_rows(children):
        scope = f"period:{pk}"
        yield ClockEvent(child_id=child_id, event="became_looked_after", on=start, scope=scope)
        yield ClockEvent(child_id=child_id, event="first_placement", on=start, scope=scope)
        if end:
            yield ClockEvent(child_id=child_id, event="ceased_looked_after", on=end, scope=scope)
    for period_id, child_id, on in _care_plan_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="care_plan", on=on, scope=f"period:{period_id}")
    for period_id, child_id, on in _iro_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="iro_appointed", on=on, scope=f"period:{period_id}")
    for period_id, child_id, on in _review_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="cla_review", on=on, scope=f"period:{period_id}")


@children_query
def _placement_clock_rows(children):
    return of_children(Placement.objects.all(), children).values_list(
        "pk", "child_id", "period_id", "start_date", "end_date", "visit_regime", "placement_plan_on", "notified_on")


def placement_clock_events(children):
    """Per placement (scope `placement:<pk>`): two queries for any number of children."""
    reviews = defaultdict(list)
    for period_id, _child_id, on in _review_clock_rows(children):
        reviews[period_id].append(on)
    for pk, child_id, period_id, start, end, regime, plan_on, notified_on in _placement_clock_rows(children):
        scope = f"placement:{pk}"
        yield ClockEvent(child_id=child_id, event="placement_started", on=start, scope=scope)
        yield ClockEvent(child_id=child_id, event=ONLY + VISIT_RULES.get(regime, "cla_visit"), on=start,
                         scope=scope)
        if plan_on:
            yield ClockEvent(child_id=child_id, event="placement_plan", on=plan_on, scope=scope)
        if notified_on:
            yield ClockEvent(child_id=child_id, event="placement_notified", on=notified_on, scope=scope)
        if end:
            yield ClockEvent(child_id=child_id, event="placement_ended", on=end, scope=scope)
        if regime in (Placement.VisitRegime.WITH_PARENT, Placement.VisitRegime.CONNECTED_PERSON):
            for on in reviews.get(period_id, ()):
                yield ClockEvent(child_id=child_id, event="cla_review", on=on, scope=scope)


register(EventSource(
    key="care_episode", label="Periods of care, placements and legal status", fetch=_episodes,
    starts_clocks=("became_looked_after", "first_placement"), stops_clocks=(
        "ceased_looked_after", "care_plan", "iro_appointed", "cla_review"),
    clock_events=period_clock_events,
))
register(EventSource(
    key="care_placement", label="Placements", fetch=lambda *args, **kwargs: [],
    starts_clocks=("placement_started",),
    stops_clocks=("placement_plan", "placement_notified", "placement_ended"),
    clock_events=placement_clock_events,
))
register(EventSource(key="cla_review", label="Looked-after reviews", fetch=_reviews))
register(EventSource(key="care_plan", label="Care plans", fetch=_care_plans))


def _care_expressions():
    from django.db.models import Exists, OuterRef

    return {"in_care": Exists(PeriodOfCare.objects.filter(child=OuterRef("pk"), end_date__isnull=True))}


@register_service_check(_care_expressions)
def care_services(values) -> list[str]:
    """'Child in care' while a period of care is open."""
    return ["Child in care"] if values["in_care"] else []
