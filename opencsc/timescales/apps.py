from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    name = "opencsc.timescales"
    label = "timescales"
    verbose_name = "Statutory timescales"

    def ready(self):
        from opencsc.core.navigation import NavItem, register

        from .views import MY_WORK_ROLES, OVERDUE_ROLES, TEAM_ROLES

        register(NavItem("My work", "timescales:my_work", roles=MY_WORK_ROLES, order=10))
        register(NavItem("Team", "timescales:team", roles=TEAM_ROLES, order=20))
        register(NavItem("Overdue", "timescales:overdue", roles=OVERDUE_ROLES, order=30))
        register(NavItem("Timescales", "timescales:rules", order=70))
