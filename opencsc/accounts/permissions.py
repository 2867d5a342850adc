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
    "unlocking and resetting two-factor sign-in.", area=AREA)
may_administer_teams = permission(
    "administer_teams", {Role.ADMINISTRATOR},
    "Add and change teams: name, kind, partner agency, manager and whether the team is active.", area=AREA)
