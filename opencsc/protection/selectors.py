"""Reads for child protection. Everything about a child starts from `people.access`.

`cp_plans_for(children)` is set-based (for lists, the census and indicators): each plan is
annotated with `previous_plans` (the census `NumberOfPreviousCPP`) in the same query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from opencsc.casework.models import MeetingAttendance
from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.timescales.authority import timescale as authority_timescale
from opencsc.timescales.core import Timescale

from . import rules
from .models import (
    Conference,
    CPPlan,
    EmergencyProtectionOrder,
    PoliceProtection,
    Section47,
    StrategyDiscussion,
)


def cp_plans_for(children: QuerySet[Child]) -> QuerySet[CPPlan]:
    """Plans of these children, each with `previous_plans`: the child's plans that started earlier."""
    earlier = (
        CPPlan.objects.filter(child_id=OuterRef("child_id"))
        .filter(Q(plan__start_date__lt=OuterRef("plan__start_date"))
                | Q(plan__start_date=OuterRef("plan__start_date"), pk__lt=OuterRef("pk")))
        .order_by()
        .values("child_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        CPPlan.objects.filter(child__in=children)
        .select_related("plan", "conference__meeting", "child")
        .annotate(previous_plans=Coalesce(Subquery(earlier, output_field=IntegerField()), Value(0)))
        .order_by("-plan__start_date", "-id")
    )


def cp_plans_visible_to(user) -> QuerySet[CPPlan]:
    return cp_plans_for(children_for(user))


@dataclass(frozen=True)
class PlanFlags:
    repeat: bool
    long: bool
    long_from: dt.date


def plan_flags(cp_plan: CPPlan, today: dt.date | None = None) -> PlanFlags:
    """Second or subsequent plan (needs `previous_plans` from cp_plans_for), and 2 years or more."""
    today = today or timezone.localdate()
    return PlanFlags(
        repeat=getattr(cp_plan, "previous_plans", 0) > 0,
        long=rules.is_long_plan(cp_plan.plan.start_date, cp_plan.plan.end_date, today),
        long_from=rules.long_plan_from(cp_plan.plan.start_date),
    )


@dataclass(frozen=True)
class Timeliness:
    target: dt.date
    held_on: dt.date | None
    working_days: int | None
    late: bool
    overdue_text: str = ""  # "3 working days overdue" (the due lists' counting), while not held and overdue


def icpc_timescale() -> Timescale:
    """The ICPC rule with the authority's settings and the calendar it counts in (one query)."""
    return authority_timescale(rules.ICPC_RULE)


def icpc_timeliness(section47: Section47, icpc: Conference | None, today: dt.date | None = None,
                    timescale: Timescale | None = None) -> Timeliness:
    """Target and verdict from the one engine (``timescales.authority.timescale``), as every view shows them."""
    today = today or timezone.localdate()
    timescale = timescale or icpc_timescale()
    start = section47.start_date
    held_on = icpc.held_on if icpc else None
    counted = bool(held_on or not section47.icpc_not_required)
    verdict = timescale.verdict(start, today, held_on)
    return Timeliness(
        target=verdict.due,
        held_on=held_on,
        working_days=rules.icpc_working_days(start, held_on, timescale) if held_on else None,
        late=rules.icpc_is_late(start, held_on, today, timescale) if counted else False,
        overdue_text=verdict.overdue_text if counted and held_on is None else "",
    )


_ATTENDANCE = Prefetch("meeting__attendance", queryset=MeetingAttendance.objects.order_by("id"))


def protection_overview(*, user, child: Child) -> dict:
    """Everything on the child protection page, in a bounded number of queries."""
    today = timezone.localdate()
    discussions = list(
        StrategyDiscussion.objects.filter(child=child)
        .select_related("meeting", "recorded_by")
        .prefetch_related(_ATTENDANCE)
        .order_by("-meeting__held_on", "-id")
    )
    conferences = list(
        Conference.objects.filter(child=child)
        .select_related("meeting", "section47", "started_plan")
        .prefetch_related(_ATTENDANCE)
        .order_by("-meeting__held_on", "-id")
    )
    icpc_by_s47 = {c.section47_id: c for c in conferences if c.kind == Conference.Kind.INITIAL}
    enquiries = []
    timescale = icpc_timescale()
    for enquiry in (
        Section47.objects.filter(child=child)
        .select_related("strategy_discussion__meeting")
        .order_by("-strategy_discussion__meeting__held_on", "-id")
    ):
        icpc = icpc_by_s47.get(enquiry.pk)
        enquiries.append({"s47": enquiry, "icpc": icpc, "timeliness": icpc_timeliness(enquiry, icpc, today, timescale)})
    plans = [
        {"cp_plan": p, "flags": plan_flags(p, today), "number": p.previous_plans + 1}
        for p in cp_plans_for(Child.objects.filter(pk=child.pk)).prefetch_related("plan__actions")
    ]
    return {
        "discussions": discussions,
        "enquiries": enquiries,
        "conferences": conferences,
        "plans": plans,
        "open_plan": next((p for p in plans if p["cp_plan"].is_open), None),
        "police_protections": list(PoliceProtection.objects.filter(child=child).order_by("-started_at", "-id")),
        "epos": list(EmergencyProtectionOrder.objects.filter(child=child).order_by("-made_on", "-id")),
    }


def section47_for(*, user, child: Child, section47_id) -> Section47:
    """An enquiry of a child the caller already fetched through child_for (404 otherwise)."""
    return get_object_or_404(
        Section47.objects.select_related("strategy_discussion__meeting"), child=child, pk=section47_id
    )


def conference_for(*, user, child: Child, conference_id) -> Conference:
    return get_object_or_404(Conference.objects.select_related("meeting"), child=child, pk=conference_id)


def cp_plan_for(*, user, child: Child, cp_plan_id) -> CPPlan:
    return get_object_or_404(CPPlan.objects.select_related("plan", "conference__meeting"), child=child,
                             pk=cp_plan_id)


def open_enquiries_for(child: Child) -> QuerySet[Section47]:
    """Enquiries an initial conference can follow: no conference yet, and not found to need none."""
    return (
        Section47.objects.filter(child=child)
        .filter(Q(outcome="") | Q(outcome=Section47.Outcome.SUBSTANTIATED))
        .exclude(conferences__kind=Conference.Kind.INITIAL)
        .select_related("strategy_discussion__meeting")
        .order_by("-strategy_discussion__meeting__held_on", "-id")
    )
