from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from . import policy


class WorkforceConfig(AppConfig):
    name = "opencsc.workforce"
    label = "workforce"
    verbose_name = "Workforce: allocation, caseloads and supervision"

    def ready(self):
        from . import work  # noqa: F401  (registers the allocation queues and supervision due)

        add_record_section("Allocation", "workforce:child", "view_casework", before="History",
                           group="work", main=False)
        register(NavItem("Workload", "workforce:workload", permission=policy.may_view_workload, order=25,
                         group="team", description="Caseloads and workloads of workers and teams."))
        register(NavItem("Supervision", "workforce:supervision_list", permission=policy.may_view_supervision,
                         order=26,
                         group="team", description="Supervision sessions: those due and those recorded."))
