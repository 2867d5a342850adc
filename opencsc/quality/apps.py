from django.apps import AppConfig

from opencsc.core.navigation import NavItem, add_record_section, register

from . import policy


class QualityConfig(AppConfig):
    name = "opencsc.quality"
    label = "quality"
    verbose_name = "Quality assurance: case audits, moderation and practice quality"

    def ready(self):
        from . import (
            event_sources,  # noqa: F401  (registers completed audits in the chronology)
            work,  # noqa: F401  (registers audits and actions to do on home pages and My work)
        )

        add_record_section("Case audits", "quality:child", "view_casework", before="History",
                           group="work", applies=("case_audit",), main=False)
        register(NavItem("Practice quality", "quality:dashboard", permission=policy.may_view_quality, order=60,
                         group="reports", description="Case audits and what they found."))
