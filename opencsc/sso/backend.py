"""The single sign-on authentication backend: mozilla-django-oidc's, made strict.

What it adds to the library (see docs/sso.md):
- the ID token is checked in full: RS256 signature from the provider's JWKS, `iss` is the configured
  issuer, `aud` names this client (and `azp` does when there are several audiences), `exp` and `iat` are
  present and current (a minute's leeway), and its `nonce` is the one this browser's session sent;
- the user is found only through a link an administrator made (issuer + the configured claim, `sub` by
  default): no account or role is ever created or changed from a token; a deactivated user is refused;
- the link must sign in (SsoIdentity.signs_in): approved by a service manager (or the system set-up), or
  made for an administrator who is still one. Otherwise refused: it is waiting for approval, or declined.
  A session that began with single sign-on ends at its next request once its user has no such link;
- every refusal is an SsoRefused left on the request for the callback page, which tells the person why
  and writes it to the audit log; nothing is stored in the session until the sign-in succeeds.
"""

from __future__ import annotations

import jwt
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.utils.crypto import constant_time_compare
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from opencsc.accounts.backends import ModelBackend

from . import config, refusals, selectors
from .refusals import SsoRefused

# The keyword arguments mozilla-django-oidc's callback view gives authenticate(), and nothing else.
CALLBACK_CREDENTIALS = {"nonce", "code_verifier"}


class SsoBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(config.oidc_setting)

    def __init__(self, *args, **kwargs):
        # The library reads the provider's endpoints here; this backend is made for every password sign-in
        # and every request of a signed-in session, so they are read only when a callback is handled.
        self.UserModel = get_user_model()

    def _read_settings(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = self.get_settings("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = self.get_settings("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = self.get_settings("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = self.get_settings("OIDC_RP_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = config.SIGNING_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None

    def get_user(self, user_id):
        # The library's get_user skips the is_active check: a deactivated account must be signed out. So
        # must a session whose user no longer has a link that signs in (unlinked, or an administrator's
        # link whose user's role has since been raised: it waits for a service manager's approval again).
        user = ModelBackend.get_user(self, user_id)
        if user is None or not selectors.user_has_link_that_signs_in(user.pk):
            return None
        return user

    def authenticate(self, request, **kwargs):
        if request is None or set(kwargs) != CALLBACK_CREDENTIALS or not config.enabled():
            return None
        request.sso_refusal = None
        try:
            self._read_settings()
            return super().authenticate(request, **kwargs)
        except SsoRefused as refusal:
            request.sso_refusal = refusal
        except config.SsoUnavailable as error:
            request.sso_refusal = SsoRefused(refusals.UNAVAILABLE, str(error))
        except requests.HTTPError as error:  # e.g. the token endpoint refused the code (used, expired)
            body = error.response.text[:120] if error.response is not None else ""
            request.sso_refusal = SsoRefused(refusals.PROVIDER_ERROR, f"{error.__class__.__name__} {body}")
        except requests.RequestException as error:
            request.sso_refusal = SsoRefused(refusals.UNAVAILABLE, error.__class__.__name__)
        except (SuspiciousOperation, jwt.PyJWTError, ValueError, KeyError, TypeError) as error:
            request.sso_refusal = SsoRefused(refusals.INVALID_TOKEN, f"{error.__class__.__name__}: {error}"[:150])
        return None

    # --- The ID token ---------------------------------------------------------------------------

    def verify_token(self, token, **kwargs):
        """The ID token's claims, once its signature, issuer, audience, times and nonce are checked."""
        if not isinstance(token, str) or not token:
            raise SsoRefused(refusals.INVALID_TOKEN, "no ID token in the token response")
        key = self.retrieve_matching_jwk(token)
        claims = self._verify_jws(token, key)
        if "nonce" in kwargs:  # the ID token (the userinfo answer, when signed, has no nonce)
            expected = kwargs["nonce"] or ""
            if not expected or not constant_time_compare(expected, str(claims.get("nonce") or "")):
                raise SsoRefused(refusals.NONCE, "the ID token's nonce is not the one this session sent")
        return claims

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != config.SIGNING_ALGORITHM:
            raise SsoRefused(refusals.INVALID_TOKEN, f"signed with {header.get('alg')!r}, not RS256")
        try:
            claims = jwt.decode(
                payload, key, algorithms=[config.SIGNING_ALGORITHM], audience=self.OIDC_RP_CLIENT_ID,
                issuer=config.issuer(), leeway=config.LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SsoRefused(refusals.EXPIRED, "the ID token had expired") from error
        except jwt.InvalidAudienceError as error:
            audience = jwt.decode(payload, options={"verify_signature": False}).get("aud")
            raise SsoRefused(refusals.WRONG_AUDIENCE, f"the ID token is for {audience!r}") from error
        except jwt.PyJWTError as error:
            raise SsoRefused(refusals.INVALID_TOKEN, f"{error.__class__.__name__}: {error}"[:150]) from error
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SsoRefused(refusals.WRONG_AUDIENCE, f"several audiences and azp {claims.get('azp')!r}")
        return claims

    def store_tokens(self, access_token, id_token):
        # Nothing goes into the session before the sign-in succeeds; the callback page keeps the ID token
        # (for signing out at the provider) once the user is signed in.
        self.request.sso_id_token = id_token

    # --- The user ---------------------------------------------------------------------------------

    def get_or_create_user(self, access_token, id_token, payload):
        """The linked user, or SsoRefused. Never creates or changes a user."""
        claims = payload
        if self.OIDC_OP_USER_ENDPOINT:
            info = self.get_userinfo(access_token, id_token, payload)
            if str(info.get("sub")) != str(claims["sub"]):  # OpenID Connect Core 1.0, section 5.3.2
                raise SsoRefused(refusals.INVALID_TOKEN, "the userinfo answer is for another subject")
        claim = config.subject_claim()
        subject = claims.get(claim)
        if not subject or not isinstance(subject, str | int):
            raise SsoRefused(refusals.INVALID_TOKEN, f"the ID token has no {claim!r} claim")
        identity = selectors.identity_for_subject(issuer=claims["iss"], subject=str(subject))
        if identity is None:
            raise SsoRefused(refusals.NOT_LINKED, f"no user is linked to {claim} {str(subject)[:80]!r}")
        if not identity.user.is_active:
            raise SsoRefused(refusals.DEACTIVATED, f"{identity.user.username} is deactivated", user=identity.user)
        if not identity.signs_in:
            declined = identity.status == identity.Status.DECLINED
            state = ("was declined by a service manager" if declined
                     else "was made while they were an administrator and waits for approval"
                     if identity.status == identity.Status.ADMINISTRATOR
                     else "is waiting for a service manager's approval")
            raise SsoRefused(refusals.LINK_DECLINED if declined else refusals.AWAITING_APPROVAL,
                             f"the link to {identity.user.username} ({identity.user.get_role_display()}) {state}",
                             user=identity.user)
        self.request.sso_identity = identity
        self.request.sso_claims = claims
        return identity.user

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is False; this is the backstop
        raise SsoRefused(refusals.NOT_LINKED, "accounts are never created from a token")

    def update_user(self, user, claims):
        return user  # nothing about a user is ever changed from a token
