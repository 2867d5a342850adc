"""Users and teams administration: administrators only, every change audited, never deleted."""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencsc.accounts.models import Team, User
from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.core.models import AuditEvent

NEW_PASSWORD = "a long and unusual passphrase 42"


def _snapshot():
    """Everything an administration page could change."""
    users = list(
        User.objects.order_by("id").values_list(
            "id", "username", "first_name", "last_name", "email", "role", "team_id", "agency",
            "is_active", "failed_login_count", "locked_until", "password",
        )
    )
    teams = list(Team.objects.order_by("id").values_list("id", "name", "kind", "agency", "manager_id", "is_active"))
    devices = list(TOTPDevice.objects.order_by("id").values_list("id", "confirmed"))
    return users, teams, devices, AuditEvent.objects.count()


@pytest.fixture
def target(db):
    user = UserFactory(role=Role.SOCIAL_WORKER, username="target")
    User.objects.filter(pk=user.pk).update(failed_login_count=5, locked_until=timezone.now() + dt.timedelta(minutes=20))
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    user.refresh_from_db()
    return user


def _pages(target, team):
    """(method, path, data) for every administration page."""
    user_data = {
        "first_name": "Changed", "last_name": "Name", "email": "changed@example.org", "job_title": "",
        "role": Role.TEAM_MANAGER, "team": team.pk, "agency": "",
    }
    return [
        ("get", "/accounts/users/", None),
        ("get", "/accounts/users/?q=target", None),
        ("get", "/accounts/users/new/", None),
        ("post", "/accounts/users/new/", {**user_data, "username": "newbie", "password": NEW_PASSWORD}),
        ("get", f"/accounts/users/{target.pk}/", None),
        ("get", f"/accounts/users/{target.pk}/edit/", None),
        ("post", f"/accounts/users/{target.pk}/edit/", {**user_data, "version": target.version}),
        ("get", f"/accounts/users/{target.pk}/password/", None),
        ("post", f"/accounts/users/{target.pk}/password/", {"password": NEW_PASSWORD}),
        ("get", f"/accounts/users/{target.pk}/deactivate/", None),
        ("post", f"/accounts/users/{target.pk}/deactivate/", {}),
        ("post", f"/accounts/users/{target.pk}/reactivate/", {}),
        ("get", f"/accounts/users/{target.pk}/unlock/", None),
        ("post", f"/accounts/users/{target.pk}/unlock/", {}),
        ("get", f"/accounts/users/{target.pk}/reset-two-factor/", None),
        ("post", f"/accounts/users/{target.pk}/reset-two-factor/", {}),
        ("get", "/accounts/teams/", None),
        ("get", "/accounts/teams/new/", None),
        ("post", "/accounts/teams/new/", {"name": "New team", "kind": TeamKind.EARLY_HELP, "agency": ""}),
        ("get", f"/accounts/teams/{team.pk}/edit/", None),
        ("post", f"/accounts/teams/{team.pk}/edit/", {"name": "Renamed", "kind": TeamKind.EARLY_HELP, "agency": "",
                                                     "is_active": "on", "version": team.version}),
    ]


NON_ADMIN_ROLES = [role for role in Role.values if role != Role.ADMINISTRATOR]


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_every_administration_page_is_refused_to_other_roles_and_changes_nothing(signed_in, target, role):
    client = signed_in(role)
    team = TeamFactory(name="Some team")
    before = _snapshot()

    for method, path, data in _pages(target, team):
        response = getattr(client, method)(path, data) if data is not None else client.get(path)
        assert response.status_code == 403, (method, path)

    assert _snapshot() == before


def test_every_administration_page_works_for_an_administrator(signed_in, target):
    client = signed_in(Role.ADMINISTRATOR)
    team = TeamFactory(name="Some team")

    for method, path, data in _pages(target, team):
        response = getattr(client, method)(path, data) if data is not None else client.get(path)
        assert response.status_code in (200, 302), (method, path, response.status_code)
        if method == "post":
            assert response.status_code == 302, (path, response.context and response.context.get("form").errors)


def test_a_deactivated_administrator_is_refused(client, db):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    User.objects.filter(pk=admin.pk).update(is_active=False)

    response = client.get("/accounts/users/")

    assert response.status_code in (302, 404)


