from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "opencsc.sso"
    label = "sso"
    verbose_name = "Single sign-on (OpenID Connect)"

    def ready(self):
        from opencsc.core.navigation import NavItem, register

        from . import policy

        register(NavItem("Single sign-on", "sso:identities", permission=policy.may_link_sso_accounts, order=91))
