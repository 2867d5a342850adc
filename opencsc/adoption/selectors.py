"""Reads for adoption: always through the access selectors.

Children come from `people.access.children_for(user)` (restricted records vanish from every
list and count); adopters from `adoption.access.adopters_for(user)`. Every function here runs
a bounded number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opencsc.people.access import children_for
from opencsc.people.models import Child, Person
from opencsc.people.selectors import PossibleMatches, possible_people

from . import rules
from .access import adopters_for, can_see_adopters
from .models import Adopter, AdopterHousehold, AdoptionPlan, AdoptionReview, AdoptionVisit, PermanenceOrder

OPEN = Q(ended_on__isnull=True, adoption_order_on__isnull=True)


def plans_for(*, user, child: Child) -> QuerySet[AdoptionPlan]:
    return (
        AdoptionPlan.objects.filter(child__in=children_for(user), child=child)
        .select_related("adopters", "created_by")
        .prefetch_related(
            Prefetch("reviews", queryset=AdoptionReview.objects.order_by("-held_on", "-id")),
            Prefetch("visits", queryset=AdoptionVisit.objects.order_by("-visited_on", "-id")),
        )
        .order_by("-should_be_placed_on", "-id")
    )


def plan_for(*, user, child: Child, plan_id) -> AdoptionPlan:
    try:
        return (
            AdoptionPlan.objects.filter(child__in=children_for(user), child=child)
            .select_related("child", "adopters").get(pk=int(plan_id))
        )
    except (AdoptionPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("No plan for adoption found") from None


def child_adoption(*, user, child: Child) -> dict:
    """Everything the child's Adoption page shows (four queries)."""
    plans = list(plans_for(user=user, child=child))
    rows = []
    for plan in plans:
        stage, since = rules.child_stage(
            should_be_placed_on=plan.should_be_placed_on, placement_order_on=plan.placement_order_on,
            matched_on=plan.matched_on, placed_on=plan.placed_on, adoption_order_on=plan.adoption_order_on,
            ended_on=plan.ended_on,
        )
        rows.append({"plan": plan, "stage": rules.CHILD_STAGES[stage], "since": since})
    orders = list(PermanenceOrder.objects.filter(child__in=children_for(user), child=child)
                  .order_by("-made_on", "-id"))
    return {
        "plans": rows,
        "open_plan": next((p for p in plans if p.is_open), None),
        "orders": orders,
        "sees_adopters": can_see_adopters(user),
    }


def care_started_on(child: Child) -> dt.date | None:
    """The start of the child's latest period of care (from the care app), to suggest on the decision form."""
    try:
        period = apps.get_model("care", "PeriodOfCare")
    except LookupError:
        return None
    return period.objects.filter(child=child).order_by("-start_date").values_list("start_date", flat=True).first()


# --- The scorecard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    child_id: int
    name: str
    adopted_on: dt.date
    start: dt.date | None
    end: dt.date | None
    days: int | None


@dataclass(frozen=True)
class Score:
    measure: rules.Measure
    rows: list[ScoreRow]
    average: float | None
    meets: bool | None

    @property
    def counted(self) -> int:
        return sum(1 for r in self.rows if r.days is not None)


def _adopted_in_window(user, today: dt.date):
    start, end = rules.window(today)
    return list(
        AdoptionPlan.objects.filter(child__in=children_for(user), adoption_order_on__gte=start,
                                    adoption_order_on__lte=end)
        .select_related("child").order_by("adoption_order_on", "id")
    )


def _score(measure: rules.Measure, plans: list[AdoptionPlan]) -> Score:
    rows = []
    for plan in plans:
        start, end = getattr(plan, measure.start), getattr(plan, measure.end)
        rows.append(ScoreRow(child_id=plan.child_id, name=plan.child.full_name, adopted_on=plan.adoption_order_on,
                             start=start, end=end, days=rules.days_between(start, end)))
    average = rules.average([r.days for r in rows if r.days is not None])
    return Score(measure=measure, rows=rows, average=average, meets=rules.meets_threshold(measure, average))


def scorecard(*, user, today: dt.date | None = None) -> list[Score]:
    """A1, A2 and A10 over the 3-year window, for the children this user may see (one query)."""
    plans = _adopted_in_window(user, today or timezone.localdate())
    return [_score(measure, plans) for measure in rules.MEASURES.values()]


def score_for(*, user, code: str, today: dt.date | None = None) -> Score:
    """One measure with each child's days (the drill-down); 404 for an unknown measure."""
    measure = rules.MEASURES.get(code)
    if measure is None:
        raise Http404("No such measure")
    score = _score(measure, _adopted_in_window(user, today or timezone.localdate()))
    rows = sorted(score.rows, key=lambda r: (r.days is None, -(r.days or 0)))
    return Score(measure=score.measure, rows=rows, average=score.average, meets=score.meets)


# --- Children with a plan for adoption ------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    plan: AdoptionPlan
    stage: str
    since: dt.date
    days: int
    decision_days: int

    @property
    def label(self) -> str:
        return rules.CHILD_STAGES[self.stage]


