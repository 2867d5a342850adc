"""Production settings: everything secure, everything from the environment (docs/settings.md).

Required: OPENCSC_SECRET_KEY, OPENCSC_ALLOWED_HOSTS and a database (DATABASE_URL, or OPENCSC_DATABASE=postgres
with the PG* variables). deploy/opencsc.env.example is a complete example; a test runs
`manage.py check --deploy` with it and expects no warning.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, database_from_environment, database_from_url

SECRET_KEY = os.environ.get("OPENCSC_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "OPENCSC_SECRET_KEY is not set. config.settings.production (manage.py's default) needs it: set it in the "
        "environment (see deploy/opencsc.env.example and docs/settings.md), or run the demo with "
        "DJANGO_SETTINGS_MODULE=config.settings.demo (make demo)."
    )
if SECRET_KEY.startswith("REPLACE-ME"):
    raise ImproperlyConfigured("OPENCSC_SECRET_KEY is the example file's placeholder: replace it with 50 or more random "
                               'characters (python3 -c "import secrets; print(secrets.token_urlsafe(50))").')
if not os.environ.get("DATABASE_URL") and os.environ.get("OPENCSC_DATABASE") != "postgres":
    raise ImproperlyConfigured(
        "No database is configured: set DATABASE_URL (postgres://user:password@host:5432/opencsc, or "
        "sqlite:////var/lib/opencsc/opencsc.sqlite3), or OPENCSC_DATABASE=postgres with PGHOST, PGPORT, PGUSER, "
        "PGPASSWORD and PGDATABASE (docs/settings.md)."
    )
DATABASES = {
    "default": database_from_environment(BASE_DIR / "var" / "opencsc.sqlite3", url=os.environ.get("DATABASE_URL", ""))
}
# An optional read replica (PostgreSQL streaming replication) for the heavy read-only work; the router that
# sends work to it is in DATABASE_ROUTERS (docs/deploy.md).
if os.environ.get("OPENCSC_REPLICA_URL"):
    DATABASES["replica"] = {**database_from_url(os.environ["OPENCSC_REPLICA_URL"]), "TEST": {"MIRROR": "default"}}

# HSTS preload is the council's decision for its whole domain (OPENCSC_HSTS_PRELOAD=1 adds it); until then
# `check --deploy`'s reminder about it is silenced here, on purpose.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]  # noqa: F405
