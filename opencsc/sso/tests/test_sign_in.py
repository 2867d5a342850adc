"""Single sign-on end to end, against a real OpenID Connect provider on loopback (conftest.provider).

The app under test runs in this process (Django's test client); its calls to the provider (discovery,
token, JWKS, userinfo) go over real HTTP to the provider's subprocess. The person's browser at the
provider is a requests session (TestProvider.sign_in).
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from opencsc.accounts.middleware import IDP_MFA_SESSION_KEY
from opencsc.accounts.models import User
from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.models import AuditEvent
from opencsc.sso import refusals
from opencsc.sso.logout import ID_TOKEN_SESSION_KEY
from opencsc.sso.models import SsoIdentity

from .conftest import CLIENT_ID, POST_LOGOUT_URI

# One provider serves the whole module: under pytest-xdist (--dist loadgroup) it runs on one worker.
pytestmark = [pytest.mark.xdist_group("sso_provider"), pytest.mark.django_db]

START = "/sso/sign-in/"
SIGN_IN = "/accounts/sign-in/"


def _linked(provider, username, *, claims=None, link_claim="sub", **user_fields) -> User:
    """An OpenCSC user, and the same person at the provider, linked by an administrator."""
    ids = provider.add_user(username, claims=claims)
    user = UserFactory(username=username, **user_fields)
    SsoIdentity.objects.create(issuer=provider.issuer, subject=ids[link_claim], user=user)
    return user


def _start(client, next_url: str = "") -> str:
    response = client.get(START + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return response["Location"]


def _sign_in(client, provider, username, *, next_url="", **kwargs):
    return client.get(provider.sign_in(_start(client, next_url), username, **kwargs))


def _signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def _sign_in_page_text(client) -> str:
    return html.unescape(client.get(SIGN_IN).content.decode())


def _world() -> tuple:
    """What a refused sign-in must leave unchanged: the users and their links."""
    return (list(User.objects.order_by("pk").values_list("pk", "username", "role", "is_active", "last_login")),
            list(SsoIdentity.objects.order_by("pk").values_list("pk", "issuer", "subject", "user_id",
                                                                "last_signed_in_at")))


# --- Signing in -------------------------------------------------------------------------------------


def test_sign_in_page_offers_the_provider_only_when_configured(client, settings, sso):
    assert "Sign in with Microsoft" in client.get(SIGN_IN).content.decode()
    settings.OPENCSC_OIDC_CLIENT_ID = ""
    assert "Sign in with" not in client.get(SIGN_IN).content.decode()


def test_start_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(client, sso):
    location = _start(client)
    parts = urlsplit(location)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert location.startswith(f"{sso.issuer}/authorize/?")
    assert params["client_id"] == CLIENT_ID and params["response_type"] == "code"
    assert params["redirect_uri"] == "http://testserver/sso/sign-in/callback/"
    assert params["scope"] == "openid email profile"
    assert params["code_challenge_method"] == "S256"
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["state"] in client.session["oidc_states"]


def test_linked_user_signs_in_and_still_gives_the_local_code(client, sso):
    user = _linked(sso, "asha", role="social_worker", failed_login_count=3)

    response = _sign_in(client, sso, "asha", next_url="/timescales/rules/")

    assert response.status_code == 302 and response["Location"] == "/timescales/rules/"
    assert _signed_in_user_id(client) == str(user.pk)
    assert client.session[ID_TOKEN_SESSION_KEY].count(".") == 2  # kept for signing out at the provider
    assert client.session[IDP_MFA_SESSION_KEY] is False
    # Two-factor sign-in is still asked for: the provider showed no multi-factor sign-in.
    page = client.get("/timescales/rules/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/")
    event = AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN, actor=user).get()
    assert "single sign-on (Microsoft)" in event.summary and "local code still asked for" in event.summary
    identity = SsoIdentity.objects.get(user=user)
    assert identity.last_signed_in_at is not None
    # The password's lockout counter is not the provider's business: left as it was (docs/sso.md).
    user.refresh_from_db()
    assert user.failed_login_count == 3


@pytest.mark.parametrize("trusted, claims, local_code_asked", [
    (True, {"amr": ["pwd", "mfa"]}, False),
    (False, {"amr": ["pwd", "mfa"]}, True),
    (True, {"amr": ["pwd"]}, True),
    (True, {}, True),
])
def test_the_providers_multi_factor_claim_replaces_the_local_code_only_when_trusted(
        client, settings, sso, trusted, claims, local_code_asked):
    settings.OPENCSC_OIDC_TRUST_IDP_MFA = trusted
    user = _linked(sso, "bea", claims=claims)

    _sign_in(client, sso, "bea")

    assert _signed_in_user_id(client) == str(user.pk)
    page = client.get("/timescales/rules/")
    if local_code_asked:
        assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/")
    else:
        assert page.status_code == 200
    # Withdrawing the trust takes effect at the next request, without signing out.
    settings.OPENCSC_OIDC_TRUST_IDP_MFA = False
    assert client.get("/timescales/rules/").status_code == 302


def test_a_configured_acr_value_counts_as_multi_factor(client, settings, sso):
    settings.OPENCSC_OIDC_TRUST_IDP_MFA = True
    settings.OPENCSC_OIDC_MFA_ACR_VALUES = ["urn:council:mfa"]
    _linked(sso, "cai", claims={"acr": "urn:council:mfa"})

    _sign_in(client, sso, "cai")

    assert client.get("/timescales/rules/").status_code == 200


def test_accounts_can_be_matched_on_entra_ids_oid_claim(client, settings, sso):
    settings.OPENCSC_OIDC_SUBJECT_CLAIM = "oid"
    user = _linked(sso, "dev", link_claim="oid")

    _sign_in(client, sso, "dev")

    assert _signed_in_user_id(client) == str(user.pk)


def test_a_deactivated_user_is_signed_out_at_their_next_request(client, sso):
    user = _linked(sso, "eli")
    _sign_in(client, sso, "eli")
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = client.get("/timescales/rules/")

    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


# --- Refused: each with a clear message, nothing changed, an audit row --------------------------


def _assert_refused(client, response, reason, *, before, user=None):
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    assert _signed_in_user_id(client) is None
    assert ID_TOKEN_SESSION_KEY not in client.session
    assert _world() == before, "a refused sign-in changed a user or a link"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED).latest("pk")
    assert f"Single sign-on refused ({reason})" in event.summary
    assert event.actor == user
    message = refusals.MESSAGES[reason].format(provider="Microsoft")
    assert message in _sign_in_page_text(client)


def test_wrong_audience_is_refused(client, sso):
    _linked(sso, "finn")
    authorize = _start(client)
    callback = sso.sign_in(authorize, "finn")
    sso.spoil_next_id_token(aud="another-service")
    before = _world()

    response = client.get(callback)

    _assert_refused(client, response, refusals.WRONG_AUDIENCE, before=before)
    assert "another-service" in AuditEvent.objects.latest("pk").summary


def test_expired_id_token_is_refused(client, sso):
    _linked(sso, "gwen")
    callback = sso.sign_in(_start(client), "gwen")
    sso.spoil_next_id_token(expired=True)
    before = _world()

    response = client.get(callback)

    _assert_refused(client, response, refusals.EXPIRED, before=before)


def test_replayed_nonce_is_refused(client, sso):
    """An ID token carrying the nonce of an earlier sign-in (here: the provider is asked, for this
    sign-in, with the nonce of the one before) is refused: the nonce must be this sign-in's own."""
    _linked(sso, "hari")
    first = _start(client)
    earlier = parse_qs(urlsplit(first).query)["nonce"][0]
    client.get(sso.sign_in(first, "hari"))
    assert _signed_in_user_id(client) is not None
    client.logout()
    authorize = _start(client)
    before = _world()

    callback = sso.sign_in(authorize, "hari", change=lambda params: params.update(nonce=earlier))
    response = client.get(callback)

    _assert_refused(client, response, refusals.NONCE, before=before)


