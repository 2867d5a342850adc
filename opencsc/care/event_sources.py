"""This app's event sources (chronology entries and clock events, core/events.py) and its
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

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse

from opencsc.casework.event_sources import shown_elsewhere
from opencsc.casework.models import Meeting, Plan
from opencsc.casework.summary import register_service_check
from opencsc.codes import LEGAL_STATUS, PLACEMENT_TYPE, REASON_EPISODE_CEASED
from opencsc.core import events
from opencsc.timescales.selectors import ONLY

from .models import LookedAfterReview, PeriodOfCare, Placement

VISIT_RULES = {
    Placement.VisitRegime.STANDARD: "cla_visit",
    Placement.VisitRegime.UNTIL_18: "cla_visit_long_term",
    Placement.VisitRegime.WITH_PARENT: "cla_visit_placed_with_parent",
    Placement.VisitRegime.CONNECTED_PERSON: "cla_visit_connected_person",
}

shown_elsewhere(plan_kinds=[Plan.Kind.CARE], meeting_kinds=[Meeting.Kind.CLA_REVIEW])


# --- The event log (core/events.py): what each record puts in the Event table -----------------------
#
# The period's clocks come from the rows that record them: becoming and ceasing to be looked after
# from the PeriodOfCare ("care_period"), the care plan, IRO and review from their own rows (each with
# its chronology entry, when it has one). The labels keep the order the clocks read same-day events
# in: the period's start and end, then care plans, IRO appointments and reviews.


def _overview(child_id) -> str:
    return reverse("care:overview", args=[child_id])


EPISODE_TITLES = {"S": "Became looked after", "L": "Legal status changed", "B": "Legal status changed",
                  "P": "Placement changed"}


def _episode_facts(episode):
    """Becoming looked after, a change of placement or legal status (seq 0), and ceasing (seq 9)."""
    url = _overview(episode.child_id)
    place = episode.placement
    yield events.Fact(
        child_id=episode.child_id, on=episode.start_date, seq=0, category="Child in care",
        title=EPISODE_TITLES.get(episode.reason_new_episode, "Placement and legal status changed"),
        detail=f"Legal status: {LEGAL_STATUS.describe(episode.legal_status, with_code=True)}. "
               f"Placement: {PLACEMENT_TYPE.describe(place.placement_type, with_code=True)}"
               + (f" with {place.carer_name}" if place.carer_name else ""),
        url=url, significant=episode.reason_new_episode != "L", author_id=episode.created_by_id,
        recorded_at=episode.created_at,
    )
    if episode.reason_ceased and episode.reason_ceased != "X1" and episode.end_date is not None:
        yield events.Fact(
            child_id=episode.child_id, on=episode.end_date, seq=9, category="Child in care",
            title="Ceased to be looked after", detail=f"Reason: {REASON_EPISODE_CEASED.describe(episode.reason_ceased, with_code=True)}", url=url, significant=True,
            recorded_at=episode.created_at,
        )


def _period_facts(period):
    """The period's clocks (scope `period:<pk>`): no chronology entry (the episodes give those)."""
    scope = f"period:{period.pk}"
    common = {"child_id": period.child_id, "scope": scope, "recorded_at": period.created_at}
    yield events.Fact(on=period.start_date, seq=0, clock="became_looked_after", **common)
    yield events.Fact(on=period.start_date, seq=1, clock="first_placement", **common)
    if period.end_date:
        yield events.Fact(on=period.end_date, seq=2, clock="ceased_looked_after", **common)


def _care_plan_facts(care_plan):
    plan = care_plan.plan
    yield events.Fact(
        child_id=care_plan.child_id, on=plan.start_date, category="Plan", title="Care plan recorded",
        detail=care_plan.get_permanence_option_display() or "", url=_overview(care_plan.child_id),
        significant=True, author_id=plan.created_by_id, recorded_at=care_plan.created_at,
        clock="care_plan", scope=f"period:{care_plan.period_id}",
    )


