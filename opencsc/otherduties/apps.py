from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from . import policy


class OtherdutiesConfig(AppConfig):
    name = "opencsc.otherduties"
    label = "otherduties"
    verbose_name = "Other duties: private fostering, LADO allegations and care proceedings"

    def ready(self):
        from . import (
            event_sources,  # noqa: F401  (registers this app's chronology and clock sources)
            summary,  # noqa: F401  (registers "Privately fostered" / "Care proceedings")
        )

        add_record_section("Other duties", "otherduties:overview", "view_casework", before="Plans",
                           group="services", applies=("private_fostering", "care_proceedings"))
        register(NavItem("Care proceedings", "otherduties:proceedings_list", order=55,
                         permission=policy.may_view_proceedings_list,
                         group="children", description="Care proceedings and their 26-week timetable."))
        register(NavItem("LADO", "otherduties:lado_list", permission=policy.may_view_lado, order=56,
                         group="children", description="Allegations against people who work with children (LADO)."))
