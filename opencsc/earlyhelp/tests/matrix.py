"""The early help pages in the permission matrix (see opencsc/core/tests/matrix_support.py)."""

import datetime as dt

from opencsc.core.tests.matrix_support import Entry
from opencsc.earlyhelp import policy
from opencsc.people import policy as records

MATRIX = {
    "earlyhelp:dashboard": Entry(policy.may_view_early_help),
    "earlyhelp:children": Entry(policy.may_view_early_help),
    "earlyhelp:overview": Entry(records.may_view_casework, ("child",)),
    "earlyhelp:episode_start": Entry(records.may_record, ("child",)),
    "earlyhelp:episode_detail": Entry(records.may_view_casework, ("child", "eh_episode")),
    "earlyhelp:assessment": Entry(records.may_record, ("child", "eh_episode")),
    "earlyhelp:member_add": Entry(records.may_record, ("child", "eh_episode")),
    "earlyhelp:plan_start": Entry(records.may_record, ("child", "eh_episode")),
    "earlyhelp:review_add": Entry(records.may_record, ("child", "eh_episode")),
    "earlyhelp:step_up": Entry(records.may_record, ("child", "eh_episode")),
    "earlyhelp:episode_close": Entry(records.may_record, ("child", "eh_episode")),
    "earlyhelp:step_down_decision": Entry(policy.may_record_panel_decision, ("child", "eh_step_down")),
    "earlyhelp:step_decision": Entry(policy.may_record_panel_decision, ("child", "eh_step_up")),
    "earlyhelp:step_outcome": Entry(records.may_record, ("child", "eh_step_accepted")),
}


def extend_world(world, *, author, child, episode):
    from opencsc.assessment.tests.factories import CINEpisodeFactory

    from .factories import EarlyHelpEpisodeFactory, StepRequestFactory

    closed = CINEpisodeFactory(child=child, created_by=author, referral_date=dt.date(2025, 1, 6),
                               closure_date=dt.date(2025, 5, 1), reason_for_closure="RC9",
                               step_down_to_early_help=True, step_down_date=dt.date(2025, 5, 1))
    eh = EarlyHelpEpisodeFactory(child=child, created_by=author)
    world["eh_episode"] = eh.pk
    world["eh_step_down"] = closed.pk
    world["eh_step_up"] = StepRequestFactory(early_help_episode=eh, created_by=author).pk
    world["eh_step_accepted"] = StepRequestFactory(early_help_episode=eh, created_by=author,
                                                   panel_date=dt.date(2026, 3, 9), panel_decision="accepted").pk
