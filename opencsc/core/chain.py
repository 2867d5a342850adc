"""Tamper-evident logs: the audit log and the access log are hash chains.

Each row carries `row_hash`, an HMAC-SHA256 over the row's own content and the hash of the row before
it in its strand: the rows of one person (the audit log's actor, the access log's user; the system's
own rows are one more strand). Changing, removing, moving or inserting a row breaks its strand from that
row on, and `manage.py audit verify` reports the first broken row. One strand per person means that
two people's requests never wait for each other to write to a log; one person's do. The key (OPENCSC_LOG_CHAIN_KEY, by default
the SECRET_KEY) is not in the database, so someone who can only write to the database cannot forge a
new chain over their change. On PostgreSQL a trigger also refuses UPDATE and DELETE on these tables
(`install_append_only_triggers`, run after every migrate).

Rows are written only through `append` (a test checks no other code creates them): it takes a lock
that serialises writers of one strand until their transaction ends (a PostgreSQL advisory lock; SQLite
has one writer at a time anyway), reads the strand's last hash and inserts the new rows with theirs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections, models, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

HASH_FIELD = "row_hash"
GENESIS = "0" * 64  # the "previous hash" of a table's first row

# The chained models, registered by their apps (core's AuditEvent, accounts' AccessLog).
CHAINED: list[type[models.Model]] = []
# The columns each chain covers, by model label: named once, so that a column added later does not
# change the hash of rows written before it (add it here only with a migration that re-chains).
COVERED: dict[str, tuple[str, ...]] = {}
# The column whose value names a row's strand (the person who acted), by model label.
STRAND: dict[str, str] = {}


def chained(*fields: str, strand: str):
    """Class decorator: rows of this model form hash chains over `fields` (attnames), one per value of the
    `strand` column (which must be one of them), and are append-only."""
    if strand not in fields:
        raise ValueError("The strand column must be covered by the hash")

    def register(model: type[models.Model]) -> type[models.Model]:
        if model not in CHAINED:
            CHAINED.append(model)
        COVERED[model._meta.label] = tuple(fields)
        STRAND[model._meta.label] = strand
        return model

    return register


def strand_of(row: models.Model):
    return getattr(row, STRAND[row._meta.label])


def _key() -> bytes:
    return (settings.OPENCSC_LOG_CHAIN_KEY or settings.SECRET_KEY).encode()


def _covered(instance) -> tuple[str, ...]:
    return COVERED[instance._meta.label]


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def content_of(instance: models.Model) -> str:
    """The row's content as the hash covers it: the columns its model names, in one canonical form."""
    values = {name: _plain(getattr(instance, name)) for name in _covered(instance)}
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)


def row_hash(previous: str, instance: models.Model) -> str:
    message = f"{type(instance)._meta.db_table}\n{previous}\n{content_of(instance)}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def _lock(model, strand) -> None:
    """Serialise writers of this strand until the end of the transaction (PostgreSQL)."""
    if connection.vendor == "postgresql":
        digest = hashlib.blake2b(f"{model._meta.db_table}:{strand}".encode(), digest_size=8).digest()
        key = int.from_bytes(digest, "big", signed=True)  # one 64-bit advisory lock key per strand
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s::bigint)", [key])


def _last_hash(model, strand) -> str:
    last = (model._default_manager.filter(**{STRAND[model._meta.label]: strand}).order_by("-pk")
            .values_list(HASH_FIELD, flat=True).first())
    return last or GENESIS


