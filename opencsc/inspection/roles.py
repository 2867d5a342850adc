"""Who may do what with inspections and their action plans (docs/access.md, "Inspection action plans").

Inspection action plans are about the authority, not a child's record, so the child access actions
do not apply: these are role checks. Anyone may be named as the owner of an action, and an owner may
update their own actions whatever their role.
"""

from opencsc.accounts.roles import MANAGER_ROLES, Role

# Enter inspections, their dates and judgements, and the areas for improvement from the report.
ENTER_ROLES = frozenset({Role.SERVICE_MANAGER, Role.ADMINISTRATOR})
# Add actions to an area, change them, and record progress on any action.
ACTION_ROLES = MANAGER_ROLES | {Role.PERFORMANCE_ANALYST}
# Read inspections, action plans, the overdue list, and export the plan.
READ_ROLES = MANAGER_ROLES | {Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.ADMINISTRATOR}
# Everyone except partner agency practitioners may own an action (and so has "My actions").
OWNER_ROLES = frozenset(Role.values) - {Role.PARTNER}
