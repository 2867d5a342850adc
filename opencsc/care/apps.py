from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from . import policy


class CareConfig(AppConfig):
    name = "opencsc.care"
    label = "care"
    verbose_name = "Children in care: periods of care, episodes, placements, care plans, reviews and visits"

    def ready(self):
        from . import (
            event_sources,  # noqa: F401  (registers chronology, clock and service sources)
            work,  # noqa: F401  (registers the IRO's reviews and escalations on home pages and My work)
        )

        add_record_section("Care", "care:overview", "view_casework", before="Plans")
        register(NavItem("Children in care", "care:list", permission=policy.may_view_children_in_care, order=42))
        register(NavItem("My reviews", "care:iro_caseload", permission=policy.may_view_iro_caseload, order=14))
