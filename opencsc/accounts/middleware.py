"""Sign-in, idle expiry and two-factor enforcement, applied to every request."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

# Paths that anyone may reach without signing in.
PUBLIC_PREFIXES = ("/accounts/sign-in/", "/static/", "/accessibility/", "/healthz")
# Paths a signed-in user may reach before completing two-factor sign-in.
TWO_FACTOR_PREFIXES = ("/accounts/two-factor/", "/accounts/sign-out/")

IDLE_KEY = "opencsc_last_seen"


def _is_public(path: str) -> bool:
    return path == "/favicon.ico" or path.startswith(PUBLIC_PREFIXES)


class LoginRequiredMiddleware:
    """Every page needs a signed-in user, except the sign-in page and static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not _is_public(request.path):
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Signs the user out after OPENCSC_IDLE_MINUTES without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(IDLE_KEY)
            limit = settings.OPENCSC_IDLE_MINUTES * 60
            if last_seen is not None and now - last_seen > limit:
                logout(request)
                messages.info(request, "You were signed out because you had not used the service for a while.")
                return redirect(reverse(settings.LOGIN_URL))
            request.session[IDLE_KEY] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Staff must complete TOTP sign-in (and set it up the first time) before using the service."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .roles import TWO_FACTOR_ROLES

        user = request.user
        if (
            settings.OPENCSC_TWO_FACTOR_REQUIRED
            and user.is_authenticated
            and user.role in TWO_FACTOR_ROLES
            and not user.is_verified()
            and not _is_public(request.path)
            and not request.path.startswith(TWO_FACTOR_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return self.get_response(request)
