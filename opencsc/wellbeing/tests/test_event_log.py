"""The event log (core/events.py) of health, education, contact and rights: what the services
write."""

import datetime as dt

import pytest

from opencsc.accounts.roles import Role
from opencsc.care import services as care_services
from opencsc.care.tests.factories import looked_after
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.people import services as people_services
from opencsc.people.tests.factories import ChildFactory
from opencsc.wellbeing import services

pytestmark = pytest.mark.django_db

KINDS = ["advocacy_offer", "complaint", "dental_check", "exclusion", "health_assessment", "health_status", "pep",
         "pep_due", "rights", "rights_explained", "sdq"]


# --- What the services write (durable) --------------------------------------------------------------

D = dt.date
BORN = D(2015, 6, 1)
CARE = D(2025, 9, 1)


@pytest.fixture
def worker(make_user):
    return make_user(role=Role.SOCIAL_WORKER)


@pytest.fixture
def period(worker):
    """A child born 1 Jun 2015, looked after since 1 Sep 2025 (through the care service)."""
    return looked_after(worker, ChildFactory(date_of_birth=BORN), on=CARE)


def _rows(child, kind):
    return set(Event.objects.filter(child=child, kind=kind).values_list("occurred_on", "seq", "title", "scope",
                                                                       "clock"))


CREATES = [
    ("health_assessment", "health_assessment_record",
     {"kind": "initial", "assessment_date": D(2025, 9, 20), "assessed_by": "Dr Patel", "outcome": "Well"},
     {(D(2025, 9, 20), 0, "Initial health assessment", "period", "health_assessment"),
      (D(2020, 6, 1), 1, "", "", "fifth_birthday")}),
    ("dental_check", "dental_check_record", {"check_date": D(2025, 10, 1), "dentist": "Smile Dental"},
     {(D(2025, 10, 1), 1, "Dental check", "", "")}),
    ("health_status", "health_status_record",
     {"recorded_on": D(2025, 10, 2), "immunisations_up_to_date": True, "substance_misuse": False},
     {(D(2025, 10, 2), 2, "Health facts checked", "", "")}),
    ("sdq", "sdq_record", {"completed_on": D(2025, 10, 3), "score": 12, "completed_by": "carer"},
     {(D(2025, 10, 3), 3, "Strengths and difficulties questionnaire", "", "")}),
    ("pep", "pep_record", {"meeting_date": D(2025, 10, 4), "status": "complete", "targets": "Reading"},
     {(D(2025, 10, 4), 0, "Personal education plan meeting", "period", "pep")}),
    ("exclusion", "exclusion_record", {"start_date": D(2025, 10, 5), "kind": "suspension", "reason": "Fighting"},
     {(D(2025, 10, 5), 1, None, "", "")}),
    ("rights", "contact_arrangement_record",
     {"with_whom": "Mum", "relationship": "Mother", "frequency": "weekly", "supervised": True,
      "start_date": D(2025, 10, 6)},
     {(D(2025, 10, 6), 0, "Contact arrangement started", "", "")}),
    ("advocacy_offer", "advocacy_offer_record", {"offered_on": D(2025, 10, 7), "offered_by": "Social worker"},
     {(D(2025, 10, 7), 2, "Advocacy offered", "", "")}),
    ("complaint", "complaint_record", {"received_on": D(2025, 10, 8), "summary": "Late pocket money"},
     {(D(2025, 10, 8), 3, "Complaint received", "", "")}),
    ("rights_explained", "rights_explained_record", {"explained_on": D(2025, 10, 9), "explained_by": "IRO"},
     {(D(2025, 10, 9), 5, "Told their rights and entitlements", "", "")}),
]


@pytest.mark.parametrize("kind, service, values, expected", CREATES, ids=[c[1] for c in CREATES])
def test_each_record_is_in_the_log(worker, period, kind, service, values, expected):
    child = period.child
    getattr(services, service)(actor=worker, child=child, **values)
    scope = f"period:{period.pk}"
    rows = _rows(child, kind)
    assert {(d, s, t, scope if sc else "", c) for d, s, t, sc, c in expected if t is not None} <= rows
    assert len(rows) == len(expected)
    assert events.verify(kinds=KINDS) == []


def test_the_pep_due_day_is_in_the_log(period):
    assert _rows(period.child, "pep_due") == {(CARE, 0, "", f"period:{period.pk}", "pep_due")}


def test_ending_an_arrangement_and_closing_a_complaint_are_in_the_log(worker, period):
    child = period.child
    arrangement = services.contact_arrangement_record(
        actor=worker, child=child, with_whom="Mum", relationship="Mother", frequency="weekly", supervised=False,
        start_date=D(2025, 10, 6))
    services.contact_arrangement_end(actor=worker, arrangement=arrangement, end_date=D(2026, 2, 1),
                                     expected_version=arrangement.version)
    complaint = services.complaint_record(actor=worker, child=child, received_on=D(2025, 10, 8), summary="Food")
    services.complaint_update(actor=worker, complaint=complaint, stage=complaint.stage, outcome="upheld",
                              outcome_date=D(2025, 11, 1), expected_version=complaint.version)
    assert (D(2026, 2, 1), 1, "Contact arrangement ended", "", "") in _rows(child, "rights")
    assert (D(2025, 11, 1), 4, "Complaint closed", "", "") in _rows(child, "complaint")
    assert events.verify(kinds=KINDS) == []


def test_the_period_of_care_and_date_of_birth_move_the_clocks(worker, period, make_user):
    """Ending the period of care takes a later assessment out of it; a corrected date of birth moves the
    fifth birthday and the day a PEP is due."""
    child = period.child
    services.health_assessment_record(actor=worker, child=child, kind="review", assessment_date=D(2026, 3, 2),
                                      assessed_by="Nurse", outcome="Well")
    assert Event.objects.get(child=child, kind="health_assessment", seq=0).scope == f"period:{period.pk}"
    care_services.period_end(actor=worker, child=child, end_date=D(2026, 3, 1), reason_ceased="E4A")
    assert Event.objects.get(child=child, kind="health_assessment", seq=0).clock == ""
    child.refresh_from_db()
    people_services.child_update(actor=make_user(role=Role.TEAM_MANAGER), child=child, expected_version=child.version,
                                 date_of_birth=D(2023, 1, 10))
    assert Event.objects.get(child=child, clock="fifth_birthday").occurred_on == D(2028, 1, 10)
    assert Event.objects.get(child=child, clock="pep_due").occurred_on == D(2026, 1, 10)
    assert events.verify(kinds=KINDS) == []
