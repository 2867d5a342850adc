"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py)."""

import datetime as dt

from opencsc.core.tests.matrix_support import Entry
from opencsc.people import policy as people
from opencsc.wellbeing import policy

MATRIX = {
    "wellbeing:overview": Entry(people.may_view_casework, ("child",)),
    "wellbeing:record_add": Entry(people.may_record, ("child", "wellbeing_kind")),
    "wellbeing:contact_end": Entry(people.may_record, ("child", "contact_arrangement")),
    "wellbeing:complaint_update": Entry(people.may_record, ("child", "complaint")),
    "wellbeing:dashboard": Entry(policy.may_view_wellbeing_figures),
    "wellbeing:children": Entry(policy.may_view_wellbeing_figures),
}


def extend_world(world, *, author, child, episode):
    from .factories import ComplaintFactory, ContactArrangementFactory, PeriodOfCareFactory

    PeriodOfCareFactory(child=child, start_date=dt.date(2025, 9, 1), created_by=author)
    world["wellbeing_kind"] = "health-assessment"
    world["contact_arrangement"] = ContactArrangementFactory(child=child, created_by=author).pk
    world["complaint"] = ComplaintFactory(child=child, created_by=author).pk
