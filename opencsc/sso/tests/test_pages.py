"""Linking council accounts (administrators' pages and manage.py sso_link), and the sign-in pages when
single sign-on is not configured. No provider is needed here (see test_sign_in for the real sign-ins)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.models import AuditEvent
from opencsc.sso import mfa
from opencsc.sso.models import SsoIdentity

pytestmark = pytest.mark.django_db

ISSUER = "https://login.microsoftonline.com/9f2c0d0e-0000-4000-8000-000000000000/v2.0"


@pytest.fixture
def configured(settings):
    settings.OPENCSC_OIDC_ISSUER = ISSUER
    settings.OPENCSC_OIDC_CLIENT_ID = "client"
    settings.OPENCSC_OIDC_CLIENT_SECRET = "secret"
    settings.OPENCSC_OIDC_PROVIDER_NAME = "Microsoft"
    settings.OPENCSC_OIDC_SUBJECT_CLAIM = "oid"


@pytest.fixture
def admin(signed_in):
    return signed_in("administrator")


# --- Not configured --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/sso/sign-in/", "/sso/sign-in/callback/?code=x&state=y"])
def test_without_configuration_the_sign_in_pages_only_say_so(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Single sign-on is not set up" in response.content.decode()
    assert "oidc_states" not in client.session
    assert not AuditEvent.objects.exists()


def test_without_configuration_the_sign_in_page_has_no_button(client):
    assert "Sign in with" not in client.get("/accounts/sign-in/").content.decode()


def test_without_configuration_nothing_can_be_linked(admin):
    user = UserFactory()
    response = admin.get(f"/sso/users/{user.pk}/")
    assert "Single sign-on is not set up" in response.content.decode()
    admin.post(f"/sso/users/{user.pk}/", {"subject": "abc"})
    assert not SsoIdentity.objects.exists()


# --- Administrators link and unlink ------------------------------------------------------------------


def test_an_administrator_links_a_council_account(admin, configured):
    user = UserFactory(username="asha")

    response = admin.post(f"/sso/users/{user.pk}/", {"subject": " 6b1d-oid "})

    assert response.status_code == 302 and response["Location"] == f"/sso/users/{user.pk}/"
    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject, identity.linked_by) == (ISSUER, "6b1d-oid", admin.user)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATED, object_id=str(identity.pk))
    assert event.actor == admin.user and event.changes["subject"] == [None, "6b1d-oid"]
    page = admin.get(f"/sso/users/{user.pk}/").content.decode()
    assert "6b1d-oid" in page and "Council account linked" in page
    assert "6b1d-oid" in admin.get("/sso/").content.decode()


def test_changing_the_link_is_audited_with_old_and_new(admin, configured):
    user = UserFactory()
    admin.post(f"/sso/users/{user.pk}/", {"subject": "first"})
    admin.post(f"/sso/users/{user.pk}/", {"subject": "second"})
    assert SsoIdentity.objects.get(user=user).subject == "second"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATED).get()
    assert event.changes["subject"] == ["first", "second"]


@pytest.mark.parametrize("subject, error", [
    ("", "Enter the council account&#x27;s identifier"),
    ("two words", "without spaces"),
    ("x" * 256, "at most 255 characters"),
    ("taken", "already linked to someone"),
])
def test_a_bad_or_taken_identifier_is_refused_and_kept_on_the_form(admin, configured, subject, error):
    SsoIdentity.objects.create(issuer=ISSUER, subject="taken", user=UserFactory(username="someone"))
    user = UserFactory()
    before = list(SsoIdentity.objects.values_list("pk", "subject", "user_id"))

    response = admin.post(f"/sso/users/{user.pk}/", {"subject": subject})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert list(SsoIdentity.objects.values_list("pk", "subject", "user_id")) == before


def test_unlinking_removes_every_link_of_the_user(admin, configured):
    user = UserFactory()
    SsoIdentity.objects.create(issuer=ISSUER, subject="a", user=user)
    SsoIdentity.objects.create(issuer="https://old.example/", subject="b", user=user)

    response = admin.post(f"/sso/users/{user.pk}/unlink/")

    assert response.status_code == 302
    assert not SsoIdentity.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETED, actor=admin.user).count() == 2


@pytest.mark.parametrize("role", ["service_manager", "social_worker", "auditor"])
def test_only_administrators_may_link(signed_in, configured, role):
    client = signed_in(role)
    user = UserFactory()
    assert client.post(f"/sso/users/{user.pk}/", {"subject": "mine"}).status_code == 403
    assert not SsoIdentity.objects.exists()


def test_the_users_page_links_to_single_sign_on(admin):
    user = UserFactory()
    assert f"/sso/users/{user.pk}/" in admin.get(f"/accounts/users/{user.pk}/").content.decode()


# --- manage.py sso_link ------------------------------------------------------------------------------


def test_sso_link_command_links_and_unlinks_with_an_audit_row(configured, capsys):
    user = UserFactory(username="bea")

    call_command("sso_link", "bea", "oid-123")

    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject, identity.linked_by) == (ISSUER, "oid-123", None)
    assert "with manage.py sso_link" in AuditEvent.objects.get(action=AuditEvent.Action.CREATED).summary
    call_command("sso_link", "bea", "--unlink")
    assert not SsoIdentity.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETED).count() == 1


@pytest.mark.parametrize("args, message", [
    (["nobody", "x"], "There is no user"),
    (["bea"], "Give the council account"),
])
def test_sso_link_command_refuses_clearly(configured, args, message):
    UserFactory(username="bea")
    with pytest.raises(CommandError, match=message):
        call_command("sso_link", *args)
    assert not SsoIdentity.objects.exists()


def test_sso_link_command_needs_an_issuer(settings):
    UserFactory(username="bea")
    settings.OPENCSC_OIDC_ISSUER = ""
    with pytest.raises(CommandError, match="not set up"):
        call_command("sso_link", "bea", "x")


# --- The provider's multi-factor claim ---------------------------------------------------------------


@pytest.mark.parametrize("claims, acr_values, shown", [
    ({"amr": ["pwd", "mfa"]}, [], True),
    ({"amr": ["pwd"]}, [], False),
    ({"amr": "mfa"}, [], False),  # amr is a list (RFC 8176)
    ({}, [], False),
    ({"acr": "urn:council:mfa"}, [], False),
    ({"acr": "urn:council:mfa"}, ["urn:council:mfa"], True),
    ({"acr": "1"}, ["urn:council:mfa"], False),
    ({"acrs": ["c1"]}, ["c1"], True),
    ({"acrs": ["c2"]}, ["c1"], False),
])
def test_which_claims_show_a_multi_factor_sign_in(settings, claims, acr_values, shown):
    settings.OPENCSC_OIDC_MFA_ACR_VALUES = acr_values
    assert mfa.claims_show_mfa(claims) is shown


def test_a_plain_http_issuer_is_refused_without_calling_it(client, configured, settings):
    settings.OPENCSC_OIDC_ISSUER = "http://login.example/tenant/v2.0"

    response = client.get("/sso/sign-in/")

    assert response.status_code == 302 and response["Location"] == "/accounts/sign-in/"
    assert "is not available at the moment" in client.get("/accounts/sign-in/").content.decode()
    assert "must be an https:// address" in AuditEvent.objects.get().summary


def test_the_navigation_shows_single_sign_on_to_administrators_when_configured(admin, settings):
    assert 'href="/sso/"' not in admin.get("/").content.decode()
    settings.OPENCSC_OIDC_ISSUER, settings.OPENCSC_OIDC_CLIENT_ID = ISSUER, "client"
    settings.OPENCSC_OIDC_CLIENT_SECRET = "secret"
    assert 'href="/sso/"' in admin.get("/").content.decode()
