"""/readyz's checks: each returns "" when it passes, or what failed in plain words (never a secret)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from . import services


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return "database: not answering"
    return ""


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return "migrations: could not be checked"
    return f"migrations: {len(plan)} not applied" if plan else ""


def _static_manifest() -> str:
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return ""
    try:
        present = storage.manifest_storage.exists(storage.manifest_name)
    except Exception:
        present = False
    return "" if present else "static files: the manifest is missing (run collectstatic)"


def _worker() -> str:
    if not services.live_workers().exists():
        return (f"worker: none has reported in for {settings.OPENCSC_WORKER_STALE_SECONDS} seconds "
                "(start manage.py worker)")
    return ""


def failures() -> list[str]:
    """What stops this process serving: the database first (nothing else can be checked without it), then
    unapplied migrations, the static manifest and a worker that has reported in recently."""
    database = _database()
    if database:
        return [database]
    return [f for f in (_migrations(), _static_manifest(), _worker()) if f]
