"""The care app's part of the permission matrix (see core/tests/matrix_support.py)."""

from opencsc.care import policy
from opencsc.core.tests.matrix_support import Entry
from opencsc.people import policy as people

MATRIX = {
    "care:list": Entry(policy.may_view_children_in_care),
    "care:escalations": Entry(policy.may_view_children_in_care),
    "care:iro_caseload": Entry(policy.may_view_iro_caseload),
    "care:overview": Entry(people.may_view_casework, ("child",)),
    "care:become_looked_after": Entry(people.may_record, ("child",)),
    "care:placement_change": Entry(people.may_record, ("child",)),
    "care:legal_status_change": Entry(people.may_record, ("child",)),
    "care:period_end": Entry(people.may_record, ("child",)),
    "care:placement_edit": Entry(people.may_record, ("child", "care_placement")),
    "care:care_plan_add": Entry(people.may_record, ("child",)),
    "care:iro_appoint": Entry(people.may_record, ("child",)),
    "care:review_add": Entry(people.may_record, ("child",)),
    "care:escalation_add": Entry(policy.may_raise_escalation, ("child",)),
    "care:escalation_respond": Entry(people.may_record, ("child", "care_escalation")),
    "care:escalation_progress": Entry(policy.may_progress_escalation, ("child", "care_escalation")),
}


def extend_world(world, *, author, child, episode):
    from opencsc.care.models import Placement
    from opencsc.care.services import open_period

    from .factories import CareEpisodeFactory, IROEscalationFactory, PlacementFactory, looked_after

    period = open_period(child)
    if period is not None and not period.placements.exists():  # a bare period made by another area's fixture
        CareEpisodeFactory(placement=PlacementFactory(period=period, created_by=author))
    period = looked_after(author, child)
    world["care_placement"] = Placement.objects.filter(period=period).order_by("-start_date").first().pk
    world["care_escalation"] = IROEscalationFactory(period=period, child=child).pk
