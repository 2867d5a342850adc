from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "opencsc.sso"
    label = "sso"
    verbose_name = "Single sign-on (OpenID Connect)"

    def ready(self):
        from opencsc.core.navigation import NavItem, register

        from . import config, policy

        # Only when single sign-on is configured (the page is reachable from each user's page anyway).
        register(NavItem("Single sign-on", "sso:identities", order=91,
                         permission=lambda user: config.enabled() and policy.may_link_sso_accounts(user)))
