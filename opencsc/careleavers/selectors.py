"""Reads for care leavers. Everything about a child starts from `people.access`.

The authority's measures (in touch, in education, employment or training, in suitable
accommodation, by age group) are set-based selectors that take and return querysets of
children, so that performance indicators can use them: each child is annotated with
their latest contact (`last_contact_date`, `last_in_touch`, `last_activity`,
`last_accommodation`) in the same query.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from opencsc.accounts.models import User
from opencsc.accounts.roles import Role
from opencsc.care.models import PeriodOfCare
from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.timescales.selectors import due_items

from . import rules
from .codes import EET_CODES, IN_TOUCH_YES, NEET_CODES, SUITABLE_ACCOMMODATION, UNSUITABLE_ACCOMMODATION
from .models import (
    AdviserAllocation,
    CareLeaver,
    Contact,
    EligibilityDecision,
    PathwayPlan,
    PathwayPlanReview,
)

PATHWAY_PLAN_REVIEW = "pathway_plan_review"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 2, 28)


def _born_aged(lo: int, hi: int, on: dt.date) -> Q:
    """Aged from `lo` to `hi` (inclusive) on `on`."""
    return Q(date_of_birth__lte=_years_before(on, lo), date_of_birth__gt=_years_before(on, hi + 1))


def care_leavers(children: QuerySet[Child], on: dt.date | None = None) -> QuerySet[Child]:
    """Young people with leaving care support on `on`: a category decided, support not ended, under 25."""
    on = on or timezone.localdate()
    return children.filter(
        care_leaver__isnull=False,
        date_of_birth__gt=_years_before(on, rules.SUPPORT_EXTENDS_TO),
    ).filter(Q(care_leaver__support_ended_on__isnull=True) | Q(care_leaver__support_ended_on__gt=on))


def care_leavers_for(user, on: dt.date | None = None) -> QuerySet[Child]:
    return care_leavers(children_for(user), on)


def with_latest(children: QuerySet[Child]) -> QuerySet[Child]:
    """Each child with their latest contact, category and personal adviser (one query)."""
    latest = Contact.objects.filter(child=OuterRef("pk")).order_by("-contact_date", "-id")
    decision = EligibilityDecision.objects.filter(child=OuterRef("pk")).order_by("-decided_on", "-id")
    adviser = AdviserAllocation.objects.filter(child=OuterRef("pk"), end_date__isnull=True).order_by("-start_date")
    return children.annotate(
        last_contact_date=Subquery(latest.values("contact_date")[:1]),
        last_in_touch=Subquery(latest.values("in_touch")[:1]),
        last_activity=Subquery(latest.values("activity")[:1]),
        last_accommodation=Subquery(latest.values("accommodation")[:1]),
        category=Subquery(decision.values("category")[:1]),
        adviser_id=Subquery(adviser.values("adviser_id")[:1]),
    )


def in_touch(children: QuerySet[Child]) -> QuerySet[Child]:
    return with_latest(children).filter(last_in_touch=IN_TOUCH_YES)


def not_in_touch(children: QuerySet[Child]) -> QuerySet[Child]:
    return with_latest(children).exclude(last_in_touch=IN_TOUCH_YES)


def in_eet(children: QuerySet[Child]) -> QuerySet[Child]:
    """In education, employment or training at the latest contact."""
    return with_latest(children).filter(last_activity__in=EET_CODES)


def neet(children: QuerySet[Child]) -> QuerySet[Child]:
    return with_latest(children).filter(last_activity__in=NEET_CODES)


def in_suitable_accommodation(children: QuerySet[Child]) -> QuerySet[Child]:
    return with_latest(children).filter(last_accommodation__in=SUITABLE_ACCOMMODATION)


def in_unsuitable_accommodation(children: QuerySet[Child]) -> QuerySet[Child]:
    return with_latest(children).filter(last_accommodation__in=UNSUITABLE_ACCOMMODATION)


def in_age_group(children: QuerySet[Child], group: str, on: dt.date | None = None) -> QuerySet[Child]:
    on = on or timezone.localdate()
    for label, lo, hi in rules.AGE_GROUPS:
        if label == group:
            return children.filter(_born_aged(lo, hi, on))
    raise ValueError(f"Unknown age group {group!r}")


MEASURES = {
    "in_touch": ("In touch", in_touch),
    "not_in_touch": ("Not in touch, or not known", not_in_touch),
    "eet": ("In education, employment or training", in_eet),
    "neet": ("Not in education, employment or training", neet),
    "suitable": ("In suitable accommodation", in_suitable_accommodation),
    "unsuitable": ("In unsuitable accommodation", in_unsuitable_accommodation),
}


def authority_overview(*, user, on: dt.date | None = None) -> list[dict]:
    """The measures by age group and in all, for the care leavers this user may see: one query."""
    on = on or timezone.localdate()
    base = with_latest(care_leavers_for(user, on))
    groups = [(label, _born_aged(lo, hi, on)) for label, lo, hi in rules.AGE_GROUPS] + [("all", Q())]
    measures = {
        "in_touch": Q(last_in_touch=IN_TOUCH_YES),
        "eet": Q(last_activity__in=EET_CODES),
        "suitable": Q(last_accommodation__in=SUITABLE_ACCOMMODATION),
    }
    aggregates = {}
    for label, where in groups:
        key = label.replace("-", "_")
        aggregates[f"{key}__total"] = Count("pk", filter=where)
        for measure, condition in measures.items():
            aggregates[f"{key}__{measure}"] = Count("pk", filter=where & condition)
    counts = base.aggregate(**aggregates)
    rows = []
    for label, _ in groups:
        key = label.replace("-", "_")
        total = counts[f"{key}__total"]
        row = {"group": label, "label": "All care leavers" if label == "all" else f"Aged {label.replace('-', ' to ')}",
               "total": total, "measures": []}
        for measure in measures:
            n = counts[f"{key}__{measure}"]
            row["measures"].append({"measure": measure, "count": n,
                                    "percent": round(100 * n / total) if total else None})
        rows.append(row)
    return rows


def young_people(*, user, measure: str = "", group: str = "", q: str = "",
                 on: dt.date | None = None) -> QuerySet[Child]:
    """The drill-down behind the overview: care leavers, optionally by measure, age group and name."""
    on = on or timezone.localdate()
    qs = care_leavers_for(user, on)
    if group:
        qs = in_age_group(qs, group, on)
    qs = MEASURES[measure][1](qs) if measure else with_latest(qs)
    for word in (q or "").split():
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                       | Q(la_child_id__iexact=word))
    return qs.order_by("last_name", "first_name", "id")


def advisers() -> QuerySet[User]:
    return User.objects.filter(role=Role.PERSONAL_ADVISER, is_active=True).order_by("last_name", "first_name", "id")


def caseload(*, user, adviser, on: dt.date | None = None) -> list[dict]:
    """The adviser's young people, with next pathway plan review, last contact, NEET, unsuitable
    accommodation and the OC3 birthday contact: a bounded number of queries."""
    on = on or timezone.localdate()
    allocated = AdviserAllocation.objects.filter(adviser=adviser, end_date__isnull=True).values("child_id")
    children = with_latest(children_for(user).filter(pk__in=allocated)).order_by("last_name", "first_name", "id")
    children = list(children)
    due = {item.child_id: item for item in due_items(children=Child.objects.filter(pk__in=[c.pk for c in children]),
                                                      today=on, rules=[PATHWAY_PLAN_REVIEW])}
    rows = []
    for child in children:
        birthday = rules.next_oc3_birthday(child.date_of_birth, on) if child.date_of_birth else None
        window = rules.oc3_window(child.date_of_birth, on) if child.date_of_birth else None
        rows.append({
            "child": child,
            "age": rules.age_on(child.date_of_birth, on) if child.date_of_birth else None,
            "review_due": due.get(child.pk),
            "neet": child.last_activity in NEET_CODES,
            "unsuitable": child.last_accommodation in UNSUITABLE_ACCOMMODATION,
            "birthday": birthday,
            "oc3_contact_due": bool(window) and not (
                child.last_contact_date and window[1] <= child.last_contact_date <= window[2]),
        })
    return rows


def _periods_of_care(child: Child) -> list[tuple[dt.date, dt.date | None]]:
    return list(PeriodOfCare.objects.filter(child=child).values_list("start_date", "end_date"))


def suggested_category(child: Child, on: dt.date | None = None, periods=None) -> str | None:
    """What the child's periods of care suggest (see rules.suggested_category)."""
    periods = _periods_of_care(child) if periods is None else periods
    return rules.suggested_category(child.date_of_birth, periods, on or timezone.localdate())


