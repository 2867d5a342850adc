from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from . import policy


class AdoptionConfig(AppConfig):
    name = "opencsc.adoption"
    label = "adoption"
    verbose_name = "Adoption, special guardianship and adopters"

    def ready(self):
        from . import (
            event_sources,  # noqa: F401  (registers chronology and clock sources)
            summary,  # noqa: F401  (registers "Plan for adoption" / "Placed for adoption")
        )

        add_record_section("Adoption", "adoption:overview", "view_casework", before="Plans",
                           group="services",
                           applies=("adoption_plan", "adoption_review", "adoption_visit",
                                    "permanence_order"))
        register(NavItem("Adoption", "adoption:dashboard", permission=policy.may_view_adoption_service, order=60,
                         group="children", description="Children with a plan for adoption, matches and placements."))
