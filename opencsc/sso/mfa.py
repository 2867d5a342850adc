"""Whether the identity provider says the person signed in there with more than one factor."""

from __future__ import annotations

from django.conf import settings


def claims_show_mfa(claims: dict) -> bool:
    """`amr` (RFC 8176) containing "mfa", or an `acr` value (or, for Microsoft Entra ID, an
    authentication-context `acrs` value) listed in OPENCSC_OIDC_MFA_ACR_VALUES."""
    amr = claims.get("amr")
    if isinstance(amr, list) and "mfa" in amr:
        return True
    accepted = set(settings.OPENCSC_OIDC_MFA_ACR_VALUES)
    if not accepted:
        return False
    if isinstance(claims.get("acr"), str) and claims["acr"] in accepted:
        return True
    acrs = claims.get("acrs")
    return isinstance(acrs, list) and bool(accepted & {a for a in acrs if isinstance(a, str)})


def outcome(claims: dict) -> tuple[bool, str]:
    """(whether the local two-factor step is satisfied, what to write in the audit log)."""
    shown = claims_show_mfa(claims)
    if shown and settings.OPENCSC_OIDC_TRUST_IDP_MFA:
        return True, "multi-factor sign-in at the identity provider accepted in place of the local code"
    if shown:
        return False, "multi-factor sign-in at the identity provider not trusted: local code still asked for"
    return False, "no multi-factor sign-in shown by the identity provider: local code still asked for"
