"""Settings shared by every OpenCSC deployment.

Secure by default: the demo and test settings relax only what they must.
Database choice: SQLite unless OPENCSC_DATABASE=postgres, when the usual
PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE variables are read; production
also takes DATABASE_URL (config/settings/production.py). Every environment
variable read here is documented in docs/settings.md and deploy/opencsc.env.example
(a test fails otherwise).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str) -> list[str]:
    """A comma-separated environment variable as a list (spaces and empty items dropped)."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_flag(name: str, default: bool) -> bool:
    """An on/off environment variable: 1, true, yes or on is on; 0, false, no or off is off."""
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


SECRET_KEY = os.environ.get("OPENCSC_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("OPENCSC_ALLOWED_HOSTS")
# The origins (https://host) a form may be sent from, when it is not the host itself (Django checks the
# Origin header of every POST over HTTPS against the host; behind a proxy that rewrites Host, list it here).
CSRF_TRUSTED_ORIGINS = env_list("OPENCSC_CSRF_TRUSTED_ORIGINS")

# The local authority this installation serves; shown in the header.
OPENCSC_AUTHORITY_NAME = os.environ.get("OPENCSC_AUTHORITY_NAME", "Borough of Northvale")
# The authority's three-digit DfE LA number: the header of the CIN census and the SSDA903 files.
OPENCSC_LA_CODE = os.environ.get("OPENCSC_LA_CODE", "313")
OPENCSC_SERVICE_NAME = "Children's social care"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "opencsc.core",
    "opencsc.accounts",
    "opencsc.jobs",
    "opencsc.people",
    "opencsc.casework",
    "opencsc.assessment",
    "opencsc.protection",
    "opencsc.timescales",
    "opencsc.frontdoor",
    "opencsc.earlyhelp",
    "opencsc.edt",
    "opencsc.care",
    "opencsc.wellbeing",
    "opencsc.missing",
    "opencsc.adoption",
    "opencsc.careleavers",
    "opencsc.otherduties",
    "opencsc.workforce",
    "opencsc.quality",
    "opencsc.performance",
    "opencsc.returns",
    "opencsc.inspection",
    "opencsc.sso",
    "opencsc.retention",
    "opencsc.synthetic",
]

MIDDLEWARE = [
    "opencsc.core.logging.RequestLogMiddleware",  # first: its request id and timing cover every other one
    "opencsc.core.middleware.ClientAddressMiddleware",  # the browser's address behind a trusted proxy
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opencsc.sso.middleware.SingleSignOutMiddleware",
    "opencsc.core.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "opencsc.accounts.middleware.IdleTimeoutMiddleware",
    "opencsc.accounts.middleware.LoginRequiredMiddleware",
    "opencsc.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "opencsc.core.middleware.FormTokenMiddleware",
    "opencsc.accounts.policy.RefusalLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opencsc.core.context_processors.service",
                "opencsc.accounts.policy.may",
                "opencsc.sso.context_processors.sso",
            ],
            "builtins": ["opencsc.core.templatetags.govuk"],
        },
    }
]


# Seconds a PostgreSQL connection is kept for the next request (checked before reuse).
DB_CONN_MAX_AGE = int(os.environ.get("OPENCSC_DB_CONN_MAX_AGE", "60"))
SQLITE_OPTIONS = {"timeout": 20, "transaction_mode": "IMMEDIATE"}


def database_from_url(url: str) -> dict:
    """A database from a URL (postgres://user:password@host:5432/name or sqlite:////absolute/path)."""
    database = dj_database_url.parse(url, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)
    if database["ENGINE"].endswith("sqlite3"):
        # Write-ahead logging: readers do not wait for the writer (several app processes or threads).
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {**SQLITE_OPTIONS, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                               **database.get("OPTIONS", {})}
    return database


def database_from_environment(sqlite_path, url: str = ""):
    """The URL when one is given; otherwise SQLite, or PostgreSQL when OPENCSC_DATABASE=postgres
    (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)."""
    if url:
        return database_from_url(url)
    if os.environ.get("OPENCSC_DATABASE") == "postgres":
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "opencsc"),
            "USER": os.environ.get("PGUSER", "opencsc"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
            "CONN_MAX_AGE": DB_CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": sqlite_path,
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


def with_replica(databases: dict) -> dict:
    """The databases, plus the "replica" alias when OPENCSC_REPLICA_URL names a streaming replica (docs/scaling.md).

    Only reads inside `opencsc.core.db_router.reading_from_replica()` use it; never a write, never a migration.
    """
    url = os.environ.get("OPENCSC_REPLICA_URL", "")
    if not url:
        return databases
    replica = database_from_url(url)
    if replica["ENGINE"] == "django.db.backends.postgresql":
        replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)  # an unreachable replica: fall back soon
    replica["TEST"] = {"MIRROR": "default"}  # test runs read their own test database through the alias
    return {**databases, "replica": replica}


