from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from .policy import may_view_early_help


class EarlyhelpConfig(AppConfig):
    name = "opencsc.earlyhelp"
    label = "earlyhelp"
    verbose_name = "Early help: assessments, team around the family, plans, reviews, step-up and step-down"

    def ready(self):
        from . import (
            event_sources,  # noqa: F401  (chronology sources and "Early help" on the summary)
            work,  # noqa: F401  (registers the panel's queue on home pages and My work)
        )

        add_record_section("Early help", "earlyhelp:overview", "view_casework", before="Need and assessment",
                           group="services", applies=("early_help", "early_help_work", "early_help_steps"))
        register(NavItem("Early help", "earlyhelp:dashboard", permission=may_view_early_help, order=45,
                         group="children", description="Early help episodes, assessments and step-up and step-down decisions."))
