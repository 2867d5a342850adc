"""The services: what they record, and what they refuse (changing nothing)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencsc.accounts.roles import Role
from opencsc.careleavers import rules, services
from opencsc.careleavers.models import (
    AdviserAllocation,
    CareLeaver,
    Contact,
    EligibilityDecision,
    PathwayPlan,
    PathwayPlanReview,
)
from opencsc.core.audit import StaleRecordError
from opencsc.core.models import AuditEvent

from .factories import (
    AdviserAllocationFactory,
    AdviserFactory,
    CareLeaverFactory,
    PathwayPlanFactory,
    PathwayPlanReviewFactory,
    YoungPersonFactory,
    ago,
    born_aged,
    care_leaver,
    today,
)

pytestmark = pytest.mark.django_db
MODELS = (CareLeaver, EligibilityDecision, AdviserAllocation, PathwayPlan, PathwayPlanReview, Contact, AuditEvent)


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def refused(call, field=None, contains=""):
    before = counts()
    with pytest.raises(ValidationError) as error:
        call()
    assert counts() == before, "a refused action changed something"
    if field:
        assert field in error.value.message_dict, error.value
        assert contains in " ".join(error.value.message_dict[field])
    else:
        assert contains in " ".join(error.value.messages)
    return error.value


@pytest.fixture
def pa(make_user):
    return make_user(role=Role.PERSONAL_ADVISER)


# --- Eligibility --------------------------------------------------------------------------

def test_the_first_decision_starts_support_and_is_audited(pa):
    child = YoungPersonFactory(date_of_birth=born_aged(17))
    decision = services.eligibility_decide(actor=pa, child=child, category="relevant", decided_on=ago(5),
                                           reason="Left care at 16 after two years", suggested_category="relevant")
    assert decision.category == "relevant" and decision.suggested_category == "relevant"
    assert CareLeaver.objects.get(child=child).created_by == pa
    assert set(AuditEvent.objects.filter(child=child).values_list("summary", flat=True)) == {
        "Leaving care support started", "Leaving care category: Relevant"}
    services.eligibility_decide(actor=pa, child=child, category="former_relevant", decided_on=ago(1))
    assert CareLeaver.objects.filter(child=child).count() == 1
    assert EligibilityDecision.objects.filter(child=child).count() == 2


@pytest.mark.parametrize("values, field, contains", [
    ({"category": "looked_after"}, "category", "Select the young person's leaving care category"),
    ({"decided_on": None}, "decided_on", "Enter the date of the decision"),
    ({"decided_on": "tomorrow"}, "decided_on", "today or in the past"),
    ({"decided_on": "before 16"}, "decided_on", "from their 16th birthday"),
])
def test_decisions_refused(pa, values, field, contains):
    child = YoungPersonFactory(date_of_birth=born_aged(16, days_after_birthday=10))
    special = {"tomorrow": today() + dt.timedelta(days=1), "before 16": ago(11)}
    kwargs = {"category": "eligible", "decided_on": ago(1)}
    kwargs.update({k: special.get(v, v) for k, v in values.items()})
    refused(lambda: services.eligibility_decide(actor=pa, child=child, **kwargs), field, contains)


def test_a_decision_for_someone_aged_25_is_refused(pa):
    child = YoungPersonFactory(date_of_birth=born_aged(25))
    refused(lambda: services.eligibility_decide(actor=pa, child=child, category="former_relevant",
                                                decided_on=ago(1)), "decided_on", "ends at 25")


def test_a_decision_before_the_last_one_is_refused(pa):
    cl = care_leaver()
    refused(lambda: services.eligibility_decide(actor=pa, child=cl.child, category="qualifying",
                                                decided_on=ago(300)), "decided_on", "after the last decision")


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PERFORMANCE_ANALYST, Role.PARTNER, Role.ADMINISTRATOR])
def test_roles_that_do_not_record_are_refused(make_user, role):
    child = YoungPersonFactory(date_of_birth=born_aged(17))
    before = counts()
    with pytest.raises(PermissionDenied):
        services.eligibility_decide(actor=make_user(role=role), child=child, category="eligible",
                                    decided_on=ago(1))
    assert counts() == before


# --- Personal advisers --------------------------------------------------------------------

def test_a_new_adviser_ends_the_last_allocation(pa):
    cl = care_leaver()
    first = AdviserAllocationFactory(child=cl.child, start_date=ago(100))
    allocation = services.adviser_allocate(actor=pa, child=cl.child, adviser=pa, start_date=ago(3))
    first.refresh_from_db()
    assert first.end_date == ago(3)
    assert allocation.end_date is None and allocation.adviser == pa
    assert AdviserAllocation.objects.filter(child=cl.child, end_date__isnull=True).get() == allocation


def test_allocations_refused(pa, make_user):
    cl = care_leaver()
    AdviserAllocationFactory(child=cl.child, adviser=pa, start_date=ago(50))
    social_worker = make_user(role=Role.SOCIAL_WORKER)
    refused(lambda: services.adviser_allocate(actor=pa, child=cl.child, adviser=social_worker, start_date=ago(1)),
            "adviser", "Select a personal adviser")
    refused(lambda: services.adviser_allocate(actor=pa, child=cl.child, adviser=pa, start_date=ago(1)),
            "adviser", "already the personal adviser")
    refused(lambda: services.adviser_allocate(actor=pa, child=cl.child, adviser=AdviserFactory(),
                                              start_date=ago(60)), "start_date", "current allocation started")
    inactive = AdviserFactory(is_active=False)
    refused(lambda: services.adviser_allocate(actor=pa, child=cl.child, adviser=inactive, start_date=ago(1)),
            "adviser")


def test_an_adviser_needs_a_category_first(pa):
    child = YoungPersonFactory()
    refused(lambda: services.adviser_allocate(actor=pa, child=child, adviser=pa, start_date=ago(1)),
            contains="Record the young person's leaving care category first")


# --- Pathway plans ------------------------------------------------------------------------

PLAN = {"young_persons_views": "I want my own flat.", "needs": "Budgeting.", "contingency": "Supported lodgings."}


def test_a_pathway_plan_is_written(pa):
    cl = care_leaver()
    plan = services.pathway_plan_create(actor=pa, child=cl.child, start_date=ago(10), needs_assessed_on=ago(20),
                                        **PLAN)
    assert plan.needs_assessed_on == ago(20)
    assert AuditEvent.objects.filter(child=cl.child, summary="Pathway plan written").exists()


@pytest.mark.parametrize("change, field, contains", [
    ({"start_date": "tomorrow"}, "start_date", "today or in the past"),
    ({"start_date": None}, "start_date", "Enter the date of the plan"),
    ({"needs_assessed_on": "after plan"}, "needs_assessed_on", "on or before the date of the plan"),
    ({"young_persons_views": "  "}, "young_persons_views", "Enter the young person's views"),
    ({"needs": ""}, "needs", "Enter the young person's needs"),
    ({"contingency": ""}, "contingency", "Enter the contingency plan"),
])
def test_plans_refused(pa, change, field, contains):
    cl = care_leaver()
    special = {"tomorrow": today() + dt.timedelta(days=1), "after plan": ago(5)}
    kwargs = {"start_date": ago(10), **PLAN}
    kwargs.update({k: special.get(v, v) for k, v in change.items()})
    refused(lambda: services.pathway_plan_create(actor=pa, child=cl.child, **kwargs), field, contains)


def test_support_past_21_needs_a_request_for_support_to_25(pa):
    cl = care_leaver(age=22)
    cl.support_to_25 = False
    cl.save()
    refused(lambda: services.pathway_plan_create(actor=pa, child=cl.child, start_date=ago(10), **PLAN),
            "start_date", "Leaving care support ended at 21")
    cl.in_education = True
    cl.save()
    assert services.pathway_plan_create(actor=pa, child=cl.child, start_date=ago(10), **PLAN).pk


def test_support_past_25_is_refused(pa):
    cl = CareLeaverFactory(child=YoungPersonFactory(date_of_birth=born_aged(25, days_after_birthday=20)),
                           support_to_25=True)
    refused(lambda: services.pathway_plan_create(actor=pa, child=cl.child, start_date=ago(3), **PLAN),
            "start_date", "Leaving care support ends at 25")
    refused(lambda: services.contact_record(actor=pa, child=cl.child, contact_date=ago(3), **CONTACT),
            "contact_date", "before the young person's 25th birthday")
    assert services.contact_record(actor=pa, child=cl.child, contact_date=ago(30), **CONTACT).pk


def test_nothing_is_recorded_after_support_ended(pa):
    cl = care_leaver()
    cl.support_ended_on = ago(20)
    cl.save()
    refused(lambda: services.contact_record(actor=pa, child=cl.child, contact_date=ago(3), **CONTACT),
            "contact_date", "Leaving care support ended on")


@pytest.mark.parametrize("when, contains", [
    ("before", "must be after the date of the plan"),
    ("same day", "must be after the date of the plan"),
    ("tomorrow", "today or in the past"),
])
def test_a_review_before_the_plan_is_refused(pa, when, contains):
    cl = care_leaver()
    plan = PathwayPlanFactory(child=cl.child, start_date=ago(100))
    day = {"before": ago(101), "same day": ago(100), "tomorrow": today() + dt.timedelta(days=1)}[when]
    refused(lambda: services.pathway_plan_review(actor=pa, plan=plan, reviewed_on=day, young_persons_views="Fine",
                                                 changes="None"), "reviewed_on", contains)


def test_reviews_in_order(pa):
    cl = care_leaver()
    plan = PathwayPlanFactory(child=cl.child, start_date=ago(100))
    PathwayPlanReviewFactory(plan=plan, reviewed_on=ago(40))
    refused(lambda: services.pathway_plan_review(actor=pa, plan=plan, reviewed_on=ago(50), young_persons_views="x",
                                                 changes="y"), "reviewed_on", "after the last review")
    review = services.pathway_plan_review(actor=pa, plan=plan, reviewed_on=ago(2), young_persons_views="Settled",
                                          changes="Started college")
    assert list(plan.reviews.values_list("pk", flat=True))[0] == review.pk


# --- Contact ------------------------------------------------------------------------------

CONTACT = {"in_touch": "YES", "method": "visit", "activity": "F4", "accommodation": "U1"}


def test_a_contact_is_recorded(pa):
    cl = care_leaver()
    contact = services.contact_record(actor=pa, child=cl.child, contact_date=ago(1), notes=" Saw her at home ",
                                      **CONTACT)
    assert (contact.activity, contact.accommodation, contact.notes) == ("F4", "U1", "Saw her at home")


@pytest.mark.parametrize("field, value, contains", [
    ("in_touch", "MAYBE", "Select whether the young person is in touch"),
    ("activity", "F3", "main activity from the list"),
    ("activity", "", "main activity from the list"),
    ("accommodation", "A1", "accommodation from the list"),
    ("accommodation", "U3", "accommodation from the list"),
    ("method", "pigeon", "Select how the contact was made"),
    ("method", "none", "if the young person is in touch"),
])
def test_codes_the_dfe_lists_do_not_contain_are_refused(pa, field, value, contains):
    cl = care_leaver()
    values = {**CONTACT, field: value}
    refused(lambda: services.contact_record(actor=pa, child=cl.child, contact_date=ago(1), **values), field,
            contains)


def test_a_contact_in_the_future_is_refused(pa):
    cl = care_leaver()
    refused(lambda: services.contact_record(actor=pa, child=cl.child, contact_date=today() + dt.timedelta(days=1),
                                            **CONTACT), "contact_date", "today or in the past")


def test_not_in_touch_with_no_contact_made(pa):
    cl = care_leaver()
    contact = services.contact_record(actor=pa, child=cl.child, contact_date=ago(1), in_touch="NO", method="none",
                                      activity="0", accommodation="0")
    assert contact.in_touch == "NO"


# --- Support ------------------------------------------------------------------------------

def test_support_is_changed_with_history(pa):
    cl = care_leaver(age=19)
    dob = cl.child.date_of_birth
    changes = services.support_update(actor=pa, care_leaver=cl, expected_version=1, support_to_25=True,
                                      staying_put_start=rules.birthday(dob, 18), staying_put_carer="Mrs Okoro",
                                      bursary_awarded_on=ago(30))
    cl.refresh_from_db()
    assert cl.version == 2 and cl.support_to_25 and cl.staying_put_carer == "Mrs Okoro"
    assert set(changes) == {"support_to_25", "staying_put_start", "staying_put_carer", "bursary_awarded_on"}
    assert AuditEvent.objects.filter(child=cl.child, action=AuditEvent.Action.UPDATED).count() == 1


def test_a_stale_support_change_is_refused(pa):
    cl = care_leaver()
    before = counts()
    with pytest.raises(StaleRecordError):
        services.support_update(actor=pa, care_leaver=cl, expected_version=7, support_to_25=True)
    assert counts() == before
    cl.refresh_from_db()
    assert not cl.support_to_25


@pytest.mark.parametrize("change, field, contains", [
    ({"staying_put_start": "at 17", "staying_put_carer": "Mr Lee"}, "staying_put_start", "18th birthday"),
    ({"staying_put_start": "at 18"}, "staying_put_carer", "former foster carer"),
    ({"staying_put_end": "at 18"}, "staying_put_start", "Enter the date the staying put"),
    ({"staying_put_start": "at 18 and a bit", "staying_put_end": "at 18", "staying_put_carer": "Mr Lee"},
     "staying_put_end", "on or after the day it started"),
    ({"support_ended_on": "tomorrow"}, "support_ended_on", "today or in the past"),
    ({"bursary_awarded_on": "tomorrow"}, "bursary_awarded_on", "today or in the past"),
])
def test_support_changes_refused(pa, change, field, contains):
    cl = care_leaver(age=19)
    dob = cl.child.date_of_birth
    special = {"at 17": rules.birthday(dob, 17), "at 18": rules.birthday(dob, 18),
               "at 18 and a bit": rules.birthday(dob, 18) + dt.timedelta(days=10),
               "tomorrow": today() + dt.timedelta(days=1)}
    values = {k: special.get(v, v) for k, v in change.items()}
    refused(lambda: services.support_update(actor=pa, care_leaver=cl, expected_version=1, **values), field,
            contains)
