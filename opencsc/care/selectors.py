"""Reads for children in care. Everything about a child starts from `people.access`.

`looked_after_on(day)` and `current_placement(child)` are used by other areas (wellbeing,
missing, adoption, care leavers, workforce): keep their names and meaning.

The stability measures work over any set of children in a fixed number of queries:
- three or more placements in the year to date (from 1 April; temporary placements T0-T4
  are not counted, as in the DfE measure);
- long-term stability: under 16, looked after for 2.5 years or more, and in the same
  placement for 2 years or more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.casework.models import Allocation
from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.timescales.selectors import due_items

from . import rules
from .models import (
    CareEpisode,
    CarePlan,
    IROAppointment,
    IROEscalation,
    LookedAfterReview,
    PeriodOfCare,
    Placement,
)

CARE_RULES = ("care_plan", "placement_plan", "placement_notified", "iro_appointed", "cla_review", "cla_visit",
              "cla_visit_long_term", "cla_visit_placed_with_parent", "cla_visit_connected_person")


def _open_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})
    )


def looked_after_on(day: dt.date | None, children: QuerySet[Child]) -> QuerySet[Child]:
    """The `children` with a period of care open on `day` (started on or before it, not ended by it).

    A period ends on its end date (903 DEC: the child is no longer looked after that day).
    `children` is required: `children_for(user)` for a user's pages, or `every_child()` for the
    authority's own set-based figures (measures, returns), which are not shown child by child.
    """
    day = day or timezone.localdate()
    periods = PeriodOfCare.objects.filter(_open_on(day), child=OuterRef("pk"))
    return children.filter(Exists(periods))


def every_child() -> QuerySet[Child]:
    """Every child on the system, merged records included, with no access applied: only for the authority's
    set-based figures (measures and statutory returns), never for a page that lists children."""
    return Child.objects.all()


def current_placement(child: Child, day: dt.date | None = None) -> Placement | None:
    """The child's placement on `day` (today by default), or None."""
    day = day or timezone.localdate()
    return Placement.objects.filter(_open_on(day), child=child).order_by("-start_date", "-id").first()


def current_episode(child: Child, day: dt.date | None = None) -> CareEpisode | None:
    day = day or timezone.localdate()
    return (CareEpisode.objects.filter(_open_on(day), child=child).select_related("placement")
            .order_by("-start_date", "-id").first())


# --- Stability --------------------------------------------------------------------------


