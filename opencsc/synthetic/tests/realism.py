"""Measures of how realistic a generated authority is, for the tests (and for measuring at size 1.0).

Each function reads the database and returns what breaks a property (empty when it holds) or a figure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from opencsc.adoption.models import AdoptionPlan
from opencsc.assessment.models import CINEpisode
from opencsc.care.models import CareEpisode, PeriodOfCare, Placement
from opencsc.casework.models import Allocation, Plan
from opencsc.earlyhelp.models import EarlyHelpEpisode
from opencsc.frontdoor.models import ContactChild
from opencsc.inspection.models import Action
from opencsc.people.models import Child
from opencsc.protection.models import CPPlan
from opencsc.synthetic.context import eighteenth
from opencsc.synthetic.generators.inspection import belongs
from opencsc.synthetic.identifiers import POSTCODE_DISTRICTS

# The Hounslow 2014 report (at 31 March 2013): what the authority should be like at size 1.0.
HOUNSLOW = {"children_in_need": 1758, "cp_plans": 200, "looked_after": 305, "out_of_borough_share": 0.52,
            "adoptions_a_year": 15}


def last_31_march(today: dt.date) -> dt.date:
    return dt.date(today.year if (today.month, today.day) > (3, 31) else today.year - 1, 3, 31)


def contacts_about_adults() -> list[tuple[str, dt.date, dt.date]]:
    """(child, born, contact day) for each child named in a contact when 18 or over."""
    tz = timezone.get_current_timezone()
    out = []
    for la_id, born, received in ContactChild.objects.filter(child__date_of_birth__isnull=False).values_list(
            "child__la_child_id", "child__date_of_birth", "contact__received_at"):
        day = received.astimezone(tz).date()
        if day >= eighteenth(born):
            out.append((la_id, born, day))
    return out


def past_eighteen(today: dt.date) -> dict[str, list]:
    """Records that run past the child's 18th birthday (or are open today for someone 18 or over), by kind."""
    kinds = {
        "CIN episode": CINEpisode.objects.values_list("child__date_of_birth", "closure_date", "child__la_child_id"),
        "CP plan": CPPlan.objects.values_list("child__date_of_birth", "plan__end_date", "child__la_child_id"),
        "plan": Plan.objects.exclude(kind=Plan.Kind.PATHWAY).values_list("child__date_of_birth", "end_date",
                                                                          "child__la_child_id"),
        "period of care": PeriodOfCare.objects.values_list("child__date_of_birth", "end_date", "child__la_child_id"),
        "episode of care": CareEpisode.objects.values_list("child__date_of_birth", "end_date", "child__la_child_id"),
        "placement": Placement.objects.values_list("child__date_of_birth", "end_date", "child__la_child_id"),
        "early help episode": EarlyHelpEpisode.objects.values_list("child__date_of_birth", "closure_date",
                                                                   "child__la_child_id"),
        "plan for adoption": AdoptionPlan.objects.values_list("child__date_of_birth", "ended_on", "child__la_child_id"),
    }
    out = {}
    for kind, rows in kinds.items():
        bad = [(la_id, born, end) for born, end, la_id in rows
               if born is not None and (end or today) > eighteenth(born)]
        if bad:
            out[kind] = bad
    return out


def in_borough(postcode: str) -> bool:
    return postcode.split()[0].upper() in POSTCODE_DISTRICTS if postcode else False


def placements_flag_mismatch() -> list[tuple[str, str, bool, object]]:
    """Placements whose postcode disagrees with the in-borough flag, or whose distance disagrees with it."""
    out = []
    for la_id, postcode, inside, km in Placement.objects.values_list(
            "child__la_child_id", "postcode", "in_authority", "distance_km"):
        if not postcode:
            continue
        if in_borough(postcode) != inside or (km is not None and not inside and km < 1) or (
                km is not None and inside and km > 15):
            out.append((la_id, postcode, inside, km))
    return out


