"""Four eyes on privilege: an account, or a change of role, that can see children's records takes effect
only when a service manager who did not ask for it approves; both steps are audited and shown on the
approvals page; administrators still see no child's record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from opencsc.accounts import services
from opencsc.accounts.models import ApprovalRequest, User
from opencsc.accounts.roles import PRIVILEGED_ROLES, Role
from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.models import AuditEvent

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def admin(db):
    return UserFactory(role=Role.ADMINISTRATOR, username="the-admin")


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.SERVICE_MANAGER, username="the-manager")


def _create(admin, role=Role.SOCIAL_WORKER, username="newbie", **values):
    if role == Role.PARTNER:
        values.setdefault("agency", "police")
    return services.user_create(actor=admin, username=username, password=PASSWORD, first_name="New",
                                last_name="Person", email="new@example.org", role=role, **values)


def _signs_in(username, password=PASSWORD) -> bool:
    return Client().post("/accounts/sign-in/", {"username": username, "password": password}).status_code == 302


def _state():
    return (list(User.objects.values_list("pk", "role", "agency", "is_active").order_by("pk")),
            list(ApprovalRequest.objects.values_list("pk", "status", "decided_by").order_by("pk")))


@pytest.mark.parametrize("role", Role.values)
def test_a_new_account_that_sees_records_waits_for_approval_and_cannot_sign_in(admin, role):
    user = _create(admin, role=role)

    waiting = role in PRIVILEGED_ROLES
    assert user.is_active is not waiting
    assert _signs_in("newbie") is not waiting
    requests = ApprovalRequest.objects.filter(subject=user)
    assert list(requests.values_list("kind", "status", "new_role", "requested_by")) == (
        [("new_account", "pending", role, admin.pk)] if waiting else [])


def test_approving_a_new_account_lets_it_sign_in_and_both_steps_are_audited(admin, manager):
    user = _create(admin, role=Role.PARTNER)
    request = ApprovalRequest.objects.get(subject=user)

    services.approval_decide(actor=manager, approval=request, approve=True)

    user.refresh_from_db()
    assert user.is_active and _signs_in("newbie")
    asked = AuditEvent.objects.get(summary__startswith="Asked for approval: new account")
    assert asked.actor == admin and asked.changes["requested_role"] == [None, Role.PARTNER]
    approved = AuditEvent.objects.get(summary__startswith=f"Approved request {request.pk}")
    assert approved.actor == manager
    assert approved.changes["is_active"] == [False, True] and approved.changes["role"] == [None, Role.PARTNER]
    assert "asked for by the-admin" in approved.summary


def test_a_declined_account_stays_out_and_cannot_be_reactivated(admin, manager):
    user = _create(admin)
    request = ApprovalRequest.objects.get(subject=user)

    with pytest.raises(ValidationError) as no_reason:
        services.approval_decide(actor=manager, approval=request, approve=False, reason="  ")
    assert "reason" in no_reason.value.message_dict
    services.approval_decide(actor=manager, approval=request, approve=False, reason="Not on the establishment")

    with pytest.raises(ValidationError):
        services.user_reactivate(actor=admin, user=user)
    user.refresh_from_db()
    assert not user.is_active and not _signs_in("newbie")
    request.refresh_from_db()
    assert (request.status, request.reason) == ("declined", "Not on the establishment")
    assert AuditEvent.objects.filter(summary__contains="Reason: Not on the establishment", actor=manager).exists()


def test_a_waiting_account_cannot_be_reactivated_or_given_another_role(admin):
    user = _create(admin)
    before = _state()

    with pytest.raises(ValidationError):
        services.user_reactivate(actor=admin, user=user)
    with pytest.raises(ValidationError):
        services.user_update(actor=admin, user=user, role=Role.SERVICE_MANAGER)

    assert _state() == before


@pytest.mark.parametrize("old, new", [
    (Role.SOCIAL_WORKER, Role.SERVICE_MANAGER),
    (Role.ADMINISTRATOR, Role.SOCIAL_WORKER),
    (Role.PERFORMANCE_ANALYST, Role.PARTNER),
    (Role.SERVICE_MANAGER, Role.SOCIAL_WORKER),
])
def test_a_change_to_a_role_that_sees_records_leaves_the_old_role_until_approved(admin, manager, old, new):
    user = UserFactory(role=old, username="subject")
    values = {"role": new, "agency": "health" if new == Role.PARTNER else "", "job_title": "Changed"}

    changes = services.user_update(actor=admin, user=user, **values)

    user.refresh_from_db()
    assert (user.role, user.job_title) == (old, "Changed")
    assert changes["requested_role"] == [old, new]
    request = ApprovalRequest.objects.get(subject=user, status="pending")
    assert (request.kind, request.old_role, request.new_role) == ("role_change", old, new)

    services.approval_decide(actor=manager, approval=request, approve=True)

    user.refresh_from_db()
    assert (user.role, user.agency) == (new, values["agency"])
    event = AuditEvent.objects.get(summary__startswith=f"Approved request {request.pk}")
    assert event.changes["role"] == [old, new]


def test_a_partner_moved_to_another_agency_needs_approval(admin, manager):
    user = UserFactory(role=Role.PARTNER, agency="police")

    services.user_update(actor=admin, user=user, agency="health")

    user.refresh_from_db()
    assert user.agency == "police"
    assert ApprovalRequest.objects.get(subject=user).new_agency == "health"


def test_a_change_to_administrator_is_made_at_once_and_replaces_a_waiting_request(admin):
    user = UserFactory(role=Role.SOCIAL_WORKER)
    services.user_update(actor=admin, user=user, role=Role.SERVICE_MANAGER)

    services.user_update(actor=admin, user=user, role=Role.ADMINISTRATOR)

    user.refresh_from_db()
    assert user.role == Role.ADMINISTRATOR
    assert list(ApprovalRequest.objects.values_list("status", flat=True)) == ["cancelled"]


def test_a_later_change_of_role_replaces_the_waiting_request(admin):
    user = UserFactory(role=Role.SOCIAL_WORKER)
    services.user_update(actor=admin, user=user, role=Role.SERVICE_MANAGER)
    services.user_update(actor=admin, user=user, role=Role.TEAM_MANAGER)

    assert sorted(ApprovalRequest.objects.values_list("new_role", "status")) == [
        (Role.SERVICE_MANAGER, "cancelled"), (Role.TEAM_MANAGER, "pending")]


def test_a_request_overtaken_by_another_change_cannot_be_approved(admin, manager):
    user = UserFactory(role=Role.SOCIAL_WORKER)
    services.user_update(actor=admin, user=user, role=Role.SERVICE_MANAGER)
    request = ApprovalRequest.objects.get(subject=user)
    User.objects.filter(pk=user.pk).update(role=Role.AUDITOR)  # changed behind the request's back
    before = _state()

    with pytest.raises(ValidationError):
        services.approval_decide(actor=manager, approval=request, approve=True)

    assert _state() == before


@pytest.mark.parametrize("who", ["administrator", "another administrator", "team manager", "social worker",
                                 "the service manager it is about", "the service manager who asked"])
def test_nobody_but_another_service_manager_approves_and_a_refusal_changes_nothing(admin, manager, who):
    subject = UserFactory(role=Role.SERVICE_MANAGER, username="subject")
    services.user_update(actor=admin, user=subject, role=Role.TEAM_MANAGER)
    request = ApprovalRequest.objects.get(subject=subject)
    actor = {
        "administrator": admin,
        "another administrator": UserFactory(role=Role.ADMINISTRATOR),
        "team manager": UserFactory(role=Role.TEAM_MANAGER),
        "social worker": UserFactory(role=Role.SOCIAL_WORKER),
        "the service manager it is about": subject,
        "the service manager who asked": manager,
    }[who]
    if who == "the service manager who asked":  # made directly: only administrators ask through the pages
        ApprovalRequest.objects.filter(pk=request.pk).update(requested_by=manager)
    before = _state()
    events = AuditEvent.objects.count()

    with pytest.raises((PermissionDenied, ValidationError)):
        services.approval_decide(actor=actor, approval=request, approve=True)

    assert _state() == before
    assert AuditEvent.objects.count() == events


def test_a_decided_request_cannot_be_decided_again(admin, manager):
    user = _create(admin)
    request = ApprovalRequest.objects.get(subject=user)
    services.approval_decide(actor=manager, approval=request, approve=True)

    with pytest.raises(ValidationError):
        services.approval_decide(actor=UserFactory(role=Role.SERVICE_MANAGER), approval=request, approve=False,
                                 reason="Too late")


# --- The pages ----------------------------------------------------------------------------------


def test_the_administrators_page_flow_from_request_to_approval(client, admin, manager):
    client.force_login(admin)
    team = manager.team
    response = client.post("/accounts/users/new/", {
        "username": "newbie", "first_name": "New", "last_name": "Person", "email": "new@example.org",
        "job_title": "", "role": Role.TEAM_MANAGER, "team": team.pk, "agency": "", "password": PASSWORD,
    }, follow=True)
    assert "once a service manager approves the account" in response.content.decode()
    assert "Waiting for approval" in response.content.decode()
    request = ApprovalRequest.objects.get()

    # The administrator sees the request and its status, but no way to decide it; a POST is refused.
    listed = client.get("/accounts/approvals/")
    assert [r.pk for r in listed.context["pending"]] == [request.pk]
    detail = client.get(f"/accounts/approvals/{request.pk}/")
    assert detail.context["may_decide"] is False and "Save decision" not in detail.content.decode()
    assert client.post(f"/accounts/approvals/{request.pk}/", {"decision": "approve"}).status_code == 403
    assert ApprovalRequest.objects.get().status == "pending"

    # The service manager finds it in the navigation and approves it.
    client.force_login(manager)
    labels = [item["label"] for item in client.get("/accounts/approvals/").context["navigation"]]
    assert "Approvals" in labels
    assert client.get(f"/accounts/approvals/{request.pk}/").context["may_decide"] is True
    done = client.post(f"/accounts/approvals/{request.pk}/", {"decision": "approve", "reason": ""})
    assert done.status_code == 302
    assert User.objects.get(username="newbie").is_active
    decided = client.get("/accounts/approvals/")
    assert [r.pk for r in decided.context["page_obj"]] == [request.pk]


def test_declining_on_the_page_needs_a_reason(client, admin, manager):
    user = _create(admin)
    request = ApprovalRequest.objects.get(subject=user)
    client.force_login(manager)

    response = client.post(f"/accounts/approvals/{request.pk}/", {"decision": "decline", "reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Enter why you are declining the request"]
    assert ApprovalRequest.objects.get().status == "pending"


def test_the_users_page_counts_the_waiting_requests(client, admin):
    _create(admin)
    client.force_login(admin)
    assert "Approvals (1 waiting)" in client.get("/accounts/users/").content.decode()


def test_an_approved_request_gives_an_administrator_no_childrens_records(admin, manager, client):
    """Asking for access for a new account does not give the administrator who asked any."""
    user = _create(admin, role=Role.SERVICE_MANAGER)
    services.approval_decide(actor=manager, approval=ApprovalRequest.objects.get(subject=user), approve=True)
    client.force_login(admin)
    assert client.get("/children/").status_code == 403


# --- The system set-up (synthetic authority and demo) ------------------------------------------


def test_the_system_set_up_records_its_approvals_explicitly(db):
    users = [UserFactory(role=Role.SOCIAL_WORKER), UserFactory(role=Role.ADMINISTRATOR),
             UserFactory(role=Role.PARTNER)]

    count = services.approvals_record_system_setup(users=users, reason="Synthetic authority")

    assert count == 2
    rows = ApprovalRequest.objects.order_by("subject_id")
    assert {(r.status, r.requested_by, r.decided_by, r.reason) for r in rows} == {
        ("approved", None, None, "Synthetic authority")}
    assert AuditEvent.objects.filter(actor=None, summary__startswith="System set-up approved 2 accounts").exists()
