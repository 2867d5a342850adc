"""Reads for health, education, contact and rights records, always through the access selectors.

The authority lists (`health_checks_in_date`, `dental_checks_in_date`, `peps_in_date`,
`sdq_latest`...) return querysets of children, set-based, so the performance indicators can
count them and drill down to the children behind each number. `children` is required:
`children_for(user)` for a user's pages, or `every_child()` (care.selectors) for the authority's own
set-based figures (measures and returns); no function here assumes every child.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.http import Http404
from django.utils import timezone

from opencsc.care.models import PeriodOfCare
from opencsc.care.selectors import looked_after_on
from opencsc.people.access import children_for
from opencsc.people.models import Child

from . import rules
from .models import (
    PEP,
    SDQ,
    AdvocacyOffer,
    Complaint,
    ContactArrangement,
    DentalCheck,
    EducationTerm,
    Exclusion,
    HealthAssessment,
    HealthStatus,
    RightsExplained,
)

MEASURES = {
    "health": "Health assessment",
    "dental": "Dental check",
    "pep": "Personal education plan",
}


def _years_ago(day: dt.date, years: int) -> dt.date:
    return rules.birthday(day, -years)


def _age_code(date_field: str, dob_field: str):
    """A whole-years age at `date_field` times 10000, plus the month and day difference: 50000 or more
    means 5 or older. Portable (SQLite and PostgreSQL) date arithmetic."""
    return ((ExtractYear(date_field) - ExtractYear(dob_field)) * 10000
            + ExtractMonth(date_field) * 100 + ExtractDay(date_field)
            - ExtractMonth(dob_field) * 100 - ExtractDay(dob_field))


# --- The authority's lists --------------------------------------------------------------------


def looked_after(*, on: dt.date | None = None, children: QuerySet[Child]) -> QuerySet[Child]:
    return looked_after_on(on or timezone.localdate(), children)


def health_checks_in_date(*, on: dt.date | None = None, children: QuerySet[Child]) -> QuerySet[Child]:
    """Children looked after on `on` whose latest health assessment is in date: within 6 months if it
    was done before their fifth birthday, within 12 months after (as the review_health_assessment rule)."""
    on = on or timezone.localdate()
    recent = HealthAssessment.objects.filter(child=OuterRef("pk"), assessment_date__lte=on)
    six = recent.filter(assessment_date__gte=rules.months_before(on, rules.health_assessment_months(under_five=True)))
    twelve = (
        recent.filter(assessment_date__gte=rules.months_before(on, rules.health_assessment_months(under_five=False)))
        .annotate(age_code=_age_code("assessment_date", "child__date_of_birth"))
        .filter(Q(age_code__gte=50000) | Q(child__date_of_birth__isnull=True))
    )
    return looked_after(on=on, children=children).filter(Exists(six) | Exists(twelve))


def dental_checks_in_date(*, on: dt.date | None = None, children: QuerySet[Child]) -> QuerySet[Child]:
    """Children looked after on `on` with a dental check in the last 12 months."""
    on = on or timezone.localdate()
    since = rules.months_before(on, rules.DENTAL_MONTHS)
    checks = DentalCheck.objects.filter(child=OuterRef("pk"), check_date__lte=on, check_date__gte=since)
    return looked_after(on=on, children=children).filter(Exists(checks))


def pep_cohort(*, on: dt.date | None = None, children: QuerySet[Child]) -> QuerySet[Child]:
    """Looked-after children who need a PEP: aged 3 to 17 on the day (early years to year 13)."""
    on = on or timezone.localdate()
    return looked_after(on=on, children=children).filter(
        date_of_birth__lte=_years_ago(on, rules.PEP_MIN_AGE), date_of_birth__gt=_years_ago(on, rules.PEP_MAX_AGE + 1)
    )


def peps_in_date(*, on: dt.date | None = None, children: QuerySet[Child]) -> QuerySet[Child]:
    """Children in the PEP cohort with a PEP meeting within the last term (the pep_review rule)."""
    on = on or timezone.localdate()
    since = rules.months_before(on, rules.pep_months())
    peps = PEP.objects.filter(child=OuterRef("pk"), meeting_date__lte=on, meeting_date__gte=since)
    return pep_cohort(on=on, children=children).filter(Exists(peps))


def without(measure: str, *, on: dt.date | None = None, children: QuerySet[Child]) -> QuerySet[Child]:
    """Children looked after (or in the PEP cohort) on `on` who are missing an in-date `measure`."""
    on = on or timezone.localdate()
    if measure == "health":
        cohort, done = looked_after(on=on, children=children), health_checks_in_date(on=on, children=children)
    elif measure == "dental":
        cohort, done = looked_after(on=on, children=children), dental_checks_in_date(on=on, children=children)
    elif measure == "pep":
        cohort, done = pep_cohort(on=on, children=children), peps_in_date(on=on, children=children)
    else:
        raise ValueError(f"Unknown measure {measure!r}")
    return cohort.exclude(pk__in=done.values("pk"))


def sdq_cohort(*, on: dt.date | None = None, children: QuerySet[Child]) -> QuerySet[Child]:
    """Looked-after children aged 4 to 16 on the day."""
    on = on or timezone.localdate()
    return looked_after(on=on, children=children).filter(
        date_of_birth__lte=_years_ago(on, rules.SDQ_MIN_AGE), date_of_birth__gt=_years_ago(on, rules.SDQ_MAX_AGE + 1)
    )


def sdq_latest(*, on: dt.date | None = None, children: QuerySet[Child]) -> QuerySet[Child]:
    """The SDQ cohort, each child annotated with their latest score in the last 12 months (`sdq_score`,
    None if there is none)."""
    on = on or timezone.localdate()
    since = rules.months_before(on, 12)
    latest = (SDQ.objects.filter(child=OuterRef("pk"), completed_on__lte=on, completed_on__gte=since,
                                 score__isnull=False).order_by("-completed_on", "-id").values("score")[:1])
    return sdq_cohort(on=on, children=children).annotate(sdq_score=Subquery(latest, output_field=IntegerField()))


def sdq_band_filter(band: str) -> Q:
    if band == "none":
        return Q(sdq_score__isnull=True)
    for code, _label, low, high in rules.SDQ_BANDS:
        if code == band:
            return Q(sdq_score__gte=low, sdq_score__lte=high)
    raise ValueError(f"Unknown SDQ band {band!r}")


def sdq_distribution(*, on: dt.date | None = None, children: QuerySet[Child]) -> list[dict]:
    """How many children of the SDQ cohort fall in each band (and how many have no recent score): one query."""
    qs = sdq_latest(on=on, children=children)
    aggregates = {code: Count("pk", filter=sdq_band_filter(code)) for code, *_ in rules.SDQ_BANDS}
    aggregates["none"] = Count("pk", filter=sdq_band_filter("none"))
    counts = qs.aggregate(**aggregates)
    rows = [{"band": code, "label": label, "count": counts[code]} for code, label, *_ in rules.SDQ_BANDS]
    rows.append({"band": "none", "label": "No score in the last 12 months", "count": counts["none"]})
    return rows


def overview_figures(*, user, on: dt.date | None = None) -> dict:
    """The virtual school's and health team's figures, limited to what the user may see."""
    on = on or timezone.localdate()
    base = children_for(user)
    cohort = looked_after(on=on, children=base).count()
    pep_total = pep_cohort(on=on, children=base).count()
    figures = []
    for measure, total in (("health", cohort), ("dental", cohort), ("pep", pep_total)):
        missing = without(measure, on=on, children=base).count()
        done = total - missing
        figures.append({
            "measure": measure, "label": MEASURES[measure], "total": total, "in_date": done, "missing": missing,
            "percent": round(100 * done / total) if total else None,
        })
    return {"on": on, "looked_after": cohort, "figures": figures,
            "sdq": sdq_distribution(on=on, children=base)}


def children_list(*, user, measure: str, band: str = "", query: str = "", on: dt.date | None = None
                  ) -> QuerySet[Child]:
    """The children behind a figure, with their latest dates, for the drill-down page."""
    on = on or timezone.localdate()
    base = children_for(user)
    if query:
        words = query.split()
        for word in words:
            base = base.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                               | Q(la_child_id__iexact=word))
    if measure == "sdq":
        qs = sdq_latest(on=on, children=base)
        if band:
            qs = qs.filter(sdq_band_filter(band))
    else:
        qs = without(measure, on=on, children=base)
    latest = {
        "last_health": HealthAssessment.objects.filter(child=OuterRef("pk")).order_by("-assessment_date")
        .values("assessment_date")[:1],
        "last_dental": DentalCheck.objects.filter(child=OuterRef("pk")).order_by("-check_date").values("check_date")[:1],
        "last_pep": PEP.objects.filter(child=OuterRef("pk")).order_by("-meeting_date").values("meeting_date")[:1],
    }
    return qs.annotate(**{k: Subquery(v) for k, v in latest.items()}).order_by(
        Coalesce(F(f"last_{'health' if measure == 'sdq' else measure}"), Value(dt.date(1900, 1, 1))),
        "last_name", "first_name", "pk",
    )


# --- One child's record -----------------------------------------------------------------------


def was_ever_looked_after(child: Child) -> bool:
    return PeriodOfCare.objects.filter(child=child).exists()


def child_overview(*, child: Child, today: dt.date | None = None) -> dict:
    """Everything the child's "Health and education" page shows: one query per kind of record."""
    today = today or timezone.localdate()
    health = list(HealthAssessment.objects.filter(child=child).select_related("created_by"))
    dental = list(DentalCheck.objects.filter(child=child))
    peps = list(PEP.objects.filter(child=child))
    status = HealthStatus.objects.filter(child=child).first()
    under_five = bool(child.date_of_birth) and rules.age_on(child.date_of_birth, today) < 5
    return {
        "ever_looked_after": was_ever_looked_after(child),
        "health_assessments": health,
        "health_in_date": bool(health) and health[0].assessment_date >= rules.months_before(
            today, rules.health_assessment_months(under_five=under_five)),
        "dental_checks": dental,
        "dental_in_date": bool(dental) and dental[0].check_date >= rules.months_before(today, rules.DENTAL_MONTHS),
        "health_status": status,
        "sdqs": list(SDQ.objects.filter(child=child)),
        "peps": peps,
        "pep_in_date": bool(peps) and peps[0].meeting_date >= rules.months_before(today, rules.pep_months()),
        "terms": list(EducationTerm.objects.filter(child=child).order_by("-academic_year", "-term")),
        "exclusions": list(Exclusion.objects.filter(child=child)),
        "contacts": list(ContactArrangement.objects.filter(child=child)),
        "advocacy": list(AdvocacyOffer.objects.filter(child=child)),
        "complaints": list(Complaint.objects.filter(child=child)),
        "rights": list(RightsExplained.objects.filter(child=child)),
    }


