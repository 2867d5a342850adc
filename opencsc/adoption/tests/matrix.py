"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py).

Adopters' pages are for adoption team staff and managers (adoption/access.py); the matrix's
users are in other teams, so only the managers among them may see adopters.
"""

from opencsc.core.tests.matrix_support import CASEWORK_ROLES, MANAGER_ROLES, READ_ALL_ROLES, Entry

PLAN = ("child", "adoption_plan")
HOUSEHOLD = ("adopters",)

MATRIX = {
    "adoption:overview": Entry(READ_ALL_ROLES, ("child",)),
    "adoption:plan_start": Entry(CASEWORK_ROLES, ("child",)),
    "adoption:placement_order": Entry(CASEWORK_ROLES, PLAN),
    "adoption:match": Entry(MANAGER_ROLES, PLAN),
    "adoption:placement": Entry(CASEWORK_ROLES, PLAN),
    "adoption:adoption_order": Entry(CASEWORK_ROLES, PLAN),
    "adoption:plan_end": Entry(CASEWORK_ROLES, PLAN),
    "adoption:review_add": Entry(CASEWORK_ROLES, PLAN),
    "adoption:visit_add": Entry(CASEWORK_ROLES, PLAN),
    "adoption:order_add": Entry(CASEWORK_ROLES, ("child",)),
    "adoption:dashboard": Entry(READ_ALL_ROLES),
    "adoption:measure": Entry(READ_ALL_ROLES, ("adoption_measure",)),
    "adoption:waiting": Entry(READ_ALL_ROLES),
    "adoption:adopters": Entry(MANAGER_ROLES),
    "adoption:adopter_add": Entry(MANAGER_ROLES),
    "adoption:adopter_detail": Entry(MANAGER_ROLES, HOUSEHOLD),
    "adoption:adopter_stage": Entry(MANAGER_ROLES, HOUSEHOLD),
    "adoption:adopter_withdraw": Entry(MANAGER_ROLES, HOUSEHOLD),
}


def extend_world(world, *, author, child, episode):
    import datetime as dt

    from .factories import AdopterHouseholdFactory, AdoptionPlanFactory

    world["adoption_plan"] = AdoptionPlanFactory(
        child=child, created_by=author, entered_care_on=max(child.date_of_birth, dt.date(2025, 1, 6)),
    ).pk
    world["adopters"] = AdopterHouseholdFactory(created_by=author, approved_on=None).pk
    world["adoption_measure"] = "A1"
