"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py).

Adopters' pages are for adoption team staff and managers (adoption/access.py); the matrix's
users are in other teams, so only the managers among them may see adopters: the other
practitioners' roles may use adopters' pages, but a household is "not found" (404) for them
and the lists of adopters are refused (403); every other role is refused (403) before any look-up.
"""

from opencsc.adoption import policy
from opencsc.core.tests.matrix_support import Entry
from opencsc.people import policy as people

# Practitioners whose role may use adopters' pages but who are not in an adoption team.
OUTSIDE_ADOPTION_TEAM = policy.may_view_adopters.roles - policy.may_view_all_adopters.roles

PLAN = ("child", "adoption_plan")
HOUSEHOLD = ("adopters",)

MATRIX = {
    "adoption:overview": Entry(people.may_view_casework, ("child",)),
    "adoption:plan_start": Entry(people.may_record, ("child",)),
    "adoption:placement_order": Entry(people.may_record, PLAN),
    "adoption:match": Entry(policy.may_view_all_adopters, PLAN),
    "adoption:placement": Entry(people.may_record, PLAN),
    "adoption:adoption_order": Entry(people.may_record, PLAN),
    "adoption:plan_end": Entry(people.may_record, PLAN),
    "adoption:review_add": Entry(people.may_record, PLAN),
    "adoption:visit_add": Entry(people.may_record, PLAN),
    "adoption:order_add": Entry(people.may_record, ("child",)),
    "adoption:dashboard": Entry(policy.may_view_adoption_service),
    "adoption:measure": Entry(policy.may_view_adoption_service, ("adoption_measure",)),
    "adoption:waiting": Entry(policy.may_view_adoption_service),
    "adoption:adopters": Entry(policy.may_view_all_adopters),
    "adoption:adopter_add": Entry(policy.may_view_all_adopters),
    "adoption:adopter_detail": Entry(policy.may_view_adopters, HOUSEHOLD, not_found=OUTSIDE_ADOPTION_TEAM),
    "adoption:adopter_person_add": Entry(policy.may_record_adopters, HOUSEHOLD, not_found=OUTSIDE_ADOPTION_TEAM),
    "adoption:adopter_stage": Entry(policy.may_record_adopters, HOUSEHOLD, not_found=OUTSIDE_ADOPTION_TEAM),
    "adoption:adopter_withdraw": Entry(policy.may_record_adopters, HOUSEHOLD, not_found=OUTSIDE_ADOPTION_TEAM),
}


def extend_world(world, *, author, child, episode):
    import datetime as dt

    from .factories import AdopterHouseholdFactory, AdoptionPlanFactory

    world["adoption_plan"] = AdoptionPlanFactory(
        child=child, created_by=author, entered_care_on=max(child.date_of_birth, dt.date(2025, 1, 6)),
    ).pk
    world["adopters"] = AdopterHouseholdFactory(created_by=author, approved_on=None).pk
    world["adoption_measure"] = "A1"
