from django.apps import AppConfig

from opencsc.core.navigation import NavItem, register

from . import policy


class TimescalesConfig(AppConfig):
    name = "opencsc.timescales"
    label = "timescales"
    verbose_name = "Statutory timescales"

    def ready(self):
        register(NavItem("My work", "timescales:my_work", permission=policy.may_view_my_work, order=10,
                         group="my-work", description="What is due for the children you work with, and what you must act on."))
        register(NavItem("Team", "timescales:team", permission=policy.may_view_team_work, order=20,
                         group="team", description="What is due for your team's children."))
        register(NavItem("Overdue", "timescales:overdue", permission=policy.may_view_overdue, order=30,
                         group="team", description="Everything overdue, by team and worker."))
        register(NavItem("Timescales", "timescales:rules", order=70,
                         group="reports", description="The statutory and local timescales and how they are counted."))
        from opencsc.core import events

        from . import reads

        # A day's chronology follows the rules' order of starts and ends (core.events.day_ranks).
        events.order_clock_sources_by(reads.source_ranks)
