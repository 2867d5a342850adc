"""The read replica router (core/db_router.py): reads inside `reading_from_replica()` go to the replica, everything
else (and every write) to the primary; a replica too far behind, or unreachable, is not used; with no replica
nothing changes. The "replica" here is a SQLite copy of the test database taken during the test, so a read that
went to it sees the data as it was then (the primary has changed since): that is how the tests tell them apart."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.urls import reverse

from opencsc.accounts.models import Team, User
from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.core import db_router
from opencsc.core.db_router import (
    REPLICA,
    ReplicaRouter,
    ReplicaWriteRefused,
    reading_alias,
    reading_from_replica,
)
from opencsc.returns.models import ReturnRun
from opencsc.timescales.authority import authority_timescales

OLD, NEW = "Before the copy", "Renamed on the primary"

pytestmark = pytest.mark.django_db(transaction=True)  # the replica is a copy of committed data


def test_every_use_of_the_replica_is_documented():
    root = Path(django_settings.BASE_DIR)
    documented = (root / "docs" / "scaling.md").read_text()
    users = {path.relative_to(root).as_posix() for path in (root / "opencsc").rglob("*.py")
             if "reading_from_replica()" in path.read_text() and "tests" not in path.parts
             and path.name != "db_router.py"}
    assert len(users) >= 5
    assert {u for u in users if f"`{u}`" not in documented} == set(), "list them in docs/scaling.md"


def test_without_a_replica_nothing_changes():
    router = ReplicaRouter()
    assert not db_router.replica_configured()
    with reading_from_replica():
        assert router.db_for_read(Team) is None and router.db_for_write(Team) is None
        assert reading_alias() == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "accounts") is None


class Statements:
    """Every statement each connection runs, by alias."""

    def __init__(self):
        self.by_alias: dict[str, list[str]] = {DEFAULT_DB_ALIAS: [], REPLICA: []}

    def recorder(self, alias):
        def record(execute, sql, params, many, context):
            self.by_alias[alias].append(sql)
            return execute(sql, params, many, context)
        return record

    def writes(self, alias) -> list[str]:
        return [s for s in self.by_alias[alias] if not s.lstrip().upper().startswith(("SELECT", "SAVEPOINT",
                                                                                    "RELEASE", "ROLLBACK"))]


@pytest.fixture
def replica(tmp_path, settings):
    """A replica: a copy of the test database as it is when the test asks for it, under the alias "replica"."""
    if connection.vendor != "sqlite":
        pytest.skip("the tests' replica is a SQLite copy (CI proves a real PostgreSQL streaming replica: "
                    ".ci/replica_check.py)")
    settings.OPENCSC_REPLICA_CHECK_SECONDS = 0
    path = tmp_path / "replica.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    connections.settings[REPLICA] = {**connections.settings[DEFAULT_DB_ALIAS], "NAME": str(path)}
    connections[REPLICA].connect()  # connected here: the test case allows only the aliases it knew of to connect
    db_router.forget_health()
    statements = Statements()
    with connection.execute_wrapper(statements.recorder(DEFAULT_DB_ALIAS)), \
            connections[REPLICA].execute_wrapper(statements.recorder(REPLICA)):
        yield statements
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]
    db_router.forget_health()


@pytest.fixture
def team():
    return TeamFactory(name=OLD)


def _rename(team):
    Team.objects.filter(pk=team.pk).update(name=NEW)




def test_reads_in_the_context_go_to_the_replica_and_outside_it_to_the_primary(team, replica):
    _rename(team)

    with reading_from_replica():
        assert reading_alias() == REPLICA
        assert Team.objects.get(pk=team.pk).name == OLD
    assert Team.objects.get(pk=team.pk).name == NEW
    assert reading_alias() == DEFAULT_DB_ALIAS
    assert replica.by_alias[REPLICA] and not replica.writes(REPLICA)


def test_writes_in_the_context_go_to_the_primary_never_the_replica(team, replica):
    with reading_from_replica():
        Team.objects.create(name="Made inside the context")
        Team.objects.filter(pk=team.pk).update(name=NEW)
        fetched = Team.objects.get(pk=team.pk)  # from the replica...
        fetched.name = "Saved inside the context"
        fetched.save()  # ...saved to the primary

    assert Team.objects.filter(name="Made inside the context").exists()
    assert Team.objects.get(pk=team.pk).name == "Saved inside the context"
    assert not Team.objects.using(REPLICA).filter(name="Made inside the context").exists()
    assert replica.writes(DEFAULT_DB_ALIAS) and not replica.writes(REPLICA)


@pytest.mark.parametrize(("sql", "read"), [
    ('(SELECT "a" FROM "t") UNION ALL (SELECT "b" FROM "u")', True),
    ('  ((SELECT "a" FROM "t") UNION (SELECT "b" FROM "u"))', True),
    ('(SELECT "a" FROM "t" FOR UPDATE) UNION ALL (SELECT "b" FROM "u")', False),
    ('(DELETE FROM "t" RETURNING "a")', False),
    ('(SELECT "a" FROM "t") UNION ALL (SELECT "b" FROM "u"); DROP TABLE "t"', False),
    ('SELECT "updated_at" FROM "t"', True),
    ('UPDATE "t" SET "a" = 1', False),
])
def test_the_replica_guard_knows_a_compound_read_from_a_write(sql, read):
    assert db_router._is_read(sql) is read


def test_a_union_is_read_from_the_replica(replica):
    """A due list's calendar and local settings are one UNION query: PostgreSQL writes it in parentheses."""
    with reading_from_replica():
        calendar, settings = authority_timescales()
    assert settings == {} and not replica.writes(REPLICA)