def _placements_in_year(day: dt.date):
    start = rules.year_start(day)
    return (
        Placement.objects.filter(child=OuterRef("pk"), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .exclude(placement_type__in=rules.TEMPORARY)
        .order_by().values("child").annotate(n=Count("pk")).values("n")
    )


def with_care_facts(children: QuerySet[Child], day: dt.date | None = None) -> QuerySet[Child]:
    """Annotate each child with their care on `day`: the open period's start, the current episode's
    legal status and placement, and the number of placements in the year to date."""
    day = day or timezone.localdate()
    episode = CareEpisode.objects.filter(_open_on(day), child=OuterRef("pk")).order_by("-start_date", "-id")
    period = PeriodOfCare.objects.filter(_open_on(day), child=OuterRef("pk")).order_by("-start_date")
    return children.annotate(
        care_since=Subquery(period.values("start_date")[:1]),
        legal_status=Subquery(episode.values("legal_status")[:1]),
        placement_type=Subquery(episode.values("placement__placement_type")[:1]),
        placement_in_authority=Subquery(episode.values("placement__in_authority")[:1]),
        placement_distance=Subquery(episode.values("placement__distance_km")[:1]),
        placed_since=Subquery(episode.values("placement__start_date")[:1]),
        placements_this_year=Coalesce(Subquery(_placements_in_year(day), output_field=IntegerField()), Value(0)),
    )


def long_term_stability_q(day: dt.date) -> Q:
    """For children annotated by `with_care_facts`: under 16, in care 2.5 years, same placement 2 years."""
    return (
        Q(date_of_birth__gt=rules.add_months(day, -12 * rules.LONG_TERM_UNDER_AGE))
        & Q(care_since__lte=rules.add_months(day, -rules.LONG_TERM_LOOKED_AFTER_MONTHS))
        & Q(placed_since__lte=rules.add_months(day, -rules.LONG_TERM_SAME_PLACEMENT_MONTHS))
    )


def long_term_cohort_q(day: dt.date) -> Q:
    """Children the long-term measure looks at: under 16 and looked after for 2.5 years or more."""
    return (
        Q(date_of_birth__gt=rules.add_months(day, -12 * rules.LONG_TERM_UNDER_AGE))
        & Q(care_since__lte=rules.add_months(day, -rules.LONG_TERM_LOOKED_AFTER_MONTHS))
    )


@dataclass(frozen=True)
class Stability:
    looked_after: int
    many_placements: int
    long_term_cohort: int
    long_term_stable: int

    @property
    def many_placements_percent(self) -> int | None:
        return round(100 * self.many_placements / self.looked_after) if self.looked_after else None

    @property
    def long_term_percent(self) -> int | None:
        return round(100 * self.long_term_stable / self.long_term_cohort) if self.long_term_cohort else None


def stability(children: QuerySet[Child], day: dt.date | None = None) -> Stability:
    """The authority's stability measures over these children (one query)."""
    day = day or timezone.localdate()
    qs = with_care_facts(looked_after_on(day, children), day)
    counts = qs.aggregate(
        looked_after=Count("pk"),
        many=Count("pk", filter=Q(placements_this_year__gte=rules.MANY_PLACEMENTS)),
        cohort=Count("pk", filter=long_term_cohort_q(day)),
        stable=Count("pk", filter=long_term_stability_q(day)),
    )
    return Stability(counts["looked_after"], counts["many"], counts["cohort"], counts["stable"])


# --- The authority list -------------------------------------------------------------------

STABILITY_FILTERS = {
    "many_placements": "3 or more placements this year",
    "long_term_stable": "Long-term stable",
    "long_term_unstable": "In care 2.5 years, not in the same placement for 2",
}


def children_in_care(*, user, q: str = "", legal_status: str = "", placement_type: str = "", location: str = "",
                     stability_flag: str = "", day: dt.date | None = None) -> QuerySet[Child]:
    """Children in care now whom the user may see, with their care facts, filtered."""
    day = day or timezone.localdate()
    qs = with_care_facts(looked_after_on(day, children_for(user)), day)
    q = (q or "").strip()
    if q:
        words = q.split()
        for word in words:
            qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(la_child_id__iexact=word))
    if legal_status:
        qs = qs.filter(legal_status=legal_status)
    if placement_type:
        qs = qs.filter(placement_type=placement_type)
    if location == "in":
        qs = qs.filter(placement_in_authority=True)
    elif location == "out":
        qs = qs.filter(placement_in_authority=False)
    if stability_flag == "many_placements":
        qs = qs.filter(placements_this_year__gte=rules.MANY_PLACEMENTS)
    elif stability_flag == "long_term_stable":
        qs = qs.filter(long_term_stability_q(day))
    elif stability_flag == "long_term_unstable":
        qs = qs.filter(long_term_cohort_q(day)).exclude(long_term_stability_q(day))
    return qs.order_by("last_name", "first_name", "id")


def open_escalations(*, user) -> QuerySet[IROEscalation]:
    """Unresolved IRO escalations of children the user may see, oldest first."""
    return (
        IROEscalation.objects.filter(child__in=children_for(user), resolved_on__isnull=True)
        .select_related("child", "raised_by").order_by("raised_on", "id")
    )


# --- One child ----------------------------------------------------------------------------


def permanence_flag(reviews: list[LookedAfterReview], care_plans: list[CarePlan]) -> bool:
    """True when the period has had its second review and no permanence plan was agreed by then."""
    held = sorted(r.held_on for r in reviews)
    if len(held) < 2:
        return False
    second = held[1]
    return not any(p.permanence_option and p.permanence_decided_on and p.permanence_decided_on <= second
                   for p in care_plans)


def care_overview(*, user, child: Child, today: dt.date | None = None) -> dict:
    """Everything on the child's Care page, in a bounded number of queries."""
    today = today or timezone.localdate()
    periods = list(
        PeriodOfCare.objects.filter(child=child).order_by("-start_date", "-id").prefetch_related(
            Prefetch("episodes", queryset=CareEpisode.objects.select_related("placement").order_by("start_date", "id")),
            Prefetch("placements", queryset=Placement.objects.order_by("start_date", "id")),
            Prefetch("care_plans", queryset=CarePlan.objects.select_related("plan").order_by("-plan__start_date")),
            Prefetch("reviews", queryset=LookedAfterReview.objects.select_related("meeting", "iro")
                     .order_by("meeting__held_on", "id")),
            Prefetch("iro_appointments", queryset=IROAppointment.objects.select_related("iro")
                     .order_by("-appointed_on", "-id")),
            Prefetch("escalations", queryset=IROEscalation.objects.select_related("raised_by")
                     .order_by("-raised_on", "-id")),
        )
    )
    open_period = next((p for p in periods if p.end_date is None), None)
    for period in periods:
        period.permanence_overdue = permanence_flag(list(period.reviews.all()), list(period.care_plans.all()))
        period.current_iro = next((a for a in period.iro_appointments.all() if a.ended_on is None), None)
        period.current_plan = next((p for p in period.care_plans.all() if p.plan.end_date is None), None)
    placement = None
    facts = None
    if open_period is not None:
        placement = next((p for p in open_period.placements.all() if p.end_date is None), None)
        facts = with_care_facts(Child.objects.filter(pk=child.pk), today).first()
    long_term = bool(facts and facts.care_since and facts.placed_since and rules.long_term_stable(
        date_of_birth=child.date_of_birth, looked_after_since=facts.care_since, placed_since=facts.placed_since,
        today=today))
    due = [item for item in due_items(children=children_for(user).filter(pk=child.pk), today=today,
                                      rules=CARE_RULES)]
    return {
        "periods": periods,
        "open_period": open_period,
        "placement": placement,
        "placements_this_year": facts.placements_this_year if facts else 0,
        "many_placements": bool(facts and facts.placements_this_year >= rules.MANY_PLACEMENTS),
        "long_term_stable": long_term,
        "due": due,
        "today": today,
    }


