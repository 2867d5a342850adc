from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "opencsc.inspection"
    label = "inspection"
    verbose_name = "Inspection action plans"

    def ready(self):
        from opencsc.core.navigation import NavItem, register

        from .roles import OWNER_ROLES, READ_ROLES

        register(NavItem("Inspection", "inspection:list", roles=frozenset(READ_ROLES), order=80))
        # Staff who cannot read the plans may still own actions: they reach their own from here.
        register(NavItem("Inspection actions", "inspection:my_actions", roles=frozenset(OWNER_ROLES - READ_ROLES),
                         order=81))
