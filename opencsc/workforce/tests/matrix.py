"""The workforce pages in the permission matrix (see opencsc/core/tests/matrix_support.py)."""

from opencsc.casework import policy as casework_policy
from opencsc.core.tests.matrix_support import Entry, Role
from opencsc.people import policy as record
from opencsc.workforce import policy

# The world's worker is a senior practitioner in the child protection team, which the matrix's
# team manager also belongs to; a service manager sees every team. The world's supervision session is
# that worker's, so the matrix's case-holding users (neither its supervisor nor its supervisee) may use
# the supervision pages but do not find that session.
MATRIX = {
    "workforce:workload": Entry(policy.may_view_workload),
    "workforce:worker": Entry(policy.may_view_workload, ("worker",)),
    "workforce:profile_edit": Entry(policy.may_edit_worker_profile, ("worker",)),
    "workforce:settings": Entry(policy.may_change_workforce_settings),
    "workforce:many_workers": Entry(policy.may_view_worker_changes),
    "workforce:supervision_list": Entry(policy.may_view_supervision),
    "workforce:supervision_add": Entry(casework_policy.may_record_oversight),
    "workforce:supervision_detail": Entry(policy.may_view_supervision, ("supervision",),
                                          not_found=policy.CASE_HOLDING_ROLES),
    "workforce:child": Entry(record.may_view_casework, ("child",)),
    "workforce:allocate": Entry(casework_policy.may_allocate, ("child",)),
    "workforce:awaiting_allocation": Entry(casework_policy.may_allocate),
    "workforce:newly_allocated": Entry(casework_policy.may_hold_cases),
}


def extend_world(world, *, author, child, episode):
    from opencsc.accounts.tests.factories import UserFactory
    from opencsc.workforce.tests.factories import SupervisionSessionFactory

    worker = UserFactory(role=Role.SENIOR_PRACTITIONER, username="matrix-worker")
    world["worker"] = worker.pk
    world["supervision"] = SupervisionSessionFactory(supervisees=[worker]).pk
