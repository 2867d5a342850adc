"""Issue 15: what the hash-chained audit log costs (core/chain.py).

On an empty database of its own (SQLite, or PostgreSQL with OPENCSC_DATABASE=postgres):
- one audit event per transaction, written through the chain, against a plain insert of the same row;
- 8 threads writing at once, as 8 people and as one person, with the transaction held open for 0 ms and
  for 20 ms of other work after the event (a strand's lock is held until the transaction ends, so one
  person's writes queue; different people's do not);
- `manage.py audit verify`'s walk of the chain, in rows per second.
Run alone with: python -m bench log_chain
"""

from __future__ import annotations

import os
import threading
import time

from bench import common

COMMAND = "python -m bench log_chain"
SEQUENTIAL = 1000
THREADS = 8
PER_THREAD = 60
VERIFY_ROWS = 50_000


def _sequential(write) -> dict:
    ms = []
    for _ in range(SEQUENTIAL):
        started = time.perf_counter()
        write()
        ms.append((time.perf_counter() - started) * 1000)
    return common.summary(ms)


def _concurrent(hold_ms: float, actors: list) -> dict:
    from django.db import connection, transaction

    from opencsc.core.audit import audit
    from opencsc.core.models import AuditEvent

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(actor):
        try:
            for _ in range(PER_THREAD):
                started = time.perf_counter()
                with transaction.atomic():
                    audit(actor=actor, action=AuditEvent.Action.OTHER, summary="bench")
                    time.sleep(hold_ms / 1000)
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
        except Exception as error:  # noqa: BLE001 - reported in the figures
            errors.append(repr(error)[:120])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(actors[n % len(actors)],)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {**common.summary(latencies), "per_second": round(len(latencies) / seconds, 1), "errors": len(errors),
            "first_error": errors[0] if errors else ""}


def run() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from opencsc.core import chain
    from opencsc.core.audit import audit
    from opencsc.core.models import AuditEvent

    settings.DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False
    if connection.vendor == "sqlite":  # a file, so that the threads share it as the web processes would
        settings.DATABASES["default"]["TEST"]["NAME"] = str(common.bench_dir() / "log_chain.sqlite3")
    def fresh_database(old=None):
        if old is not None:
            connection.creation.destroy_test_db(old, verbosity=0)
        return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    old_name = fresh_database()
    try:
        plain = _sequential(lambda: AuditEvent.objects.create(action=AuditEvent.Action.OTHER, summary="bench"))
        old_name = fresh_database(old_name)  # those rows are outside the chain (and append-only on PostgreSQL)
        chained = _sequential(lambda: audit(actor=None, action=AuditEvent.Action.OTHER, summary="bench"))
        from opencsc.accounts.models import User

        people = [User.objects.create(username=f"bench{n}") for n in range(THREADS)]
        concurrent = {(who, hold): _concurrent(hold, people if who == "8 people" else people[:1])
                      for who in ("8 people", "1 person") for hold in (0, 20)}
        while AuditEvent.objects.count() < VERIFY_ROWS:  # enough rows for the walk to be measured
            chain.append(AuditEvent, [AuditEvent(action=AuditEvent.Action.OTHER, summary="bench")
                                      for _ in range(1000)])
        started = time.perf_counter()
        verified = chain.verify(AuditEvent)
        verify_seconds = time.perf_counter() - started
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    database = connection.vendor
    common.table(
        f"Audit log hash chain ({database}): one event per transaction",
        ("write", "median ms", "p95 ms", "runs"),
        [("through the chain (lock, last hash, insert)", chained["median_ms"], chained["p95_ms"], chained["runs"]),
         ("plain insert (no chain)", plain["median_ms"], plain["p95_ms"], plain["runs"])],
    )
    common.table(
        f"{THREADS} threads writing at once, {PER_THREAD} events each",
        ("writers", "transaction held after the event", "events/s", "median ms", "p95 ms", "errors"),
        [(who, f"{hold} ms", c["per_second"], c["median_ms"], c["p95_ms"], c["errors"] or "0")
         for (who, hold), c in concurrent.items()],
    )
    print(f"\n  audit verify: {verified.rows:,} rows in {verify_seconds:.2f} s "
          f"({verified.rows / max(verify_seconds, 1e-9):,.0f} rows/s), chain {'unbroken' if verified.ok else 'BROKEN'}")
    return {"log_chain": {"command": COMMAND, "database": database, "chained": chained, "plain": plain,
                          "concurrent": {f"{who}, {hold} ms": v for (who, hold), v in concurrent.items()},
                          "verify_rows_per_second": round(verified.rows / max(verify_seconds, 1e-9)),
                          "verify_ok": verified.ok}}