def contact_arrangement_for(*, user, child: Child, arrangement_id) -> ContactArrangement:
    try:
        return ContactArrangement.objects.filter(child__in=children_for(user), child=child).select_related(
            "child").get(pk=int(arrangement_id))
    except (ContactArrangement.DoesNotExist, ValueError, TypeError):
        raise Http404("No contact arrangement found") from None


def complaint_for(*, user, child: Child, complaint_id) -> Complaint:
    try:
        return Complaint.objects.filter(child__in=children_for(user), child=child).select_related("child").get(
            pk=int(complaint_id))
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404("No complaint found") from None


# --- The SSDA903 OC2 file ---------------------------------------------------------------------


def oc2_cohort(*, year_end: dt.date, children: QuerySet[Child]) -> QuerySet[Child]:
    """Children looked after continuously for at least 12 months at `year_end` (31 March): the OC2 cohort.

    Twelve months at 31 March 2026 are 1 April 2025 to 31 March 2026, so a child who came into care on
    1 April 2025 is in it (as in the DfE's rule 191, which counts a start after 1 April as a break)."""
    first_day = rules.months_before(year_end, 12) + dt.timedelta(days=1)
    periods = PeriodOfCare.objects.filter(child=OuterRef("pk"), start_date__lte=first_day
                                          ).filter(Q(end_date__isnull=True) | Q(end_date__gt=year_end))
    return children.filter(Exists(periods))


