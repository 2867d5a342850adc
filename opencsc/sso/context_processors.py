from django.urls import reverse

from . import config


def sso(request) -> dict:
    """`sso_sign_in` for the sign-in page's button, only when single sign-on is configured."""
    if not config.enabled():
        return {}
    return {"sso_sign_in": {"provider_name": config.provider_name(), "url": reverse("sso:start")}}
