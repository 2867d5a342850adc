from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "opencsc.inspection"
    label = "inspection"
    verbose_name = "Inspection action plans"

    def ready(self):
        from opencsc.core.navigation import NavItem, register

        from . import policy

        register(NavItem("Inspection", "inspection:list", roles=policy.may_view_inspections.roles, order=80))
        # Staff who cannot read the plans may still own actions: they reach their own from here.
        owners_only = policy.may_own_inspection_actions.roles - policy.may_view_inspections.roles
        register(NavItem("Inspection actions", "inspection:my_actions", roles=owners_only, order=81))
