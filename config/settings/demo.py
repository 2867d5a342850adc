"""The local demo: an embedded SQLite database (in WAL mode) served on 127.0.0.1 over plain HTTP by gunicorn.

Only what plain HTTP on the loopback address needs is relaxed here; two-factor
sign-in is off so that the printed demo logins work without an authenticator app.
"""

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, database_from_environment

SECRET_KEY = "demo-only-not-secret-0c1f5b7e9a3d4c2b8e6f1a0d9c7b5e3f"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": database_from_environment(BASE_DIR / "var" / "demo.sqlite3")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Write-ahead logging: pages keep reading while a form or the worker writes (gunicorn's threads and the
    # worker each hold a connection). NORMAL is safe with WAL: a crash loses at most the last commits.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
    )
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
OPENCSC_TWO_FACTOR_REQUIRED = False
OPENCSC_DEMO = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # static files are served from the apps (finders); nothing is collected