def test_replayed_callback_is_refused(client, sso):
    _linked(sso, "ines")
    callback = sso.sign_in(_start(client), "ines")
    client.get(callback)
    client.logout()
    before = _world()

    response = client.get(callback)

    _assert_refused(client, response, refusals.STATE, before=before)


def test_callback_started_in_another_browser_is_refused(client, sso):
    _linked(sso, "jon")
    callback = sso.sign_in(_start(Client()), "jon")  # a sign-in started in someone else's browser
    before = _world()

    response = client.get(callback)

    _assert_refused(client, response, refusals.STATE, before=before)


def test_a_sign_in_that_took_too_long_is_refused(client, sso):
    _linked(sso, "jas")
    authorize = _start(client)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["added_on"] -= 3600
    session.save()
    before = _world()

    response = client.get(sso.sign_in(authorize, "jas"))

    _assert_refused(client, response, refusals.EXPIRED, before=before)
    assert state not in client.session["oidc_states"]


def test_an_error_for_a_sign_in_this_browser_did_not_start_signs_nobody_out(client, sso):
    user = _linked(sso, "joy")
    _sign_in(client, sso, "joy")

    response = client.get("/sso/sign-in/callback/?error=access_denied&state=forged")

    assert response["Location"] == SIGN_IN
    assert _signed_in_user_id(client) == str(user.pk)


