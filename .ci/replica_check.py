"""CI: the heavy reads go to a real PostgreSQL streaming replica, and no write ever does.

Run by .ci/run's "read replica on PostgreSQL" stage against a migrated primary holding a small synthetic
authority and a streaming replica of it (pg_basebackup -R), with OPENCSC_DATABASE=postgres, PG* naming the
primary and OPENCSC_REPLICA_URL the replica. Every statement is recorded by connection; each piece of heavy work
must read from the replica and send it nothing but reads; its writes must reach the primary; a replica
behind by more than the tolerance, or unreachable, must not be read from. Exits non-zero on any failure.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import DEFAULT_DB_ALIAS, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from opencsc.accounts.models import Team, User  # noqa: E402
from opencsc.accounts.roles import Role  # noqa: E402
from opencsc.core import db_router  # noqa: E402
from opencsc.core.db_router import REPLICA, reading_alias, reading_from_replica  # noqa: E402
from opencsc.performance.services import snapshot_take  # noqa: E402
from opencsc.returns.models import ReturnRun  # noqa: E402
from opencsc.returns.services import latest_year, return_run  # noqa: E402

READS = ("SELECT", "SHOW", "SET", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
failures: list[str] = []
statements: dict[str, list[str]] = {DEFAULT_DB_ALIAS: [], REPLICA: []}


def recorder(alias):
    def record(execute, sql, params, many, context):
        statements[alias].append(sql)
        return execute(sql, params, many, context)
    return record


def writes(alias) -> list[str]:
    """The statements that are not reads (a compound query, a UNION PostgreSQL writes in parentheses, is read
    by its first statement)."""
    return [s for s in statements[alias] if not s.lstrip(" \t\n(").upper().startswith(READS)]


def check(condition, message):
    print(("   ok    " if condition else "   FAIL  ") + message)
    if not condition:
        failures.append(message)


def one(sql, alias):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def caught_up(timeout=20.0):
    """Wait until the replica has replayed everything the primary has written so far. The insert position,
    not the write position: the primary commits asynchronously (synchronous_commit=off), so a commit just
    made may still be in its WAL buffers, behind pg_current_wal_lsn()."""
    target = one("SELECT pg_current_wal_insert_lsn()::text", DEFAULT_DB_ALIAS)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if one(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", REPLICA):
            return
        time.sleep(0.1)
    raise SystemExit("The replica did not catch up with the primary in 20 s")


def main() -> int:
    settings.OPENCSC_REPLICA_CHECK_SECONDS = 0  # check the lag at every use here
    check(one("SELECT pg_is_in_recovery()", REPLICA) is True, "the replica is a standby (pg_is_in_recovery)")
    check(one("SELECT pg_is_in_recovery()", DEFAULT_DB_ALIAS) is False, "the primary is not")
    analyst = User.objects.filter(role=Role.PERFORMANCE_ANALYST, is_active=True).order_by("pk").first()
    if analyst is None:
        raise SystemExit("The synthetic authority has no performance analyst")
    client = Client()
    client.force_login(analyst)
    caught_up()

    def page(name, **query):
        def get():
            response = client.get(reverse(name), query)
            if response.status_code != 200:
                raise AssertionError(f"{name} answered {response.status_code}")
            return response
        return get

    work = [
        ("scorecard snapshot", lambda: snapshot_take(as_at=timezone.localdate(), taken_by=analyst)),
        ("scorecard page", page("performance:scorecard")),
        ("scorecard export (xlsx)", page("performance:export_xlsx")),
        ("overdue timescales, authority-wide", page("timescales:overdue")),
        ("children with many workers", page("workforce:many_workers")),
        ("CIN census build", lambda: return_run(kind="cin", year=latest_year(), by=analyst)),
        ("Annex A build", lambda: return_run(kind="annexa", by=analyst)),
    ]
    with connections[DEFAULT_DB_ALIAS].execute_wrapper(recorder(DEFAULT_DB_ALIAS)), \
            connections[REPLICA].execute_wrapper(recorder(REPLICA)):
        for name, run in work:
            caught_up()
            for kept in statements.values():
                kept.clear()
            started = time.perf_counter()
            run()
            took = time.perf_counter() - started
            reads = len(statements[REPLICA])
            print(f"   {name}: {reads} reads on the replica; {len(statements[DEFAULT_DB_ALIAS])} statements "
                  f"({len(writes(DEFAULT_DB_ALIAS))} writes) on the primary; {took:.2f} s")
            check(reads > 0, f"{name}: read from the replica")
            check(not writes(REPLICA), f"{name}: no write sent to the replica {writes(REPLICA)[:1]}")
        check(ReturnRun.objects.filter(status=ReturnRun.Status.SUCCEEDED).count() >= 2,
              "the returns were stored on the primary")

        # A write made inside the context goes to the primary, and reaches the replica by replication only.
        team = Team.objects.order_by("pk").first()
        for kept in statements.values():
            kept.clear()
        with reading_from_replica():
            check(reading_alias() == REPLICA, "inside the context, reads go to the replica")
            Team.objects.filter(pk=team.pk).update(name="Renamed by the replica check")
        check(any("UPDATE" in s for s in writes(DEFAULT_DB_ALIAS)), "a write inside the context went to the primary")
        check(not writes(REPLICA), "and not to the replica")
        caught_up()
        deadline = time.monotonic() + 10
        while (Team.objects.using(REPLICA).get(pk=team.pk).name != "Renamed by the replica check"
               and time.monotonic() < deadline):
            time.sleep(0.1)
        check(Team.objects.using(REPLICA).get(pk=team.pk).name == "Renamed by the replica check",
              "the replica has it by streaming replication")

        # Lag over the tolerance: replay paused on the replica, a write on the primary, a moment's wait.
        settings.OPENCSC_REPLICA_MAX_LAG_SECONDS = 1
        one("SELECT pg_wal_replay_pause()::text", REPLICA)
        Team.objects.filter(pk=team.pk).update(name="Written while the replica is paused")
        time.sleep(2.5)
        with reading_from_replica():
            check(reading_alias() == DEFAULT_DB_ALIAS,
                  f"a replica {db_router.replica_health().lag or 0:.1f} s behind (tolerance 1 s) is not read from")
            check(Team.objects.get(pk=team.pk).name == "Written while the replica is paused",
                  "the reads went to the primary")
        one("SELECT pg_wal_replay_resume()::text", REPLICA)
        caught_up()
        with reading_from_replica():
            check(reading_alias() == REPLICA, "once caught up, the replica is read from again")

        # Unreachable: nothing listens where the replica was.
        connections[REPLICA].close()
        connections[REPLICA].settings_dict["PORT"] = "1"
        with reading_from_replica():
            check(reading_alias() == DEFAULT_DB_ALIAS, "an unreachable replica is not read from")
            check(Team.objects.filter(pk=team.pk).exists(), "and the reads go to the primary")
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("The heavy reads went to the replica; no write did.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
