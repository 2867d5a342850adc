from django.apps import AppConfig

from opencsc.accounts.roles import Role
from opencsc.core.navigation import NavItem, add_record_section, register

from . import policy


class CareleaversConfig(AppConfig):
    name = "opencsc.careleavers"
    label = "careleavers"
    verbose_name = "Care leavers: eligibility, personal advisers and pathway plans"

    def ready(self):
        from . import (
            event_sources,  # noqa: F401  (registers this app's chronology and clock sources)
            summary,  # noqa: F401  (registers "Leaving care" in the record's services now)
            work,  # noqa: F401  (registers what is due for a personal adviser's young people)
        )

        add_record_section("Leaving care", "careleavers:overview", "view_casework", before="Plans",
                           group="services",
                           applies=("leaving_care_decision", "pathway_plan", "leaving_care_contact",
                                    "leaving_care_support"))
        register(NavItem("My young people", "careleavers:caseload", roles=frozenset({Role.PERSONAL_ADVISER}),
                         order=15,
                         group="my-work", description="The young people you are personal adviser to."))
        register(NavItem("Care leavers", "careleavers:authority", permission=policy.may_view_care_leavers, order=45,
                         group="children", description="Care leavers: pathway plans, contact and accommodation."))
