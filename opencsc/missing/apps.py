from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from . import policy


class MissingConfig(AppConfig):
    name = "opencsc.missing"
    label = "missing"
    verbose_name = "Missing children, return home interviews and exploitation"

    def ready(self):
        from . import (
            event_sources,  # noqa: F401  (registers this app's chronology and clock sources)
            summary,  # noqa: F401  (registers "Missing now" / "At risk of exploitation")
        )

        add_record_section("Missing", "missing:overview", "view_casework", before="Plans",
                           group="services", applies=("missing_episode", "exploitation_assessment"))
        register(NavItem("Missing", "missing:currently_missing", permission=policy.may_view_missing_lists, order=45,
                         group="children", description="Children missing now, return home interviews and exploitation risk."))