def placement_for(*, child: Child, placement_id: int) -> Placement:
    return get_object_or_404(Placement, pk=placement_id, child=child)


def escalation_for(*, child: Child, escalation_id: int) -> IROEscalation:
    return get_object_or_404(IROEscalation.objects.select_related("child"), pk=escalation_id, child=child)


# --- An independent reviewing officer's caseload ---------------------------------------------------

IRO_REVIEW_RULES = ("cla_review",)


@dataclass
class CaseloadRow:
    child: Child
    appointed_on: dt.date
    review: object | None  # the child's next looked-after review (a timescales DueItem), if one is due
    escalations: list[IROEscalation]

    @property
    def review_overdue(self) -> bool:
        return bool(self.review and self.review.is_overdue)


def iro_children(*, user, iro) -> QuerySet[Child]:
    """The children in care now for whom ``iro`` is the appointed independent reviewing officer, among
    those ``user`` may see."""
    appointed = IROAppointment.objects.filter(iro=iro, ended_on__isnull=True, period__end_date__isnull=True)
    return children_for(user).filter(pk__in=appointed.values("child_id"))


def iro_reviews_due(*, user, iro, today: dt.date | None = None) -> list:
    """The looked-after reviews due for the IRO's children (timescales DueItems), overdue first."""
    children = iro_children(user=user, iro=iro)
    items = due_items(children=children, today=today, rules=IRO_REVIEW_RULES)
    by_id = {c.pk: c for c in children.only("id", "first_name", "last_name", "preferred_name", "la_child_id")}
    return [replace(item, child=by_id.get(item.child_id)) for item in items if item.child_id in by_id]


def iro_escalations(*, user, iro) -> QuerySet[IROEscalation]:
    """Unresolved escalations the IRO raised about children the user may see, oldest first."""
    return open_escalations(user=user).filter(raised_by=iro)


def iro_caseload(*, user, iro, today: dt.date | None = None) -> list[CaseloadRow]:
    """The IRO's children with each one's next review and open escalations, overdue reviews first
    (a few queries, whatever the number of children)."""
    today = today or timezone.localdate()
    appointed = {
        a.child_id: a.appointed_on
        for a in IROAppointment.objects.filter(iro=iro, ended_on__isnull=True, period__end_date__isnull=True)
        .order_by("appointed_on", "id")
    }
    children = list(children_for(user).filter(pk__in=list(appointed)).order_by("last_name", "first_name", "id"))
    visible = Child.objects.filter(pk__in=[c.pk for c in children])  # already limited to what the user may see
    reviews = {}
    for item in due_items(children=visible, today=today, rules=IRO_REVIEW_RULES):
        current = reviews.get(item.child_id)
        if current is None or item.due_date < current.due_date:
            reviews[item.child_id] = item
    escalations: dict[int, list[IROEscalation]] = {}
    for escalation in (IROEscalation.objects.filter(child__in=visible, resolved_on__isnull=True)
                       .select_related("raised_by").order_by("raised_on", "id")):
        escalations.setdefault(escalation.child_id, []).append(escalation)
    rows = [CaseloadRow(child=c, appointed_on=appointed[c.pk], review=reviews.get(c.pk),
                        escalations=escalations.get(c.pk, [])) for c in children]
    rows.sort(key=lambda r: (not r.review_overdue, r.review.due_date if r.review else dt.date.max))
    return rows


def escalations_to_answer(*, user) -> QuerySet[IROEscalation]:
    """Open escalations not yet responded to, about children allocated to the user (a team manager: to
    their team), oldest first."""
    allocations = Allocation.objects.filter(end_date__isnull=True)
    if user.role == Role.TEAM_MANAGER and user.team_id:
        allocations = allocations.filter(Q(worker=user) | Q(team_id=user.team_id))
    else:
        allocations = allocations.filter(worker=user)
    return open_escalations(user=user).filter(responded_on__isnull=True,
                                              child_id__in=allocations.values("child_id"))
