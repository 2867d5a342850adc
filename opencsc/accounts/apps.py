from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opencsc.accounts"
    label = "accounts"
    verbose_name = "Accounts, teams and roles"

    def ready(self):
        from opencsc.core.navigation import NavItem, register

        from .roles import MANAGER_ROLES, Role

        register(NavItem("Access log", "accounts:access_log", roles=MANAGER_ROLES, order=80))
        register(NavItem("Users and teams", "accounts:user_list", roles=frozenset({Role.ADMINISTRATOR}), order=90))
