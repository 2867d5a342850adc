"""Single sign-on configuration: OpenCSC's settings (``OPENCSC_OIDC_*``, from the environment) turned into
the ``OIDC_*`` settings mozilla-django-oidc asks for, with the provider's endpoints read from its
discovery document (``<issuer>/.well-known/openid-configuration``), fetched once an hour.

Nothing is fetched unless single sign-on is configured and someone uses it: importing this module, a
password sign-in or a page of a signed-in session never calls the provider.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from mozilla_django_oidc.utils import import_from_settings

TIMEOUT_SECONDS = 10
DISCOVERY_SECONDS = 3600
# Clocks differ: an ID token is accepted up to this many seconds either side of its times.
LEEWAY_SECONDS = 60
# A sign-in must come back from the provider within this long of starting.
STATE_SECONDS = 600
SIGNING_ALGORITHM = "RS256"  # the provider's public keys come from its JWKS; no shared-secret (HS256) tokens

# What mozilla-django-oidc would read from Django settings, fixed here: these are decisions, not options.
FIXED = {
    "OIDC_RP_SIGN_ALGO": SIGNING_ALGORITHM,
    "OIDC_RP_IDP_SIGN_KEY": None,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,  # kept by opencsc.sso itself, only once the user is signed in
    "OIDC_CREATE_USER": False,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:callback",
    "OIDC_TIMEOUT": TIMEOUT_SECONDS,
    "OIDC_VERIFY_SSL": True,
    "OIDC_PROXY": None,
    "OIDC_TOKEN_USE_BASIC_AUTH": False,
    "OIDC_MAX_STATES": 10,
    "OIDC_REDIRECT_FIELD_NAME": "next",
    "OIDC_REDIRECT_ALLOWED_HOSTS": [],
    "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
    "LOGIN_REDIRECT_URL_FAILURE": "accounts:login",
}
FROM_SETTINGS = {
    "OIDC_RP_CLIENT_ID": "OPENCSC_OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "OPENCSC_OIDC_CLIENT_SECRET",
    "OIDC_RP_SCOPES": "OPENCSC_OIDC_SCOPES",
}
FROM_DISCOVERY = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
REQUIRED_METADATA = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}

_lock = threading.Lock()
_metadata: dict[str, tuple[float, dict]] = {}


class SsoUnavailable(Exception):
    """The provider's discovery document could not be read, or is not the configured issuer's."""


def enabled() -> bool:
    return bool(settings.OPENCSC_OIDC_ISSUER and settings.OPENCSC_OIDC_CLIENT_ID
                and settings.OPENCSC_OIDC_CLIENT_SECRET)


def issuer() -> str:
    return settings.OPENCSC_OIDC_ISSUER


def provider_name() -> str:
    return settings.OPENCSC_OIDC_PROVIDER_NAME


def subject_claim() -> str:
    return settings.OPENCSC_OIDC_SUBJECT_CLAIM or "sub"


def _secure(url: str) -> bool:
    """HTTPS, or plain HTTP to this machine only (the tests' provider)."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)


def metadata() -> dict:
    """The configured provider's discovery document (cached for DISCOVERY_SECONDS), or SsoUnavailable."""
    configured = issuer()
    now = time.monotonic()
    with _lock:
        cached = _metadata.get(configured)
    if cached and now - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    if not _secure(configured):
        raise SsoUnavailable(f"The issuer {configured!r} must be an https:// address")
    url = configured.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SsoUnavailable(f"Could not read {url}: {error}") from error
    if not isinstance(document, dict) or any(not document.get(key) for key in REQUIRED_METADATA):
        raise SsoUnavailable(f"{url} is not an OpenID Connect discovery document")
    if document["issuer"] != configured:  # OpenID Connect Discovery 1.0, section 4.3
        raise SsoUnavailable(f"{url} names the issuer {document['issuer']!r}, not {configured!r}")
    insecure = [key for key in FROM_DISCOVERY.values() if document.get(key) and not _secure(document[key])]
    if insecure:
        raise SsoUnavailable(f"{url}: these endpoints are not https:// addresses: {insecure}")
    with _lock:
        _metadata[configured] = (now, document)
    return document


def forget_metadata() -> None:
    with _lock:
        _metadata.clear()


def oidc_setting(name: str, *default):
    """mozilla-django-oidc's ``get_settings``: fixed decisions, OpenCSC's settings, then the discovery
    document; anything else from Django settings as the library would."""
    if name in FIXED:
        return FIXED[name]
    if name in FROM_SETTINGS:
        return getattr(settings, FROM_SETTINGS[name])
    if name in FROM_DISCOVERY:
        return metadata().get(FROM_DISCOVERY[name])
    return import_from_settings(name, *default)