def append(model: type[models.Model], rows: Iterable[models.Model]) -> list[models.Model]:
    """Insert unsaved `rows` of a chained model at the end of their strands' chains, in one statement."""
    rows = list(rows)
    if not rows:
        return rows
    if model not in CHAINED:
        raise TypeError(f"{model._meta.label} is not a chained log")
    now = timezone.now()
    strands: dict = {}
    for row in rows:
        strands.setdefault(strand_of(row), []).append(row)
    with transaction.atomic():
        # strands locked in one order, so that two writers of the same strands cannot deadlock
        for strand in sorted(strands, key=lambda value: (value is not None, value)):
            _lock(model, strand)
            previous = _last_hash(model, strand)
            for row in strands[strand]:
                if getattr(row, "at", None) is None:
                    row.at = now
                previous = row_hash(previous, row)
                setattr(row, HASH_FIELD, previous)
        if len(rows) == 1:
            rows[0].save(force_insert=True)
        else:
            model._default_manager.bulk_create(rows)
    return rows


@dataclass(frozen=True)
class Verification:
    label: str
    rows: int
    head: str  # a digest of every strand's last hash: record it elsewhere to detect removal of rows at the end
    broken_at: int | None = None  # id of the first row whose hash does not follow
    broken_when: dt.datetime | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _head(last: dict) -> str:
    """One digest of every strand's last hash (the strands in a fixed order)."""
    lines = "\n".join(f"{strand}:{last[strand]}" for strand in sorted(last, key=lambda v: (v is not None, str(v))))
    return hashlib.sha256(lines.encode()).hexdigest() if last else GENESIS


def verify(model: type[models.Model], *, chunk_size: int = 2000) -> Verification:
    """Walk the rows in id order, each strand's chain at once; report the first row whose stored hash is not
    the one it should be."""
    last: dict = {}
    count = 0
    for row in model._default_manager.order_by("pk").iterator(chunk_size=chunk_size):
        count += 1
        strand = strand_of(row)
        expected = row_hash(last.get(strand, GENESIS), row)
        stored = getattr(row, HASH_FIELD)
        if not hmac.compare_digest(expected, stored or ""):
            reason = ("the row was changed, or a row before it in its strand was removed or inserted" if stored
                      else "the row has no hash (written outside the log's one writer)")
            return Verification(model._meta.label, count, _head(last), row.pk, getattr(row, "at", None), reason)
        last[strand] = stored
    return Verification(model._meta.label, count, _head(last))


def chain_existing_rows(model, child_model) -> int:
    """A migration's one-off step: the children's LA child IDs and the chain over rows written before it.

    On PostgreSQL the append-only trigger, if there already is one, is switched off for this step only.
    """
    with _trigger_off(model):
        model._default_manager.filter(child__isnull=False).update(child_identifier=Coalesce(Subquery(
            child_model._default_manager.filter(pk=OuterRef("child_id")).values("la_child_id")[:1]
        ), Value("")))
        last: dict = {}
        count = 0
        for row in model._default_manager.order_by("pk").iterator(chunk_size=2000):
            strand = getattr(row, STRAND[model._meta.label])
            last[strand] = row_hash(last.get(strand, GENESIS), row)
            model._default_manager.filter(pk=row.pk).update(**{HASH_FIELD: last[strand]})
            count += 1
    return count


@contextmanager
def _trigger_off(model):
    table = model._meta.db_table
    name = f"{table}_append_only"
    present = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [name])
            present = cursor.fetchone() is not None
            if present:  # deferred checks of this transaction's own writes first (ALTER TABLE needs none pending)
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
    try:
        yield
    finally:
        if present:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- Append-only on PostgreSQL -------------------------------------------------------------------

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION opencsc_refuse_log_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'OpenCSC: % is append-only; % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""


def install_append_only_triggers(*, using: str = "default", **_) -> list[str]:
    """Create (or re-create) the trigger refusing UPDATE and DELETE on every chained table (PostgreSQL only)."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return []
    tables = []
    with conn.cursor() as cursor:
        cursor.execute(TRIGGER_FUNCTION)
        for model in CHAINED:
            table = model._meta.db_table
            name = f"{table}_append_only"
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            cursor.execute(
                f'CREATE TRIGGER "{name}" BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION opencsc_refuse_log_change()"
            )
            tables.append(table)
    return tables
