"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py).

The child's leaving care pages: reading for everyone who reads casework, writing for the
casework roles (personal advisers among them). The authority's pages (overview, drill-down,
caseloads) are for every role that reads all unrestricted children.
"""

from opencsc.careleavers import policy
from opencsc.core.tests.matrix_support import Entry
from opencsc.people import policy as people

CHILD = ("child",)

MATRIX = {
    "careleavers:overview": Entry(people.may_view_casework, CHILD),
    "careleavers:eligibility": Entry(people.may_record, CHILD),
    "careleavers:adviser": Entry(people.may_record, CHILD),
    "careleavers:plan_add": Entry(people.may_record, CHILD),
    "careleavers:plan_review": Entry(people.may_record, ("child", "pathway_plan")),
    "careleavers:contact_add": Entry(people.may_record, CHILD),
    "careleavers:support": Entry(people.may_record, CHILD),
    "careleavers:authority": Entry(policy.may_view_care_leavers),
    "careleavers:young_people": Entry(policy.may_view_care_leavers),
    "careleavers:caseload": Entry(policy.may_view_care_leavers),
}


def extend_world(world, *, author, child, episode):
    from .factories import CareLeaverFactory, PathwayPlanFactory

    CareLeaverFactory(child=child, created_by=author)
    world["pathway_plan"] = PathwayPlanFactory(child=child, created_by=author).pk
