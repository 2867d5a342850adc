"""The test provider's token validator: the claims of each user, and the knobs applied to the next ID token."""

import threading
import time
import uuid

from oauth2_provider.oauth2_validators import OAuth2Validator

_lock = threading.Lock()
# username -> extra claims for that user's ID tokens and userinfo (e.g. {"amr": ["pwd", "mfa"]})
USER_CLAIMS: dict[str, dict] = {}
# Changes to the next ID token only, then forgotten: {"aud": "someone-else"} or {"expired": True}
NEXT_ID_TOKEN: dict = {}


def object_id(username: str) -> str:
    """A stable `oid`, as Microsoft Entra ID gives each account (the same for every client)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"test-provider:{username}"))


def set_next_id_token(changes: dict) -> None:
    with _lock:
        NEXT_ID_TOKEN.clear()
        NEXT_ID_TOKEN.update(changes)


def _take_next_id_token() -> dict:
    with _lock:
        changes = dict(NEXT_ID_TOKEN)
        NEXT_ID_TOKEN.clear()
    return changes


class KnobValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        claims = {
            "email": user.email,
            "name": user.get_full_name() or user.username,
            "preferred_username": user.username,
            "oid": object_id(user.username),
        }
        claims.update(USER_CLAIMS.get(user.username, {}))
        return claims

    def finalize_id_token(self, id_token, token, token_handler, request):
        changes = _take_next_id_token()
        if not changes:
            return super().finalize_id_token(id_token, token, token_handler, request)
        original = self.get_id_token_dictionary

        def spoiled(*args, **kwargs):
            claims, expiration_time = original(*args, **kwargs)
            if "aud" in changes:
                claims["aud"] = changes["aud"]
            if changes.get("expired"):
                claims["iat"] = int(time.time()) - 2 * 3600
                claims["exp"] = int(time.time()) - 3600
            return claims, expiration_time

        self.get_id_token_dictionary = spoiled
        try:
            return super().finalize_id_token(id_token, token, token_handler, request)
        finally:
            del self.get_id_token_dictionary
