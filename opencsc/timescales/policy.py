"""Who may see the due lists and change the authority's timescales.

Recording why a timescale was missed is adding to the child's record (``people.policy.may_record``);
the page of the rules is for everyone signed in.
"""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import CASEWORK_ROLES, MANAGER_ROLES, Role

AREA = "Timescales"

may_view_my_work = permission(
    "view_my_work", CASEWORK_ROLES,
    "See what is due and overdue for the children allocated to them (My work).", area=AREA)
may_view_team_work = permission(
    "view_team_work", MANAGER_ROLES,
    "See what is due and overdue for a team's children, by worker (team managers: their own team; "
    "service managers: any team).", area=AREA)
may_view_overdue = permission(
    "view_overdue", MANAGER_ROLES | {Role.PERFORMANCE_ANALYST, Role.AUDITOR},
    "See every overdue timescale across the authority, or for one team.", area=AREA)
may_change_timescales = permission(
    "change_timescales", {Role.SERVICE_MANAGER, Role.ADMINISTRATOR},
    "Change the authority's local-practice timescales, its closure days, and whether each timescale counted in "
    "working days skips the closure days and counts the start day.", area=AREA,
    refusal="You cannot change the authority's timescales")
may_view_any_team_work = permission(
    "view_any_team_work", {Role.SERVICE_MANAGER},
    "Choose any team on the team due list, not only their own.", area=AREA)