def _iro_facts(appointment):
    yield events.Fact(child_id=appointment.child_id, on=appointment.appointed_on, clock="iro_appointed",
                      scope=f"period:{appointment.period_id}", recorded_at=appointment.created_at)


def _review_facts(review):
    yield events.Fact(
        child_id=review.child_id, on=review.meeting.held_on, category="Looked-after review",
        title="Looked-after review held", detail=review.decisions[:300], url=_overview(review.child_id),
        significant=True, author_id=review.recorded_by_id, recorded_at=review.created_at,
        clock="cla_review", scope=f"period:{review.period_id}",
    )


PLACEMENT_REVIEWS = (Placement.VisitRegime.WITH_PARENT, Placement.VisitRegime.CONNECTED_PERSON)


def _with_reviews(placements):
    """The period's reviews (their dates), for the visiting patterns that change pace at the first review."""
    reviews = LookedAfterReview.objects.select_related("meeting").only("period_id", "meeting__held_on")
    return placements.prefetch_related(Prefetch("period__reviews", queryset=reviews))


def _placement_facts(placement):
    """The placement's clocks (scope `placement:<pk>`), the period's reviews repeated for two patterns."""
    common = {"child_id": placement.child_id, "scope": f"placement:{placement.pk}",
              "recorded_at": placement.created_at}
    yield events.Fact(on=placement.start_date, seq=0, clock="placement_started", **common)
    yield events.Fact(on=placement.start_date, seq=1,
                      clock=ONLY + VISIT_RULES.get(placement.visit_regime, "cla_visit"), **common)
    if placement.placement_plan_on:
        yield events.Fact(on=placement.placement_plan_on, seq=2, clock="placement_plan", **common)
    if placement.notified_on:
        yield events.Fact(on=placement.notified_on, seq=3, clock="placement_notified", **common)
    if placement.end_date:
        yield events.Fact(on=placement.end_date, seq=4, clock="placement_ended", **common)
    if placement.visit_regime in PLACEMENT_REVIEWS:
        days = sorted((r.meeting.held_on, r.pk) for r in placement.period.reviews.all())
        for n, (day, _pk) in enumerate(days):
            yield events.Fact(on=day, seq=5 + n, clock="cla_review", **common)


events.register(events.Source(
    key="care_episode", label="Periods of care, placements and legal status", model="care.CareEpisode",
    project=_episode_facts, related=("placement",),
))
events.register(events.Source(
    key="care_period", label="Becoming and ceasing to be looked after", model="care.PeriodOfCare",
    project=_period_facts, starts_clocks=("became_looked_after", "first_placement"),
    stops_clocks=("ceased_looked_after",),
))
events.register(events.Source(
    key="care_placement", label="Placements", model="care.Placement", project=_placement_facts,
    related=("period",), prepare=_with_reviews,
    follows={"care.LookedAfterReview": "period__reviews", "casework.Meeting": "period__reviews__meeting"},
    starts_clocks=("placement_started",),
    stops_clocks=("placement_plan", "placement_notified", "placement_ended", "cla_review"),
))
events.register(events.Source(
    key="cla_review", label="Looked-after reviews", model="care.LookedAfterReview", project=_review_facts,
    related=("meeting",), follows={"casework.Meeting": "meeting"}, stops_clocks=("cla_review",),
))
events.register(events.Source(
    key="care_plan", label="Care plans", model="care.CarePlan", project=_care_plan_facts, related=("plan",),
    follows={"casework.Plan": "plan"}, stops_clocks=("care_plan",),
))
events.register(events.Source(
    key="iro_appointment", label="IRO appointments", model="care.IROAppointment", project=_iro_facts,
    stops_clocks=("iro_appointed",),
))


def _care_expressions():
    return {"in_care": Exists(PeriodOfCare.objects.filter(child=OuterRef("pk"), end_date__isnull=True))}


@register_service_check(_care_expressions, section="care:overview")
def care_services(values) -> list[str]:
    """'Child in care' while a period of care is open."""
    return ["Child in care"] if values["in_care"] else []
