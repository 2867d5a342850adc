from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from . import policy


class WellbeingConfig(AppConfig):
    name = "opencsc.wellbeing"
    label = "wellbeing"
    verbose_name = "Health, education, contact and rights of children in care"

    def ready(self):
        from . import event_sources  # noqa: F401  (registers chronology and clock sources)

        add_record_section("Health and education", "wellbeing:overview", "view_casework", before="Plans",
                           group="services",
                           applies=("care_period", "health_assessment", "dental_check", "health_status",
                                    "sdq", "pep", "pep_due", "exclusion", "rights", "advocacy_offer",
                                    "complaint", "rights_explained"))
        register(NavItem("Health and education", "wellbeing:dashboard", permission=policy.may_view_wellbeing_figures, order=60,
                         group="children", description="Health assessments, dental checks, SDQs and personal education plans."))