def children_waiting(*, user, stage: str = "", today: dt.date | None = None) -> list[Waiting]:
    """Open plans for adoption, longest waiting first: how long in the current stage and since the decision."""
    today = today or timezone.localdate()
    rows = []
    plans = (AdoptionPlan.objects.filter(OPEN, child__in=children_for(user))
             .select_related("child", "adopters").order_by("should_be_placed_on", "id"))
    for plan in plans:
        key, since = rules.child_stage(
            should_be_placed_on=plan.should_be_placed_on, placement_order_on=plan.placement_order_on,
            matched_on=plan.matched_on, placed_on=plan.placed_on,
        )
        if stage and key != stage:
            continue
        rows.append(Waiting(plan=plan, stage=key, since=since, days=(today - since).days,
                            decision_days=(today - plan.should_be_placed_on).days))
    return sorted(rows, key=lambda w: -w.days)


def plan_stage_counts(waiting: list[Waiting]) -> list[dict]:
    counts = Counter(w.stage for w in waiting)
    out = []
    for key in (rules.DECIDED, rules.ORDERED, rules.CHILD_MATCHED, rules.CHILD_PLACED):
        days = [w.days for w in waiting if w.stage == key]
        out.append({"key": key, "label": rules.CHILD_STAGES[key], "count": counts[key],
                    "average_days": rules.average(days), "longest": max(days, default=None)})
    return out


def recent_orders(*, user, today: dt.date | None = None) -> dict:
    """Special guardianship and child arrangements orders made in the last 12 months, by type."""
    today = today or timezone.localdate()
    qs = PermanenceOrder.objects.filter(child__in=children_for(user), made_on__gt=today - dt.timedelta(days=365),
                                        made_on__lte=today)
    counts = Counter(qs.values_list("kind", flat=True))
    return {label: counts[value] for value, label in PermanenceOrder.Kind.choices}


# --- Adopters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AdopterRow:
    household: AdopterHousehold
    stage: str
    label: str
    since: dt.date
    days: int


def adopter_rows(*, user, stage: str = "", search: str = "", today: dt.date | None = None,
                 pk: int | None = None) -> list[AdopterRow]:
    """The adopters this user may see, with their stage and days in it (one query)."""
    today = today or timezone.localdate()
    open_plan = Q(plans__ended_on__isnull=True, plans__adoption_order_on__isnull=True)
    qs = adopters_for(user).annotate(
        open_matched_on=Max("plans__matched_on", filter=open_plan),
        open_placed_on=Max("plans__placed_on", filter=open_plan),
        adopted_on=Max("plans__adoption_order_on"),
    )
    if pk is not None:
        qs = qs.filter(pk=pk)
    if search.strip():
        qs = qs.filter(name__icontains=search.strip())
    rows = []
    for h in qs.order_by("name", "id"):
        key, since = rules.adopter_stage(
            enquiry_on=h.enquiry_on, stage_one_on=h.stage_one_on, stage_two_on=h.stage_two_on,
            approved_on=h.approved_on, withdrawn_on=h.withdrawn_on, matched_on=h.open_matched_on,
            placed_on=h.open_placed_on, adopted_on=h.adopted_on,
        )
        if stage and key != stage:
            continue
        rows.append(AdopterRow(household=h, stage=key, label=rules.STAGES[key], since=since,
                               days=(today - since).days))
    return rows


def adopter_stage_counts(rows: list[AdopterRow]) -> list[dict]:
    out = []
    for key, label in rules.STAGES.items():
        days = [r.days for r in rows if r.stage == key]
        out.append({"key": key, "label": label, "count": len(days), "average_days": rules.average(days),
                    "longest": max(days, default=None)})
    return out


def household_detail(household: AdopterHousehold, *, user) -> dict:
    """The household's journey and the children matched with them (only children the user may see)."""
    plans = list(household.plans.filter(child__in=children_for(user)).select_related("child")
                 .order_by("-matched_on", "-id"))
    row = next(iter(adopter_rows(user=user, pk=household.pk)), None)
    members = list(household.members.select_related("person", "match_check").order_by("id"))
    return {"household": household, "plans": plans, "row": row, "members": members}


def adopter_matches(*, user, first_name: str, last_name: str, date_of_birth: dt.date | None = None
                    ) -> PossibleMatches:
    """People already known who may be the adopter being recorded: the one duplicate check
    (people.selectors.possible_people), where the adopters the user may see count as people they may see,
    each with the households they are adopters in."""
    households = adopters_for(user)
    matches = possible_people(user=user, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth,
                              include_children=False,
                              also_visible=Person.objects.filter(adopter_roles__household__in=households))
    roles: dict[int, list[str]] = {}
    for adopter in Adopter.objects.filter(person__in=[m.record for m in matches.matches], household__in=households
                                          ).select_related("household").order_by("id"):
        roles.setdefault(adopter.person_id, []).append(f"Adopter in {adopter.household.name}")
    for match in matches.matches:
        match.context = roles.get(match.record.pk, []) + match.context
    return matches
