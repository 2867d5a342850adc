from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from .policy import may_answer_information_request, may_record_contact


class FrontdoorConfig(AppConfig):
    name = "opencsc.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door and MASH: contacts, screening, decisions and information requests"

    def ready(self):
        # Registers the chronology and clock sources, and the front door's work queues.
        from . import event_sources, work  # noqa: F401

        # The front door itself; performance analysts reach its figures through the performance pages.
        register(NavItem("Front door", "frontdoor:contacts", permission=may_record_contact, order=15,
                         group="front-door", description="Contacts about children: record, screen and decide."))
        register(NavItem("Information requests", "frontdoor:partner_requests",
                         permission=may_answer_information_request, order=15,
                         group="front-door", description="Requests for information from partner agencies."))
        add_record_section("Contacts", "frontdoor:child_contacts", "view_casework", before="Need and assessment",
                           group="services", applies=("contact",))
