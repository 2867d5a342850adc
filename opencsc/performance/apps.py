from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "opencsc.performance"
    label = "performance"
    verbose_name = "Performance indicators and scorecards"

    def ready(self):
        from opencsc.core.navigation import NavItem, register

        from .services import READ_ROLES

        register(NavItem("Performance", "performance:scorecard", roles=READ_ROLES, order=65))