def test_the_replica_refuses_a_write_sent_to_it_by_name(team, replica):
    with pytest.raises(ReplicaWriteRefused):
        Team.objects.using(REPLICA).filter(pk=team.pk).update(name=NEW)
    with pytest.raises(ReplicaWriteRefused):
        Team.objects.using(REPLICA).create(name="Never")
    assert Team.objects.using(REPLICA).get(pk=team.pk).name == OLD


def test_reads_in_a_transaction_begun_inside_the_context_go_to_the_primary(team, replica):
    _rename(team)
    with reading_from_replica():
        with transaction.atomic():  # a writer reads what it is about to change from the primary
            assert Team.objects.get(pk=team.pk).name == NEW
        assert Team.objects.get(pk=team.pk).name == OLD


def test_an_object_from_the_primary_reads_its_relations_from_the_primary(replica):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    Team.objects.filter(pk=worker.team_id).update(name=NEW)  # after the copy: the replica has no such team
    worker = User.objects.get(pk=worker.pk)
    with reading_from_replica():
        assert worker.team.name == NEW


def test_a_replica_too_far_behind_is_not_used_and_that_is_logged(team, replica, settings, monkeypatch, caplog):
    settings.OPENCSC_REPLICA_MAX_LAG_SECONDS = 30
    _rename(team)
    monkeypatch.setattr(db_router, "replica_lag", lambda: 45.0)
    with caplog.at_level(logging.WARNING, logger="opencsc.replica"), reading_from_replica():
        assert Team.objects.get(pk=team.pk).name == NEW
    assert "45.0 s behind (tolerance 30" in caplog.text

    monkeypatch.setattr(db_router, "replica_lag", lambda: 12.0)
    with reading_from_replica():
        assert Team.objects.get(pk=team.pk).name == OLD


def test_an_unreachable_replica_is_not_used(team, replica, monkeypatch, caplog):
    _rename(team)

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(db_router, "replica_lag", unreachable)
    with caplog.at_level(logging.WARNING, logger="opencsc.replica"), reading_from_replica():
        assert Team.objects.get(pk=team.pk).name == NEW
    assert "unreachable: OperationalError: connection refused" in caplog.text


def test_the_lag_is_checked_at_most_every_few_seconds(team, replica, settings, monkeypatch):
    settings.OPENCSC_REPLICA_CHECK_SECONDS = 60
    checks = []
    monkeypatch.setattr(db_router, "replica_lag", lambda: checks.append(1) or 0.0)
    for _ in range(5):
        with reading_from_replica():
            Team.objects.count()
    assert len(checks) == 1


# --- The pages and services that send their reads to the replica ---------------------------------------


@pytest.fixture
def analyst(team):
    return UserFactory(role=Role.PERFORMANCE_ANALYST)  # in a team of its own: the page names it (from the primary)


@pytest.mark.parametrize("page", ["timescales:overdue", "workforce:many_workers", "performance:scorecard"])
def test_authority_wide_pages_read_from_the_replica(page, analyst, team, replica, client):
    client.force_login(analyst)
    _rename(team)
    replica.by_alias[REPLICA].clear()

    response = client.get(reverse(page))

    assert response.status_code == 200
    assert replica.by_alias[REPLICA], "the page read nothing from the replica"
    assert not replica.writes(REPLICA)
    if page != "workforce:many_workers":  # the team filters list the teams: as the replica has them
        assert OLD in response.text and NEW not in response.text


def test_a_return_is_built_from_the_replica_and_stored_on_the_primary(analyst, replica):
    from opencsc.returns import services

    replica.by_alias[REPLICA].clear()
    run = services.return_run(kind="cin", year=services.latest_year(), by=analyst)

    assert ReturnRun.objects.get(pk=run.pk).status == ReturnRun.Status.SUCCEEDED
    assert not ReturnRun.objects.using(REPLICA).exists()
    assert len(replica.by_alias[REPLICA]) > 5, "the build read nothing from the replica"
    assert not replica.writes(REPLICA)
    assert any("INSERT" in s.upper() and "returns_returnrun" in s for s in replica.writes(DEFAULT_DB_ALIAS))


def test_a_scorecard_snapshot_measures_on_the_replica_and_stores_on_the_primary(analyst, replica):
    from opencsc.performance import services
    from opencsc.performance.models import Snapshot

    replica.by_alias[REPLICA].clear()
    services.snapshot_take(as_at=dt.date(2026, 11, 23), taken_by=analyst)

    assert Snapshot.objects.filter(as_at=dt.date(2026, 11, 23)).exists()
    assert not Snapshot.objects.using(REPLICA).exists()
    assert len(replica.by_alias[REPLICA]) > 5 and not replica.writes(REPLICA)
