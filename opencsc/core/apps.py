from django.apps import AppConfig
from django.db.models.signals import post_migrate

from .chain import install_append_only_triggers


class CoreConfig(AppConfig):
    name = "opencsc.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # After every migrate (and the test run's --no-migrations set-up): the logs' append-only triggers.
        post_migrate.connect(install_append_only_triggers, sender=self, dispatch_uid="opencsc-append-only")
