"""The production settings: everything from the environment, documented, and `check --deploy` clean."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(settings.BASE_DIR)
EXAMPLE = ROOT / "deploy" / "opencsc.env.example"
DOCS = ROOT / "docs" / "settings.md"
SECRET = "k3Jx9-vQ2mW8zR4tY7uN1bC6fH0dL5sA_pE3gT8wZ2xV9nM4qK7jB1cF6hD0"
# The variables the settings read: os.environ.get("X"), os.environ["X"] and the env_list/env_flag helpers.
READ = re.compile(r"""(?:os\.environ(?:\.get)?\s*[\(\[]|env_list\(|env_flag\()\s*["']([A-Z][A-Z0-9_]*)["']""")


def variables_read_by_the_settings() -> set[str]:
    names = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        names |= set(READ.findall(path.read_text()))
    return names


def example_environment() -> dict[str, str]:
    """The example file as systemd reads it: NAME=value lines, comments skipped."""
    env = {}
    for line in EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    return env


def clean_environment(**extra) -> dict[str, str]:
    """This process's environment without any OpenCSC, database or settings-module variable."""
    # (DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests' conftest sets it in this process.)
    read = variables_read_by_the_settings() | {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in read and not k.startswith(("OPENCSC_", "PG"))}
    return {**env, **extra}


@pytest.fixture
def production(monkeypatch):
    """Load config.settings.production afresh under an environment: production(NAME=value, ...)."""
    for name in variables_read_by_the_settings() | {"DATABASE_URL"}:
        monkeypatch.delenv(name, raising=False)

    def load(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        importlib.reload(importlib.import_module("config.settings.base"))
        sys.modules.pop("config.settings.production", None)
        return importlib.import_module("config.settings.production")

    yield load
    sys.modules.pop("config.settings.production", None)
    monkeypatch.undo()
    importlib.reload(importlib.import_module("config.settings.base"))


def test_the_secret_key_is_required_with_a_clear_message(production):
    with pytest.raises(ImproperlyConfigured, match="OPENCSC_SECRET_KEY is not set.*config.settings.demo"):
        production(DATABASE_URL="sqlite:////tmp/x.sqlite3")


def test_the_example_files_placeholder_key_is_refused(production):
    with pytest.raises(ImproperlyConfigured, match="placeholder"):
        production(OPENCSC_SECRET_KEY=example_environment()["OPENCSC_SECRET_KEY"], DATABASE_URL="sqlite:////tmp/x")


def test_a_database_is_required(production):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        production(OPENCSC_SECRET_KEY=SECRET)


def test_a_postgres_url_keeps_connections_with_health_checks(production):
    module = production(OPENCSC_SECRET_KEY=SECRET, DATABASE_URL="postgres://app:pw@db.internal:6432/opencsc",
                        OPENCSC_DB_CONN_MAX_AGE="300")
    database = module.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("opencsc", "app", "pw")
    assert (database["HOST"], database["PORT"]) == ("db.internal", 6432)
    assert database["CONN_MAX_AGE"] == 300 and database["CONN_HEALTH_CHECKS"] is True
    assert "replica" not in module.DATABASES


def test_a_sqlite_url_waits_for_locks_and_writes_immediately(production):
    module = production(OPENCSC_SECRET_KEY=SECRET, DATABASE_URL="sqlite:////var/lib/opencsc/opencsc.sqlite3")
    database = module.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == "/var/lib/opencsc/opencsc.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and database["OPTIONS"]["timeout"] == 20
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_the_pg_variables_still_work(production):
    module = production(OPENCSC_SECRET_KEY=SECRET, OPENCSC_DATABASE="postgres", PGHOST="10.0.0.5", PGDATABASE="csc")
    database = module.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["CONN_HEALTH_CHECKS"]) == ("10.0.0.5", "csc", True)


def test_a_replica_url_adds_the_replica_database(production):
    module = production(OPENCSC_SECRET_KEY=SECRET, DATABASE_URL="postgres://a:b@primary/opencsc",
                        OPENCSC_REPLICA_URL="postgres://ro:b@replica/opencsc")
    assert module.DATABASES["replica"]["HOST"] == "replica"
    assert module.DATABASES["replica"]["TEST"] == {"MIRROR": "default"}


def test_hosts_origins_and_the_proxy_header_come_from_the_environment(production):
    module = production(OPENCSC_SECRET_KEY=SECRET, DATABASE_URL="sqlite:////tmp/x.sqlite3",
                        OPENCSC_ALLOWED_HOSTS="a.example.gov.uk, b.example.gov.uk",
                        OPENCSC_CSRF_TRUSTED_ORIGINS="https://a.example.gov.uk", OPENCSC_PROXY_SSL_HEADER="1")
    assert module.ALLOWED_HOSTS == ["a.example.gov.uk", "b.example.gov.uk"]
    assert module.CSRF_TRUSTED_ORIGINS == ["https://a.example.gov.uk"]
    assert module.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert module.TIME_ZONE == "Europe/London" and module.DEBUG is False


def test_the_proxy_header_is_not_trusted_unless_asked(production):
    module = production(OPENCSC_SECRET_KEY=SECRET, DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert getattr(module, "SECURE_PROXY_SSL_HEADER", None) is None


def test_email_goes_by_smtp_when_a_host_is_given(production):
    module = production(OPENCSC_SECRET_KEY=SECRET, DATABASE_URL="sqlite:////tmp/x.sqlite3",
                        OPENCSC_EMAIL_HOST="smtp.example.gov.uk", OPENCSC_EMAIL_PORT="25",
                        OPENCSC_EMAIL_USER="u", OPENCSC_EMAIL_PASSWORD="p", OPENCSC_EMAIL_USE_TLS="0",
                        OPENCSC_DEFAULT_FROM_EMAIL="noreply@example.gov.uk")
    assert module.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (module.EMAIL_HOST, module.EMAIL_PORT, module.EMAIL_HOST_USER, module.EMAIL_HOST_PASSWORD) == (
        "smtp.example.gov.uk", 25, "u", "p")
    assert module.EMAIL_USE_TLS is False
    assert module.DEFAULT_FROM_EMAIL == module.SERVER_EMAIL == "noreply@example.gov.uk"


def test_without_a_mail_host_no_email_is_sent(production):
    module = production(OPENCSC_SECRET_KEY=SECRET, DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert module.EMAIL_BACKEND == "django.core.mail.backends.dummy.EmailBackend"


def test_a_log_level_that_does_not_exist_is_refused(production):
    with pytest.raises(ImproperlyConfigured, match="OPENCSC_LOG_LEVEL"):
        production(OPENCSC_SECRET_KEY=SECRET, DATABASE_URL="sqlite:////tmp/x.sqlite3", OPENCSC_LOG_LEVEL="loud")


def test_the_settings_read_the_variables_the_brief_names():
    assert {"OPENCSC_SECRET_KEY", "OPENCSC_ALLOWED_HOSTS", "OPENCSC_CSRF_TRUSTED_ORIGINS", "OPENCSC_PROXY_SSL_HEADER",
            "DATABASE_URL", "OPENCSC_DATABASE", "OPENCSC_EMAIL_HOST", "OPENCSC_LOG_LEVEL", "OPENCSC_STATIC_ROOT",
            "OPENCSC_MEDIA_ROOT"} <= variables_read_by_the_settings()


@pytest.mark.parametrize("name", sorted(variables_read_by_the_settings()))
def test_every_variable_is_documented_and_in_the_example_file(name):
    assert re.search(rf"^\| `{name}` \|", DOCS.read_text(), re.M), f"{name} is not in a table in docs/settings.md"
    assert re.search(rf"^#? ?{name}=", EXAMPLE.read_text(), re.M), f"{name} is not in deploy/opencsc.env.example"


def test_check_deploy_is_clean_with_the_example_environment():
    """`manage.py` (production settings, its default) with the example file, its key replaced: no issue."""
    env = clean_environment(**{**example_environment(), "OPENCSC_SECRET_KEY": SECRET})
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


def test_manage_py_defaults_to_production_and_says_what_is_missing():
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=clean_environment(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "OPENCSC_SECRET_KEY is not set" in done.stderr


@pytest.mark.django_db
def test_health_checks_answer_over_plain_http_and_pages_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/sign-in/").status_code == 301


@pytest.mark.django_db
def test_behind_the_proxy_an_https_request_is_secure(client, settings):
    """With the proxy header trusted, no redirect loop: nginx's X-Forwarded-Proto: https counts as HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/accounts/sign-in/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200 and "Strict-Transport-Security" in response
    assert client.get("/accounts/sign-in/", headers={"X-Forwarded-Proto": "http"}).status_code == 301


def variables_read_by_gunicorns_config() -> set[str]:
    text = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    return set(re.findall(r'_(?:env|int)\("([A-Z_]+)"', text))


def test_gunicorns_config_reads_its_variables():
    assert {"OPENCSC_WEB_BIND", "OPENCSC_WEB_WORKERS", "OPENCSC_FORWARDED_ALLOW_IPS"} <= variables_read_by_gunicorns_config()


@pytest.mark.parametrize("name", sorted(variables_read_by_gunicorns_config()))
def test_every_gunicorn_variable_is_documented_and_in_the_example_file(name):
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    assert re.search(rf"^\| `{name}` \|", deploy, re.M), f"{name} is not in a table in docs/deploy.md"
    assert re.search(rf"^#? ?{name}=", EXAMPLE.read_text(), re.M), f"{name} is not in deploy/opencsc.env.example"
