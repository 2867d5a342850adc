"""Sign-in, idle expiry and two-factor enforcement, applied to every request."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .roles import TWO_FACTOR_ROLES

# Paths that anyone may reach without signing in. (/sso/sign-in/: single sign-on's start and callback.)
PUBLIC_PREFIXES = ("/accounts/sign-in/", "/sso/sign-in/", "/static/", "/accessibility/", "/healthz", "/readyz")
# Paths a signed-in user may reach before completing two-factor sign-in.
TWO_FACTOR_PREFIXES = ("/accounts/two-factor/", "/accounts/sign-out/")

IDLE_KEY = "opencsc_last_seen"
# Set in the new, anonymous session after an idle sign-out, so the sign-in page can say why.
IDLE_SIGNED_OUT_KEY = "opencsc_idle_signed_out"
# Set (True) by single sign-on (opencsc.sso) when the identity provider's ID token showed a multi-factor
# sign-in and OPENCSC_OIDC_TRUST_IDP_MFA is on: it then stands in for the local TOTP step (docs/sso.md).
IDP_MFA_SESSION_KEY = "opencsc_idp_mfa"


def _is_public(path: str) -> bool:
    return path == "/favicon.ico" or path.startswith(PUBLIC_PREFIXES)


def _idp_mfa_trusted(request) -> bool:
    """Two factors proven at the identity provider, and the authority trusts it (checked at every request)."""
    return settings.OPENCSC_OIDC_TRUST_IDP_MFA and request.session.get(IDP_MFA_SESSION_KEY) is True


def _with_next(url_name: str, request) -> str:
    """The page at url_name, with ?next= the page asked for (only for GET; a POST cannot be replayed)."""
    url = reverse(url_name)
    if request.method != "GET":
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class LoginRequiredMiddleware:
    """Every page needs a signed-in user, except the sign-in page and static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not _is_public(request.path):
            return redirect(_with_next(settings.LOGIN_URL, request))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Signs the user out after OPENCSC_IDLE_MINUTES without a request.

    This runs before the messages middleware, so the reason is left in the new
    session (IDLE_SIGNED_OUT_KEY) for the sign-in page to show.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(IDLE_KEY)
            limit = settings.OPENCSC_IDLE_MINUTES * 60
            if last_seen is not None and now - last_seen > limit:
                logout(request)
                request.session[IDLE_SIGNED_OUT_KEY] = True
                return redirect(_with_next(settings.LOGIN_URL, request))
            if last_seen is None or now - last_seen >= settings.OPENCSC_IDLE_CLOCK_STEP_SECONDS:
                request.session[IDLE_KEY] = now  # a session write: at most once a step, not on every request
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Staff must complete TOTP sign-in (and set it up the first time) before using the service."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.OPENCSC_TWO_FACTOR_REQUIRED
            and user.is_authenticated
            and user.role in TWO_FACTOR_ROLES
            and not user.is_verified()
            and not _idp_mfa_trusted(request)
            and not _is_public(request.path)
            and not request.path.startswith(TWO_FACTOR_PREFIXES)
        ):
            return redirect(_with_next("accounts:two_factor", request))
        return self.get_response(request)