def oc2_health(*, year_end: dt.date, children: QuerySet[Child]) -> QuerySet[Child]:
    """The OC2 cohort annotated with the health columns for the year to `year_end`: one query.

    `oc2_health_assessment`, `oc2_teeth_check` (in the year), the latest health facts of the year
    (`oc2_immunisations`, `oc2_health_check`, `oc2_substance_misuse`, `oc2_intervention_offered`,
    `oc2_intervention_received`) and the latest SDQ of the year (`oc2_sdq_score`, `oc2_sdq_reason`).
    `oc2_row(child)` turns them into the file's values.
    """
    start = rules.months_before(year_end, 12)
    in_year = {"child": OuterRef("pk")}
    status = HealthStatus.objects.filter(**in_year, recorded_on__gt=start, recorded_on__lte=year_end).order_by(
        "-recorded_on", "-id")
    sdq = SDQ.objects.filter(**in_year, completed_on__gt=start, completed_on__lte=year_end).order_by(
        "-completed_on", "-id")
    return oc2_cohort(year_end=year_end, children=children).annotate(
        oc2_health_assessment=Exists(HealthAssessment.objects.filter(
            **in_year, assessment_date__gt=start, assessment_date__lte=year_end)),
        oc2_teeth_check=Exists(DentalCheck.objects.filter(**in_year, check_date__gt=start, check_date__lte=year_end)),
        oc2_immunisations=Subquery(status.values("immunisations_up_to_date")[:1]),
        oc2_health_check=Subquery(status.values("development_check_up_to_date")[:1]),
        oc2_substance_misuse=Subquery(status.values("substance_misuse")[:1]),
        oc2_intervention_offered=Subquery(status.values("intervention_offered")[:1]),
        oc2_intervention_received=Subquery(status.values("intervention_received")[:1]),
        oc2_sdq_score=Subquery(sdq.values("score")[:1]),
        oc2_sdq_reason=Subquery(sdq.values("reason_not_done")[:1]),
    )


def _flag(value) -> str:
    return "" if value is None else ("1" if value else "0")


def oc2_row(child: Child) -> dict[str, str]:
    """The OC2 health columns (SSDA903 codes: "1" yes, "0" no, blank not known) for one annotated child."""
    return {
        "SDQ_SCORE": "" if child.oc2_sdq_score is None else str(child.oc2_sdq_score),
        "SDQ_REASON": child.oc2_sdq_reason or "",
        "HEALTH_CHECK": _flag(child.oc2_health_check),
        "IMMUNISATIONS": _flag(child.oc2_immunisations),
        "TEETH_CHECK": _flag(child.oc2_teeth_check),
        "HEALTH_ASSESSMENT": _flag(child.oc2_health_assessment),
        "SUBSTANCE_MISUSE": _flag(child.oc2_substance_misuse),
        "INTERVENTION_RECEIVED": _flag(child.oc2_intervention_received),
        "INTERVENTION_OFFERED": _flag(child.oc2_intervention_offered),
    }
