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


# --- Four eyes on links to users who can see children's records ---------------------------------------


def _link(user, *, linked_by=None, status=SsoIdentity.Status.PENDING, subject="oid-1") -> SsoIdentity:
    return SsoIdentity.objects.create(issuer=ISSUER, subject=subject, user=user, linked_by=linked_by, status=status)


def _state(link) -> tuple:
    """What a refused decision must leave unchanged: the link, and the audit log."""
    return (SsoIdentity.objects.filter(pk=link.pk).values_list("status", "decided_by", "decided_at", "reason",
                                                               "subject").get(),
            AuditEvent.objects.count())


@pytest.mark.parametrize("role, status", [
    ("social_worker", SsoIdentity.Status.PENDING),
    ("service_manager", SsoIdentity.Status.PENDING),
    ("partner", SsoIdentity.Status.PENDING),
    ("auditor", SsoIdentity.Status.PENDING),
    ("administrator", SsoIdentity.Status.ADMINISTRATOR),
])
def test_an_administrators_link_waits_for_approval_unless_to_an_administrator(admin, configured, role, status):
    user = UserFactory(role=role, **({"agency": "police"} if role == "partner" else {}))

    admin.post(f"/sso/users/{user.pk}/", {"subject": "oid-1"})

    link = SsoIdentity.objects.get(user=user)
    assert link.status == status
    assert link.signs_in is (status == SsoIdentity.Status.ADMINISTRATOR)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATED, object_id=str(link.pk))
    assert event.changes["status"][1] == link.get_status_display()
    page = admin.get(f"/sso/users/{user.pk}/").content.decode()
    if status == SsoIdentity.Status.PENDING:
        assert "A service manager must approve the link" in page and "Waiting for approval" in page
    else:
        assert "No approval needed" in page


@pytest.fixture
def manager(client):
    user = UserFactory(role="service_manager", username="mona")
    client.force_login(user)
    client.user = user
    return client


def test_a_service_manager_sees_and_approves_a_waiting_link(manager, configured):
    admin = UserFactory(role="administrator", username="adam")
    worker = UserFactory(role="social_worker", username="will")
    link = _link(worker, linked_by=admin)
    _link(UserFactory(role="administrator", username="other-admin"), status=SsoIdentity.Status.ADMINISTRATOR,
          subject="oid-2")  # needs no approval, so not listed

    listing = manager.get("/sso/approvals/").content.decode()
    assert f"/sso/approvals/{link.pk}/" in listing and "other-admin" not in listing
    page = manager.get(f"/sso/approvals/{link.pk}/").content.decode()
    assert "oid-1" in page and "Save decision" in page

    response = manager.post(f"/sso/approvals/{link.pk}/", {"decision": "approve", "subject": "oid-1"})

    assert response.status_code == 302 and response["Location"] == "/sso/approvals/"
    link.refresh_from_db()
    assert (link.status, link.decided_by, link.signs_in) == (SsoIdentity.Status.APPROVED, manager.user, True)
    assert link.decided_at is not None
    event = AuditEvent.objects.get(actor=manager.user)
    assert "asked for by adam" in event.summary and "will" in event.summary and "oid-1" in event.summary
    assert f"/sso/approvals/{link.pk}/" in manager.get("/sso/approvals/").content.decode()  # now under Decided


def test_declining_needs_a_reason_and_the_administrator_sees_it(manager, configured):
    admin_user = UserFactory(role="administrator", username="adam")
    worker = UserFactory(role="social_worker")
    link = _link(worker, linked_by=admin_user)
    before = _state(link)

    response = manager.post(f"/sso/approvals/{link.pk}/", {"decision": "decline", "reason": " ", "subject": "oid-1"})

    assert response.status_code == 200 and "Enter why you are declining the link" in response.content.decode()
    assert _state(link) == before

    response = manager.post(f"/sso/approvals/{link.pk}/",
                            {"decision": "decline", "reason": "Not this person's account", "subject": "oid-1"})

    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.status, link.reason, link.decided_by) == ("declined", "Not this person's account", manager.user)
    assert not link.signs_in
    event = AuditEvent.objects.get(actor=manager.user)
    assert event.summary.startswith("Declined") and "Reason: Not this person's account" in event.summary
    manager.force_login(admin_user)
    assert "Not this person&#x27;s account" in manager.get(f"/sso/users/{worker.pk}/").content.decode()
    # Linking it again asks again.
    manager.post(f"/sso/users/{worker.pk}/", {"subject": "oid-1"})
    link.refresh_from_db()
    assert (link.status, link.reason, link.decided_by, link.linked_by) == ("pending", "", None, admin_user)


@pytest.mark.parametrize("case", ["asked_for_it", "own_account", "already_decided"])
def test_nobody_decides_a_link_they_asked_for_or_their_own(manager, configured, case):
    """A service manager who linked it (they were an administrator then) or whose own account it links, or
    a link that is not waiting: refused, with the reason, and nothing changed."""
    if case == "asked_for_it":
        link, message = _link(UserFactory(role="social_worker"), linked_by=manager.user), "a link you asked for"
    elif case == "own_account":
        link, message = _link(manager.user, linked_by=UserFactory(role="administrator")), "to your own account"
    else:
        link = _link(UserFactory(role="social_worker"), status=SsoIdentity.Status.APPROVED)
        message = "not waiting for approval"
    before = _state(link)

    page = manager.get(f"/sso/approvals/{link.pk}/").content.decode()
    response = manager.post(f"/sso/approvals/{link.pk}/", {"decision": "approve", "subject": "oid-1"})

    assert "Save decision" not in page
    assert response.status_code == 200 and message in response.content.decode()
    assert _state(link) == before


