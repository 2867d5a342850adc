from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from .policy import may_view_handovers


class EdtConfig(AppConfig):
    name = "opencsc.edt"
    label = "edt"
    verbose_name = "Out of hours (EDT): actions and decisions, and the day team's handover"

    def ready(self):
        from . import (
            event_sources,  # noqa: F401  (registers out-of-hours entries in the chronology)
            work,  # noqa: F401  (registers the handover queues on home pages and My work)
        )

        add_record_section("Out of hours", "edt:entries", "view_casework", before="Plans",
                           group="services", applies=("out_of_hours",))
        register(NavItem("Handovers", "edt:handovers", permission=may_view_handovers, order=40,
                         group="team", description="Out-of-hours work handed over to the day teams."))
