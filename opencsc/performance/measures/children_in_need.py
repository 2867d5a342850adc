"""Children in need measures: re-referrals, assessment timeliness and visits to children on a plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q

from opencsc.assessment import rules
from opencsc.assessment.models import Assessment, CINEpisode
from opencsc.casework.models import Plan
from opencsc.people.models import Child
from opencsc.timescales.authority import timescale
from opencsc.timescales.core import RED

from .base import Row
from .common import clocks_as_at, in_words, year_to


def re_referrals_12m(as_at: dt.date) -> list[Row]:
    """Re-referrals within 12 months.

    Every referral (episode of need) received in the 12 months to the date. Met (True) when the
    child had a previous referral within the 12 months before it: on or after the same day a year
    earlier (the DfE definition, CIN census "re-referrals within 12 months"; `assessment.rules.
    is_re_referral`). Lower is better. Only referrals recorded on or before the date count.
    Source: episodes of need in the assessment app.
    """
    first, last = year_to(as_at)
    in_year = list(CINEpisode.objects.filter(referral_date__gte=first, referral_date__lte=last)
                   .values_list("pk", "child_id", "referral_date").order_by("referral_date", "id"))
    earliest = rules.re_referral_window_start(first)
    previous: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for pk, child_id, referral_date in (
        CINEpisode.objects.filter(child__in=CINEpisode.objects.filter(referral_date__gte=first, referral_date__lte=last)
                                  .values("child_id"),
                                  referral_date__gte=earliest, referral_date__lte=last)
        .values_list("pk", "child_id", "referral_date")
    ):
        previous[child_id].append((referral_date, pk))
    rows = []
    for pk, child_id, referral_date in in_year:
        before = [d for d, other in previous[child_id] if (d, other) < (referral_date, pk)]
        met = rules.is_re_referral(referral_date, before)
        ref = f"Referral received {in_words(referral_date)}"
        if met:
            ref += f", previous referral {in_words(max(before))}"
        rows.append(Row(child_id=child_id, met=met, ref=ref, on=referral_date))
    return rows


def assessments_45wd(as_at: dt.date) -> list[Row]:
    """Assessments completed within 45 working days.

    Every child and family assessment completed (authorised) in the 12 months to the date. Met when
    it was completed within 45 working days of the referral that opened the episode of need: the
    working days after the referral date up to and including the completion date (DfE CIN table
    C2; Working together 2018, ch.1 "Timeliness"; `assessment.rules.assessment_is_late`), in the calendar
    the rule counts in (``timescales.authority.timescale("assessment")``). Source: assessments in the
    assessment app.
    """
    first, last = year_to(as_at)
    assessment = timescale(rules.ASSESSMENT_RULE)
    rows = []
    for child_id, referral_date, completed in (
        Assessment.objects.filter(completed_date__gte=first, completed_date__lte=last)
        .values_list("episode__child_id", "episode__referral_date", "completed_date")
        .order_by("completed_date", "id")
    ):
        days = rules.assessment_working_days(referral_date, completed, assessment)
        rows.append(Row(
            child_id=child_id, met=not rules.assessment_is_late(referral_date, completed, assessment),
            ref=f"Assessment completed {in_words(completed)}, {days} working days after the referral on "
                f"{in_words(referral_date)}",
            on=completed,
        ))
    return rows


def plan_clock_rows(*, plan_kind: str, rule: str, as_at: dt.date, label: str, what: str) -> list[Row]:
    """One row per child on a plan of `plan_kind` on the date: met when the engine's `rule` clock for
    that plan is not overdue on the date (shared by the child in need and child protection visits)."""
    open_on = Q(start_date__lte=as_at) & (Q(end_date__isnull=True) | Q(end_date__gt=as_at))
    plans = list(Plan.objects.filter(open_on, kind=plan_kind).values_list("pk", "child_id", "start_date")
                 .order_by("child_id", "-start_date", "-id"))
    children = Child.objects.filter(pk__in=Plan.objects.filter(open_on, kind=plan_kind).values("child_id"))
    clocks = clocks_as_at(children, [rule], as_at)
    rows = []
    seen = set()
    for pk, child_id, start in plans:
        if child_id in seen:
            continue  # one row per child: their latest plan
        seen.add(child_id)
        items = clocks.get((child_id, f"plan:{pk}"), [])
        if not items:
            rows.append(Row(child_id=child_id, met=None, ref=f"{label} since {in_words(start)}", on=start))
            continue
        item = items[0]
        due = item.due_date
        met = item.rag != RED
        if item.step == 0:
            since = f"no {what} since the plan started {in_words(start)}"
        else:
            since = f"last {what} {in_words(item.measured_from)}"
        ref = f"{label} since {in_words(start)}: {since}, next due {in_words(due)}"
        rows.append(Row(child_id=child_id, met=met, ref=ref, on=due))
    return rows


def cin_visits_in_time(as_at: dt.date) -> list[Row]:
    """Visits to children in need in time.

    Every child on a child in need plan on the date (started on or before it, not ended by it). Met
    when their next visit is not overdue on the date, by the timescales engine's `cin_visit` rule
    (local practice, default every 20 working days counted from and including the day of the
    visit, first visit counted from the start of the plan; the authority can change it on the
    timescales settings page). Only visits where the child was seen count. Source: casework plans and
    visits, through the timescales engine.
    """
    return plan_clock_rows(plan_kind=Plan.Kind.CHILD_IN_NEED, rule="cin_visit", as_at=as_at,
                           label="Child in need plan", what="visit")
