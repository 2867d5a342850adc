"""Heavy read-only work on a streaming replica, everything else on the primary (docs/scaling.md).

With `OPENCSC_REPLICA_URL` set, settings add a second database alias, "replica". Every query goes to
"default" (the primary) except the reads made inside `reading_from_replica()`:

    with reading_from_replica():          # or @reading_from_replica() on a view or function
        lines = selectors.scorecard(scope, snapshot)

Inside it, still on the primary:
- every write (the router never names the replica for a write, and the replica's connection refuses any
  statement that is not a read, should something name it with `.using()`);
- reads inside a transaction opened within the context (a service's `transaction.atomic()`, the log chain's
  append), so that a writer reads what it is about to change, and its own writes, from the primary;
- reads of an object's relations when the object came from the primary (what it was saved to).

When the replica is behind the primary by more than OPENCSC_REPLICA_MAX_LAG_SECONDS, or cannot be reached,
the context reads from the primary instead (checked at most every OPENCSC_REPLICA_CHECK_SECONDS per process,
and logged when it changes). With no replica configured the context does nothing and the router has no opinion.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.signals import connection_created

logger = logging.getLogger("opencsc.replica")

REPLICA = "replica"


@dataclass(frozen=True)
class _Reading:
    alias: str  # where this context's reads go: the replica, or the primary when it was not usable
    depth: int  # how many atomic blocks were open on the primary when the context began


_reading: ContextVar[_Reading | None] = ContextVar("opencsc_reading_from_replica", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _depth() -> int:
    return len(connections[DEFAULT_DB_ALIAS].atomic_blocks)


@contextmanager
def reading_from_replica():
    """Send the reads made inside this block to the replica (when there is one, it is reachable and not too far
    behind). Writes still go to the primary. Nested blocks keep the outer block's choice."""
    if _reading.get() is not None or not replica_configured():
        yield
        return
    alias = REPLICA if replica_usable() else DEFAULT_DB_ALIAS
    token = _reading.set(_Reading(alias=alias, depth=_depth()))
    try:
        yield
    finally:
        _reading.reset(token)


def reading_alias() -> str:
    """Where a read made now would go (for logs and tests)."""
    return ReplicaRouter().db_for_read(None) or DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        state = _reading.get()
        if state is None or state.alias == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        if instance is not None and getattr(instance._state, "db", None) == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS
        if _depth() > state.depth:  # a transaction opened inside the context: a writer's reads
            return DEFAULT_DB_ALIAS
        return state.alias

    def db_for_write(self, model, **hints):
        if not replica_configured():
            return None
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        if not replica_configured():
            return None
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True  # the replica is a copy of the primary: the same rows
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == REPLICA:
            return False  # the replica follows the primary's schema through replication
        return None


# --- Replica health: lag and reachability, cached per process --------------------------------------

_LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


@dataclass
class Health:
    usable: bool = False
    lag: float | None = None  # seconds behind the primary when last checked
    reason: str = ""
    checked: float = float("-inf")  # time.monotonic() of the last check


_health = Health()
_health_lock = threading.Lock()


def replica_lag() -> float:
    """Seconds the replica is behind the primary (0 when it has replayed all it has received). Raises
    DatabaseError when it cannot be reached."""
    connection = connections[REPLICA]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_LAG_SQL)
            return float(cursor.fetchone()[0] or 0)
        cursor.execute("SELECT 1")  # other databases (the tests' SQLite copy) have no lag to measure
        return 0.0


def replica_health(*, force: bool = False) -> Health:
    """The replica's health, checked again when the last check is older than OPENCSC_REPLICA_CHECK_SECONDS."""
    global _health
    now = time.monotonic()
    if not force and now - _health.checked < settings.OPENCSC_REPLICA_CHECK_SECONDS:
        return _health
    with _health_lock:
        if not force and now - _health.checked < settings.OPENCSC_REPLICA_CHECK_SECONDS:
            return _health
        limit = settings.OPENCSC_REPLICA_MAX_LAG_SECONDS
        try:
            lag = replica_lag()
        except DatabaseError as error:
            connections[REPLICA].close()  # reconnect at the next check
            health = Health(False, None, f"unreachable: {type(error).__name__}: {str(error).strip()[:200]}", now)
        else:
            usable = lag <= limit
            health = Health(usable, lag, "" if usable else f"{lag:.1f} s behind (tolerance {limit} s)", now)
        if health.usable != _health.usable or _health.checked == float("-inf"):
            if health.usable:
                logger.info("Read replica in use (%.1f s behind)", health.lag or 0)
            else:
                logger.warning("Read replica not used, reads go to the primary: %s", health.reason)
        _health = health
        return health


def replica_usable() -> bool:
    return replica_health().usable


def forget_health() -> None:
    """Check again at the next use (tests; after changing the replica)."""
    global _health
    with _health_lock:
        _health = Health()


# --- The replica's connection refuses writes -------------------------------------------------------

_READ = re.compile(r"^\s*(SELECT|SHOW|EXPLAIN|SET|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)\b", re.I)
_WRITE_WORD = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|TRUNCATE|COPY|GRANT|REVOKE)\b", re.I)


class ReplicaWriteRefused(DatabaseError):
    """A statement that is not a read was sent to the replica: a bug, refused before it is sent."""


def _is_read(sql: str) -> bool:
    if sql.lstrip().startswith("("):  # a compound query: PostgreSQL's UNION of parenthesised SELECTs
        inner = sql.lstrip(" \t\n(")
        return (inner[:6].upper() == "SELECT" and not _WRITE_WORD.search(sql)
                and not re.search(r"\bFOR\s+(UPDATE|SHARE)\b", sql, re.I))
    if _READ.match(sql):
        return not (sql.lstrip()[:6].upper() == "SELECT" and re.search(r"\bFOR\s+(UPDATE|SHARE)\b", sql, re.I))
    if sql.lstrip()[:4].upper() == "WITH":
        return not _WRITE_WORD.search(sql)
    return False


def refuse_writes(execute, sql, params, many, context):
    if not _is_read(sql):
        logger.error("A write was sent to the read replica and refused: %s", sql[:200])
        raise ReplicaWriteRefused(f"The read replica takes reads only; refused: {sql[:80]}")
    return execute(sql, params, many, context)


def _guard(sender, connection, **kwargs):
    if connection.alias == REPLICA and refuse_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(refuse_writes)


connection_created.connect(_guard, dispatch_uid="opencsc-replica-refuses-writes")
