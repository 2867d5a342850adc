"""Child protection measures: initial conferences, plan length, repeat plans, visits and reviews."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from opencsc.casework.models import Plan
from opencsc.people.models import Child
from opencsc.protection import rules
from opencsc.protection.models import Conference
from opencsc.protection.selectors import cp_plans_for
from opencsc.timescales.authority import timescale
from opencsc.timescales.core import DONE_LATE, RED

from .base import Row
from .children_in_need import plan_clock_rows
from .common import clocks_as_at, in_words, months_before, year_to


def icpc_15wd(as_at: dt.date) -> list[Row]:
    """Initial child protection conferences within 15 working days.

    Every initial child protection conference held in the 12 months to the date. Met when it was held
    within 15 working days of the strategy discussion that started the section 47 enquiry (the
    working days after that discussion up to and including the conference day, in the calendar the
    rule counts in: ``timescales.authority.timescale("icpc")``): DfE CIN table C4; Working together 2018, "Initial child protection conferences";
    `protection.rules.icpc_is_late`. A conference with no section 47 enquiry recorded is shown but
    left out of the figure (met None). Source: conferences in the protection app.
    """
    first, last = year_to(as_at)
    icpc = timescale(rules.ICPC_RULE)
    rows = []
    for child_id, held_on, s47_start in (
        Conference.objects.filter(kind=Conference.Kind.INITIAL, meeting__held_on__gte=first,
                                  meeting__held_on__lte=last)
        .values_list("child_id", "meeting__held_on", "section47__strategy_discussion__meeting__held_on")
        .order_by("meeting__held_on", "id")
    ):
        if s47_start is None:
            rows.append(Row(child_id=child_id, met=None, on=held_on,
                            ref=f"Initial conference {in_words(held_on)}, no section 47 enquiry recorded"))
            continue
        days = rules.icpc_working_days(s47_start, held_on, icpc)
        rows.append(Row(
            child_id=child_id, met=not rules.icpc_is_late(s47_start, held_on, as_at, icpc), on=held_on,
            ref=f"Initial conference {in_words(held_on)}, {days} working days after the strategy discussion on "
                f"{in_words(s47_start)}",
        ))
    return rows


def _cp_plans():
    return cp_plans_for(Child.objects.all()).select_related(None).order_by("plan__start_date", "id")


def cp_plans_2_years(as_at: dt.date) -> list[Row]:
    """Child protection plans lasting 2 years or more.

    Every child protection plan that ended in the 12 months to the date. Met (True) when it had lasted
    2 years or more: it ended on or after the same day two years after it started (DfE CIN table D7;
    `protection.rules.is_long_plan`). Lower is better. Source: plans in the protection app.
    """
    first, last = year_to(as_at)
    rows = []
    for child_id, start, end in _cp_plans().filter(plan__end_date__gte=first, plan__end_date__lte=last).values_list(
            "child_id", "plan__start_date", "plan__end_date"):
        rows.append(Row(child_id=child_id, met=rules.is_long_plan(start, end, as_at), on=end,
                        ref=f"Plan started {in_words(start)}, ended {in_words(end)}"))
    return rows


def cp_second_plans(as_at: dt.date) -> list[Row]:
    """Second or subsequent child protection plans.

    Every child protection plan that started in the 12 months to the date. Met (True) when the child
    had had a previous child protection plan at any time before, however long ago (DfE CIN table D3,
    ex-NI 65; `protection.selectors.cp_plans_for` `previous_plans`). Lower is better.
    Source: plans in the protection app.
    """
    first, last = year_to(as_at)
    rows = []
    for child_id, start, previous in _cp_plans().filter(
            plan__start_date__gte=first, plan__start_date__lte=last).values_list(
            "child_id", "plan__start_date", "previous_plans"):
        repeat = previous > 0
        ref = f"Plan started {in_words(start)}"
        if repeat:
            ref += f", plan number {previous + 1} for the child"
        rows.append(Row(child_id=child_id, met=repeat, ref=ref, on=start))
    return rows


def cp_visits_in_time(as_at: dt.date) -> list[Row]:
    """Visits to children on a child protection plan in time.

    Every child on a child protection plan on the date (started on or before it, not ended by it).
    Met when their next visit is not overdue on the date, by the timescales engine's `cp_visit` rule
    (local practice, default every 10 working days from the previous visit, the first from the start
    of the plan; the authority can change it on the timescales settings page). Only visits where the
    child was seen count. Source: casework plans and visits, through the timescales engine.
    """
    return plan_clock_rows(plan_kind=Plan.Kind.CHILD_PROTECTION, rule="cp_visit", as_at=as_at,
                           label="Child protection plan", what="visit")


def cp_reviews_in_time(as_at: dt.date) -> list[Row]:
    """Child protection plans reviewed within timescales.

    Every child who on the date had been on a child protection plan for 3 months or more (the plan
    started on or before the same day 3 months earlier and had not ended). Met when every review of
    that plan was held on time and the next one is not overdue, by the timescales engine's
    `cp_review` rule (first review within 3 months of the plan starting, then not more than 6 months
    after the actual previous review): CIN census "CPPs reviewed within timescales"; Working together
    2018, "Child protection review conference". Source: plans and review conferences in the protection
    app, through the timescales engine.
    """
    since = months_before(as_at, 3)
    open_on = (Q(kind=Plan.Kind.CHILD_PROTECTION, start_date__lte=since)
               & (Q(end_date__isnull=True) | Q(end_date__gt=as_at)))
    plans = list(Plan.objects.filter(open_on).values_list("pk", "child_id", "start_date")
                 .order_by("child_id", "-start_date", "-id"))
    children = Child.objects.filter(pk__in=Plan.objects.filter(open_on).values("child_id"))
    clocks = clocks_as_at(children, ["cp_review"], as_at, all_clocks=True)
    rows = []
    seen = set()
    for pk, child_id, start in plans:
        if child_id in seen:
            continue
        seen.add(child_id)
        items = clocks.get((child_id, f"plan:{pk}"), [])
        late = [i for i in items if i.rag in (RED, DONE_LATE)]
        held = sum(1 for i in items if i.completed_on is not None)
        reviews = f"{held} review{'' if held == 1 else 's'}"
        if late:
            first_late = min(late, key=lambda i: i.due_date)
            ref = (f"Plan started {in_words(start)}: {reviews}, a review due {in_words(first_late.due_date)} "
                   f"was {'late' if first_late.rag == DONE_LATE else 'not held'}")
        else:
            ref = f"Plan started {in_words(start)}: {reviews}, all on time"
        rows.append(Row(child_id=child_id, met=not late if items else None, ref=ref, on=start))
    return rows
