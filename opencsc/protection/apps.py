from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "opencsc.protection"
    label = "protection"
    verbose_name = "Child protection: strategy discussions, section 47 enquiries, conferences and plans"

    def ready(self):
        from . import (
            event_sources,  # noqa: F401  (registers this app's chronology and clock sources)
            summary,  # noqa: F401  (registers "Child protection plan" / "Section 47 enquiry")
        )
