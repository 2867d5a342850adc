"""Test settings: production behaviour, with fast hashing and an in-memory database."""

import tempfile

from .base import *  # noqa: F401,F403
from .base import database_from_environment, with_replica

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = with_replica({"default": database_from_environment(":memory:")})  # the replica: .ci/replica_check.py
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # static files are served from the apps (finders); nothing is collected
MEDIA_ROOT = tempfile.mkdtemp(prefix="opencsc-test-media-")
OPENCSC_TWO_FACTOR_REQUIRED = False  # tests of two-factor sign-in switch it on
# Tests keep quiet: warnings and errors only, to no handler (pytest's caplog still sees every record).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "WARNING"},
    "loggers": {"django.server": {"handlers": [], "level": "CRITICAL", "propagate": False}},
}
# Every request moves the idle clock on, so two requests of a test run the same queries (production: once a
# minute; tested in accounts/tests/test_middleware_and_security.py).
OPENCSC_IDLE_CLOCK_STEP_SECONDS = 0