# --- Navigation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_navigation_shows_users_and_teams_to_administrators_only(signed_in, role):
    client = signed_in(role)
    labels = [item["label"] for item in client.get("/", follow=True).context["navigation"]]
    assert ("Users and teams" in labels) == (role == Role.ADMINISTRATOR)
    assert ("Access log" in labels) == (role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER))


# --- Listing users ------------------------------------------------------------------------------


@pytest.fixture
def admin(signed_in):
    return signed_in(Role.ADMINISTRATOR)


def test_user_list_searches_by_name_or_username_in_any_case(admin):
    # Names no generated user can share: "asmi" once matched a random "Jasmine".
    UserFactory(username="jqbloggs", first_name="Joeqx", last_name="Bloggqz")
    UserFactory(username="aqxsmith", first_name="Annqx", last_name="Smithqz")

    for query, expected in [("BLOGGQZ", ["jqbloggs"]), ("aqxsmi", ["aqxsmith"]), ("joeqx bloggqz", ["jqbloggs"]),
                            ("nobodyqz", [])]:
        response = admin.get("/accounts/users/", {"q": query})
        assert [u.username for u in response.context["page_obj"]] == expected, query


def test_user_list_filters_by_team_role_and_status(admin):
    team = TeamFactory(name="Early help east", kind=TeamKind.EARLY_HELP)
    in_team = UserFactory(username="inteam", team=team)
    manager = UserFactory(username="boss", role=Role.TEAM_MANAGER)
    gone = UserFactory(username="gone", is_active=False)
    locked = UserFactory(username="locked")
    User.objects.filter(pk=locked.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=5))

    def names(**params):
        return {u.username for u in admin.get("/accounts/users/", params).context["page_obj"]}

    assert names(team=team.pk) == {in_team.username}
    assert names(role=Role.TEAM_MANAGER) == {manager.username}
    assert names(status="inactive") == {gone.username}
    assert names(status="locked") == {locked.username}
    assert gone.username not in names(status="active")
    assert "Locked" in admin.get("/accounts/users/", {"q": "locked"}).content.decode()


def test_user_list_is_paginated_25_a_page(admin):
    UserFactory.create_batch(30)
    first = admin.get("/accounts/users/")
    second = admin.get("/accounts/users/", {"page": 2})
    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 6  # 30 plus the administrator
    assert 'rel="next"' in first.content.decode()


def test_an_empty_search_says_so(admin):
    response = admin.get("/accounts/users/", {"q": "zzzz"})
    assert "No users match the search" in response.content.decode()


# --- Creating users -----------------------------------------------------------------------------


