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

        add_record_section("Care", "care:overview", "view_casework", before="Plans",
                           group="services",
                           applies=("care_episode", "care_period", "care_placement", "cla_review",
                                    "care_plan", "iro_appointment"))
        register(NavItem("Children in care", "care:list", permission=policy.may_view_children_in_care, order=42,
                         group="children", description="Children looked after now: placements, legal status and reviews."))
        register(NavItem("My reviews", "care:iro_caseload", permission=policy.may_view_iro_caseload, order=14,
                         group="my-work", description="The children you review as their IRO: reviews due and escalations."))
