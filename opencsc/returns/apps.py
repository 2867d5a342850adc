from django.apps import AppConfig

from opencsc.core.navigation import NavItem, register

from . import policy


class ReturnsConfig(AppConfig):
    name = "opencsc.returns"
    label = "returns"
    verbose_name = "Statutory returns: CIN census, SSDA903 and Ofsted Annex A"

    def ready(self):
        from . import work  # noqa: F401  (registers the validation errors to fix on home pages)

        register(NavItem("Returns", "returns:home", permission=policy.may_read_return_reports, order=80,
                         group="reports", description="Statutory returns: CIN census, SSDA903 and Annex A, with their checks."))
