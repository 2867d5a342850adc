"""The care services: each change is one transaction with audit, and a refused change changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencsc.care import services
from opencsc.care.models import (
    CareEpisode,
    CarePlan,
    IROAppointment,
    IROEscalation,
    LookedAfterReview,
    PeriodOfCare,
    Placement,
)
from opencsc.care.tests.factories import FOSTER, looked_after
from opencsc.casework.models import Meeting, Plan
from opencsc.core.audit import StaleRecordError
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory

D = dt.date
RESIDENTIAL = {"placement_type": "K2", "provider": "PR2", "carer_name": "Elm House", "postcode": "B12 9QT",
               "in_authority": False, "distance_km": "48.5", "siblings_placed_together": "none"}


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=D(2014, 6, 1))


def counts():
    return (PeriodOfCare.objects.count(), Placement.objects.count(), CareEpisode.objects.count(),
            AuditEvent.objects.count(), CarePlan.objects.count(), LookedAfterReview.objects.count(),
            IROEscalation.objects.count(), IROAppointment.objects.count())


def episode_rows(child):
    return list(CareEpisode.objects.filter(child=child).order_by("start_date", "id").values_list(
        "start_date", "end_date", "reason_new_episode", "legal_status", "placement__placement_type", "reason_ceased"))


def test_becoming_looked_after_opens_a_period_a_placement_and_an_s_episode(worker, child):
    period = looked_after(worker, child, D(2026, 4, 1))

    assert (period.start_date, period.end_date) == (D(2026, 4, 1), None)
    assert episode_rows(child) == [(D(2026, 4, 1), None, "S", "C2", "U3", "")]
    placement = Placement.objects.get(child=child)
    assert (placement.period_id, str(placement.distance_km), placement.in_authority) == (period.pk, "3.2", True)
    assert AuditEvent.objects.filter(child=child, action="created").count() == 3


def test_a_move_ends_the_episode_and_placement_and_opens_new_ones_the_same_day(worker, child):
    looked_after(worker, child, D(2026, 4, 1))

    new = services.placement_change(actor=worker, child=child, change_date=D(2026, 6, 10), reason_for_change="CARPL",
                                    **RESIDENTIAL)

    assert episode_rows(child) == [
        (D(2026, 4, 1), D(2026, 6, 10), "S", "C2", "U3", "X1"),
        (D(2026, 6, 10), None, "P", "C2", "K2", ""),
    ]
    old = Placement.objects.exclude(pk=new.pk).get(child=child)
    assert (old.end_date, old.reason_for_change) == (D(2026, 6, 10), "CARPL")


def test_a_move_with_a_new_legal_status_is_a_change_of_both(worker, child):
    looked_after(worker, child, D(2026, 4, 1), legal_status="V2")
    services.placement_change(actor=worker, child=child, change_date=D(2026, 6, 10), reason_for_change="CARPL",
                              legal_status="C2", **RESIDENTIAL)
    assert [r[2:4] for r in episode_rows(child)] == [("S", "V2"), ("B", "C2")]


def test_a_legal_status_change_keeps_the_placement(worker, child):
    looked_after(worker, child, D(2026, 4, 1), legal_status="C1")
    services.legal_status_change(actor=worker, child=child, change_date=D(2026, 7, 1), legal_status="C2")
    rows = list(CareEpisode.objects.filter(child=child).order_by("start_date").values_list(
        "reason_new_episode", "legal_status", "placement_id"))
    assert [r[:2] for r in rows] == [("S", "C1"), ("L", "C2")]
    assert rows[0][2] == rows[1][2]


def test_ending_the_period_closes_the_episode_placement_plan_and_iro(worker, child, make_user):
    period = looked_after(worker, child, D(2026, 4, 1))
    services.care_plan_record(actor=worker, child=child, start_date=D(2026, 4, 8), summary="Stay with carers")
    services.iro_appoint(actor=worker, child=child, iro=make_user("iro"), appointed_on=D(2026, 4, 3))

    services.period_end(actor=worker, child=child, end_date=D(2026, 9, 1), reason_ceased="E4A")

    period.refresh_from_db()
    assert period.end_date == D(2026, 9, 1)
    assert episode_rows(child)[-1][-1] == "E4A"
    assert Placement.objects.get(child=child).end_date == D(2026, 9, 1)
    assert Plan.objects.get(child=child, kind="care").end_date == D(2026, 9, 1)
    assert IROAppointment.objects.get(child=child).ended_on == D(2026, 9, 1)


def test_a_second_period_starts_with_s(worker, child):
    looked_after(worker, child, D(2025, 4, 1))
    services.period_end(actor=worker, child=child, end_date=D(2025, 9, 1), reason_ceased="E4A")
    looked_after(worker, child, D(2026, 2, 1))
    assert [r[2] for r in episode_rows(child)] == ["S", "S"]
    assert PeriodOfCare.objects.filter(child=child).count() == 2


# --- Refusals change nothing -----------------------------------------------------------------


@pytest.mark.parametrize("values, field", [
    ({"legal_status": "C9"}, "legal_status"),
    ({"category_of_need": "N0"}, "category_of_need"),
    ({"placement_type": "U9"}, "placement_type"),
    ({"provider": "PR7"}, "provider"),
    ({"placement_type": "T4", "provider": ""}, "placement_type"),
    ({"placement_type": "P1", "provider": "PR1"}, "provider"),
    ({"placement_type": "A6", "legal_status": "C2"}, "legal_status"),
    ({"start_date": D(2013, 1, 1)}, "start_date"),
    ({"start_date": D(2099, 1, 1)}, "start_date"),
    ({"siblings_placed_together": "maybe"}, "siblings_placed_together"),
    ({"distance_km": "-1"}, "distance_km"),
])
def test_becoming_looked_after_with_bad_input_is_refused_and_changes_nothing(worker, child, values, field):
    before = counts()
    arguments = {"start_date": D(2026, 4, 1), "legal_status": "C2", "category_of_need": "N1", **FOSTER, **values}
    with pytest.raises(ValidationError) as error:
        services.child_becomes_looked_after(actor=worker, child=child, **arguments)
    assert field in error.value.message_dict
    assert counts() == before


def test_a_child_already_looked_after_cannot_become_looked_after_again(worker, child):
    looked_after(worker, child, D(2026, 4, 1))
    before = counts()
    with pytest.raises(ValidationError, match="already looked after"):
        services.child_becomes_looked_after(actor=worker, child=child, start_date=D(2026, 5, 1), legal_status="C2",
                                            category_of_need="N1", **FOSTER)
    assert counts() == before


def test_a_new_period_cannot_overlap_an_earlier_one(worker, child):
    looked_after(worker, child, D(2025, 4, 1))
    services.period_end(actor=worker, child=child, end_date=D(2025, 9, 1), reason_ceased="E4A")
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.child_becomes_looked_after(actor=worker, child=child, start_date=D(2025, 8, 1), legal_status="C2",
                                            category_of_need="N1", **FOSTER)
    assert "overlap" in error.value.message_dict["start_date"][0]
    assert counts() == before


@pytest.mark.parametrize("values, field", [
    ({"change_date": D(2026, 3, 1)}, "change_date"),  # before the placement started
    ({"reason_for_change": ""}, "reason_for_change"),
    ({"reason_for_change": "BORED"}, "reason_for_change"),
    ({"placement_type": "ZZ"}, "placement_type"),
    ({"legal_status": "V3", "placement_type": "U1"}, "placement_type"),
])
def test_a_bad_move_is_refused_and_changes_nothing(worker, child, values, field):
    looked_after(worker, child, D(2026, 4, 1))
    before, rows = counts(), episode_rows(child)
    arguments = {"change_date": D(2026, 6, 1), "reason_for_change": "CARPL", **RESIDENTIAL, **values}
    with pytest.raises(ValidationError) as error:
        services.placement_change(actor=worker, child=child, **arguments)
    assert field in error.value.message_dict
    assert counts() == before and episode_rows(child) == rows


def test_a_legal_status_change_to_the_same_status_is_refused(worker, child):
    looked_after(worker, child, D(2026, 4, 1), legal_status="C2")
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.legal_status_change(actor=worker, child=child, change_date=D(2026, 5, 1), legal_status="C2")
    assert "legal_status" in error.value.message_dict
    assert counts() == before


@pytest.mark.parametrize("end_date, reason, field", [
    (D(2026, 3, 1), "E4A", "end_date"),   # before the episode started
    (D(2026, 6, 1), "X1", "reason_ceased"),
    (D(2026, 6, 1), "", "reason_ceased"),
    (D(2026, 6, 1), "E17", "reason_ceased"),  # 12 years old: cannot stay on with carers at 18
    (D(2026, 6, 1), "ZZ", "reason_ceased"),
])
def test_a_bad_end_is_refused_and_changes_nothing(worker, child, end_date, reason, field):
    looked_after(worker, child, D(2026, 4, 1))
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.period_end(actor=worker, child=child, end_date=end_date, reason_ceased=reason)
    assert field in error.value.message_dict
    assert counts() == before
    assert PeriodOfCare.objects.get(child=child).end_date is None


@pytest.mark.parametrize("call", [
    lambda actor, child: services.placement_change(actor=actor, child=child, change_date=D(2026, 6, 1),
                                                   reason_for_change="CARPL", **RESIDENTIAL),
    lambda actor, child: services.legal_status_change(actor=actor, child=child, change_date=D(2026, 6, 1),
                                                      legal_status="C2"),
    lambda actor, child: services.period_end(actor=actor, child=child, end_date=D(2026, 6, 1), reason_ceased="E4A"),
    lambda actor, child: services.care_plan_record(actor=actor, child=child, start_date=D(2026, 6, 1), summary="x"),
])
def test_changes_need_a_looked_after_child(worker, child, call):
    before = counts()
    with pytest.raises(ValidationError, match="not looked after"):
        call(worker, child)
    assert counts() == before


@pytest.mark.parametrize("role", ["performance_analyst", "auditor", "administrator", "partner"])
def test_roles_that_cannot_record_are_refused(make_user, child, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.child_becomes_looked_after(actor=make_user(role), child=child, start_date=D(2026, 4, 1),
                                            legal_status="C2", category_of_need="N1", **FOSTER)
    assert counts() == before


# --- Plans, IROs, reviews, escalations ------------------------------------------------------


def test_a_new_care_plan_ends_the_previous_one(worker, child):
    looked_after(worker, child, D(2026, 4, 1))
    services.care_plan_record(actor=worker, child=child, start_date=D(2026, 4, 8), summary="Assess")
    services.care_plan_record(actor=worker, child=child, start_date=D(2026, 7, 1), summary="Long-term fostering",
                              permanence_option="long_term_fostering", permanence_decided_on=D(2026, 7, 1))
    plans = list(Plan.objects.filter(child=child, kind="care").order_by("start_date").values_list(
        "start_date", "end_date"))
    assert plans == [(D(2026, 4, 8), D(2026, 7, 1)), (D(2026, 7, 1), None)]


@pytest.mark.parametrize("values, field", [
    ({"permanence_option": "holiday", "permanence_decided_on": D(2026, 5, 1)}, "permanence_option"),
    ({"permanence_option": "adoption"}, "permanence_decided_on"),
    ({"permanence_decided_on": D(2026, 5, 1)}, "permanence_option"),
    ({"summary": " "}, "summary"),
])
def test_a_bad_care_plan_is_refused(worker, child, values, field):
    looked_after(worker, child, D(2026, 4, 1))
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.care_plan_record(actor=worker, child=child, **{"start_date": D(2026, 5, 1), "summary": "Plan",
                                                                 **values})
    assert field in error.value.message_dict
    assert counts() == before


def test_appointing_a_new_iro_ends_the_previous_appointment(worker, child, make_user):
    looked_after(worker, child, D(2026, 4, 1))
    first, second = make_user("iro"), make_user("iro")
    services.iro_appoint(actor=worker, child=child, iro=first, appointed_on=D(2026, 4, 2))
    services.iro_appoint(actor=worker, child=child, iro=second, appointed_on=D(2026, 8, 1))
    assert list(IROAppointment.objects.order_by("appointed_on").values_list("iro_id", "ended_on")) == [
        (first.pk, D(2026, 8, 1)), (second.pk, None)]


@pytest.mark.parametrize("role", ["social_worker", "team_manager"])
def test_only_an_iro_user_can_be_appointed(worker, child, make_user, role):
    looked_after(worker, child, D(2026, 4, 1))
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.iro_appoint(actor=worker, child=child, iro=make_user(role), appointed_on=D(2026, 4, 2))
    assert "iro" in error.value.message_dict
    assert counts() == before


def test_a_review_is_a_cla_review_meeting_with_the_childs_participation(worker, child, make_user):
    looked_after(worker, child, D(2026, 4, 1))
    iro = make_user("iro")
    review = services.review_record(actor=worker, child=child, held_on=D(2026, 4, 28), participation="PN1",
                                    decisions="Placement to continue", iro=iro)
    assert review.meeting.kind == Meeting.Kind.CLA_REVIEW
    assert (review.held_on, review.participation, review.iro) == (D(2026, 4, 28), "PN1", iro)


@pytest.mark.parametrize("values, field", [
    ({"participation": "PN9"}, "participation"),
    ({"held_on": D(2026, 3, 1)}, "held_on"),
    ({"decisions": ""}, "decisions"),
])
def test_a_bad_review_is_refused(worker, child, values, field):
    looked_after(worker, child, D(2026, 4, 1))
    before, meetings = counts(), Meeting.objects.count()
    with pytest.raises(ValidationError) as error:
        services.review_record(actor=worker, child=child, **{"held_on": D(2026, 5, 1), "participation": "PN1",
                                                              "decisions": "Continue", **values})
    assert field in error.value.message_dict
    assert counts() == before and Meeting.objects.count() == meetings


def test_an_escalation_is_raised_responded_to_moved_on_and_resolved(worker, child, make_user):
    looked_after(worker, child, D(2026, 4, 1))
    iro = make_user("iro")
    escalation = services.escalation_raise(actor=iro, child=child, concern="No care plan", raised_on=D(2026, 5, 1),
                                           response_due_on=D(2026, 5, 11))
    services.escalation_respond(actor=worker, escalation=escalation, expected_version=1, responded_on=D(2026, 5, 9),
                                response="Plan booked")
    escalation.refresh_from_db()
    services.escalation_progress(actor=iro, escalation=escalation, expected_version=escalation.version,
                                 stage="stage_1", response_due_on=D(2026, 5, 20))
    escalation.refresh_from_db()
    assert (escalation.stage, escalation.responded_on) == ("stage_1", None)
    services.escalation_progress(actor=iro, escalation=escalation, expected_version=escalation.version,
                                 resolved_on=D(2026, 5, 19), outcome="resolved")
    escalation.refresh_from_db()
    assert (escalation.resolved_on, escalation.outcome, escalation.is_open) == (D(2026, 5, 19), "resolved", False)


def test_only_an_iro_raises_or_resolves_an_escalation(worker, child, make_user):
    looked_after(worker, child, D(2026, 4, 1))
    before = counts()
    with pytest.raises(PermissionDenied):
        services.escalation_raise(actor=worker, child=child, concern="x", raised_on=D(2026, 5, 1),
                                  response_due_on=D(2026, 5, 2))
    assert counts() == before


def test_an_escalation_cannot_go_back_a_stage_or_be_resolved_twice(worker, child, make_user):
    looked_after(worker, child, D(2026, 4, 1))
    iro = make_user("iro")
    escalation = services.escalation_raise(actor=iro, child=child, concern="x", raised_on=D(2026, 5, 1),
                                           response_due_on=D(2026, 5, 11), stage="stage_2")
    with pytest.raises(ValidationError) as error:
        services.escalation_progress(actor=iro, escalation=escalation, expected_version=1, stage="stage_1",
                                     response_due_on=D(2026, 5, 20))
    assert "stage" in error.value.message_dict
    services.escalation_progress(actor=iro, escalation=escalation, expected_version=1, resolved_on=D(2026, 5, 5),
                                 outcome="withdrawn")
    escalation.refresh_from_db()
    with pytest.raises(ValidationError, match="resolved"):
        services.escalation_progress(actor=iro, escalation=escalation, expected_version=2,
                                     resolved_on=D(2026, 5, 6), outcome="resolved")


def test_a_stale_escalation_response_is_refused(worker, child, make_user):
    looked_after(worker, child, D(2026, 4, 1))
    escalation = services.escalation_raise(actor=make_user("iro"), child=child, concern="x", raised_on=D(2026, 5, 1),
                                           response_due_on=D(2026, 5, 11))
    with pytest.raises(StaleRecordError):
        services.escalation_respond(actor=worker, escalation=escalation, expected_version=7,
                                    responded_on=D(2026, 5, 2), response="Done")
    escalation.refresh_from_db()
    assert escalation.response == ""


def test_placement_details_are_updated_with_history(worker, child):
    looked_after(worker, child, D(2026, 4, 1))
    placement = Placement.objects.get(child=child)
    changes = services.placement_update(actor=worker, placement=placement, expected_version=1,
                                        placement_plan_on=D(2026, 4, 3), notified_on=D(2026, 4, 2),
                                        siblings_placed_together="yes")
    placement.refresh_from_db()
    assert set(changes) >= {"placement_plan_on", "notified_on", "siblings_placed_together"}
    assert placement.version == 2
    with pytest.raises(StaleRecordError):
        services.placement_update(actor=worker, placement=placement, expected_version=1, carer_name="Someone")
