from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "opencsc.casework"
    label = "casework"
    verbose_name = "Casework: notes, chronology, documents and allocations"

    def ready(self):
        from . import event_sources  # noqa: F401  (registers this app's chronology sources)
