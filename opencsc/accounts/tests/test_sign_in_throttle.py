"""The lockout and the throttles are not a password oracle: while an account is locked, or attempts are
throttled for the username or the client address, every attempt gets byte-for-byte the same answer and
the same work (one run of the password hasher), whatever the password; refused attempts neither
extend the lock nor count towards the throttles; administrators find locked accounts and unlock them."""

import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client, override_settings
from django.utils import timezone

from opencsc.accounts.models import SignInAttempt, User
from opencsc.accounts.roles import Role
from opencsc.accounts.services import BAD_CREDENTIALS
from opencsc.core.models import AuditEvent

PASSWORD = "correct horse battery staple"
WRONG = "not the password at all"
SIGN_IN = "/accounts/sign-in/"
STATES = ["locked", "throttled for the username", "throttled for the address"]
LIMITS = dict(OPENCSC_LOCKOUT_FAILURES=5, OPENCSC_SIGN_IN_ATTEMPTS_PER_ACCOUNT=8,
              OPENCSC_SIGN_IN_ATTEMPTS_PER_ADDRESS=12, OPENCSC_SIGN_IN_THROTTLE_MINUTES=15)


@pytest.fixture(autouse=True)
def limits():
    with override_settings(**LIMITS):
        yield


def _post(username, password, address="192.0.2.10"):
    """A fresh browser each time, so nothing but the answer to this attempt is compared."""
    client = Client(REMOTE_ADDR=address)
    client.get(SIGN_IN)
    return client, client.post(SIGN_IN, {"username": username, "password": password})


def _fail(username, times, address="192.0.2.10"):
    for _ in range(times):
        _post(username, WRONG, address)


def _into(state, user):
    """Put the account (or the address it signs in from) into the state."""
    if state == "locked":
        _fail(user.username, 5)
        user.refresh_from_db()
        assert user.locked_until is not None
    elif state == "throttled for the username":
        # Failures with a success in between, so the account never locks: only the throttle stops it.
        for _ in range(2):
            _fail(user.username, 4)
            _post(user.username, PASSWORD)
        User.objects.filter(pk=user.pk).update(failed_login_count=0)
        # ... and from other addresses, so that the address throttle plays no part.
        for n in range(2):
            _fail(user.username.upper() if n else user.username, 4, address=f"198.51.100.{n}")
        user.refresh_from_db()
        assert user.locked_until is None
    else:
        for n in range(12):
            _post(f"someone-else-{n}", WRONG)


def _comparable(response):
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
    # Apart from the CSRF token and cookie, Expires (the time of the answer, from never_cache) and the
    # request id (a new random one for every request, core/logging.py).
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("set-cookie", "expires", "x-request-id")}
    return response.status_code, headers, body


@pytest.mark.parametrize("state", STATES)
def test_the_right_and_a_wrong_password_get_byte_identical_answers(make_user, state):
    user = make_user()
    _into(state, user)

    right_client, right = _post(user.username, PASSWORD)
    _, wrong = _post(user.username, WRONG)

    assert _comparable(right) == _comparable(wrong)
    assert right.status_code == 200
    assert list(right.context["form"].non_field_errors()) == [BAD_CREDENTIALS]
    assert "_auth_user_id" not in right_client.session
    assert b"too many" not in right.content.lower() and b"try again after" not in right.content.lower()


@pytest.mark.parametrize("state", ["not locked", *STATES])
@pytest.mark.parametrize("password", [PASSWORD, WRONG])
def test_every_attempt_runs_the_password_hasher_once(make_user, monkeypatch, state, password):
    user = make_user()
    if state != "not locked":
        _into(state, user)
    runs = []
    original = MD5PasswordHasher.encode
    monkeypatch.setattr(MD5PasswordHasher, "encode", lambda self, *a, **k: runs.append(1) or original(self, *a, **k))

    _post(user.username, password)

    assert len(runs) == 1


def test_an_unknown_username_gets_the_same_answer_as_a_locked_account(make_user):
    user = make_user()
    _into("locked", user)
    User.objects.filter(pk=user.pk).update(username="renamed")

    _, unknown = _post(user.username, PASSWORD)
    User.objects.filter(pk=user.pk).update(username=user.username)
    _, locked = _post(user.username, PASSWORD)

    assert _comparable(unknown) == _comparable(locked)