def _new_user(**overrides):
    team = Team.objects.first() or TeamFactory()
    data = {
        "username": "newbie", "first_name": "New", "last_name": "Person", "email": "new@example.org",
        "job_title": "Social worker", "role": Role.SOCIAL_WORKER, "team": team.pk, "agency": "",
        "password": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def test_an_administrator_creates_a_user_and_it_is_audited_without_the_password(admin):
    response = admin.post("/accounts/users/new/", _new_user())

    user = User.objects.get(username="newbie")
    assert response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.check_password(NEW_PASSWORD)
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATED, object_id=str(user.pk),
                                   summary__startswith="Created user")
    assert event.actor == admin.user
    assert event.changes["role"] == [None, Role.SOCIAL_WORKER]
    # A social worker sees children's records: the account waits for a service manager's approval.
    assert user.is_active is False
    assert event.changes["is_active"] == [None, False]
    assert "password" not in event.changes
    assert NEW_PASSWORD not in str(event.changes)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"role": Role.PARTNER, "agency": ""}, "agency", "Select the partner agency this user works for"),
        ({"role": Role.SOCIAL_WORKER, "agency": "police"}, "agency",
         "Only partner agency practitioners can have an agency. Select 'None'"),
        ({"username": "EXISTING"}, "username", "A user with that username already exists"),
        ({"username": ""}, "username", "Enter a username"),
        ({"first_name": ""}, "first_name", "Enter the user's first name"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format, like name@example.org"),
        ({"role": ""}, "role", "Select the user's role"),
        ({"password": "short"}, "password", None),
        ({"password": "123456789012345"}, "password", None),
    ],
)
def test_invalid_new_users_are_refused_with_clear_messages(admin, overrides, field, message):
    UserFactory(username="existing")
    before = _snapshot()

    response = admin.post("/accounts/users/new/", _new_user(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    if message:
        assert message in errors
    assert _snapshot() == before
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize("agency", ["police", "health", "education", "probation", "housing"])
def test_partner_users_need_an_agency(admin, agency):
    response = admin.post("/accounts/users/new/", _new_user(role=Role.PARTNER, agency=agency))
    assert response.status_code == 302
    assert User.objects.get(username="newbie").agency == agency


def test_a_closed_team_cannot_be_given_new_members(admin):
    closed = TeamFactory(name="Closed team", is_active=False)
    before = _snapshot()

    response = admin.post("/accounts/users/new/", _new_user(team=closed.pk))

    assert response.status_code == 200
    assert _snapshot() == before


# --- Editing, deactivating, unlocking, resetting two-factor -------------------------------------


def test_editing_a_user_audits_old_and_new_values(admin, target):
    data = _new_user(role=Role.TEAM_MANAGER, team=target.team_id, first_name=target.first_name,
                     last_name=target.last_name, email=target.email, job_title="Team manager")

    response = admin.post(f"/accounts/users/{target.pk}/edit/", {**data, "version": target.version})

    assert response.status_code == 302
    target.refresh_from_db()
    # The new role waits for a service manager's approval (see test_approvals); the rest is saved.
    assert target.role == Role.SOCIAL_WORKER
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATED, object_id=str(target.pk))
    assert event.changes == {"job_title": ["", "Team manager"]}
    request = AuditEvent.objects.get(action=AuditEvent.Action.CREATED, object_id=str(target.pk))
    assert request.changes["requested_role"] == [Role.SOCIAL_WORKER, Role.TEAM_MANAGER]
    assert target.username == "target"  # usernames do not change


def test_an_administrator_cannot_remove_their_own_administrator_role(admin):
    me = admin.user
    before = _snapshot()
    data = _new_user(role=Role.SOCIAL_WORKER, team=me.team_id, first_name="A", last_name="B")

    response = admin.post(f"/accounts/users/{me.pk}/edit/", {**data, "version": me.version})

    assert response.status_code == 200
    assert response.context["form"].errors["role"] == ["You cannot remove your own administrator role"]
    assert _snapshot() == before


def test_deactivating_keeps_the_account_and_signs_them_out(admin, client, target):
    other = type(admin)()
    other.force_login(target)

    response = admin.post(f"/accounts/users/{target.pk}/deactivate/")

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active is False
    assert User.objects.filter(pk=target.pk).exists()
    assert other.get("/children/")["Location"].startswith("/accounts/sign-in/")
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATED, object_id=str(target.pk))
    assert event.changes == {"is_active": [True, False]}


def test_an_administrator_cannot_deactivate_themselves(admin):
    before = _snapshot()

    response = admin.post(f"/accounts/users/{admin.user.pk}/deactivate/")

    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.content.decode()
    assert _snapshot() == before


def test_reactivating(admin, target):
    User.objects.filter(pk=target.pk).update(is_active=False)
    admin.post(f"/accounts/users/{target.pk}/reactivate/")
    target.refresh_from_db()
    assert target.is_active is True


def test_unlocking_lets_the_user_sign_in_again(admin, client, target):
    response = admin.post(f"/accounts/users/{target.pk}/unlock/")

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.failed_login_count, target.locked_until) == (0, None)
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATED, object_id=str(target.pk))
    assert set(event.changes) == {"failed_login_count", "locked_until"}
    other = type(admin)()
    signed = other.post("/accounts/sign-in/", {"username": "target", "password": "correct horse battery staple"})
    assert signed.status_code == 302


def test_unlocking_an_unlocked_account_is_refused(admin):
    user = UserFactory()
    before = _snapshot()
    response = admin.post(f"/accounts/users/{user.pk}/unlock/")
    assert response.status_code == 400
    assert "This account is not locked" in response.content.decode()
    assert _snapshot() == before


def test_resetting_two_factor_is_a_request_another_person_approves(admin, target):
    response = admin.post(f"/accounts/users/{target.pk}/reset-two-factor/")

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=target).exists()  # nothing is reset until someone else approves
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATED, object_id=str(target.pk))
    assert event.changes["approval"] == [None, "Waiting for approval"]


def test_setting_a_new_password(admin, target):
    response = admin.post(f"/accounts/users/{target.pk}/password/", {"password": NEW_PASSWORD})

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATED, object_id=str(target.pk))
    assert NEW_PASSWORD not in str(event.changes)


