"""The inspection app's part of the permission matrix (see core/tests/matrix_support.py).

Inspection action plans are about the authority, not a child: permissions by role (policy.py; 403).
The action in the world is owned by someone else, so owners' own rights are tested in test_pages.
"""

from opencsc.core.tests.matrix_support import Entry
from opencsc.inspection import policy

MATRIX = {
    "inspection:list": Entry(policy.may_view_inspections),
    "inspection:add": Entry(policy.may_enter_inspections),
    "inspection:my_actions": Entry(policy.may_own_inspection_actions),
    "inspection:overdue": Entry(policy.may_view_inspections),
    "inspection:detail": Entry(policy.may_view_inspections, ("inspection",)),
    "inspection:edit": Entry(policy.may_enter_inspections, ("inspection",)),
    "inspection:export": Entry(policy.may_view_inspections, ("inspection",)),
    "inspection:areas_paste": Entry(policy.may_enter_inspections, ("inspection",)),
    "inspection:area_edit": Entry(policy.may_enter_inspections, ("inspection", "inspection_area")),
    "inspection:area_remove": Entry(policy.may_enter_inspections, ("inspection", "inspection_spare_area"), method="post"),
    "inspection:action_add": Entry(policy.may_change_inspection_actions, ("inspection", "inspection_area")),
    "inspection:action": Entry(policy.may_view_inspections, ("inspection_action",)),
    "inspection:action_edit": Entry(policy.may_change_inspection_actions, ("inspection_action",)),
    "inspection:action_update": Entry(policy.may_change_inspection_actions, ("inspection_action",)),
}


def extend_world(world, *, author, child, episode):
    from .factories import ActionFactory, AreaFactory, InspectionFactory

    inspection = InspectionFactory(created_by=author)
    area = AreaFactory(inspection=inspection, created_by=author, is_priority_action=True)
    world["inspection"] = inspection.pk
    world["inspection_area"] = area.pk
    world["inspection_spare_area"] = AreaFactory(inspection=inspection, created_by=author).pk
    world["inspection_action"] = ActionFactory(area=area, owner=author, created_by=author).pk
