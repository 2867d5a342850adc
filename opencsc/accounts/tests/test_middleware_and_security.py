"""Idle expiry, security headers and secure cookie settings."""

import importlib
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings

from opencsc.accounts.middleware import IDLE_KEY


def _last_seen(client, minutes_ago):
    session = client.session
    session[IDLE_KEY] = time.time() - minutes_ago * 60
    session.save()


@pytest.mark.parametrize("minutes_ago, signed_out", [(1, False), (29, False), (31, True), (600, True)])
def test_sessions_end_after_the_idle_time(signed_in, minutes_ago, signed_out):
    client = signed_in()
    client.get("/")
    with override_settings(OPENCSC_IDLE_MINUTES=30):
        _last_seen(client, minutes_ago)

        response = client.get("/accessibility/")

    if signed_out:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/sign-in/?next=%2Faccessibility%2F"
        assert "_auth_user_id" not in client.session
        page = client.get("/accounts/sign-in/")
        assert "You were signed out because you had not used the service for a while" in page.content.decode()
        # Shown once only
        assert "had not used the service" not in client.get("/accounts/sign-in/").content.decode()
    else:
        assert response.status_code == 200
        assert client.session["_auth_user_id"] == str(client.user.pk)


def test_each_request_moves_the_idle_clock_on(signed_in):
    client = signed_in()
    _last_seen(client, 20)

    client.get("/")

    assert time.time() - client.session[IDLE_KEY] < 60


def test_requests_within_a_minute_do_not_write_the_session(signed_in, settings):
    """The idle clock moves on at most once a minute, so most pages write nothing (a session save is a
    database write: on SQLite every writer waits for the one before)."""
    settings.OPENCSC_IDLE_CLOCK_STEP_SECONDS = 60
    client = signed_in()
    client.get("/accessibility/")
    seen = client.session[IDLE_KEY]

    client.get("/accessibility/")

    assert client.session[IDLE_KEY] == seen
    session_key = client.session.session_key
    updated = Session.objects.get(session_key=session_key).expire_date
    client.get("/accessibility/")
    assert Session.objects.get(session_key=session_key).expire_date == updated


def test_idle_expiry_of_a_post_does_not_replay_it(signed_in):
    client = signed_in()
    _last_seen(client, 31)

    response = client.post("/accounts/sign-out/")

    assert response["Location"] == "/accounts/sign-in/"


@pytest.mark.parametrize("path", ["/accounts/sign-in/", "/"])
def test_responses_carry_strict_security_headers(signed_in, path):
    client = signed_in()

    response = client.get(path)

    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_responses_carry_hsts(client, db):
    response = client.get("/accounts/sign-in/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_base_settings_are_secure_by_default(monkeypatch):
    monkeypatch.delenv("OPENCSC_SSL_REDIRECT", raising=False)
    monkeypatch.delenv("OPENCSC_HSTS_SECONDS", raising=False)
    base = importlib.reload(importlib.import_module("config.settings.base"))

    assert base.DEBUG is False
    assert base.SESSION_COOKIE_SECURE is True
    assert base.SESSION_COOKIE_HTTPONLY is True
    assert base.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert base.CSRF_COOKIE_SECURE is True
    assert base.CSRF_COOKIE_HTTPONLY is True
    assert base.SECURE_SSL_REDIRECT is True
    assert base.SECURE_HSTS_SECONDS >= 31536000
    assert base.X_FRAME_OPTIONS == "DENY"
    assert base.OPENCSC_TWO_FACTOR_REQUIRED is True
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    for directive in base.CONTENT_SECURITY_POLICY["DIRECTIVES"].values():
        assert "'unsafe-inline'" not in directive


def test_the_session_cookie_is_secure_httponly_and_samesite(client, make_user):
    user = make_user()

    response = client.post("/accounts/sign-in/", {"username": user.username, "password": "correct horse battery staple"})

    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_signing_in_starts_a_new_session(client, make_user):
    user = make_user()
    client.get("/accounts/sign-in/")
    session = client.session
    session["marker"] = "x"
    session.save()
    old_key = session.session_key

    client.post("/accounts/sign-in/", {"username": user.username, "password": "correct horse battery staple"})

    assert client.session.session_key != old_key
