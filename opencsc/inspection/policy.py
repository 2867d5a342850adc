"""Who may do what with inspections and their action plans.

Inspection action plans are about the authority, not a child's record, so the child access actions do
not apply: these permissions are by role. Anyone on the staff may be named as the owner of an action, and
an owner may see and update their own actions whatever their role (decided per action, in the selectors).
"""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import MANAGER_ROLES, Role

AREA = "Inspection action plans"

may_view_inspections = permission(
    "view_inspections", MANAGER_ROLES | {Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.ADMINISTRATOR},
    "Read inspections, their action plans and the overdue actions, and export an action plan.", area=AREA,
    refusal="You cannot see inspections and their action plans")
may_enter_inspections = permission(
    "enter_inspections", {Role.SERVICE_MANAGER, Role.ADMINISTRATOR},
    "Enter an inspection, its dates and judgements, and the areas for improvement from the report.", area=AREA,
    refusal="Only service managers and administrators can enter inspections")
may_change_inspection_actions = permission(
    "change_inspection_actions", MANAGER_ROLES | {Role.PERFORMANCE_ANALYST},
    "Add actions to an area for improvement, change them, and record progress on any action.", area=AREA,
    refusal="Only managers and performance analysts can add or change actions")
may_own_inspection_actions = permission(
    "own_inspection_actions", frozenset(Role.values) - {Role.PARTNER},
    "Be named as the owner of an action in an inspection action plan, and see and record progress on their "
    "own actions.", area=AREA, refusal="You cannot own actions in an inspection action plan")
