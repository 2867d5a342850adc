from django.apps import AppConfig

from opencsc.core.navigation import NavItem, register

from . import policy


class TimescalesConfig(AppConfig):
    name = "opencsc.timescales"
    label = "timescales"
    verbose_name = "Statutory timescales"

    def ready(self):
        register(NavItem("My work", "timescales:my_work", permission=policy.may_view_my_work, order=10))
        register(NavItem("Team", "timescales:team", permission=policy.may_view_team_work, order=20))
        register(NavItem("Overdue", "timescales:overdue", permission=policy.may_view_overdue, order=30))
        register(NavItem("Timescales", "timescales:rules", order=70))
        from opencsc.core import events

        from . import reads

        # A day's chronology follows the rules' order of starts and ends (core.events.day_ranks).
        events.order_clock_sources_by(reads.source_ranks)
