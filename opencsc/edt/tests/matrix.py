"""The out-of-hours pages in the permission matrix (see opencsc/core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import Entry
from opencsc.edt import policy
from opencsc.people import policy as records

MATRIX = {
    "edt:handovers": Entry(policy.may_view_handovers),
    "edt:entries": Entry(records.may_view_casework, ("child",)),
    "edt:entry_add": Entry(policy.may_record_out_of_hours, ("child",)),
    "edt:entry_detail": Entry(records.may_view_casework, ("child", "edt_entry")),
    "edt:entry_acknowledge": Entry(policy.may_acknowledge_handover, ("child", "edt_entry"), method="post"),
}


def extend_world(world, *, author, child, episode):
    from .factories import OutOfHoursEntryFactory

    world["edt_entry"] = OutOfHoursEntryFactory(child=child).pk