DATABASES = with_replica({"default": database_from_environment(BASE_DIR / "var" / "opencsc.sqlite3")})
DATABASE_ROUTERS = ["opencsc.core.db_router.ReplicaRouter"]
# A replica further behind the primary than this (seconds) is not read from: reads go to the primary.
OPENCSC_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("OPENCSC_REPLICA_MAX_LAG_SECONDS", "30"))
# How often (seconds) each process checks the replica's lag and that it answers.
OPENCSC_REPLICA_CHECK_SECONDS = float(os.environ.get("OPENCSC_REPLICA_CHECK_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in protection: lock an account after this many failures in a row, for this long.
OPENCSC_LOCKOUT_FAILURES = 5
OPENCSC_LOCKOUT_MINUTES = 30
# Sign-in throttles (failed attempts in OPENCSC_SIGN_IN_THROTTLE_MINUTES, from a table all processes share).
OPENCSC_SIGN_IN_THROTTLE_MINUTES = 15
OPENCSC_SIGN_IN_ATTEMPTS_PER_ACCOUNT = 10
OPENCSC_SIGN_IN_ATTEMPTS_PER_ADDRESS = 50
# A two-factor set-up code, issued by an administrator, expires after this many hours.
OPENCSC_ENROLMENT_CODE_HOURS = 72
# Staff roles must use TOTP two-factor authentication.
OPENCSC_TWO_FACTOR_REQUIRED = True
# Sessions end after this many minutes without a request.
OPENCSC_IDLE_MINUTES = 30
# The idle clock moves on at most this often (seconds): saving the session on every request made every page a
# database write (on SQLite, every request queued for the one writer). A session ends 30 to 31 minutes after
# its last use.
OPENCSC_IDLE_CLOCK_STEP_SECONDS = 60

# Single sign-on with OpenID Connect (docs/sso.md): off unless the issuer, client id and secret are given.
OPENCSC_OIDC_ISSUER = os.environ.get("OPENCSC_OIDC_ISSUER", "")
OPENCSC_OIDC_CLIENT_ID = os.environ.get("OPENCSC_OIDC_CLIENT_ID", "")
OPENCSC_OIDC_CLIENT_SECRET = os.environ.get("OPENCSC_OIDC_CLIENT_SECRET", "")
OPENCSC_OIDC_PROVIDER_NAME = os.environ.get("OPENCSC_OIDC_PROVIDER_NAME", "your council account")
OPENCSC_OIDC_SUBJECT_CLAIM = os.environ.get("OPENCSC_OIDC_SUBJECT_CLAIM", "sub")
OPENCSC_OIDC_TRUST_IDP_MFA = os.environ.get("OPENCSC_OIDC_TRUST_IDP_MFA", "").lower() in ("1", "true", "yes")
OPENCSC_OIDC_MFA_ACR_VALUES = [v for v in os.environ.get("OPENCSC_OIDC_MFA_ACR_VALUES", "").split(",") if v]
OPENCSC_OIDC_SCOPES = os.environ.get("OPENCSC_OIDC_SCOPES", "openid email profile")
# Passwords, then single sign-on (which does nothing unless configured and called from its callback page).
AUTHENTICATION_BACKENDS = ["opencsc.accounts.backends.ModelBackend", "opencsc.sso.backend.SsoBackend"]

SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = int(os.environ.get("OPENCSC_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("OPENCSC_HSTS_INCLUDE_SUBDOMAINS", True)
# Asking browsers to preload HSTS is a decision for the council's whole domain, not for one service.
SECURE_HSTS_PRELOAD = env_flag("OPENCSC_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = os.environ.get("OPENCSC_SSL_REDIRECT", "1") == "1"
# Health checks answer over plain HTTP too: a load balancer or systemd probing the app server directly gets
# the answer, not a redirect (they carry no personal data).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Behind a proxy that ends TLS (nginx): trust its X-Forwarded-Proto header, so that Django knows the request
# came over HTTPS (no redirect loop, secure cookies, CSRF origin checks). Only when the proxy sets the header
# itself on every request (proxy_set_header X-Forwarded-Proto $scheme) and the app cannot be reached around it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_flag("OPENCSC_PROXY_SSL_HEADER", False) else None
# The proxies (addresses or networks, comma-separated) whose X-Forwarded-For gives the browser's address
# (core.middleware.ClientAddressMiddleware): the sign-in throttles and the logs then see the browser, not nginx.
OPENCSC_TRUSTED_PROXIES = os.environ.get("OPENCSC_TRUSTED_PROXIES", "")

# A strict Content Security Policy: nothing from anywhere but this site, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Uploads: documents on a child's record.
OPENCSC_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# The key of the audit and access logs' hash chains (core/chain.py). Set it once and never change it:
# rows written under another key no longer verify. Empty: the SECRET_KEY is used.
OPENCSC_LOG_CHAIN_KEY = os.environ.get("OPENCSC_LOG_CHAIN_KEY", "")
# Optional virus scanning of uploads by clamd (a Unix socket, or a host and port); none when both are empty.
OPENCSC_CLAMD_SOCKET = os.environ.get("OPENCSC_CLAMD_SOCKET", "")
OPENCSC_CLAMD_HOST = os.environ.get("OPENCSC_CLAMD_HOST", "")
OPENCSC_CLAMD_PORT = int(os.environ.get("OPENCSC_CLAMD_PORT", "3310"))
OPENCSC_CLAMD_TIMEOUT = 30
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MEDIA_ROOT = Path(os.environ.get("OPENCSC_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Where `manage.py backup` writes backups (and their manifests) unless given --output (docs/backup.md).
OPENCSC_BACKUP_DIR = Path(os.environ.get("OPENCSC_BACKUP_DIR", BASE_DIR / "var" / "backups"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("OPENCSC_STATIC_ROOT", BASE_DIR / "var" / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "opencsc.core.storage.StaticFilesStorage"},
}

# Email: sent by SMTP when OPENCSC_EMAIL_HOST is given; without it no email leaves the server (Django's
# dummy backend drops every message), rather than failing on a mail server that is not there.
EMAIL_HOST = os.environ.get("OPENCSC_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("OPENCSC_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("OPENCSC_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("OPENCSC_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("OPENCSC_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 30
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.dummy.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("OPENCSC_DEFAULT_FROM_EMAIL", "opencsc@localhost")
SERVER_EMAIL = os.environ.get("OPENCSC_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Logs: one JSON object a line on standard output (opencsc/core/logging.py), with the request id, user id
# and route of the request being served; never names, dates of birth, notes, query strings or form bodies.
# Requests slower than OPENCSC_SLOW_REQUEST_MS and queries slower than OPENCSC_SLOW_QUERY_MS are warnings.
OPENCSC_LOG_LEVEL = os.environ.get("OPENCSC_LOG_LEVEL", "INFO").upper()
if OPENCSC_LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(f"OPENCSC_LOG_LEVEL is {OPENCSC_LOG_LEVEL!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
OPENCSC_SLOW_REQUEST_MS = int(os.environ.get("OPENCSC_SLOW_REQUEST_MS", "1000"))
OPENCSC_SLOW_QUERY_MS = int(os.environ.get("OPENCSC_SLOW_QUERY_MS", "200"))

# Background jobs (docs/jobs.md): django-tasks with its database backend, run by `manage.py worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker reports in this often; /readyz fails when none has for OPENCSC_WORKER_STALE_SECONDS.
OPENCSC_WORKER_HEARTBEAT_SECONDS = 30
OPENCSC_WORKER_STALE_SECONDS = 300
# The nightly jobs start after this local time (Europe/London), once a date whatever the number of workers.
OPENCSC_NIGHTLY_AT = "02:00"
# A failed attempt is tried again after this many seconds, doubling each time, up to the job's max attempts.
OPENCSC_JOB_RETRY_SECONDS = 30
# A job's progress is written at most this often.
OPENCSC_JOB_PROGRESS_SECONDS = 1.0
# Due-list reminders (nightly): items due within this many working days count as "due soon".
OPENCSC_REMINDER_WORKING_DAYS = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "opencsc.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": OPENCSC_LOG_LEVEL},
    "loggers": {
        # Django's own handlers would print a second, unformatted line; ours go through the root.
        "django": {"handlers": [], "level": OPENCSC_LOG_LEVEL, "propagate": True},
        # The development server's request lines hold query strings (a search for a child's name): off.
        # opencsc.requests logs every request without them.
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
OTP_TOTP_ISSUER = OPENCSC_AUTHORITY_NAME
