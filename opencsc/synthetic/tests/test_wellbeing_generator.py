"""The wellbeing step of the synthetic authority: who, validity, national rates, reproducibility."""

import datetime as dt

import pytest

from opencsc.care.models import PeriodOfCare
from opencsc.care.selectors import every_child
from opencsc.codes.lists import SDQ_REASON
from opencsc.people.models import Child
from opencsc.synthetic.generators.wellbeing import LOOKBACK_DAYS, generate_wellbeing
from opencsc.wellbeing import rules, selectors
from opencsc.wellbeing.models import (
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

TODAY = dt.date(2026, 11, 23)
MODELS = (HealthAssessment, DentalCheck, HealthStatus, SDQ, PEP, EducationTerm, Exclusion, ContactArrangement,
          AdvocacyOffer, Complaint, RightsExplained)


pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def _snapshot():
    return {m.__name__: sorted(m.objects.values_list("child_id", *[
        f.name for f in m._meta.concrete_fields if f.name not in ("id", "child", "created_by", "created_at")]))
        for m in MODELS}


def _looked_after_ids(ctx) -> set[int]:
    return set(PeriodOfCare.objects.values_list("child_id", flat=True))


def test_records_are_for_children_who_are_or_were_looked_after(authority, db):
    looked_after = _looked_after_ids(authority)
    assert looked_after
    for model in MODELS:
        assert set(model.objects.values_list("child_id", flat=True)) <= looked_after, model.__name__
    recent = set(PeriodOfCare.objects.filter(start_date__lte=TODAY - dt.timedelta(days=60)).exclude(
        end_date__lt=TODAY - dt.timedelta(days=365)).values_list("child_id", flat=True))
    assessed = set(HealthAssessment.objects.values_list("child_id", flat=True))
    assert len(recent & assessed) > 0.85 * len(recent)


def test_dates_codes_and_scores_are_valid(authority, db):
    since = TODAY - dt.timedelta(days=LOOKBACK_DAYS)
    births = dict(Child.objects.values_list("pk", "date_of_birth"))
    for model, field in ((HealthAssessment, "assessment_date"), (DentalCheck, "check_date"), (SDQ, "completed_on"),
                         (PEP, "meeting_date"), (HealthStatus, "recorded_on"), (Exclusion, "start_date")):
        for child_id, day in model.objects.values_list("child_id", field):
            assert since <= day <= TODAY and day >= births[child_id], model.__name__
    for sdq in SDQ.objects.all():
        assert (sdq.score is None) != (sdq.reason_not_done == "")
        assert sdq.score is None or (0 <= sdq.score <= 40 and sdq.completed_by)
        assert sdq.reason_not_done == "" or sdq.reason_not_done in SDQ_REASON
        if sdq.score is not None:
            assert 4 <= rules.age_on(births[sdq.child_id], sdq.completed_on) <= 16
    for term in EducationTerm.objects.all():
        assert 0 <= term.attendance_percent <= 100
        assert term.school_urn == "" or (len(term.school_urn) == 6 and term.school_urn.isdigit())
    for c in ContactArrangement.objects.all():
        assert c.start_date <= TODAY and (c.end_date is None or c.start_date <= c.end_date <= TODAY)
    for c in Complaint.objects.all():
        assert (c.outcome == "") == (c.outcome_date is None)
        assert c.outcome_date is None or c.received_on <= c.outcome_date <= TODAY


def test_rates_are_near_the_national_figures_with_some_late(authority, db):
    cohort = selectors.looked_after(on=TODAY, children=every_child()).count()
    assert cohort > 20
    health = selectors.health_checks_in_date(on=TODAY, children=every_child()).count() / cohort
    dental = selectors.dental_checks_in_date(on=TODAY, children=every_child()).count() / cohort
    pep_cohort = selectors.pep_cohort(on=TODAY, children=every_child()).count()
    peps = selectors.peps_in_date(on=TODAY, children=every_child()).count() / pep_cohort
    assert 0.7 <= health < 1, health
    assert 0.6 <= dental < 0.95, dental
    assert 0.65 <= peps < 1, peps
    scores = list(SDQ.objects.filter(score__isnull=False).values_list("score", flat=True))
    assert 10 <= sum(scores) / len(scores) <= 18


def test_the_same_seed_gives_the_same_records(authority, db):
    first = _snapshot()
    for model in MODELS:
        model.objects.all().delete()
    generate_wellbeing(authority)
    assert _snapshot() == first
