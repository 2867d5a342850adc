from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "opencsc.people"
    label = "people"
    verbose_name = "Children, families and professionals"

    def ready(self):
        from opencsc.accounts.roles import READ_ALL_ROLES, Role
        from opencsc.core.navigation import NavItem, register

        register(NavItem("Find a child", "people:search", roles=frozenset(READ_ALL_ROLES | {Role.PARTNER}), order=10))
