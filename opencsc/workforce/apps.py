from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "opencsc.workforce"
    label = "workforce"
    verbose_name = "Workforce: allocation, caseloads and supervision"

    def ready(self):
        from opencsc.casework.templatetags.casework_tags import add_record_section
        from opencsc.core.navigation import NavItem, register

        from . import policy

        add_record_section("Allocation", "workforce:child", "view_casework", before="History")
        register(NavItem("Workload", "workforce:workload", permission=policy.may_view_workload, order=25))
        register(NavItem("Supervision", "workforce:supervision_list", permission=policy.may_view_supervision,
                         order=26))
