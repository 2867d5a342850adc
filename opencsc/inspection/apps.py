from django.apps import AppConfig

from opencsc.core.navigation import NavItem, register

from . import policy


class InspectionConfig(AppConfig):
    name = "opencsc.inspection"
    label = "inspection"
    verbose_name = "Inspection action plans"

    def ready(self):
        from . import work  # noqa: F401  (registers the actions a person owns on home pages and My work)

        register(NavItem("Inspection", "inspection:list", permission=policy.may_view_inspections, order=80,
                         group="reports", description="Inspections, areas for improvement and action plans."))
        # Staff who cannot read the plans may still own actions: they reach their own from here.
        register(NavItem("Inspection actions", "inspection:my_actions", order=81,
                         permission=lambda user: policy.may_own_inspection_actions(user)
                         and not policy.may_view_inspections(user),
                         group="reports", description="The inspection actions you own."))
