"""The out-of-hours pages in the permission matrix (see opencsc/core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import READ_ALL_ROLES, Entry
from opencsc.edt.services import ACKNOWLEDGE_ROLES, RECORD_ROLES

MATRIX = {
    "edt:handovers": Entry(READ_ALL_ROLES),
    "edt:entries": Entry(READ_ALL_ROLES, ("child",)),
    "edt:entry_add": Entry(RECORD_ROLES, ("child",)),
    "edt:entry_detail": Entry(READ_ALL_ROLES, ("child", "edt_entry")),
    "edt:entry_acknowledge": Entry(ACKNOWLEDGE_ROLES, ("child", "edt_entry"), method="post"),
}


def extend_world(world, *, author, child, episode):
    from .factories import OutOfHoursEntryFactory

    world["edt_entry"] = OutOfHoursEntryFactory(child=child).pk
