from django.apps import AppConfig

from opencsc.core.navigation import NavItem, register

from . import config, policy


class SsoConfig(AppConfig):
    name = "opencsc.sso"
    label = "sso"
    verbose_name = "Single sign-on (OpenID Connect)"

    def ready(self):
        from . import work  # noqa: F401  (registers the approvals queue on home pages and My work)

        # Only when single sign-on is configured (the page is reachable from each user's page anyway).
        register(NavItem("Single sign-on", "sso:identities", order=91,
                         permission=lambda user: config.enabled() and policy.may_link_sso_accounts(user),
                         group="administration", description="Single sign-on accounts linked to users."))
        register(NavItem("Single sign-on approvals", "sso:approvals", order=92,
                         permission=lambda user: config.enabled() and policy.may_approve_sso_links(user),
                         group="administration", description="Single sign-on links waiting for approval."))
