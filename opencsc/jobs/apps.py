from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules

from opencsc.core.navigation import NavItem, register

from . import policy


class JobsConfig(AppConfig):
    name = "opencsc.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        # Each app registers its jobs in opencsc/<app>/jobs.py (as admin.py is found for the admin site).
        autodiscover_modules("jobs")
        register(NavItem("Jobs", "jobs:list", permission=policy.may_view_all_jobs, order=95,
                         group="administration", description="Background jobs: exports, returns and rebuilds."))
