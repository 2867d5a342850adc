"""The services: what each records, and what each refuses (changing nothing)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.core.audit import StaleRecordError
from opencsc.core.models import AuditEvent
from opencsc.people import policy as people_policy
from opencsc.wellbeing import services
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
    HealthAssessmentFactory,
    PeriodOfCareFactory,
)

D = dt.date
pytestmark = pytest.mark.django_db
MODELS = (HealthAssessment, DentalCheck, HealthStatus, SDQ, PEP, EducationTerm, Exclusion, ContactArrangement,
          AdvocacyOffer, Complaint, RightsExplained)


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS} | {"audit": AuditEvent.objects.count()}


@pytest.fixture
def worker(make_user):
    return make_user(role=Role.SOCIAL_WORKER)


@pytest.fixture
def child():
    """Born 1 Jun 2015, looked after since 1 Sep 2025."""
    return PeriodOfCareFactory(child__date_of_birth=D(2015, 6, 1), start_date=D(2025, 9, 1)).child


def _refused(call, field=None):
    before = _counts()
    with pytest.raises(ValidationError) as info:
        call()
    assert _counts() == before
    if field:
        assert field in info.value.message_dict, info.value.message_dict
        return info.value.message_dict[field][0]
    return info.value.messages[0]


# --- Health assessments -------------------------------------------------------------------------


def test_a_health_assessment_is_recorded_and_audited(worker, child):
    a = services.health_assessment_record(actor=worker, child=child, kind="initial", assessment_date=D(2025, 9, 20),
                                          assessed_by="  Dr A Patel ", outcome="Well. Refer to optician.")
    assert (a.kind, a.assessment_date, a.assessed_by, a.created_by) == ("initial", D(2025, 9, 20), "Dr A Patel", worker)
    event = AuditEvent.objects.get(object_id=str(a.pk), action=AuditEvent.Action.CREATED)
    assert event.child == child and event.summary == "Initial health assessment recorded"


@pytest.mark.parametrize("day, message", [
    (D(2015, 5, 31), "The date of the assessment must be on or after the child's date of birth (1 Jun 2015)"),
    (None, "Enter the date of the assessment"),
    (D(2025, 8, 31), "was not looked after on or before 31 Aug 2025: record their period of care first"),
])
def test_a_health_assessment_date_must_be_real_after_birth_and_in_care(worker, child, day, message):
    text = _refused(lambda: services.health_assessment_record(
        actor=worker, child=child, kind="review", assessment_date=day, assessed_by="Nurse", outcome="Well"),
        "assessment_date")
    assert message in text


def test_a_health_assessment_cannot_be_in_the_future(worker, child):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert _refused(lambda: services.health_assessment_record(
        actor=worker, child=child, kind="review", assessment_date=tomorrow, assessed_by="Nurse", outcome="Well"),
        "assessment_date") == "The date of the assessment must be today or in the past"


@pytest.mark.parametrize("field, values, message", [
    ("kind", {"kind": "annual"}, "Select whether it was an initial or review health assessment"),
    ("assessed_by", {"assessed_by": "   "}, "Enter who carried out the assessment"),
    ("outcome", {"outcome": ""}, "Enter the outcome and recommendations"),
])
def test_a_health_assessment_needs_its_kind_who_and_outcome(worker, child, field, values, message):
    args = {"kind": "review", "assessment_date": D(2026, 1, 5), "assessed_by": "Nurse", "outcome": "Well"} | values
    assert _refused(lambda: services.health_assessment_record(actor=worker, child=child, **args), field) == message


def test_only_one_initial_health_assessment_per_period_of_care(worker, child, make_user):
    HealthAssessmentFactory(child=child, kind="initial", assessment_date=D(2025, 9, 20))
    message = _refused(lambda: services.health_assessment_record(
        actor=worker, child=child, kind="initial", assessment_date=D(2026, 1, 5), assessed_by="Nurse",
        outcome="Well"), "kind")
    assert "already recorded on 20 Sep 2025" in message
    # A new period of care needs its own initial assessment.
    PeriodOfCareFactory(child=child, start_date=D(2026, 4, 1), created_by=make_user())
    child.care_periods.filter(start_date=D(2025, 9, 1)).update(end_date=D(2026, 2, 1))
    services.health_assessment_record(actor=worker, child=child, kind="initial", assessment_date=D(2026, 4, 20),
                                      assessed_by="Nurse", outcome="Well")


@pytest.mark.parametrize("role", sorted(set(Role.values) - people_policy.may_record.roles))
def test_roles_that_cannot_record_are_refused(make_user, child, role):
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.dental_check_record(actor=make_user(role=role), child=child, check_date=D(2026, 1, 5))
    assert _counts() == before


# --- SDQ ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 1, 17, 39, 40])
def test_an_sdq_score_from_0_to_40_is_recorded(worker, child, score):
    sdq = services.sdq_record(actor=worker, child=child, completed_on=D(2026, 1, 5), score=score,
                              completed_by="carer")
    assert (sdq.score, sdq.completed_by, sdq.reason_not_done) == (score, "carer", "")


@pytest.mark.parametrize("score", [-1, 41, 100, 12.5, True])
def test_an_sdq_score_outside_0_to_40_is_refused(worker, child, score):
    assert _refused(lambda: services.sdq_record(
        actor=worker, child=child, completed_on=D(2026, 1, 5), score=score, completed_by="carer"),
        "score") == "The score must be a whole number from 0 to 40"


@pytest.mark.parametrize("reason", ["SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"])
def test_every_dfe_reason_for_no_score_is_accepted(worker, child, reason):
    sdq = services.sdq_record(actor=worker, child=child, completed_on=D(2026, 1, 5), reason_not_done=reason)
    assert (sdq.score, sdq.reason_not_done) == (None, reason)


@pytest.mark.parametrize("reason", ["SDQ0", "SDQ6", "sdq1", "X"])
def test_a_reason_the_dfe_list_does_not_contain_is_refused(worker, child, reason):
    assert _refused(lambda: services.sdq_record(
        actor=worker, child=child, completed_on=D(2026, 1, 5), reason_not_done=reason),
        "reason_not_done") == "Select why there is no score"


@pytest.mark.parametrize("values, field, message", [
    ({}, "score", "Enter the total difficulties score, or select the reason there is no score"),
    ({"score": 10, "completed_by": "carer", "reason_not_done": "SDQ4"}, "reason_not_done",
     "Enter a score or a reason there is no score, not both"),
    ({"score": 10}, "completed_by", "Select who completed the questionnaire"),
    ({"score": 10, "completed_by": "social_worker"}, "completed_by",
     "Select who completed the questionnaire from the list"),
])
def test_an_sdq_needs_a_score_with_who_completed_it_or_a_reason(worker, child, values, field, message):
    assert _refused(lambda: services.sdq_record(actor=worker, child=child, completed_on=D(2026, 1, 5), **values),
                    field) == message


@pytest.mark.parametrize("birth, allowed", [
    (D(2022, 1, 6), False),  # 3 the day before their fourth birthday
    (D(2022, 1, 5), True),  # 4 today
    (D(2009, 1, 6), True),  # 16, the day before their 17th birthday
    (D(2009, 1, 5), False),  # 17 today
])
def test_an_sdq_score_is_for_children_aged_4_to_16(worker, make_user, birth, allowed):
    child = PeriodOfCareFactory(child__date_of_birth=birth, start_date=D(2025, 9, 1)).child
    call = lambda: services.sdq_record(actor=worker, child=child, completed_on=D(2026, 1, 5), score=10,  # noqa: E731
                                       completed_by="teacher")
    if allowed:
        assert call().score == 10
    else:
        assert "only recorded for children aged 4 to 16" in _refused(call, "score")


# --- Other health facts --------------------------------------------------------------------------


@pytest.mark.parametrize("values, field", [
    ({"substance_misuse": False, "intervention_offered": True}, "intervention_offered"),
    ({"substance_misuse": True}, "intervention_offered"),
    ({"substance_misuse": True, "intervention_offered": False, "intervention_received": True},
     "intervention_received"),
    ({"substance_misuse": False, "development_check_up_to_date": True}, "development_check_up_to_date"),
])
def test_health_facts_must_agree_with_each_other(worker, child, values, field):
    _refused(lambda: services.health_status_record(
        actor=worker, child=child, recorded_on=D(2026, 1, 5), immunisations_up_to_date=True, **values), field)


def test_development_checks_are_asked_for_children_under_5(worker, make_user):
    baby = PeriodOfCareFactory(child__date_of_birth=D(2024, 2, 1), start_date=D(2025, 9, 1)).child
    _refused(lambda: services.health_status_record(actor=worker, child=baby, recorded_on=D(2026, 1, 5),
                                                   immunisations_up_to_date=True, substance_misuse=False),
             "development_check_up_to_date")
    status = services.health_status_record(actor=worker, child=baby, recorded_on=D(2026, 1, 5),
                                           immunisations_up_to_date=True, substance_misuse=False,
                                           development_check_up_to_date=False)
    assert status.development_check_up_to_date is False


# --- Education -----------------------------------------------------------------------------------


def test_a_pep_is_recorded(worker, child):
    pep = services.pep_record(actor=worker, child=child, meeting_date=D(2026, 1, 12), status="complete",
                              targets="Phonics daily", virtual_school_view="Good targets", quality_rating="good")
    assert (pep.status, pep.quality_rating) == ("complete", "good")


@pytest.mark.parametrize("values, field", [
    ({"status": "signed"}, "status"), ({"targets": " "}, "targets"), ({"quality_rating": "outstanding"},
                                                                      "quality_rating"),
    ({"meeting_date": D(2025, 8, 1)}, "meeting_date"),
])
def test_a_pep_is_refused_with_a_clear_message(worker, child, values, field):
    args = {"meeting_date": D(2026, 1, 12), "status": "complete", "targets": "Phonics"} | values
    _refused(lambda: services.pep_record(actor=worker, child=child, **args), field)


@pytest.mark.parametrize("values, field, message", [
    ({"school_urn": "12345"}, "school_urn", "The school URN must be 6 digits, like 100000"),
    ({"school_urn": "10000A"}, "school_urn", "The school URN must be 6 digits, like 100000"),
    ({"attendance_percent": Decimal("100.1")}, "attendance_percent", "Attendance must be a percentage from 0 to 100"),
    ({"attendance_percent": -1}, "attendance_percent", "Attendance must be a percentage from 0 to 100"),
    ({"term": "winter"}, "term", "Select the term"),
    ({"academic_year": 1999}, "academic_year", None),
    ({"school_name": ""}, "school_name", "Enter the name of the school"),
])
def test_a_school_term_is_refused_with_a_clear_message(worker, child, values, field, message):
    args = {"academic_year": 2025, "term": "autumn", "school_name": "Northvale Primary", "school_urn": "100001",
            "attendance_percent": Decimal("93.5")} | values
    text = _refused(lambda: services.education_term_record(actor=worker, child=child, **args), field)
    if message:
        assert text == message


def test_a_term_is_recorded_once(worker, child):
    args = {"academic_year": 2025, "term": "autumn", "school_name": "Northvale Primary", "school_urn": "100001",
            "attendance_percent": Decimal("93.5")}
    term = services.education_term_record(actor=worker, child=child, **args)
    assert (str(term), term.attendance_percent) == ("Autumn term 2025/26", Decimal("93.5"))
    assert _refused(lambda: services.education_term_record(actor=worker, child=child, **args),
                    "term") == "This term is already recorded for the child"


def test_an_exclusion_is_recorded_and_checked(worker, child):
    services.exclusion_record(actor=worker, child=child, start_date=D(2026, 2, 2), kind="suspension",
                              reason="Fighting", school_days=2)
    _refused(lambda: services.exclusion_record(actor=worker, child=child, start_date=D(2026, 2, 2), kind="expelled",
                                               reason="Fighting"), "kind")


# --- Contact -------------------------------------------------------------------------------------


def test_a_contact_arrangement_is_recorded_and_ended(worker, child):
    c = services.contact_arrangement_record(actor=worker, child=child, with_whom="Sam Jones", relationship="Father",
                                            frequency="monthly", supervised=False, start_date=D(2025, 9, 10))
    services.contact_arrangement_end(actor=worker, arrangement=c, end_date=D(2026, 1, 31), expected_version=1)
    c.refresh_from_db()
    assert (c.end_date, c.version, c.is_current) == (D(2026, 1, 31), 2, False)
    assert _refused(lambda: services.contact_arrangement_end(actor=worker, arrangement=c, end_date=D(2026, 2, 1),
                                                             expected_version=2)) == "This arrangement ended on 31 Jan 2026"


def test_ending_contact_is_refused_before_it_started_or_on_a_stale_version(worker, child):
    c = ContactArrangementFactory(child=child, start_date=D(2025, 10, 1))
    assert _refused(lambda: services.contact_arrangement_end(
        actor=worker, arrangement=c, end_date=D(2025, 9, 30), expected_version=1), "end_date").startswith(
        "The end date must be on or after the start date")
    before = _counts()
    with pytest.raises(StaleRecordError):
        services.contact_arrangement_end(actor=worker, arrangement=c, end_date=D(2026, 1, 1), expected_version=0)
    assert _counts() == before
    c.refresh_from_db()
    assert c.end_date is None


def test_a_contact_arrangement_needs_a_frequency_from_the_list(worker, child):
    _refused(lambda: services.contact_arrangement_record(
        actor=worker, child=child, with_whom="Sam", relationship="Father", frequency="daily", supervised=True,
        start_date=D(2025, 9, 10)), "frequency")


# --- Rights, advocacy and complaints --------------------------------------------------------------


def test_advocacy_names_an_advocate_only_when_accepted(worker, child):
    _refused(lambda: services.advocacy_offer_record(actor=worker, child=child, offered_on=D(2026, 1, 5),
                                                    offered_by="IRO", accepted=False, advocate="Coram Voice"),
             "advocate")
    offer = services.advocacy_offer_record(actor=worker, child=child, offered_on=D(2026, 1, 5), offered_by="IRO",
                                           accepted=True, advocate="Coram Voice")
    assert offer.advocate == "Coram Voice"


def test_rights_explained_are_recorded(worker, child):
    r = services.rights_explained_record(actor=worker, child=child, explained_on=D(2025, 9, 3),
                                         explained_by="Social worker", how="The pledge, with pictures")
    assert r.explained_by == "Social worker"


def test_a_complaint_moves_on_a_stage_then_closes(worker, child):
    c = services.complaint_record(actor=worker, child=child, received_on=D(2026, 1, 5), summary="Late pocket money")
    services.complaint_update(actor=worker, complaint=c, stage="2", expected_version=1)
    services.complaint_update(actor=worker, complaint=c, stage="2", outcome="partly_upheld",
                              outcome_date=D(2026, 2, 20), expected_version=2)
    c.refresh_from_db()
    assert (c.stage, c.outcome, c.outcome_date, c.is_open) == ("2", "partly_upheld", D(2026, 2, 20), False)
    assert "was closed on 20 Feb 2026" in _refused(
        lambda: services.complaint_update(actor=worker, complaint=c, stage="3", expected_version=3))


@pytest.mark.parametrize("values, field", [
    ({"stage": "1"}, "stage"),  # back from stage 2
    ({"stage": "4"}, "stage"),
    ({"stage": "2", "outcome": "upheld"}, "outcome_date"),
    ({"stage": "2", "outcome": "upheld", "outcome_date": D(2026, 1, 1)}, "outcome_date"),
    ({"stage": "2", "outcome_date": D(2026, 3, 1)}, "outcome"),
    ({"stage": "2", "outcome": "resolved", "outcome_date": D(2026, 3, 1)}, "outcome"),
])
def test_a_complaint_update_is_refused_with_a_clear_message(worker, child, values, field):
    c = ComplaintFactory(child=child, received_on=D(2026, 2, 2), stage="2")
    _refused(lambda: services.complaint_update(actor=worker, complaint=c, expected_version=1, **values), field)
    c.refresh_from_db()
    assert (c.stage, c.outcome, c.version) == ("2", "", 1)
