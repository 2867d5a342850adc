"""/readyz: ready only when the database answers, migrations are applied, the static manifest is present
(with a manifest storage) and a worker has reported in recently; otherwise 503 naming what failed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError
from django.utils import timezone

from opencsc.jobs import readiness, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    services.heartbeat("w-ready")


def _get(client):
    response = client.get("/readyz")
    return response.status_code, response.content.decode()


def test_ready_when_every_check_passes(client, worker):
    assert _get(client) == (200, "ready")


def test_anyone_may_ask_without_signing_in(client, worker):
    response = client.get("/readyz")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("age, ready", [(10, True), (299, True), (301, False), (3600, False)])
def test_not_ready_without_a_recent_worker(age, ready, client, settings):
    settings.OPENCSC_WORKER_STALE_SECONDS = 300
    services.heartbeat("w-old", now=timezone.now() - dt.timedelta(seconds=age))
    status, body = _get(client)
    assert (status == 200) is ready
    if not ready:
        assert status == 503 and "worker: none has reported in for 300 seconds" in body


def test_not_ready_with_no_worker_ever(client):
    assert _get(client) == (503, "not ready\nworker: none has reported in for 300 seconds (start manage.py worker)\n")


def test_not_ready_with_migrations_not_applied(client, worker, monkeypatch):
    class Executor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            return [("jobs", "0002_new"), ("care", "0009_more")]

    monkeypatch.setattr(readiness, "MigrationExecutor", Executor)
    assert _get(client) == (503, "not ready\nmigrations: 2 not applied\n")


def test_not_ready_when_the_database_does_not_answer(client, monkeypatch):
    class Broken:
        def __enter__(self):
            raise OperationalError("could not connect to server: password authentication failed for user x")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(readiness.connection, "cursor", lambda: Broken())
    status, body = _get(client)
    assert status == 503 and body == "not ready\ndatabase: not answering\n"
    assert "password" not in body  # no detail that could help an attacker


def test_the_static_manifest_is_checked_only_for_a_manifest_storage(client, worker, settings, tmp_path):
    manifest_storage = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": manifest_storage}
    assert _get(client) == (503, "not ready\nstatic files: the manifest is missing (run collectstatic)\n")
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    settings.STORAGES = {**settings.STORAGES, "staticfiles": dict(manifest_storage)}  # a fresh storage
    assert _get(client) == (200, "ready")


def test_plain_static_storage_needs_no_manifest(client, worker, settings):
    assert "ManifestStaticFilesStorage" not in settings.STORAGES["staticfiles"]["BACKEND"]
    assert _get(client)[0] == 200


def test_every_failing_check_is_listed(client, settings, tmp_path, monkeypatch):
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    status, body = _get(client)
    assert status == 503 and body.splitlines() == [
        "not ready", "static files: the manifest is missing (run collectstatic)",
        "worker: none has reported in for 300 seconds (start manage.py worker)"]
