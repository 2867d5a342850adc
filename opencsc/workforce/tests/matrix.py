"""The workforce pages in the permission matrix (see opencsc/core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import MANAGER_ROLES, READ_ALL_ROLES, Entry, Role
from opencsc.workforce.selectors import CHANGES_ROLES, SUPERVISION_ROLES

# The world's worker is a senior practitioner in the child protection team, which the matrix's
# team manager also belongs to; a service manager sees every team.
MATRIX = {
    "workforce:workload": Entry(MANAGER_ROLES),
    "workforce:worker": Entry(MANAGER_ROLES, ("worker",)),
    "workforce:profile_edit": Entry(MANAGER_ROLES, ("worker",)),
    "workforce:settings": Entry(frozenset({Role.SERVICE_MANAGER, Role.ADMINISTRATOR})),
    "workforce:many_workers": Entry(CHANGES_ROLES),
    "workforce:supervision_list": Entry(SUPERVISION_ROLES),
    "workforce:supervision_add": Entry(MANAGER_ROLES | {Role.SENIOR_PRACTITIONER}),
    "workforce:supervision_detail": Entry(MANAGER_ROLES, ("supervision",)),
    "workforce:child": Entry(READ_ALL_ROLES, ("child",)),
    "workforce:allocate": Entry(MANAGER_ROLES, ("child",)),
}


def extend_world(world, *, author, child, episode):
    from opencsc.accounts.tests.factories import UserFactory
    from opencsc.workforce.tests.factories import SupervisionSessionFactory

    worker = UserFactory(role=Role.SENIOR_PRACTITIONER, username="matrix-worker")
    world["worker"] = worker.pk
    world["supervision"] = SupervisionSessionFactory(supervisees=[worker]).pk
