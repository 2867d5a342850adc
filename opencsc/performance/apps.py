from django.apps import AppConfig

from opencsc.core.navigation import NavItem, register

from . import policy


class PerformanceConfig(AppConfig):
    name = "opencsc.performance"
    label = "performance"
    verbose_name = "Performance indicators and scorecards"

    def ready(self):
        register(NavItem("Performance", "performance:scorecard", permission=policy.may_view_scorecards, order=65,
                         group="reports", description="The scorecard: measures against targets, week by week."))
