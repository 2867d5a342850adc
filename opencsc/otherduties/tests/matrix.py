"""The other duties app's part of the permission matrix (see core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import CASEWORK_ROLES, MANAGER_ROLES, READ_ALL_ROLES, Entry

MATRIX = {
    "otherduties:overview": Entry(READ_ALL_ROLES, ("child",)),
    "otherduties:private_fostering_add": Entry(CASEWORK_ROLES, ("child",)),
    "otherduties:private_fostering_visit": Entry(CASEWORK_ROLES, ("child", "private_fostering")),
    "otherduties:private_fostering_end": Entry(CASEWORK_ROLES, ("child", "private_fostering")),
    "otherduties:proceedings_add": Entry(CASEWORK_ROLES, ("child",)),
    "otherduties:hearing_add": Entry(CASEWORK_ROLES, ("child", "proceedings")),
    "otherduties:extension_add": Entry(CASEWORK_ROLES, ("child", "proceedings")),
    "otherduties:final_order": Entry(CASEWORK_ROLES, ("child", "proceedings")),
    "otherduties:proceedings_list": Entry(READ_ALL_ROLES),
    "otherduties:private_fostering_list": Entry(READ_ALL_ROLES),
    # LADO records are about adults and sensitive: managers only (docs/access.md).
    "otherduties:lado_list": Entry(MANAGER_ROLES),
    "otherduties:lado_add": Entry(MANAGER_ROLES),
    "otherduties:lado_detail": Entry(MANAGER_ROLES, ("lado",)),
    "otherduties:lado_meeting_add": Entry(MANAGER_ROLES, ("lado",)),
    "otherduties:lado_outcome": Entry(MANAGER_ROLES, ("lado",)),
}


def extend_world(world, *, author, child, episode):
    from .factories import CareProceedingsFactory, LadoAllegationFactory, PrivateFosteringFactory

    world["private_fostering"] = PrivateFosteringFactory(child=child, created_by=author).pk
    world["proceedings"] = CareProceedingsFactory(child=child, created_by=author).pk
    allegation = LadoAllegationFactory(created_by=author)
    allegation.children.add(child)
    world["lado"] = allegation.pk
