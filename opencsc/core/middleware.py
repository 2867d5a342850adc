"""Responses that may hold personal data are never kept by a browser or a proxy; every form is sent once;
the client's address is the browser's, not the proxy's."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .models import FormSubmission


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def trusted_proxies(setting: str) -> list:
    """OPENCSC_TRUSTED_PROXIES: addresses or networks (127.0.0.1, 10.0.0.0/24), comma-separated."""
    return [ipaddress.ip_network(p.strip(), strict=False) for p in setting.split(",") if p.strip()]


class ClientAddressMiddleware:
    """Behind nginx every request comes from 127.0.0.1: the sign-in throttle per address would then count
    the whole council as one address (one attacker's failures would refuse everyone), and the logs would
    name the proxy. When the request comes from a trusted proxy (OPENCSC_TRUSTED_PROXIES), REMOTE_ADDR becomes
    the nearest address in X-Forwarded-For that is not itself a trusted proxy. An address a client wrote into
    the header itself is never believed: only what trusted proxies added, read from the right."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxies = trusted_proxies(getattr(settings, "OPENCSC_TRUSTED_PROXIES", ""))

    def _trusted(self, address) -> bool:
        return address is not None and any(address in network for network in self.proxies)

    def __call__(self, request):
        if self.proxies and self._trusted(_address(request.META.get("REMOTE_ADDR", ""))):
            hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            for hop in reversed(hops):
                address = _address(hop)
                if address is None:
                    break  # a malformed hop: stop believing the header here
                if not self._trusted(address):
                    request.META["REMOTE_ADDR"] = str(address)
                    break
        return self.get_response(request)


class NoStoreMiddleware:
    """Every response to a signed-in user: ``Cache-Control: no-store`` (with Django's never-cache headers),
    so a child's record, a search or an export is not left in a shared computer's browser cache or a proxy.
    Static files are served before this (WhiteNoise) and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated  # before the view: signing out counts too
        response = self.get_response(request)
        if signed_in:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


FORM_TOKEN_FIELD = "form_token"
# The shape of what {% form_token %} makes (secrets.token_urlsafe: URL-safe characters); anything else is ignored.
FORM_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")
FORM_TOKEN_LIFETIME = dt.timedelta(days=1)
ALREADY_SENT = "This form was already sent. It has been saved once."
BEING_SENT = "This form is already being sent. Check whether it was saved before sending it again."


class FormTokenMiddleware:
    """Every form is sent once: a double click, a resubmit or two racing requests store one row.

    A POST that carries a one-time token (`{% form_token %}`, put in every POST form next to
    `{% csrf_token %}`) claims it (core.FormSubmission, unique per user and token) in one transaction with
    the view's own writes. When the view sends the user on (a redirect), the claim keeps where to; any
    other answer (the form shown again with its errors, a refusal) gives the token back, so the
    corrected form can be sent. A second POST with a claimed token runs no view: it is sent where the first
    one went, with "This form was already sent". On PostgreSQL a racing second request waits on the
    unique index until the first commits. A server error rolls back the view's writes. POSTs without a
    token (sign-in, the API, tests that build their own data) pass untouched. Claims older than
    FORM_TOKEN_LIFETIME are removed here, by an indexed delete after each claim.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.method != "POST" or user is None or not user.is_authenticated:
            return self.get_response(request)
        token = request.POST.get(FORM_TOKEN_FIELD, "").strip()
        if not FORM_TOKEN_SHAPE.fullmatch(token):  # none, or not one this site made (the form is still checked)
            return self.get_response(request)

        now = timezone.now()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = FormSubmission.objects.create(user=user, token=token, path=request.path[:300],
                                                          created_at=now)
            except IntegrityError:
                return self._already_sent(request, user, token)
            response = self.get_response(request)
            location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
            if location:
                claim.result_url = location[:500]
                claim.save(update_fields=["result_url"])
            else:
                claim.delete()
                if response.status_code >= 500:
                    transaction.set_rollback(True)  # no partial write from a failed request
        FormSubmission.objects.filter(created_at__lt=now - FORM_TOKEN_LIFETIME).delete()
        return response

    @staticmethod
    def _already_sent(request, user, token):
        first = FormSubmission.objects.filter(user=user, token=token).first()
        if first is not None and first.result_url:
            messages.info(request, ALREADY_SENT)
            return redirect(first.result_url)
        messages.warning(request, BEING_SENT)
        return redirect(request.get_full_path())
