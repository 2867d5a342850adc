"""The adoption services: milestones in order, nothing in the future, refusals change nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.adoption import services
from opencsc.adoption.models import (
    AdopterHousehold,
    AdoptionPlan,
    AdoptionReview,
    AdoptionVisit,
    PermanenceOrder,
)
from opencsc.adoption.tests.factories import AdopterHouseholdFactory, AdoptionPlanFactory
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory

D = dt.date


def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def worker(make_user):
    return make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="Adoption team", kind=TeamKind.ADOPTION))


@pytest.fixture
def plan(db, worker):
    return AdoptionPlanFactory(created_by=worker)


@pytest.fixture
def adopters(db, worker):
    return AdopterHouseholdFactory(created_by=worker)


def snapshot(plan):
    plan.refresh_from_db()
    return {**{f.name: getattr(plan, f.attname) for f in plan._meta.concrete_fields},
            "audit": AuditEvent.objects.count(), "reviews": AdoptionReview.objects.count(),
            "visits": AdoptionVisit.objects.count()}


def matched(plan, worker, adopters):
    """Placement order 4 Aug 2025, matched 6 Oct 2025."""
    plan = services.placement_order_record(actor=worker, plan=plan, placement_order_on=D(2025, 8, 4))
    return services.adoption_match_record(actor=worker, plan=plan, matched_on=D(2025, 10, 6), adopters=adopters)


def placed(plan, worker, adopters):
    """... and placed 3 Nov 2025."""
    return services.adoptive_placement_record(actor=worker, plan=matched(plan, worker, adopters),
                                              placed_on=D(2025, 11, 3))


# --- The decision ---------------------------------------------------------------------------


def test_the_decision_starts_a_plan_and_is_audited(worker):
    child = ChildFactory(date_of_birth=D(2023, 4, 1))
    plan = services.adoption_plan_start(
        actor=worker, child=child, entered_care_on=D(2025, 1, 6), should_be_placed_on=D(2025, 6, 3),
        decision_maker="  Priya Nair ", concurrent_planning=True,
    )
    assert plan.decision_maker == "Priya Nair"
    assert plan.is_open and plan.concurrent_planning
    assert AuditEvent.objects.filter(child=child, action="created", object_id=str(plan.pk)).exists()


@pytest.mark.parametrize("values, field, message", [
    ({"entered_care_on": D(2022, 1, 1)}, "entered_care_on", "the child's date of birth"),
    ({"should_be_placed_on": D(2024, 12, 31)}, "should_be_placed_on", "started to be looked after"),
    ({"should_be_placed_on": None}, "should_be_placed_on", "Enter the date of the decision"),
    ({"should_be_placed_on": "tomorrow"}, "should_be_placed_on", "today or in the past"),
    ({"entered_care_on": "tomorrow", "should_be_placed_on": "tomorrow"}, "entered_care_on", "today or in the past"),
    ({"decision_maker": "  "}, "decision_maker", "agency decision maker"),
    ({"ffa_placed_on": D(2024, 6, 1)}, "ffa_placed_on", "started to be looked after"),
    ({"ffa_placed_on": "tomorrow"}, "ffa_placed_on", "today or in the past"),
])
def test_a_decision_with_bad_dates_is_refused_and_nothing_is_saved(worker, values, field, message):
    child = ChildFactory(date_of_birth=D(2023, 4, 1))
    data = {"entered_care_on": D(2025, 1, 6), "should_be_placed_on": D(2025, 6, 3), "decision_maker": "Priya Nair"}
    data.update({k: tomorrow() if v == "tomorrow" else v for k, v in values.items()})
    with pytest.raises(ValidationError) as error:
        services.adoption_plan_start(actor=worker, child=child, **data)
    assert message in " ".join(error.value.message_dict[field])
    assert AdoptionPlan.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_second_open_plan_is_refused(plan, worker):
    with pytest.raises(ValidationError, match="already has a plan for adoption"):
        services.adoption_plan_start(actor=worker, child=plan.child, entered_care_on=D(2025, 1, 6),
                                     should_be_placed_on=D(2025, 7, 1), decision_maker="Priya Nair")
    assert AdoptionPlan.objects.count() == 1


def test_a_new_plan_after_one_ended_must_not_start_before_it_ended(plan, worker):
    services.adoption_plan_end(actor=worker, plan=plan, ended_on=D(2025, 9, 1), end_reason="RD3",
                               end_details="Long-term fostering")
    with pytest.raises(ValidationError) as error:
        services.adoption_plan_start(actor=worker, child=plan.child, entered_care_on=D(2025, 1, 6),
                                     should_be_placed_on=D(2025, 8, 1), decision_maker="Priya Nair")
    assert "last plan for adoption ended" in error.value.message_dict["should_be_placed_on"][0]
    again = services.adoption_plan_start(actor=worker, child=plan.child, entered_care_on=D(2025, 1, 6),
                                         should_be_placed_on=D(2025, 10, 1), decision_maker="Priya Nair")
    assert again.is_open


@pytest.mark.parametrize("role, allowed", [(r, r not in (Role.PARTNER, Role.PERFORMANCE_ANALYST, Role.AUDITOR,
                                                         Role.ADMINISTRATOR)) for r in Role.values])
def test_only_roles_that_record_can_start_a_plan(make_user, role, allowed):
    child = ChildFactory(date_of_birth=D(2023, 4, 1))
    args = {"entered_care_on": D(2025, 1, 6), "should_be_placed_on": D(2025, 6, 3), "decision_maker": "P Nair"}
    if allowed:
        services.adoption_plan_start(actor=make_user(role), child=child, **args)
        assert AdoptionPlan.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.adoption_plan_start(actor=make_user(role), child=child, **args)
        assert AdoptionPlan.objects.count() == 0


# --- The milestones in order ----------------------------------------------------------------


def test_the_whole_journey_from_decision_to_adoption_order(plan, worker, adopters):
    plan = placed(plan, worker, adopters)
    plan = services.adoption_order_record(actor=worker, plan=plan, adoption_order_on=D(2026, 5, 11))
    assert (plan.placement_order_on, plan.matched_on, plan.placed_on, plan.adoption_order_on) == (
        D(2025, 8, 4), D(2025, 10, 6), D(2025, 11, 3), D(2026, 5, 11))
    assert plan.adopters == adopters
    assert not plan.is_open
    assert plan.version == 5
    assert AuditEvent.objects.filter(action="updated", object_id=str(plan.pk)).count() == 4


def test_the_match_records_foster_carers_and_when_the_child_moved_in_with_them(plan, worker, adopters):
    plan = services.adoption_match_record(actor=worker, plan=plan, matched_on=D(2025, 7, 1), adopters=adopters,
                                          adopted_by_foster_carers=True, lived_with_adopters_from=D(2025, 1, 6))
    assert plan.adopted_by_foster_carers and plan.lived_with_adopters_from == D(2025, 1, 6)


REFUSALS = [
    # (what, service, values, field, message)
    ("placement order before the decision", "placement_order_record", {"placement_order_on": D(2025, 6, 2)},
     "placement_order_on", "the decision that the child should be placed"),
    ("placement order in the future", "placement_order_record", {"placement_order_on": "tomorrow"},
     "placement_order_on", "today or in the past"),
    ("match before the decision", "adoption_match_record", {"matched_on": D(2025, 6, 2), "adopters": "approved"},
     "matched_on", "the decision that the child should be placed"),
    ("match in the future", "adoption_match_record", {"matched_on": "tomorrow", "adopters": "approved"},
     "matched_on", "today or in the past"),
    ("match with adopters not approved", "adoption_match_record",
     {"matched_on": D(2025, 7, 1), "adopters": "unapproved"}, "adopters", "only be matched with approved adopters"),
    ("match with adopters who withdrew", "adoption_match_record",
     {"matched_on": D(2025, 7, 1), "adopters": "withdrawn"}, "adopters", "only be matched with approved adopters"),
    ("match with no adopters", "adoption_match_record", {"matched_on": D(2025, 7, 1), "adopters": None},
     "adopters", "Select the adopters"),
    ("foster carers without the date they moved in", "adoption_match_record",
     {"matched_on": D(2025, 7, 1), "adopters": "approved", "adopted_by_foster_carers": True},
     "lived_with_adopters_from", "Enter the date the child moved in"),
    ("placement before a match", "adoptive_placement_record", {"placed_on": D(2025, 7, 1)},
     "placed_on", "Record the match with adopters before the placement"),
    ("adoption order before a placement", "adoption_order_record", {"adoption_order_on": D(2025, 12, 1)},
     "adoption_order_on", "Record the placement with adopters before the adoption order"),
    ("plan ended before it was decided", "adoption_plan_end",
     {"ended_on": D(2025, 6, 1), "end_reason": "RD1", "end_details": "Return home"}, "ended_on",
     "the decision that the child should be placed"),
    ("plan ended in the future", "adoption_plan_end",
     {"ended_on": "tomorrow", "end_reason": "RD1", "end_details": "Return home"}, "ended_on", "today or in the past"),
    ("plan ended without a reason", "adoption_plan_end",
     {"ended_on": D(2025, 9, 1), "end_reason": "", "end_details": "Return home"}, "end_reason",
     "Select why the plan for adoption ended"),
    ("plan ended with a code not in the 903 list", "adoption_plan_end",
     {"ended_on": D(2025, 9, 1), "end_reason": "RD9", "end_details": "Return home"}, "end_reason",
     "Select why the plan for adoption ended"),
    ("plan ended without saying what the plan is now", "adoption_plan_end",
     {"ended_on": D(2025, 9, 1), "end_reason": "RD1", "end_details": " "}, "end_details",
     "what the plan for the child is now"),
    ("review before the decision", "adoption_review_record", {"held_on": D(2025, 5, 1)}, "held_on",
     "the decision that the child should be placed"),
    ("review in the future", "adoption_review_record", {"held_on": "tomorrow"}, "held_on", "today or in the past"),
    ("visit before the child is placed", "adoption_visit_record", {"visited_on": D(2025, 9, 1)}, "visited_on",
     "once the child is placed for adoption"),
]


@pytest.mark.parametrize("what, service, values, field, message", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_milestones_out_of_order_are_refused_with_a_clear_message_and_change_nothing(
    plan, worker, what, service, values, field, message
):
    households = {
        "approved": AdopterHouseholdFactory(created_by=worker),
        "unapproved": AdopterHouseholdFactory(created_by=worker, approved_on=None),
        "withdrawn": AdopterHouseholdFactory(created_by=worker, withdrawn_on=D(2025, 1, 2), withdrawal_reason="Moved"),
    }
    kwargs = {k: tomorrow() if v == "tomorrow" else households.get(v, v) if k == "adopters" else v
              for k, v in values.items()}
    before = snapshot(plan)
    with pytest.raises(ValidationError) as error:
        getattr(services, service)(actor=worker, plan=plan, **kwargs)
    assert message in " ".join(error.value.message_dict[field])
    assert snapshot(plan) == before


@pytest.mark.parametrize("service, values, field, message", [
    ("adoptive_placement_record", {"placed_on": D(2025, 10, 5)}, "placed_on", "the match with adopters"),
    ("adoption_order_record", {"adoption_order_on": D(2025, 11, 2)}, "adoption_order_on",
     "the child was placed for adoption"),
    ("adoption_visit_record", {"visited_on": D(2025, 11, 2)}, "visited_on", "the child was placed for adoption"),
    ("adoption_plan_end", {"ended_on": D(2025, 11, 2), "end_reason": "RD4", "end_details": "Disrupted"},
     "ended_on", "the child was placed for adoption"),
])
def test_later_milestones_must_not_be_before_earlier_ones(plan, worker, adopters, service, values, field, message):
    plan = matched(plan, worker, adopters)
    if service != "adoptive_placement_record":
        plan = services.adoptive_placement_record(actor=worker, plan=plan, placed_on=D(2025, 11, 3))
    before = snapshot(plan)
    with pytest.raises(ValidationError) as error:
        getattr(services, service)(actor=worker, plan=plan, **values)
    assert message in error.value.message_dict[field][0]
    assert snapshot(plan) == before


def test_a_match_before_the_placement_order_or_the_adopters_approval_is_refused(plan, worker, adopters):
    plan = services.placement_order_record(actor=worker, plan=plan, placement_order_on=D(2025, 8, 4))
    with pytest.raises(ValidationError) as error:
        services.adoption_match_record(actor=worker, plan=plan, matched_on=D(2025, 8, 1), adopters=adopters)
    assert "the placement order (4 Aug 2025)" in error.value.message_dict["matched_on"][0]
    late = AdopterHouseholdFactory(created_by=worker, approved_on=D(2025, 9, 1))
    with pytest.raises(ValidationError) as error:
        services.adoption_match_record(actor=worker, plan=plan, matched_on=D(2025, 8, 20), adopters=late)
    assert "the adopters were approved (1 Sep 2025)" in error.value.message_dict["matched_on"][0]


def test_nothing_can_be_added_to_a_plan_that_ended(plan, worker):
    plan = services.adoption_plan_end(actor=worker, plan=plan, ended_on=D(2025, 9, 1), end_reason="RD2",
                                      end_details="Long-term fostering with her aunt")
    before = snapshot(plan)
    with pytest.raises(ValidationError, match="ended on 1 Sep 2025"):
        services.placement_order_record(actor=worker, plan=plan, placement_order_on=D(2025, 9, 2))
    with pytest.raises(ValidationError, match="ended on 1 Sep 2025"):
        services.adoption_review_record(actor=worker, plan=plan, held_on=D(2025, 9, 2))
    assert snapshot(plan) == before


def test_only_adoption_staff_and_managers_can_match_because_matching_names_adopters(plan, make_user, adopters):
    other = make_user(Role.SOCIAL_WORKER)  # a referral and assessment team
    before = snapshot(plan)
    with pytest.raises(PermissionDenied):
        services.adoption_match_record(actor=other, plan=plan, matched_on=D(2025, 7, 1), adopters=adopters)
    assert snapshot(plan) == before
    manager = make_user(Role.TEAM_MANAGER)
    assert services.adoption_match_record(actor=manager, plan=plan, matched_on=D(2025, 7, 1),
                                          adopters=adopters).matched_on == D(2025, 7, 1)


def test_reviews_and_visits_are_recorded(plan, worker, adopters):
    services.adoption_review_record(actor=worker, plan=plan, held_on=D(2025, 9, 1), notes="Family finding")
    plan = placed(plan, worker, adopters)
    visit = services.adoption_visit_record(actor=worker, plan=plan, visited_on=D(2025, 11, 7), seen_alone=True)
    assert visit.seen_alone and AdoptionReview.objects.get().notes == "Family finding"


# --- Special guardianship and child arrangements orders ----------------------------------------


def test_a_special_guardianship_order_is_recorded(worker):
    child = ChildFactory(date_of_birth=D(2019, 3, 1))
    order = services.permanence_order_record(actor=worker, child=child, kind="sgo", made_on=D(2026, 2, 2),
                                             guardians="Grace Okafor", relationship="Maternal grandmother",
                                             support_plan=True)
    assert order.get_kind_display() == "Special guardianship order"


@pytest.mark.parametrize("values, field", [
    ({"kind": "x"}, "kind"), ({"made_on": D(2018, 1, 1)}, "made_on"), ({"made_on": "tomorrow"}, "made_on"),
    ({"guardians": ""}, "guardians"), ({"relationship": " "}, "relationship"),
])
def test_an_order_with_missing_or_bad_details_is_refused(worker, values, field):
    child = ChildFactory(date_of_birth=D(2019, 3, 1))
    data = {"kind": "cao", "made_on": D(2026, 2, 2), "guardians": "Grace Okafor", "relationship": "Aunt"}
    data.update({k: tomorrow() if v == "tomorrow" else v for k, v in values.items()})
    with pytest.raises(ValidationError) as error:
        services.permanence_order_record(actor=worker, child=child, **data)
    assert field in error.value.message_dict
    assert PermanenceOrder.objects.count() == 0


# --- Adopters -------------------------------------------------------------------------------


def test_adopters_move_through_the_stages_in_order(worker):
    household = services.adopter_household_create(actor=worker, name="Sam and Alex Shah", enquiry_on=D(2025, 3, 3))
    for day in (D(2025, 4, 1), D(2025, 6, 2), D(2025, 10, 6)):
        household = services.adopter_stage_record(actor=worker, household=household, on=day)
    assert (household.stage_one_on, household.stage_two_on, household.approved_on) == (
        D(2025, 4, 1), D(2025, 6, 2), D(2025, 10, 6))
    assert services.next_stage(household) is None
    with pytest.raises(ValidationError, match="no further stage"):
        services.adopter_stage_record(actor=worker, household=household, on=D(2025, 11, 1))


@pytest.mark.parametrize("day, message", [
    (D(2025, 3, 2), "the same as or after the enquiry (3 Mar 2025)"),
    ("tomorrow", "today or in the past"),
    (None, "Enter the date stage one started"),
])
def test_a_stage_out_of_order_is_refused_and_changes_nothing(worker, day, message):
    household = services.adopter_household_create(actor=worker, name="Sam and Alex Shah", enquiry_on=D(2025, 3, 3))
    with pytest.raises(ValidationError) as error:
        services.adopter_stage_record(actor=worker, household=household, on=tomorrow() if day == "tomorrow" else day)
    assert message in error.value.message_dict["on"][0]
    household.refresh_from_db()
    assert household.stage_one_on is None and household.version == 1


def test_withdrawal_needs_a_reason_and_a_date_after_the_last_stage(worker, adopters):
    with pytest.raises(ValidationError) as error:
        services.adopter_withdraw(actor=worker, household=adopters, withdrawn_on=D(2024, 8, 1), withdrawal_reason="")
    assert set(error.value.message_dict) == {"withdrawn_on", "withdrawal_reason"}
    adopters.refresh_from_db()
    assert adopters.withdrawn_on is None
    done = services.adopter_withdraw(actor=worker, household=adopters, withdrawn_on=D(2024, 10, 1),
                                     withdrawal_reason="Changed their minds after a house move")
    assert done.withdrawn_on == D(2024, 10, 1) and services.next_stage(done) is None


def test_adopters_matched_with_a_child_cannot_withdraw_until_that_plan_ends(plan, worker, adopters):
    matched(plan, worker, adopters)
    with pytest.raises(ValidationError, match="matched with a child"):
        services.adopter_withdraw(actor=worker, household=adopters, withdrawn_on=D(2025, 11, 1),
                                  withdrawal_reason="Illness")


@pytest.mark.parametrize("role, team, allowed", [
    (Role.SOCIAL_WORKER, TeamKind.ADOPTION, True),
    (Role.SENIOR_PRACTITIONER, TeamKind.ADOPTION, True),
    (Role.SOCIAL_WORKER, TeamKind.CHILDREN_IN_CARE, False),
    (Role.PERFORMANCE_ANALYST, TeamKind.ADOPTION, False),
    (Role.TEAM_MANAGER, TeamKind.CHILD_PROTECTION, True),
    (Role.SERVICE_MANAGER, TeamKind.CHILD_PROTECTION, True),
    (Role.ADMINISTRATOR, TeamKind.ADMINISTRATION, False),
    (Role.PARTNER, TeamKind.PARTNER, False),
])
def test_only_adoption_staff_and_managers_record_adopters(make_user, role, team, allowed):
    actor = make_user(role, team=TeamFactory(name=f"{team} team", kind=team))
    if allowed:
        services.adopter_household_create(actor=actor, name="The Patels", enquiry_on=D(2025, 3, 3))
        assert AdopterHousehold.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            services.adopter_household_create(actor=actor, name="The Patels", enquiry_on=D(2025, 3, 3))
        assert AdopterHousehold.objects.count() == 0
