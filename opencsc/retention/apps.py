from django.apps import AppConfig

from opencsc.core.navigation import NavItem, register

from . import policy


class RetentionConfig(AppConfig):
    name = "opencsc.retention"
    label = "retention"
    verbose_name = "Records retention"

    def ready(self):
        from . import work  # noqa: F401  (registers the destruction queue on home pages and My work)

        register(NavItem("Records retention", "retention:report", permission=policy.may_approve_destruction,
                         order=85,
                         group="administration", description="Records due for destruction, and approving it."))
        # Administrators and auditors see the periods and the record of what was destroyed.
        register(NavItem("Records retention", "retention:rules", order=86,
                         permission=lambda user: policy.may_view_retention(user)
                         and not policy.may_approve_destruction(user),
                         group="administration", description="How long records are kept, and what was destroyed."))
