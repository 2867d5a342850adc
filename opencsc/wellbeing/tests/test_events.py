"""What this app puts in the event log: chronology items and the health and PEP clocks."""

import datetime as dt

import pytest
from django.urls import reverse

from opencsc.casework.selectors import chronology_for
from opencsc.core import events
from opencsc.people.models import Child
from opencsc.timescales.reads import clock_facts
from opencsc.timescales.selectors import due_items

from .factories import ComplaintFactory, HealthAssessmentFactory, PEPFactory, PeriodOfCareFactory

D = dt.date
pytestmark = pytest.mark.django_db
RULES = ("initial_health_assessment", "review_health_assessment", "pep", "pep_review")


BORN = D(2015, 6, 1)
STARTED = D(2026, 1, 5)


def _child(birth=BORN, start=STARTED, end=None):
    return PeriodOfCareFactory(child__date_of_birth=birth, start_date=start, end_date=end)


def _due(child, today, rule):
    items = [i for i in due_items(children=Child.objects.filter(pk=child.pk), today=today, rules=RULES)
             if i.rule_code == rule]
    return items


def _clocks(children, *names):
    """(child id, clock event, day, scope) of these children in the event log, of these clock events."""
    return sorted((child_id, name, on, scope) for _order, child_id, name, on, scope in clock_facts(children)
                  if name in names)


def test_health_assessments_and_peps_belong_to_their_period_of_care():
    period = _child(start=D(2026, 1, 5), end=D(2026, 6, 1))
    child = period.child
    HealthAssessmentFactory(child=child, assessment_date=D(2026, 1, 20))
    HealthAssessmentFactory(child=child, assessment_date=D(2026, 6, 1))  # the day care ended: no longer in it
    HealthAssessmentFactory(child=child, assessment_date=D(2025, 12, 1))  # before care
    PEPFactory(child=child, meeting_date=D(2026, 1, 15))
    children = Child.objects.filter(pk=child.pk)
    assert _clocks(children, "health_assessment", "fifth_birthday") == [
        (child.pk, "fifth_birthday", D(2020, 6, 1), ""),
        (child.pk, "health_assessment", D(2026, 1, 20), f"period:{period.pk}"),
    ]
    assert _clocks(children, "pep_due", "pep") == [
        (child.pk, "pep", D(2026, 1, 15), f"period:{period.pk}"),
        (child.pk, "pep_due", D(2026, 1, 5), f"period:{period.pk}"),
    ]
    assert events.verify() == []


@pytest.mark.parametrize("birth, start, end, due", [
    (D(2015, 6, 1), D(2026, 1, 5), None, D(2026, 1, 5)),  # aged 10: from becoming looked after
    (D(2023, 6, 1), D(2025, 1, 5), None, D(2026, 6, 1)),  # a baby: from the third birthday
    (D(2023, 6, 1), D(2025, 1, 5), D(2026, 6, 1), None),  # left care on the third birthday
    (D(2008, 1, 6), D(2026, 1, 5), None, D(2026, 1, 5)),  # 17
    (D(2008, 1, 5), D(2026, 1, 5), None, None),  # 18 that day
])
def test_a_pep_is_due_for_children_aged_3_to_17(birth, start, end, due):
    child = _child(birth=birth, start=start, end=end).child
    assert [on for _child, _name, on, _scope in _clocks(Child.objects.filter(pk=child.pk), "pep_due")] == (
        [due] if due else [])


def test_no_pep_clock_runs_for_a_baby_until_the_third_birthday():
    child = _child(birth=D(2025, 6, 1), start=D(2026, 1, 5)).child
    assert _due(child, D(2026, 3, 1), "pep") == []
    assert _due(child, D(2026, 3, 1), "initial_health_assessment") != []


def test_clock_events_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    for _ in range(5):
        child = _child().child
        HealthAssessmentFactory(child=child, assessment_date=D(2026, 1, 20))
        PEPFactory(child=child, meeting_date=D(2026, 1, 15))
    with django_assert_max_num_queries(2):
        read = _clocks(Child.objects.all(), "health_assessment", "fifth_birthday", "pep_due", "pep")
    assert len(read) == 5 * 4


def test_the_initial_health_assessment_and_pep_are_due_after_becoming_looked_after():
    child = _child(start=D(2026, 1, 5)).child
    (health,) = _due(child, D(2026, 1, 10), "initial_health_assessment")
    (pep,) = _due(child, D(2026, 1, 10), "pep")
    assert (health.due, health.rag) == (D(2026, 2, 2), "green")
    assert pep.due == D(2026, 1, 19)
    HealthAssessmentFactory(child=child, kind="initial", assessment_date=D(2026, 1, 20))
    PEPFactory(child=child, meeting_date=D(2026, 1, 15))
    assert _due(child, D(2026, 1, 25), "initial_health_assessment") == []
    assert _due(child, D(2026, 1, 25), "pep") == []


def test_review_health_assessments_are_yearly_from_the_fifth_birthday_and_peps_termly():
    child = _child(birth=D(2015, 6, 1), start=D(2026, 1, 5)).child
    HealthAssessmentFactory(child=child, assessment_date=D(2026, 1, 20))
    PEPFactory(child=child, meeting_date=D(2026, 1, 15))
    (review,) = _due(child, D(2026, 3, 1), "review_health_assessment")
    (pep_review,) = _due(child, D(2026, 3, 1), "pep_review")
    assert review.due == D(2027, 1, 20)
    assert pep_review.due == D(2026, 5, 15)


def test_review_health_assessments_are_six_monthly_before_the_fifth_birthday():
    child = _child(birth=D(2023, 6, 1), start=D(2026, 1, 5)).child
    HealthAssessmentFactory(child=child, assessment_date=D(2026, 1, 20))
    (review,) = _due(child, D(2026, 3, 1), "review_health_assessment")
    assert review.due == D(2026, 7, 20)


def test_no_health_clocks_run_after_the_child_leaves_care():
    child = _child(start=D(2026, 1, 5), end=D(2026, 3, 1)).child
    HealthAssessmentFactory(child=child, assessment_date=D(2026, 1, 20))
    PEPFactory(child=child, meeting_date=D(2026, 1, 15))
    for rule in RULES:
        assert _due(child, D(2026, 12, 1), rule) == []


def test_the_chronology_shows_health_education_and_rights(make_user):
    child = _child().child
    HealthAssessmentFactory(child=child, kind="initial", assessment_date=D(2026, 1, 20), assessed_by="Dr Patel")
    PEPFactory(child=child, meeting_date=D(2026, 1, 15))
    ComplaintFactory(child=child, received_on=D(2026, 2, 2), outcome="upheld", outcome_date=D(2026, 3, 2))
    items = chronology_for(user=make_user(role="social_worker"), child=child)
    titles = {(i.occurred_on, i.title) for i in items}
    assert {(D(2026, 1, 20), "Initial health assessment"), (D(2026, 1, 15), "Personal education plan meeting"),
            (D(2026, 2, 2), "Complaint received"), (D(2026, 3, 2), "Complaint closed")} <= titles
    assert all(i.url == reverse("wellbeing:overview", args=[child.pk]) for i in items
               if i.kind in ("health_assessment", "pep", "complaint"))
