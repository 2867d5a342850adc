"""Single sign-on pages: starting a sign-in at the provider, the provider's callback, and the
administrators' pages that link council accounts to OpenCSC users.

The two sign-in pages are mozilla-django-oidc's views with OpenCSC's settings (config.oidc_setting);
anyone may reach them. When single sign-on is not configured they say so (and do nothing else).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from opencsc.accounts.middleware import IDP_MFA_SESSION_KEY
from opencsc.accounts.models import User
from opencsc.accounts.policy import allowed
from opencsc.core.forms import submit

from . import config, mfa, policy, refusals, selectors, services
from .forms import LinkForm
from .logout import ID_TOKEN_SESSION_KEY
from .refusals import SsoRefused


def _not_configured(request):
    return render(request, "sso/not_configured.html")


def _refused(request, refusal: SsoRefused):
    """Back to the sign-in page with the reason; written to the audit log. Nothing else is changed."""
    services.sso_sign_in_refused(request=request, refusal=refusal)
    messages.error(request, refusal.message)
    return redirect(settings.LOGIN_URL)


@method_decorator(never_cache, name="dispatch")
class SignInStart(OIDCAuthenticationRequestView):
    """Send the browser to the provider, with a new state, nonce and PKCE challenge kept in the session."""

    get_settings = staticmethod(config.oidc_setting)

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # the library reads the provider's endpoints here: see get()

    def get(self, request):
        if not config.enabled():
            return _not_configured(request)
        if request.user.is_authenticated:
            next_url = request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                next_url = reverse(settings.LOGIN_REDIRECT_URL)
            return redirect(next_url)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        except config.SsoUnavailable as error:
            return _refused(request, SsoRefused(refusals.UNAVAILABLE, str(error)))
        return super().get(request)


@method_decorator(never_cache, name="dispatch")
class SignInCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code: the backend (backend.SsoBackend) exchanges
    it, checks the ID token and finds the linked user; then the user is signed in, or told why not."""

    get_settings = staticmethod(config.oidc_setting)

    def get(self, request):
        if not config.enabled():
            return _not_configured(request)
        state = request.GET.get("state")
        states = request.session.get("oidc_states")
        started = states.get(state) if isinstance(states, dict) and state else None
        if ("code" in request.GET or "error" in request.GET) and started is None:
            # A callback this session did not start, or one already used: refused without signing anyone
            # out (the library would answer 400 to a code, and sign out the session on an error).
            return _refused(request, SsoRefused(refusals.STATE, "the state is not one this session started"))
        if started is not None and time.time() - started.get("added_on", 0) > config.STATE_SECONDS:
            del request.session["oidc_states"][state]
            request.session.modified = True
            return _refused(request, SsoRefused(refusals.EXPIRED, "the sign-in was started too long ago"))
        return super().get(request)

    def login_failure(self):
        refusal = getattr(self.request, "sso_refusal", None)
        if refusal is None:
            error = self.request.GET.get("error")
            if error:
                description = self.request.GET.get("error_description", "")[:100]
                refusal = SsoRefused(refusals.PROVIDER_ERROR, f"the provider answered {error[:40]!r} {description}")
            else:
                refusal = SsoRefused(refusals.STATE, "the callback had no code or no state")
        return _refused(self.request, refusal)

    def login_success(self):
        response = super().login_success()  # signs the user in (a new session key) and goes to ?next=
        request = self.request
        identity = request.sso_identity
        trusted, summary = mfa.outcome(request.sso_claims)
        request.session[ID_TOKEN_SESSION_KEY] = request.sso_id_token
        request.session[IDP_MFA_SESSION_KEY] = trusted
        request.session.pop("oidc_login_next", None)
        services.sso_signed_in(request=request, identity=identity, mfa=summary)
        return response


# --- Administrators: linking council accounts ---------------------------------------------------


def _context(**extra) -> dict:
    return {"configured": config.enabled(), "issuer": config.issuer(), "claim": config.subject_claim(),
            "provider_name": config.provider_name(), **extra}


@require_GET
@allowed(policy.may_link_sso_accounts)
def identities(request):
    page = Paginator(selectors.identity_list(), 25).get_page(request.GET.get("page"))
    return render(request, "sso/identities.html", _context(page_obj=page))


@require_http_methods(["GET", "POST"])
@allowed(policy.may_link_sso_accounts)
def user_identity(request, user_id):
    subject = get_object_or_404(User, pk=user_id)
    links = list(selectors.identities_of(subject))
    current = next((link for link in links if link.issuer == config.issuer()), None)
    form = LinkForm(request.POST or None, initial={"subject": current.subject if current else ""})
    if config.enabled():
        done = submit(
            request, form,
            lambda data: services.identity_link(actor=request.user, user=subject, subject=data["subject"],
                                                issuer=config.issuer()),
            success=f"Council account linked to {subject.display_name}",
            then=reverse("sso:user", args=[subject.pk]),
        )
        if done:
            return done
    return render(request, "sso/user.html", _context(subject=subject, links=links, current=current, form=form))


@require_POST
@allowed(policy.may_link_sso_accounts)
def unlink(request, user_id):
    subject = get_object_or_404(User, pk=user_id)
    if services.identity_unlink(actor=request.user, user=subject):
        messages.success(request, f"{subject.display_name} can no longer sign in with single sign-on")
    else:
        messages.info(request, f"{subject.display_name} had no council account linked")
    return redirect("sso:user", subject.pk)
