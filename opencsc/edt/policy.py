"""Who may do what out of hours. The role part only: each child is fetched through people.access."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import CASEWORK_ROLES, MANAGER_ROLES, READ_ALL_ROLES, Role

AREA = "Out of hours"

may_view_handovers = permission(
    "view_handovers", READ_ALL_ROLES,
    "See the out-of-hours handover list (only children they can see).", area=AREA,
    refusal="You cannot see the out-of-hours handover list")
# The EDT manager is a team manager.
may_record_out_of_hours = permission(
    "record_out_of_hours", frozenset({Role.EDT_WORKER}) | MANAGER_ROLES,
    "Record what the emergency duty team did and decided out of hours, and hand it over to the day team.",
    area=AREA, refusal="Only the emergency duty team records out-of-hours work")
may_acknowledge_handover = permission(
    "acknowledge_handover", CASEWORK_ROLES - {Role.EDT_WORKER},
    "Acknowledge that the day team has picked up an out-of-hours handover (not the emergency duty team "
    "itself).", area=AREA, refusal="Only the day team can acknowledge an out-of-hours handover")
