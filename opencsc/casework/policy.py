"""Who may do what in casework beyond adding to a child's record (that is ``people.policy.may_record``):
management oversight, allocation and changing someone else's case note.

Each is by role only; what a user may do to one child's record (restriction, allocation) is decided by
``people.access`` on top of these.
"""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import MANAGER_ROLES, Role, TeamKind

AREA = "Casework"

# Who may be allocated children: the practitioners who hold cases (the roles the workload pages count) ...
CASE_HOLDING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.PERSONAL_ADVISER})
# ... in the teams that hold children's cases (never the MASH, out of hours, IROs, fostering, performance,
# quality, administration or a partner agency).
CASE_HOLDING_TEAM_KINDS = frozenset({
    TeamKind.REFERRAL_ASSESSMENT, TeamKind.CHILD_PROTECTION, TeamKind.CHILDREN_IN_CARE, TeamKind.CARE_LEAVERS,
    TeamKind.ADOPTION, TeamKind.EARLY_HELP,
})

may_record_oversight = permission(
    "record_oversight", MANAGER_ROLES | {Role.SENIOR_PRACTITIONER},
    "Record management oversight or supervision, with its decisions and actions, on a child's record.",
    area=AREA, refusal="Only managers and senior practitioners can record management oversight")
may_allocate = permission(
    "allocate", MANAGER_ROLES,
    "Allocate a child to a team and worker, or transfer them to another.",
    area=AREA, refusal="Only team and service managers can allocate or transfer a child")
may_hold_cases = permission(
    "hold_cases", CASE_HOLDING_ROLES,
    "Be allocated children, and see the children newly allocated to them.", area=AREA,
    refusal="Only social workers, senior practitioners and personal advisers are allocated children")
may_edit_others_case_notes = permission(
    "edit_others_case_notes", MANAGER_ROLES,
    "Change a case note written by someone else (anyone who may add case notes may change their own).",
    area=AREA, refusal="Only the author or a manager can change a case note")
