"""Who may administer accounts: the permissions of the accounts area.

(``accounts/policy.py`` is the registry every area declares its permissions in; this module is the
accounts area's own part of it, loaded when the app is ready. Reading the access log is
``people.policy.may_view_access_log``, since it is about who looked at children's records.)
"""

from .policy import permission
from .roles import Role

AREA = "Users and teams"

may_administer_users = permission(
    "administer_users", {Role.ADMINISTRATOR},
    "Add and change user accounts: details, role and team, passwords, deactivating and reactivating, "
    "unlocking, issuing two-factor set-up codes and asking for two-factor sign-in to be reset. "
    "An account or role that can see children's records takes effect only when a service manager approves it.",
    area=AREA)
may_administer_teams = permission(
    "administer_teams", {Role.ADMINISTRATOR},
    "Add and change teams: name, kind, partner agency, manager and whether the team is active.", area=AREA)
may_approve_privilege = permission(
    "approve_privilege", {Role.SERVICE_MANAGER},
    "Approve or decline a request for an account, or a change of role, that can see children's records "
    "(never their own request, nor one about themselves).", area=AREA)
may_approve_two_factor_reset = permission(
    "approve_two_factor_reset", {Role.ADMINISTRATOR, Role.SERVICE_MANAGER},
    "Approve or decline another administrator's request to reset a user's two-factor sign-in "
    "(never their own request, nor one about themselves).", area=AREA)
may_view_approvals = permission(
    "view_approvals", {Role.ADMINISTRATOR, Role.SERVICE_MANAGER},
    "See the requests for new accounts, changes of role and two-factor resets that need a second person, "
    "and what was decided.", area=AREA)
