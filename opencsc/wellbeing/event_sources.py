"""This app's sources in the event log (core/events.py): chronology items, and the clock events of the
`initial_health_assessment`, `review_health_assessment`, `pep` and `pep_review` rules.

`health_assessment` and `pep` belong to the period of care they fall in (scope
`period:<pk>`, as the care app's `became_looked_after` and `ceased_looked_after`), so a
new period of care needs its own initial health assessment and PEP. `pep_due` starts the
`pep` clock only for children of PEP age (3 to 17). `fifth_birthday`
(when review health assessments switch from 6-monthly to yearly) is shared by every scope.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Subquery
from django.urls import reverse

from opencsc.care.models import PeriodOfCare
from opencsc.core import events

from . import rules
from .models import Exclusion, HealthAssessment


def _overview(child_id) -> str:
    return reverse("wellbeing:overview", args=[child_id])


def _in_period(queryset, day: str):
    """Each row with the period of care it falls in: the child's latest period started on or before the
    row's `day` (`period_id`, `period_end`); `_period` says whether the row is inside it."""
    latest = PeriodOfCare.objects.filter(child=OuterRef("child"), start_date__lte=OuterRef(day)).order_by(
        "-start_date", "-pk")
    return queryset.annotate(period_id=Subquery(latest.values("pk")[:1]),
                             period_end=Subquery(latest.values("end_date")[:1]))


def _period(row, day) -> str:
    """`period:<pk>` for the period of care open on `day` (a period ends on its end date), else ""."""
    if row.period_id is None or (row.period_end is not None and day >= row.period_end):
        return ""
    return f"period:{row.period_id}"


def _with_health_facts(queryset):
    first = ~Exists(HealthAssessment.objects.filter(child=OuterRef("child"), pk__lt=OuterRef("pk")))
    return _in_period(queryset, "assessment_date").annotate(first_of_child=first, born=F("child__date_of_birth"))


def _health_assessment_facts(a):
    """The assessment (`health_assessment` in its period of care); the child's first assessment also
    carries their `fifth_birthday` (when reviews go from 6-monthly to yearly)."""
    scope = _period(a, a.assessment_date)
    yield events.Fact(
        child_id=a.child_id, on=a.assessment_date, title=a.get_kind_display(), category="Health",
        detail=f"By {a.assessed_by}. {a.outcome}", url=_overview(a.child_id), significant=True,
        author_id=a.created_by_id, recorded_at=a.created_at, scope=scope, clock="health_assessment" if scope else "",
    )
    if a.first_of_child and a.born is not None:
        yield events.Fact(child_id=a.child_id, on=rules.birthday(a.born, 5), seq=1, recorded_at=a.created_at,
                          clock="fifth_birthday")


def _dental_check_facts(d):
    yield events.Fact(child_id=d.child_id, on=d.check_date, seq=1, title="Dental check", category="Health",
                      detail=d.dentist, url=_overview(d.child_id), author_id=d.created_by_id,
                      recorded_at=d.created_at)


def _health_status_facts(h):
    yield events.Fact(
        child_id=h.child_id, on=h.recorded_on, seq=2, title="Health facts checked", category="Health",
        detail="Immunisations " + ("up to date" if h.immunisations_up_to_date else "not up to date")
        + (". Substance misuse identified" if h.substance_misuse else ""),
        url=_overview(h.child_id), author_id=h.created_by_id, recorded_at=h.created_at)


def _sdq_facts(s):
    detail = (f"Score {s.score} ({s.get_completed_by_display().lower()})" if s.score is not None
              else rules.SDQ_REASON_DESCRIPTIONS.get(s.reason_not_done, s.reason_not_done))
    yield events.Fact(child_id=s.child_id, on=s.completed_on, seq=3,
                      title="Strengths and difficulties questionnaire", category="Health", detail=detail,
                      url=_overview(s.child_id), author_id=s.created_by_id, recorded_at=s.created_at)


def _pep_facts(p):
    """The PEP meeting (`pep` in its period of care)."""
    scope = _period(p, p.meeting_date)
    yield events.Fact(
        child_id=p.child_id, on=p.meeting_date, title="Personal education plan meeting", category="Education",
        detail=p.get_status_display(), url=_overview(p.child_id), significant=True, author_id=p.created_by_id,
        recorded_at=p.created_at, scope=scope, clock="pep" if scope else "",
    )


