from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "opencsc.assessment"
    label = "assessment"
    verbose_name = "Referral, assessment and children in need"

    def ready(self):
        from . import (
            event_sources,  # noqa: F401  (registers chronology, clock and service sources)
            services,  # noqa: F401  (registers what a visit may count towards: casework.evidence)
            work,  # noqa: F401  (registers the authorisation and next-steps work queues)
        )