def care_leaver_overview(*, user, child: Child) -> dict:
    """Everything on the child's "Leaving care" page, in a bounded number of queries."""
    today = timezone.localdate()
    care_leaver = CareLeaver.objects.filter(child=child).first()
    decisions = list(EligibilityDecision.objects.filter(child=child).select_related("created_by"))
    plans = list(
        PathwayPlan.objects.filter(child=child).select_related("created_by")
        .prefetch_related(Prefetch("reviews", queryset=PathwayPlanReview.objects.select_related("created_by")))
    )
    due = [item for item in due_items(children=Child.objects.filter(pk=child.pk), today=today,
                                      rules=[PATHWAY_PLAN_REVIEW, "needs_assessment"])]
    periods = _periods_of_care(child)
    dob = child.date_of_birth
    support_until = None
    if care_leaver and dob:
        support_until = rules.support_ends_on(dob, to_25=care_leaver.support_to_25 or care_leaver.in_education)
    return {
        "care_leaver": care_leaver,
        "decision": decisions[0] if decisions else None,
        "decisions": decisions,
        "suggested": suggested_category(child, today, periods),
        "periods_recorded": bool(periods),
        "allocations": list(AdviserAllocation.objects.filter(child=child).select_related("adviser")),
        "plans": plans,
        "contacts": list(Contact.objects.filter(child=child).select_related("created_by")[:50]),
        "due": due,
        "support_until": support_until,
        "age": rules.age_on(dob, today) if dob else None,
        "oc3": rules.next_oc3_birthday(dob, today) if dob else None,
    }


def plan_for(*, child: Child, plan_id) -> PathwayPlan:
    return get_object_or_404(PathwayPlan.objects.annotate(n_reviews=Count("reviews")), child=child, pk=plan_id)


def care_leaver_for(child: Child) -> CareLeaver:
    return get_object_or_404(CareLeaver.objects.select_related("child"), child=child)


