"""The pages, through the test client: recording, refusing, and the authority's lists."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opencsc.wellbeing import rules
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

from .factories import (
    ComplaintFactory,
    ContactArrangementFactory,
    DentalCheckFactory,
    HealthAssessmentFactory,
    PEPFactory,
    PeriodOfCareFactory,
    SDQFactory,
)

D = dt.date
pytestmark = pytest.mark.django_db


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def child():
    return PeriodOfCareFactory(child__date_of_birth=D(2015, 6, 1), start_date=D(2025, 9, 1)).child


THIS_YEAR = rules.term_of(timezone.localdate())[0]
VALID = {
    "health-assessment": (HealthAssessment, {"kind": "initial", **date_fields("assessment_date", D(2025, 9, 20)),
                                             "assessed_by": "Dr A Patel", "outcome": "Well; optician referral"}),
    "dental-check": (DentalCheck, {**date_fields("check_date", D(2025, 10, 1)), "dentist": "Smile Dental"}),
    "health-facts": (HealthStatus, {**date_fields("recorded_on", D(2025, 10, 1)), "immunisations_up_to_date": "yes",
                                    "substance_misuse": "yes", "intervention_offered": "yes",
                                    "intervention_received": "no"}),
    "sdq": (SDQ, {**date_fields("completed_on", D(2025, 10, 1)), "score": "17", "completed_by": "teacher"}),
    "pep": (PEP, {**date_fields("meeting_date", D(2025, 9, 15)), "status": "complete", "targets": "Times tables",
                  "quality_rating": "good"}),
    "school-term": (EducationTerm, {"academic_year": str(THIS_YEAR), "term": "autumn", "school_name": "Northvale",
                                    "school_urn": "100001", "attendance_percent": "94.5"}),
    "exclusion": (Exclusion, {**date_fields("start_date", D(2025, 11, 3)), "kind": "suspension", "school_days": "2",
                              "reason": "Fighting"}),
    "contact": (ContactArrangement, {"with_whom": "Sam Jones", "relationship": "Father", "frequency": "monthly",
                                     "supervised": "no", **date_fields("start_date", D(2025, 9, 10))}),
    "advocacy": (AdvocacyOffer, {**date_fields("offered_on", D(2025, 9, 10)), "offered_by": "IRO",
                                 "accepted": "yes", "advocate": "Coram Voice"}),
    "complaint": (Complaint, {**date_fields("received_on", D(2025, 12, 1)), "stage": "1",
                              "summary": "My contact was cancelled"}),
    "rights": (RightsExplained, {**date_fields("explained_on", D(2025, 9, 2)), "explained_by": "Social worker"}),
}


@pytest.mark.parametrize("kind", sorted(VALID))
def test_each_record_is_added_through_its_page(signed_in, child, kind):
    model, data = VALID[kind]
    client = signed_in("social_worker")
    url = reverse("wellbeing:record_add", args=[child.pk, kind])
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("wellbeing:overview", args=[child.pk])
    assert model.objects.filter(child=child, created_by=client.user).count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_an_unknown_kind_of_record_is_not_found(signed_in, child):
    assert signed_in("social_worker").get(reverse("wellbeing:record_add", args=[child.pk, "x-ray"])).status_code == 404


@pytest.mark.parametrize("kind, changes, message", [
    ("sdq", {"score": "41"}, "The score must be a whole number from 0 to 40"),
    ("sdq", {"score": "", "completed_by": "", "reason_not_done": "SDQ9"}, "from the list"),
    ("health-assessment", date_fields("assessment_date", D(2015, 5, 1)),
     "The date of the assessment must be on or after the child&#x27;s date of birth (1 Jun 2015)"),
    ("health-assessment", lambda: date_fields("assessment_date", timezone.localdate() + dt.timedelta(days=1)),
     "The date of the assessment must be today or in the past"),  # tomorrow as the test runs, not as collected
    ("school-term", {"school_urn": "123"}, "The school URN must be 6 digits, like 100000"),
    ("school-term", {"attendance_percent": "101"}, "Attendance must be a percentage from 0 to 100"),
    ("pep", {"status": "lost"}, "from the list"),
])
def test_bad_input_is_refused_on_the_page_and_nothing_is_saved(signed_in, child, kind, changes, message):
    model, data = VALID[kind]
    client = signed_in("social_worker")
    changes = changes() if callable(changes) else changes
    response = client.post(reverse("wellbeing:record_add", args=[child.pk, kind]), {**data, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not model.objects.exists()


def test_a_child_never_looked_after_is_told_so_and_cannot_have_a_pep(signed_in):
    never = PeriodOfCareFactory.build().child
    never.save()
    client = signed_in("social_worker")
    page = client.get(reverse("wellbeing:overview", args=[never.pk])).content.decode()
    assert "has not been looked after" in page
    response = client.post(reverse("wellbeing:record_add", args=[never.pk, "pep"]), VALID["pep"][1])
    assert "record their period of care first" in response.content.decode()
    assert not PEP.objects.exists()


def test_the_overview_shows_what_is_in_date_in_a_bounded_number_of_queries(signed_in, child,
                                                                           django_assert_max_num_queries):
    client = signed_in("social_worker")
    url = reverse("wellbeing:overview", args=[child.pk])
    HealthAssessmentFactory(child=child, assessment_date=timezone.localdate() - dt.timedelta(days=30),
                            assessed_by="Dr Nightingale")
    DentalCheckFactory(child=child, check_date=timezone.localdate() - dt.timedelta(days=400))
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for n in range(5):
        HealthAssessmentFactory(child=child, assessment_date=D(2025, 10, 1 + n))
        SDQFactory(child=child, completed_on=D(2025, 10, 1 + n))
        PEPFactory(child=child, meeting_date=D(2025, 10, 1 + n))
        ContactArrangementFactory(child=child)
        ComplaintFactory(child=child)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Dr Nightingale" in page
    assert page.count("In date") >= 1 and "Out of date" in page


def test_a_contact_arrangement_is_ended_through_its_page(signed_in, child):
    arrangement = ContactArrangementFactory(child=child, start_date=D(2025, 10, 1))
    client = signed_in("social_worker")
    url = reverse("wellbeing:contact_end", args=[child.pk, arrangement.pk])
    response = client.post(url, {**date_fields("end_date", D(2025, 9, 1)), "version": 1})
    assert "The end date must be on or after the start date (1 Oct 2025)" in response.content.decode()
    response = client.post(url, {**date_fields("end_date", D(2026, 1, 1)), "version": 1})
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.end_date == D(2026, 1, 1)
    assert client.get(url).status_code == 404  # ended: nothing more to end


def test_a_stale_contact_end_is_refused(signed_in, child):
    arrangement = ContactArrangementFactory(child=child)
    client = signed_in("social_worker")
    response = client.post(reverse("wellbeing:contact_end", args=[child.pk, arrangement.pk]),
                           {**date_fields("end_date", D(2026, 1, 1)), "version": 7})
    assert "Someone else changed this record" in response.content.decode()
    arrangement.refresh_from_db()
    assert arrangement.end_date is None


def test_a_complaint_is_closed_through_its_page(signed_in, child):
    complaint = ComplaintFactory(child=child, received_on=D(2026, 2, 2))
    client = signed_in("team_manager")
    url = reverse("wellbeing:complaint_update", args=[child.pk, complaint.pk])
    response = client.post(url, {"stage": "1", "outcome": "upheld", **date_fields("outcome_date", D(2026, 3, 1)),
                                 "version": 1})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.outcome_date) == ("upheld", D(2026, 3, 1))
    assert client.get(url).status_code == 404


def test_another_childs_records_are_not_found_through_this_child(signed_in, child):
    other = PeriodOfCareFactory().child
    complaint = ComplaintFactory(child=other)
    client = signed_in("social_worker")
    assert client.get(reverse("wellbeing:complaint_update", args=[child.pk, complaint.pk])).status_code == 404


# --- The authority's lists ----------------------------------------------------------------------


def test_the_dashboard_counts_and_drills_down_to_the_children(signed_in):
    today = timezone.localdate()
    in_date = PeriodOfCareFactory(child__date_of_birth=D(2015, 6, 1), child__last_name="Inwood",
                                  start_date=D(2024, 1, 1)).child
    HealthAssessmentFactory(child=in_date, assessment_date=today - dt.timedelta(days=20))
    late = PeriodOfCareFactory(child__date_of_birth=D(2015, 6, 1), child__last_name="Latimer",
                               start_date=D(2024, 1, 1)).child
    HealthAssessmentFactory(child=late, assessment_date=today - dt.timedelta(days=400))
    SDQFactory(child=late, completed_on=today - dt.timedelta(days=20), score=30)
    client = signed_in("performance_analyst")
    page = client.get(reverse("wellbeing:dashboard")).content.decode()
    assert "2 children are looked after" in page
    assert "50%" in page
    listed = client.get(reverse("wellbeing:children"), {"measure": "health"}).content.decode()
    assert "Latimer" in listed and "Inwood" not in listed
    concern = client.get(reverse("wellbeing:children"), {"measure": "sdq", "band": "concern"}).content.decode()
    assert "Latimer" in concern and "Inwood" not in concern


def test_the_list_searches_and_paginates(signed_in):
    for n in range(27):
        PeriodOfCareFactory(child__last_name=f"Smith{n:02d}", child__date_of_birth=D(2015, 6, 1),
                            start_date=D(2024, 1, 1))
    PeriodOfCareFactory(child__last_name="Ottoline", child__date_of_birth=D(2015, 6, 1), start_date=D(2024, 1, 1))
    client = signed_in("team_manager")
    url = reverse("wellbeing:children")
    first = client.get(url, {"measure": "dental"}).content.decode()
    assert "28 children" in first and "1 of 2" in first
    second = client.get(url, {"measure": "dental", "page": 2}).content.decode()
    assert second.count("govuk-table__row") == 4  # the header and 3 children
    found = client.get(url, {"measure": "dental", "q": "ottoline"}).content.decode()
    assert "1 child" in found and "Ottoline" in found and "Smith01" not in found
    nobody = client.get(url, {"measure": "dental", "q": "zzzz"}).content.decode()
    assert "No children match" in nobody


@pytest.mark.parametrize("params", [{"measure": "teeth"}, {"measure": "health", "band": "concern"},
                                    {"measure": "sdq", "band": "awful"}])
def test_an_unknown_list_is_not_found(signed_in, params):
    assert signed_in("auditor").get(reverse("wellbeing:children"), params).status_code == 404
