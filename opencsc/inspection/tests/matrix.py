"""The inspection app's part of the permission matrix (see core/tests/matrix_support.py).

Inspection action plans are about the authority, not a child: role checks (403), docs/access.md.
The action in the world is owned by someone else, so owners' own rights are tested in test_pages.
"""

from opencsc.core.tests.matrix_support import Entry
from opencsc.inspection.roles import ACTION_ROLES, ENTER_ROLES, OWNER_ROLES, READ_ROLES

MATRIX = {
    "inspection:list": Entry(READ_ROLES),
    "inspection:add": Entry(ENTER_ROLES),
    "inspection:my_actions": Entry(OWNER_ROLES),
    "inspection:overdue": Entry(READ_ROLES),
    "inspection:detail": Entry(READ_ROLES, ("inspection",)),
    "inspection:edit": Entry(ENTER_ROLES, ("inspection",)),
    "inspection:export": Entry(READ_ROLES, ("inspection",)),
    "inspection:areas_paste": Entry(ENTER_ROLES, ("inspection",)),
    "inspection:area_edit": Entry(ENTER_ROLES, ("inspection", "inspection_area")),
    "inspection:area_remove": Entry(ENTER_ROLES, ("inspection", "inspection_spare_area"), method="post"),
    "inspection:action_add": Entry(ACTION_ROLES, ("inspection", "inspection_area")),
    "inspection:action": Entry(READ_ROLES, ("inspection_action",)),
    "inspection:action_edit": Entry(ACTION_ROLES, ("inspection_action",)),
    "inspection:action_update": Entry(ACTION_ROLES, ("inspection_action",)),
}


def extend_world(world, *, author, child, episode):
    from .factories import ActionFactory, AreaFactory, InspectionFactory

    inspection = InspectionFactory(created_by=author)
    area = AreaFactory(inspection=inspection, created_by=author, is_priority_action=True)
    world["inspection"] = inspection.pk
    world["inspection_area"] = area.pk
    world["inspection_spare_area"] = AreaFactory(inspection=inspection, created_by=author).pk
    world["inspection_action"] = ActionFactory(area=area, owner=author, created_by=author).pk
