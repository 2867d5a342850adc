"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py).

The child's leaving care pages: reading for everyone who reads casework, writing for the
casework roles (personal advisers among them). The authority's pages (overview, drill-down,
caseloads) are for every role that reads all unrestricted children.
"""

from opencsc.core.tests.matrix_support import CASEWORK_ROLES, READ_ALL_ROLES, Entry

CHILD = ("child",)

MATRIX = {
    "careleavers:overview": Entry(READ_ALL_ROLES, CHILD),
    "careleavers:eligibility": Entry(CASEWORK_ROLES, CHILD),
    "careleavers:adviser": Entry(CASEWORK_ROLES, CHILD),
    "careleavers:plan_add": Entry(CASEWORK_ROLES, CHILD),
    "careleavers:plan_review": Entry(CASEWORK_ROLES, ("child", "pathway_plan")),
    "careleavers:contact_add": Entry(CASEWORK_ROLES, CHILD),
    "careleavers:support": Entry(CASEWORK_ROLES, CHILD),
    "careleavers:authority": Entry(READ_ALL_ROLES),
    "careleavers:young_people": Entry(READ_ALL_ROLES),
    "careleavers:caseload": Entry(READ_ALL_ROLES),
}


def extend_world(world, *, author, child, episode):
    from .factories import CareLeaverFactory, PathwayPlanFactory

    CareLeaverFactory(child=child, created_by=author)
    world["pathway_plan"] = PathwayPlanFactory(child=child, created_by=author).pk
