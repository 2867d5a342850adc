"""Signing in: lockout after failures in a row, lockout expiry, no username enumeration."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.models import User
from opencsc.accounts.services import BAD_CREDENTIALS
from opencsc.core.models import AuditEvent

PASSWORD = "correct horse battery staple"
SIGN_IN = "/accounts/sign-in/"


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


def _errors(response):
    return list(response.context["form"].non_field_errors())


def _fail(client, user, times):
    for _ in range(times):
        _sign_in(client, user.username, "wrong password entirely")


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_url_names_keep_their_paths():
    assert reverse("accounts:login") == "/accounts/sign-in/"
    assert reverse("accounts:logout") == "/accounts/sign-out/"
    assert reverse("accounts:two_factor") == "/accounts/two-factor/"


def test_sign_in_page_is_a_govuk_form(client, db):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="govuk-label" for="id_username">' in html
    assert 'autocomplete="current-password"' in html


def test_correct_password_signs_in_resets_the_count_and_is_audited(client, make_user):
    user = make_user()
    User.objects.filter(pk=user.pk).update(failed_login_count=3)

    response = _sign_in(client, user.username)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert _signed_in_as(client) == str(user.pk)
    user.refresh_from_db()
    assert user.failed_login_count == 0
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN, actor=user).count() == 1


@pytest.mark.parametrize("failures", [1, 2, 3, 4])
def test_fewer_failures_than_the_limit_do_not_lock(client, make_user, failures):
    user = make_user()

    _fail(client, user, failures)
    response = _sign_in(client, user.username)

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.locked_until is None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED, actor=user).count() == failures
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED).exists()


@pytest.mark.parametrize("limit", [1, 3, 5])
def test_the_limit_of_failures_in_a_row_locks_the_account(client, make_user, limit):
    user = make_user()
    with override_settings(OPENCSC_LOCKOUT_FAILURES=limit, OPENCSC_LOCKOUT_MINUTES=30):
        before = timezone.now()
        _fail(client, user, limit)
        user.refresh_from_db()
        assert user.failed_login_count == limit
        assert user.locked_until is not None
        assert before + dt.timedelta(minutes=29) < user.locked_until <= timezone.now() + dt.timedelta(minutes=30)
        assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED, actor=user).count() == 1

        response = _sign_in(client, user.username)

    assert response.status_code == 200
    assert _signed_in_as(client) is None
    # The right password for a locked account gets the answer every failure gets: no oracle.
    assert _errors(response) == [BAD_CREDENTIALS]


def test_a_success_between_failures_starts_the_count_again(client, make_user):
    user = make_user()
    _fail(client, user, 4)
    _sign_in(client, user.username)
    client.logout()

    _fail(client, user, 4)

    user.refresh_from_db()
    assert user.failed_login_count == 4
    assert user.locked_until is None


def test_failures_while_locked_do_not_extend_the_lock(client, make_user):
    user = make_user()
    _fail(client, user, 5)
    user.refresh_from_db()
    locked_until = user.locked_until

    _fail(client, user, 3)

    user.refresh_from_db()
    assert user.locked_until == locked_until
    assert user.failed_login_count == 5


def test_the_lock_expires_after_the_lockout_time(client, make_user):
    user = make_user()
    _fail(client, user, 5)
    # Given the lock ran out a minute ago
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - dt.timedelta(minutes=1))

    response = _sign_in(client, user.username)

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.failed_login_count, user.locked_until) == (0, None)


def test_after_an_expired_lock_one_failure_does_not_lock_again(client, make_user):
    user = make_user()
    _fail(client, user, 5)
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - dt.timedelta(minutes=1))

    _fail(client, user, 1)

    user.refresh_from_db()
    assert user.failed_login_count == 1
    assert user.locked_until is None


@pytest.mark.parametrize(
    "case",
    ["unknown username", "wrong password", "locked account, wrong password", "deactivated account"],
)
def test_failures_do_not_reveal_whether_the_username_exists(client, make_user, case):
    user = make_user()
    password = "not the password at all"
    username = user.username
    if case == "unknown username":
        username = "nobody-by-this-name"
    elif case == "locked account, wrong password":
        _fail(client, user, 5)
    elif case == "deactivated account":
        User.objects.filter(pk=user.pk).update(is_active=False)
        password = PASSWORD

    response = _sign_in(client, username, password)

    assert response.status_code == 200
    assert _errors(response) == [BAD_CREDENTIALS]
    assert "too many failed attempts" not in response.content.decode()
    assert _signed_in_as(client) is None


def test_unknown_usernames_are_audited_without_an_actor(client, db):
    _sign_in(client, "nobody-by-this-name")

    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert event.actor is None
    assert "nobody-by-this-name" in event.summary


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/children/1/", "/children/1/"),
        ("/accounts/access-log/?child=C1", "/accounts/access-log/?child=C1"),
        ("https://evil.example.com/", "/"),
        ("//evil.example.com/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_only_safe_next_addresses_are_followed(client, make_user, next_url, expected):
    user = make_user()

    response = _sign_in(client, user.username, next=next_url)

    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize("field, message", [("username", "Enter your username"), ("password", "Enter your password")])
def test_missing_fields_have_clear_messages(client, db, field, message):
    data = {"username": "someone", "password": "something"}
    data[field] = ""

    response = client.post(SIGN_IN, data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not AuditEvent.objects.exists()


def test_signed_in_user_visiting_sign_in_goes_home(signed_in):
    client = signed_in()
    assert client.get(SIGN_IN)["Location"] == "/"


def test_sign_out_needs_a_post(signed_in):
    client = signed_in()

    assert client.get("/accounts/sign-out/").status_code == 405
    assert _signed_in_as(client) is not None

    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert _signed_in_as(client) is None


def test_pages_need_a_signed_in_user(client, db):
    response = client.get("/accounts/access-log/?child=C1")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=%2Faccounts%2Faccess-log%2F%3Fchild%3DC1"
