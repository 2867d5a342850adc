from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from . import policy


class WellbeingConfig(AppConfig):
    name = "opencsc.wellbeing"
    label = "wellbeing"
    verbose_name = "Health, education, contact and rights of children in care"

    def ready(self):
        from . import event_sources  # noqa: F401  (registers chronology and clock sources)

        add_record_section("Health and education", "wellbeing:overview", "view_casework", before="Plans")
        register(NavItem("Health and education", "wellbeing:dashboard", permission=policy.may_view_wellbeing_figures, order=60))