@pytest.mark.parametrize("role", ["administrator", "team_manager", "social_worker", "auditor"])
def test_only_service_managers_may_approve_links(signed_in, configured, role):
    client = signed_in(role)
    link = _link(UserFactory(role="social_worker"), linked_by=UserFactory(role="administrator"))
    before = _state(link)

    assert client.get("/sso/approvals/").status_code == 403
    response = client.post(f"/sso/approvals/{link.pk}/", {"decision": "approve", "subject": "oid-1"})

    assert response.status_code == 403
    assert _state(link)[0] == before[0]


def test_a_link_changed_after_the_page_was_opened_is_not_decided(manager, configured):
    link = _link(UserFactory(role="social_worker"), linked_by=UserFactory(role="administrator"))
    SsoIdentity.objects.filter(pk=link.pk).update(subject="oid-changed")  # an administrator changed it meanwhile
    before = _state(link)

    response = manager.post(f"/sso/approvals/{link.pk}/", {"decision": "approve", "subject": "oid-1"})

    assert response.status_code == 200 and "Someone else changed this record" in response.content.decode()
    assert _state(link) == before


def test_changing_an_approved_link_asks_again(admin, configured):
    worker = UserFactory(role="social_worker")
    link = _link(worker, status=SsoIdentity.Status.APPROVED, linked_by=admin.user)

    admin.post(f"/sso/users/{worker.pk}/", {"subject": "oid-1"})  # the same account: nothing to approve
    link.refresh_from_db()
    assert link.status == SsoIdentity.Status.APPROVED
    admin.post(f"/sso/users/{worker.pk}/", {"subject": "oid-new"})
    link.refresh_from_db()
    assert (link.subject, link.status) == ("oid-new", SsoIdentity.Status.PENDING)


def test_an_administrators_link_waits_again_once_their_role_is_raised(manager, configured):
    user = UserFactory(role="administrator", username="ray")
    link = _link(user, status=SsoIdentity.Status.ADMINISTRATOR, linked_by=UserFactory(role="administrator"))
    assert link.signs_in and not link.awaiting_approval
    assert manager.post(f"/sso/approvals/{link.pk}/", {"decision": "approve", "subject": "oid-1"}).status_code == 200

    type(user).objects.filter(pk=user.pk).update(role="team_manager")
    link = SsoIdentity.objects.get(pk=link.pk)

    assert not link.signs_in and link.awaiting_approval
    assert "Linked while they were an administrator" in manager.get(f"/sso/approvals/{link.pk}/").content.decode()
    assert manager.post(f"/sso/approvals/{link.pk}/", {"decision": "approve", "subject": "oid-1"}).status_code == 302
    assert SsoIdentity.objects.get(pk=link.pk).signs_in


def test_the_navigation_shows_approvals_to_service_managers_when_configured(manager, settings):
    # In the menu's "Administration" group
    assert 'href="/sso/approvals/"' not in manager.get("/menu/administration/").content.decode()
    settings.OPENCSC_OIDC_ISSUER, settings.OPENCSC_OIDC_CLIENT_ID = ISSUER, "client"
    settings.OPENCSC_OIDC_CLIENT_SECRET = "secret"
    assert 'href="/sso/approvals/"' in manager.get("/menu/administration/").content.decode()


# --- manage.py sso_link and approval -----------------------------------------------------------------


def test_sso_link_command_leaves_a_link_for_a_service_manager_by_default(configured, capsys):
    user = UserFactory(username="bea", role="social_worker")

    call_command("sso_link", "bea", "oid-123")

    link = SsoIdentity.objects.get(user=user)
    assert link.status == SsoIdentity.Status.PENDING and not link.signs_in
    assert "waiting for a service manager's approval" in capsys.readouterr().out


def test_sso_link_command_approves_as_the_system_set_up_only_when_told(configured, capsys):
    user = UserFactory(username="bea", role="social_worker")
    call_command("sso_link", "bea", "oid-123")

    call_command("sso_link", "bea", "oid-123", "--approve")

    link = SsoIdentity.objects.get(user=user)
    assert (link.status, link.decided_by, link.signs_in) == (SsoIdentity.Status.APPROVED, None, True)
    assert link.reason == "Approved by the system set-up with manage.py sso_link --approve"
    event = AuditEvent.objects.filter(object_id=str(link.pk)).latest("pk")
    assert event.actor is None and "approved by the system set-up (manage.py sso_link --approve)" in event.summary
    assert event.changes["status"] == ["Waiting for approval", "Approved"]
    assert "Approved by the system set-up" in capsys.readouterr().out


def test_sso_link_command_needs_no_approval_for_an_administrator(configured):
    user = UserFactory(username="ada", role="administrator")
    call_command("sso_link", "ada", "oid-9", "--approve")
    assert SsoIdentity.objects.get(user=user).status == SsoIdentity.Status.ADMINISTRATOR