def test_unknown_user_is_refused(client, sso):
    sso.add_user("kit")  # at the provider, but linked to nobody here
    UserFactory(username="kit")  # the same username is not a link
    before = _world()

    response = _sign_in(client, sso, "kit")

    _assert_refused(client, response, refusals.NOT_LINKED, before=before)
    assert "Your council account is not linked to an OpenCSC user. Ask your administrator." in (
        refusals.MESSAGES[refusals.NOT_LINKED])


def test_deactivated_user_is_refused(client, sso):
    user = _linked(sso, "lou", is_active=False)
    before = _world()

    response = _sign_in(client, sso, "lou")

    _assert_refused(client, response, refusals.DEACTIVATED, before=before, user=user)


def test_wrong_client_secret_is_refused(client, settings, sso):
    _linked(sso, "max")
    authorize = _start(client)
    settings.OPENCSC_OIDC_CLIENT_SECRET = "not-the-secret"
    before = _world()

    response = client.get(sso.sign_in(authorize, "max"))

    _assert_refused(client, response, refusals.PROVIDER_ERROR, before=before)


def test_sign_in_cancelled_at_the_provider_is_refused(client, sso):
    state = parse_qs(urlsplit(_start(client)).query)["state"][0]
    before = _world()

    response = client.get(f"/sso/sign-in/callback/?error=access_denied&state={state}")

    _assert_refused(client, response, refusals.PROVIDER_ERROR, before=before)
    assert state not in client.session.get("oidc_states", {})


def test_a_discovery_document_for_another_issuer_is_refused(client, settings, sso):
    settings.OPENCSC_OIDC_ISSUER = sso.issuer + "/"  # the document names the issuer without the slash

    response = client.get(START)

    assert response.status_code == 302 and response["Location"] == SIGN_IN
    assert refusals.MESSAGES[refusals.UNAVAILABLE].format(provider="Microsoft") in _sign_in_page_text(client)


# --- Signing out ----------------------------------------------------------------------------------


def test_sign_out_ends_both_sessions(client, sso):
    _linked(sso, "nia")
    browser = sso.http()  # the person's browser at the provider
    client.get(sso.sign_in(_start(client), "nia", browser=browser))
    id_token = client.session[ID_TOKEN_SESSION_KEY]
    assert browser.get(f"{sso.base}/test/signed-in/", timeout=10).json()["username"] == "nia"

    response = client.post("/accounts/sign-out/")

    assert _signed_in_user_id(client) is None
    end_session = response["Location"]
    params = {k: v[0] for k, v in parse_qs(urlsplit(end_session).query).items()}
    assert end_session.startswith(f"{sso.issuer}/logout/?")
    assert params == {"id_token_hint": id_token, "client_id": CLIENT_ID, "post_logout_redirect_uri": POST_LOGOUT_URI}
    back = browser.get(end_session, allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"] == POST_LOGOUT_URI
    assert browser.get(f"{sso.base}/test/signed-in/", timeout=10).json()["username"] is None
    assert "You have signed out" in client.get(SIGN_IN).content.decode()


def test_a_password_session_signs_out_locally_only(client, sso):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/accounts/sign-out/")

    assert response["Location"] == SIGN_IN
