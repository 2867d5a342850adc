"""Signing out at the identity provider too (OpenID Connect RP-Initiated Logout 1.0)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import resolve_url

from . import config

# The ID token of a single sign-on, kept in the session for `id_token_hint` when signing out.
ID_TOKEN_SESSION_KEY = "opencsc_sso_id_token"


def provider_logout_url(request) -> str | None:
    """The provider's end_session_endpoint for this session (with id_token_hint, client_id and
    post_logout_redirect_uri, the sign-in page), or None when the session did not begin there or the
    provider cannot be reached (the local sign-out happens anyway). Read before the session ends.
    The same signature as mozilla-django-oidc's OIDC_OP_LOGOUT_URL_METHOD."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not id_token or not config.enabled():
        return None
    try:
        endpoint = config.metadata().get("end_session_endpoint")
    except config.SsoUnavailable:
        return None
    if not endpoint:
        return None
    params = {
        "id_token_hint": id_token,
        "client_id": settings.OPENCSC_OIDC_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
    }
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"