def _looked_after_on(day: dt.date):
    return PeriodOfCare.objects.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gt=day))


def unallocated_in_care(day: dt.date) -> list[tuple[str, dt.date]]:
    """Children looked after on `day` (a 31 March), with a day in the collection year up to `day` (from when
    they came into care) on which no social worker was allocated."""
    year_start = dt.date(day.year - 1, 4, 1)
    periods = dict(_looked_after_on(day).values_list("child_id", "start_date"))
    spans = defaultdict(list)
    for child_id, start, end in Allocation.objects.filter(child_id__in=list(periods), worker__isnull=False,
                                                          start_date__lte=day).values_list(
            "child_id", "start_date", "end_date"):
        spans[child_id].append((start, end or day))
    out = []
    for child_id, came in periods.items():
        need = max(came, year_start)
        covered = need
        for start, end in sorted(spans[child_id]):
            if start > covered:
                break
            covered = max(covered, end + dt.timedelta(days=1))
        if covered <= day:
            out.append((child_id, covered))
    return out


def adoptions_without_adopters() -> list[int]:
    return list(AdoptionPlan.objects.filter(adoption_order_on__isnull=False, adopters__isnull=True)
                .values_list("child_id", flat=True))


def same_household_twice() -> list[tuple]:
    """Consecutive placements of a child with the same type, provider, postcode and URN (looks like no move)."""
    out = []
    last = {}
    for child_id, period_id, place, provider, postcode, urn, start in Placement.objects.order_by(
            "child_id", "start_date", "id").values_list("child_id", "period_id", "placement_type", "provider",
                                                        "postcode", "urn", "start_date"):
        key = (place, provider, postcode, urn)
        if last.get(child_id) == (period_id, key):
            out.append((child_id, start, key))
        last[child_id] = (period_id, key)
    return out


def misplaced_actions() -> list[tuple[str, str]]:
    """Inspection actions whose area (by the generator's own table) is not the one they belong to."""
    return [(a.area.text[:60], a.description[:60]) for a in Action.objects.select_related("area")
            if not belongs(a.area.text, a.description)]


def volumes(today: dt.date) -> dict[str, float]:
    day = last_31_march(today)
    year_start = dt.date(day.year - 1, 4, 1)
    cin = (CINEpisode.objects.filter(referral_date__lte=day, referral_nfa=False)
           .filter(Q(closure_date__isnull=True) | Q(closure_date__gt=day)).values("child_id").distinct().count())
    cp = CPPlan.objects.filter(plan__start_date__lte=day).filter(
        Q(plan__end_date__isnull=True) | Q(plan__end_date__gt=day)).values("child_id").distinct().count()
    looked_after = list(_looked_after_on(day).values_list("child_id", flat=True))
    placed = Placement.objects.filter(child_id__in=looked_after, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=day))
    outside = placed.filter(in_authority=False).values("child_id").distinct().count()
    adoptions = AdoptionPlan.objects.filter(adoption_order_on__range=(year_start, day)).count()
    return {"children_in_need": cin, "cp_plans": cp, "looked_after": len(looked_after),
            "out_of_borough_share": round(outside / max(1, len(looked_after)), 3), "adoptions_a_year": adoptions,
            "children": Child.objects.count()}


def report(today: dt.date) -> dict[str, object]:
    day = last_31_march(today)
    return {
        "contacts about adults": len(contacts_about_adults()),
        "past 18": {k: len(v) for k, v in past_eighteen(today).items()},
        "placement flag mismatches": len(placements_flag_mismatch()),
        "placements": Placement.objects.count(),
        "unallocated in care (this 31 March)": len(unallocated_in_care(day)),
        "unallocated in care (last 31 March)": len(unallocated_in_care(day.replace(year=day.year - 1))),
        "adoptions without adopters": len(adoptions_without_adopters()),
        "same household twice": len(same_household_twice()),
        "volumes": volumes(today),
    }