def _pep_due_facts(period):
    """`pep_due` for a period of care of a child of PEP age (3 to 17): the day they became looked after,
    or their third birthday in care if they were younger."""
    if period.born is None:
        return
    day = max(period.start_date, rules.birthday(period.born, rules.PEP_MIN_AGE))
    if day < rules.birthday(period.born, rules.PEP_MAX_AGE + 1) and (period.end_date is None or day < period.end_date):
        yield events.Fact(child_id=period.child_id, on=day, recorded_at=period.created_at,
                          scope=f"period:{period.pk}", clock="pep_due")


def _exclusion_facts(e):
    yield events.Fact(child_id=e.child_id, on=e.start_date, seq=1, title=e.get_kind_display(), category="Education",
                      detail=e.reason, url=_overview(e.child_id), significant=e.kind == Exclusion.Kind.PERMANENT,
                      author_id=e.created_by_id, recorded_at=e.created_at)


def _contact_arrangement_facts(c):
    detail = (f"With {c.with_whom} ({c.relationship}), {c.get_frequency_display().lower()}"
              + (", supervised" if c.supervised else ""))
    for day, title, seq in ((c.start_date, "Contact arrangement started", 0), (c.end_date, "Contact arrangement ended", 1)):
        if day is not None:
            yield events.Fact(child_id=c.child_id, on=day, seq=seq, title=title, category="Contact", detail=detail,
                              url=_overview(c.child_id), author_id=c.created_by_id, recorded_at=c.created_at)


def _advocacy_offer_facts(a):
    answer = {True: "Accepted", False: "Declined", None: "Not yet decided"}[a.accepted]
    yield events.Fact(child_id=a.child_id, on=a.offered_on, seq=2, title="Advocacy offered", category="Rights",
                      detail=answer, url=_overview(a.child_id), author_id=a.created_by_id, recorded_at=a.created_at)


def _complaint_facts(c):
    for day, title, seq, detail in ((c.received_on, "Complaint received", 3, c.summary),
                                    (c.outcome_date, "Complaint closed", 4, c.get_outcome_display())):
        if day is not None:
            yield events.Fact(child_id=c.child_id, on=day, seq=seq, title=title, category="Rights", detail=detail,
                              url=_overview(c.child_id), author_id=c.created_by_id, recorded_at=c.created_at)


def _rights_explained_facts(r):
    yield events.Fact(child_id=r.child_id, on=r.explained_on, seq=5, title="Told their rights and entitlements",
                      category="Rights", detail=f"By {r.explained_by}", url=_overview(r.child_id),
                      author_id=r.created_by_id, recorded_at=r.created_at)


# A record's period of care changes with the child's periods; the fifth birthday and the PEP's due day
# with their date of birth.
_PERIODS = {"care.PeriodOfCare": "child__care_periods"}
_BIRTH = {"people.Child": "child"}

events.register(events.Source(
    key="health_assessment", label="Health", model="wellbeing.HealthAssessment", project=_health_assessment_facts,
    prepare=_with_health_facts,
    follows={**_PERIODS, **_BIRTH, "wellbeing.HealthAssessment": "child__health_assessments"},
    starts_clocks=("health_assessment",), stops_clocks=("health_assessment",),
))
events.register(events.Source(key="dental_check", label="Health", model="wellbeing.DentalCheck",
                              project=_dental_check_facts))
events.register(events.Source(key="health_status", label="Health", model="wellbeing.HealthStatus",
                              project=_health_status_facts))
events.register(events.Source(key="sdq", label="Health", model="wellbeing.SDQ", project=_sdq_facts))
events.register(events.Source(
    key="pep", label="Education", model="wellbeing.PEP", project=_pep_facts,
    prepare=lambda rows: _in_period(rows, "meeting_date"), follows=_PERIODS,
    starts_clocks=("pep",), stops_clocks=("pep",),
))
events.register(events.Source(
    key="pep_due", label="Education", model="care.PeriodOfCare", project=_pep_due_facts,
    prepare=lambda rows: rows.annotate(born=F("child__date_of_birth")), follows=_BIRTH,
    starts_clocks=("pep_due",),
))
events.register(events.Source(key="exclusion", label="Education", model="wellbeing.Exclusion",
                              project=_exclusion_facts))
events.register(events.Source(key="rights", label="Contact, advocacy and complaints",
                              model="wellbeing.ContactArrangement", project=_contact_arrangement_facts))
events.register(events.Source(key="advocacy_offer", label="Contact, advocacy and complaints",
                              model="wellbeing.AdvocacyOffer", project=_advocacy_offer_facts))
events.register(events.Source(key="complaint", label="Contact, advocacy and complaints",
                              model="wellbeing.Complaint", project=_complaint_facts))
events.register(events.Source(key="rights_explained", label="Contact, advocacy and complaints",
                              model="wellbeing.RightsExplained", project=_rights_explained_facts))
