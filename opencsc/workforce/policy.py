"""Who may do what in the workforce pages: caseloads, the authority's workforce settings, changes of
worker and supervision.

Recording supervision is recording management oversight on each child discussed
(``casework.policy.may_record_oversight``), and allocation is ``casework.policy.may_allocate``.
Which teams and workers a manager sees (their own team, or every team for a service manager) and which
sessions a worker sees (the ones they held or attended) is decided by the selectors on top of these.
"""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import MANAGER_ROLES, Role
from opencsc.casework.policy import CASE_HOLDING_ROLES

AREA = "Workforce"

# CASE_HOLDING_ROLES (casework's): the roles that hold cases and are supervised, which the workload pages count.

may_view_workload = permission(
    "view_workload", MANAGER_ROLES,
    "See the weighted caseloads and capacity of their teams (service managers: every team), and each "
    "worker's caseload.", area=AREA, refusal="Only team and service managers can see caseloads")
may_edit_worker_profile = permission(
    "edit_worker_profile", MANAGER_ROLES,
    "Record a worker's experience level and hours (the worker's team manager, or a service manager).",
    area=AREA, refusal="Only the worker's team manager or a service manager can change this")
may_change_workforce_settings = permission(
    "change_workforce_settings", {Role.SERVICE_MANAGER, Role.ADMINISTRATOR},
    "Change the authority's caseload weights, caseload limits and how often workers are supervised.",
    area=AREA, refusal="Only service managers and administrators can change the workforce settings")
may_view_worker_changes = permission(
    "view_worker_changes", MANAGER_ROLES | {Role.PERFORMANCE_ANALYST, Role.AUDITOR},
    "See the children who have had many different social workers in the last 12 months (only children "
    "they can see).", area=AREA)
may_view_supervision = permission(
    "view_supervision", MANAGER_ROLES | CASE_HOLDING_ROLES,
    "See supervision sessions: managers those of their teams, workers the sessions they held or attended.",
    area=AREA)
