"""The test OpenID Connect provider (tests/provider), started once per module that asks for it.

It runs as a subprocess on 127.0.0.1 (a free port it chooses) with its own SQLite file in a temporary
directory; the app under test reaches its discovery document, token endpoint, JWKS and userinfo over
real HTTP. The module is skipped, with the reason, only when this machine cannot run it (no loopback
socket, no django-oauth-toolkit); a provider that fails to start is a failure, with its log.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

REPO = Path(__file__).resolve().parents[3]
CLIENT_ID = "opencsc-under-test"
APP = "http://testserver"  # the Django test client's address for the app under test
REDIRECT_URI = f"{APP}/sso/sign-in/callback/"
POST_LOGOUT_URI = f"{APP}/accounts/sign-in/"
START_SECONDS = 30


@dataclass
class TestProvider:
    base: str
    client_secret: str
    log: Path
    passwords: dict = field(default_factory=dict)

    __test__ = False  # not a test class

    @property
    def issuer(self) -> str:
        return f"{self.base}/o"

    def _post(self, path: str, payload: dict) -> dict:
        response = self.http().post(f"{self.base}{path}", data=json.dumps(payload), timeout=10)
        response.raise_for_status()
        return response.json()

    def add_user(self, username: str, *, claims: dict | None = None) -> dict:
        """A user at the provider; returns the `sub` and `oid` their ID tokens will carry."""
        password = secrets.token_urlsafe(12)
        self.passwords[username] = password
        return self._post("/test/users/", {"username": username, "password": password,
                                           "email": f"{username}@council.example", "claims": claims or {}})

    def spoil_next_id_token(self, **changes) -> None:
        self._post("/test/next-id-token/", changes)

    @staticmethod
    def http() -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # no proxy for loopback
        return session

    def sign_in(self, authorize_url: str, username: str, *, browser: requests.Session | None = None,
                change=None) -> str:
        """Sign in at the provider as `username` in `browser` (the person's browser at the provider) and
        follow `authorize_url` (changed by `change(params)` first, if given): the callback URL the
        provider sends the browser back to, with its code and state."""
        browser = browser or self.http()
        signed_in = browser.post(f"{self.base}/test/login/", allow_redirects=False, timeout=10,
                                 data={"username": username, "password": self.passwords[username]})
        assert signed_in.status_code == 302, signed_in.text
        if change is not None:
            parts = urlsplit(authorize_url)
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            change(params)
            response = browser.get(f"{parts.scheme}://{parts.netloc}{parts.path}", params=params,
                                   allow_redirects=False, timeout=10)
        else:
            response = browser.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        callback = response.headers["Location"]
        assert callback.startswith(REDIRECT_URI), callback
        return callback


def _environment_problem() -> str:
    if importlib.util.find_spec("oauth2_provider") is None:
        return "django-oauth-toolkit is not installed (uv sync --group dev)"
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            probe.listen(1)
    except OSError as error:
        return f"cannot listen on 127.0.0.1 ({error})"
    return ""


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    problem = _environment_problem()
    if problem:
        pytest.skip(f"The test OpenID Connect provider cannot run on this machine: {problem}")
    work = tmp_path_factory.mktemp("oidc-provider")
    log_path = work / "provider.log"
    secret = secrets.token_urlsafe(24)
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    saved_no_proxy = {key: os.environ.get(key) for key in ("NO_PROXY", "no_proxy")}
    for key in saved_no_proxy:  # the app's own calls to the provider must not go through a proxy
        os.environ[key] = ",".join(filter(None, [os.environ.get(key), "127.0.0.1", "localhost"]))
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "opencsc.sso.tests.provider.serve", str(work), CLIENT_ID, secret,
             REDIRECT_URI, POST_LOGOUT_URI],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        ready = work / "ready.json"
        deadline = time.monotonic() + START_SECONDS
        while not ready.exists():
            if process.poll() is not None:
                pytest.fail(f"The test OpenID Connect provider stopped (exit {process.returncode}):\n"
                            f"{log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"The test OpenID Connect provider did not start in {START_SECONDS} s:\n"
                            f"{log_path.read_text()[-3000:]}")
            time.sleep(0.05)
        base = f"http://127.0.0.1:{json.loads(ready.read_text())['port']}"
        test_provider = TestProvider(base=base, client_secret=secret, log=log_path)
        while True:  # until its discovery document answers
            try:
                if test_provider.http().get(f"{base}/o/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"The test OpenID Connect provider does not answer:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.05)
        yield test_provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for key, value in saved_no_proxy.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture
def sso(settings, provider):
    """Single sign-on configured against the test provider (two-factor sign-in required, as in production)."""
    from opencsc.sso import config

    settings.OPENCSC_OIDC_ISSUER = provider.issuer
    settings.OPENCSC_OIDC_CLIENT_ID = CLIENT_ID
    settings.OPENCSC_OIDC_CLIENT_SECRET = provider.client_secret
    settings.OPENCSC_OIDC_PROVIDER_NAME = "Microsoft"
    settings.OPENCSC_OIDC_SUBJECT_CLAIM = "sub"
    settings.OPENCSC_OIDC_TRUST_IDP_MFA = False
    settings.OPENCSC_OIDC_MFA_ACR_VALUES = []
    settings.OPENCSC_TWO_FACTOR_REQUIRED = True
    config.forget_metadata()
    provider.spoil_next_id_token()  # nothing left over from a test that failed before its sign-in
    yield provider
    config.forget_metadata()