def test_a_weak_new_password_is_refused(admin, target):
    before = _snapshot()
    response = admin.post(f"/accounts/users/{target.pk}/password/", {"password": "password"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert _snapshot() == before


@pytest.mark.parametrize("path", ["/accounts/users/999999/", "/accounts/users/999999/edit/",
                                  "/accounts/teams/999999/edit/"])
def test_missing_users_and_teams_are_404(admin, path):
    assert admin.get(path).status_code == 404


# --- Teams --------------------------------------------------------------------------------------


def test_creating_a_team_is_audited(admin):
    response = admin.post("/accounts/teams/new/", {"name": "Early help west", "kind": TeamKind.EARLY_HELP})

    assert response.status_code == 302
    team = Team.objects.get(name="Early help west")
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATED, object_id=str(team.pk))
    assert event.changes["kind"] == [None, TeamKind.EARLY_HELP]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"name": "", "kind": TeamKind.MASH}, "name", "Enter the team's name"),
        ({"name": "EXISTING TEAM", "kind": TeamKind.MASH}, "name", "A team with that name already exists"),
        ({"name": "Police", "kind": TeamKind.PARTNER}, "agency", "Select the partner agency for this team"),
        ({"name": "MASH 2", "kind": TeamKind.MASH, "agency": "police"}, "agency",
         "Only partner agency teams can have an agency. Select 'None'"),
        ({"name": "MASH 2"}, "kind", "Select the kind of team"),
    ],
)
def test_invalid_teams_are_refused(admin, data, field, message):
    TeamFactory(name="Existing team")
    before = _snapshot()

    response = admin.post("/accounts/teams/new/", data)

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert _snapshot() == before


def test_editing_a_team_audits_old_and_new(admin):
    team = TeamFactory(name="Old name", kind=TeamKind.EARLY_HELP)

    admin.post(f"/accounts/teams/{team.pk}/edit/", {"version": team.version, "name": "New name", "kind": TeamKind.EARLY_HELP,
                                                   "is_active": "on"})

    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATED, object_id=str(team.pk))
    assert event.changes == {"name": ["Old name", "New name"]}


def test_a_team_with_active_members_cannot_be_closed(admin):
    team = TeamFactory(name="Busy team", kind=TeamKind.EARLY_HELP)
    UserFactory(team=team)
    before = _snapshot()

    response = admin.post(f"/accounts/teams/{team.pk}/edit/", {"version": team.version, "name": "Busy team", "kind": TeamKind.EARLY_HELP})

    assert response.status_code == 200
    assert response.context["form"].errors["is_active"] == [
        "Move this team's active members to another team before closing it"
    ]
    assert _snapshot() == before


def test_team_list_shows_active_member_counts(admin):
    team = TeamFactory(name="Counted team", kind=TeamKind.EARLY_HELP)
    UserFactory.create_batch(2, team=team)
    UserFactory(team=team, is_active=False)

    response = admin.get("/accounts/teams/")

    counted = next(t for t in response.context["page_obj"] if t.pk == team.pk)
    assert counted.member_count == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_only_an_administrator_may_use_the_account_services_and_a_refusal_changes_nothing(role):
    from django.core.exceptions import PermissionDenied

    from opencsc.accounts import services

    actor, other = UserFactory(role=role), UserFactory(role=Role.SOCIAL_WORKER)
    before = (User.objects.count(), Team.objects.count(), AuditEvent.objects.count(),
              list(User.objects.values_list("pk", "role", "is_active", "password").order_by("pk")))
    calls = [
        lambda: services.user_create(actor=actor, username="newcomer", password="Correct-horse-1",
                                     role=Role.SERVICE_MANAGER, team=other.team),
        lambda: services.user_update(actor=actor, user=other, role=Role.SERVICE_MANAGER),
        lambda: services.user_deactivate(actor=actor, user=other),
        lambda: services.user_set_password(actor=actor, user=other, password="Correct-horse-1"),
        lambda: services.team_create(actor=actor, name="Shadow team", kind=TeamKind.REFERRAL_ASSESSMENT),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert (User.objects.count(), Team.objects.count(), AuditEvent.objects.count(),
            list(User.objects.values_list("pk", "role", "is_active", "password").order_by("pk"))) == before
