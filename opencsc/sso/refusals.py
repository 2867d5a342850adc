"""Why a single sign-on was refused, and what the person signing in is told.

The message is shown on the sign-in page; the reason and the detail (never a token) go to the audit log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from . import config

NOT_LINKED = "not_linked"
DEACTIVATED = "deactivated"
EXPIRED = "expired"
WRONG_AUDIENCE = "wrong_audience"
NONCE = "nonce"
STATE = "state"
INVALID_TOKEN = "invalid_token"
PROVIDER_ERROR = "provider_error"
UNAVAILABLE = "unavailable"

MESSAGES = {
    NOT_LINKED: "Your council account is not linked to an OpenCSC user. Ask your administrator.",
    DEACTIVATED: "Your OpenCSC account has been deactivated. Ask your administrator.",
    EXPIRED: "Your sign-in with {provider} had expired before it reached this service. Sign in again.",
    WRONG_AUDIENCE: "The sign-in from {provider} was not for this service, so it was refused. "
                    "Sign in again, or ask your administrator if it keeps happening.",
    NONCE: "The sign-in from {provider} did not match the one started in this browser, so it was refused. "
           "Sign in again.",
    STATE: "This sign-in has already been used, or was not started in this browser. Sign in again.",
    INVALID_TOKEN: "The sign-in from {provider} could not be checked, so it was refused. "
                   "Sign in again, or ask your administrator if it keeps happening.",
    PROVIDER_ERROR: "The sign-in with {provider} was not completed. "
                    "Sign in again, or ask your administrator if it keeps happening.",
    UNAVAILABLE: "Sign-in with {provider} is not available at the moment. "
                 "Try again later, or ask your administrator.",
}


class SsoRefused(PermissionDenied):
    """A single sign-on refused: `reason` (one of the names above), `detail` for the audit log, and the
    OpenCSC user when the token named one."""

    def __init__(self, reason: str, detail: str = "", *, user=None):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.user = user

    @property
    def message(self) -> str:
        return MESSAGES[self.reason].format(provider=config.provider_name())