@pytest.mark.parametrize("password", [PASSWORD, WRONG])
def test_attempts_while_locked_do_not_extend_the_lock_or_count(make_user, password):
    user = make_user()
    _into("locked", user)
    user.refresh_from_db()
    locked_until, count = user.locked_until, user.failed_login_count
    failures = SignInAttempt.objects.filter(outcome="failed").count()

    for _ in range(20):
        _post(user.username, password)

    user.refresh_from_db()
    assert (user.locked_until, user.failed_login_count) == (locked_until, count)
    assert SignInAttempt.objects.filter(outcome="failed").count() == failures
    assert SignInAttempt.objects.filter(outcome="refused").count() == 20
    # When the lock runs out, the right password works straight away.
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    client, response = _post(user.username, PASSWORD)
    assert response.status_code == 302


@pytest.mark.parametrize("state", ["throttled for the username", "throttled for the address"])
def test_attempts_while_throttled_do_not_extend_the_throttle(make_user, state):
    user = make_user()
    _into(state, user)
    for _ in range(10):
        _post(user.username, PASSWORD)

    # The failures that caused the throttle leave the window; the refused attempts after them do not count.
    SignInAttempt.objects.filter(outcome="failed").update(at=timezone.now() - dt.timedelta(minutes=16))

    _, response = _post(user.username, PASSWORD)
    assert response.status_code == 302


def test_the_address_throttle_covers_every_username_from_that_address_only(make_user):
    user = make_user()
    _into("throttled for the address", user)

    _, same_address = _post(user.username, PASSWORD)
    _, other_address = _post(user.username, PASSWORD, address="203.0.113.5")

    assert same_address.status_code == 200
    assert other_address.status_code == 302


def test_refused_attempts_are_audited_without_the_password(make_user):
    user = make_user()
    _into("locked", user)

    _post(user.username, PASSWORD)

    event = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED, actor=user).first()
    assert event.summary.startswith("Sign-in refused without checking the password: account locked")
    assert PASSWORD not in str(event.changes) + event.summary


def test_old_attempts_are_cleared_as_new_ones_are_written(make_user):
    SignInAttempt.objects.create(username="old", address="192.0.2.1", outcome="failed",
                                 at=timezone.now() - dt.timedelta(days=2))

    _post("someone", WRONG)

    assert not SignInAttempt.objects.filter(username="old").exists()


# --- Administrators: locked accounts and unlocking ----------------------------------------------


@pytest.fixture
def admin(signed_in):
    return signed_in(Role.ADMINISTRATOR)


def test_the_users_page_links_to_the_locked_accounts_with_their_number(admin, make_user):
    locked, _ = make_user(username="locked-one"), make_user(username="fine-one")
    User.objects.filter(pk=locked.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=10))

    page = admin.get("/accounts/users/").content.decode()
    listed = admin.get("/accounts/users/?status=locked")

    assert 'href="/accounts/users/?status=locked">Locked accounts (1)</a>' in page
    assert [u.username for u in listed.context["page_obj"]] == ["locked-one"]


@pytest.mark.parametrize("state", ["locked", "throttled for the username"])
def test_unlocking_is_audited_and_lets_the_user_sign_in(admin, make_user, state):
    user = make_user(username="victim")
    _into(state, user)

    response = admin.post(f"/accounts/users/{user.pk}/unlock/")

    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATED, object_id=str(user.pk)).get()
    assert event.actor == admin.user and event.summary == "Unlocked user victim"
    _, signed = _post("victim", PASSWORD)
    assert signed.status_code == 302


def test_a_refused_unlock_changes_nothing(signed_in, make_user):
    user = make_user()
    _into("locked", user)
    worker = signed_in(Role.SERVICE_MANAGER)
    before = list(User.objects.values_list("pk", "failed_login_count", "locked_until").order_by("pk"))
    attempts = SignInAttempt.objects.count()

    assert worker.post(f"/accounts/users/{user.pk}/unlock/").status_code == 403

    assert list(User.objects.values_list("pk", "failed_login_count", "locked_until").order_by("pk")) == before
    assert SignInAttempt.objects.count() == attempts
