"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py)."""

import datetime as dt

from opencsc.core.tests.matrix_support import CASEWORK_ROLES, READ_ALL_ROLES, Entry

MATRIX = {
    "wellbeing:overview": Entry(READ_ALL_ROLES, ("child",)),
    "wellbeing:record_add": Entry(CASEWORK_ROLES, ("child", "wellbeing_kind")),
    "wellbeing:contact_end": Entry(CASEWORK_ROLES, ("child", "contact_arrangement")),
    "wellbeing:complaint_update": Entry(CASEWORK_ROLES, ("child", "complaint")),
    "wellbeing:dashboard": Entry(READ_ALL_ROLES),
    "wellbeing:children": Entry(READ_ALL_ROLES),
}


def extend_world(world, *, author, child, episode):
    from .factories import ComplaintFactory, ContactArrangementFactory, PeriodOfCareFactory

    PeriodOfCareFactory(child=child, start_date=dt.date(2025, 9, 1), created_by=author)
    world["wellbeing_kind"] = "health-assessment"
    world["contact_arrangement"] = ContactArrangementFactory(child=child, created_by=author).pk
    world["complaint"] = ComplaintFactory(child=child, created_by=author).pk
