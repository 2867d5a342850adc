"""The care app's part of the permission matrix (see core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import CASEWORK_ROLES, READ_ALL_ROLES, Entry, Role

IRO = frozenset({Role.IRO})

MATRIX = {
    "care:list": Entry(READ_ALL_ROLES),
    "care:escalations": Entry(READ_ALL_ROLES),
    "care:overview": Entry(READ_ALL_ROLES, ("child",)),
    "care:become_looked_after": Entry(CASEWORK_ROLES, ("child",)),
    "care:placement_change": Entry(CASEWORK_ROLES, ("child",)),
    "care:legal_status_change": Entry(CASEWORK_ROLES, ("child",)),
    "care:period_end": Entry(CASEWORK_ROLES, ("child",)),
    "care:placement_edit": Entry(CASEWORK_ROLES, ("child", "care_placement")),
    "care:care_plan_add": Entry(CASEWORK_ROLES, ("child",)),
    "care:iro_appoint": Entry(CASEWORK_ROLES, ("child",)),
    "care:review_add": Entry(CASEWORK_ROLES, ("child",)),
    "care:escalation_add": Entry(IRO, ("child",)),
    "care:escalation_respond": Entry(CASEWORK_ROLES, ("child", "care_escalation")),
    "care:escalation_progress": Entry(IRO, ("child", "care_escalation")),
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
