from django.apps import AppConfig


class EdtConfig(AppConfig):
    name = "opencsc.edt"
    label = "edt"
    verbose_name = "Out of hours (EDT): actions and decisions, and the day team's handover"

    def ready(self):
        from opencsc.accounts.roles import READ_ALL_ROLES
        from opencsc.casework.templatetags.casework_tags import add_record_section
        from opencsc.core.navigation import NavItem, register

        from . import event_sources  # noqa: F401  (registers out-of-hours entries in the chronology)

        add_record_section("Out of hours", "edt:entries", "view_casework", before="Plans")
        register(NavItem("Handovers", "edt:handovers", roles=frozenset(READ_ALL_ROLES), order=40))
