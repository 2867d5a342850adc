from django.apps import AppConfig

from opencsc.core.navigation import NavItem, register
from opencsc.people import policy as people_policy

from . import permissions  # declares the accounts area's permissions in the registry


class AccountsConfig(AppConfig):
    name = "opencsc.accounts"
    label = "accounts"
    verbose_name = "Accounts, teams and roles"

    def ready(self):
        from . import work  # noqa: F401  (registers the approvals queue on home pages and My work)

        register(NavItem("Access log", "accounts:access_log", permission=people_policy.may_view_access_log,
                         order=80,
                         group="administration", description="Who looked at which child's record, and when."))
        register(NavItem("Users and teams", "accounts:user_list", permission=permissions.may_administer_users,
                         order=90,
                         group="administration", description="User accounts, roles and teams."))
        register(NavItem("Approvals", "accounts:approval_list", permission=permissions.may_approve_privilege,
                         order=85,
                         group="administration", description="Changes to users' privileges waiting for approval."))
