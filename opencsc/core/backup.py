"""Backups of the whole database, and restoring one with proof that nothing was lost (docs/backup.md).

A backup is two files in OPENCSC_BACKUP_DIR (or where `--output` says):

- the database itself: `opencsc-<UTC time>.sqlite3`, a copy made by SQLite's online backup API (consistent
  while the service runs), or `opencsc-<UTC time>.dump`, `pg_dump --format=custom` of PostgreSQL;
- its manifest beside it, `<same name>.json`: when, which database vendor, the migrations applied, the
  file's own SHA-256, and for every table its row count and a SHA-256 over its rows in primary key order.

The manifest is computed from exactly what was copied: on SQLite from the copy itself, on PostgreSQL inside
the same snapshot that pg_dump reads (`pg_export_snapshot` and `pg_dump --snapshot`). `restore` puts the
backup back and computes the same figures over the restored database: any table, count or checksum that
differs is reported and the restore fails.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

MANIFEST_VERSION = 1
CHUNK = 2000
VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the person running it."""


# --- Checksums ----------------------------------------------------------------------------------


def _plain(value):
    """One canonical text for a column value (the same driver on both sides gives the same types)."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes | bytearray):
        return "b:" + bytes(value).hex()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def _table_figures(cursor, quote: Callable[[str], str], table: str, order: list[str]) -> dict:
    digest = hashlib.sha256()
    rows = 0
    order_by = ", ".join(quote(column) for column in order)
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order_by}")
    while batch := cursor.fetchmany(CHUNK):
        for row in batch:
            digest.update(json.dumps([_plain(v) for v in row], default=str, ensure_ascii=True).encode())
            digest.update(b"\n")
        rows += len(batch)
    return {"rows": rows, "sha256": digest.hexdigest()}


def _sqlite_order(cursor, table: str) -> list[str]:
    quoted = '"' + table.replace('"', '""') + '"'
    columns = cursor.execute(f"PRAGMA table_info({quoted})").fetchall()  # (cid, name, type, notnull, dflt, pk)
    keys = [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]]
    return keys or [c[1] for c in columns]


def sqlite_figures(path_or_uri: str) -> dict[str, dict]:
    """Row counts and checksums of every table of a SQLite database, read through a plain sqlite3 connection
    (no type conversion, so a copy and the database it came from give the same figures)."""
    uri = str(path_or_uri).startswith("file:")
    conn = sqlite3.connect(str(path_or_uri), uri=uri)
    try:
        cursor = conn.cursor()
        tables = [name for (name,) in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]

        def quote(name):
            return '"' + name.replace('"', '""') + '"'

        return {table: _table_figures(cursor, quote, table, _sqlite_order(cursor, table)) for table in tables}
    finally:
        conn.close()


def postgres_figures(using: str = "default") -> dict[str, dict]:
    """Row counts and checksums of every table in the connection's schema (inside the caller's transaction)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname")
        tables = [name for (name,) in cursor.fetchall()]
        figures = {}
        for table in tables:
            cursor.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
                [connection.ops.quote_name(table)])
            order = [name for (name,) in cursor.fetchall()]
            if not order:
                cursor.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                               "AND NOT attisdropped ORDER BY attnum", [connection.ops.quote_name(table)])
                order = [name for (name,) in cursor.fetchall()]
            figures[table] = _table_figures(cursor.cursor, connection.ops.quote_name, table, order)
    return figures


def database_figures(using: str = "default") -> dict[str, dict]:
    """Row counts and checksums of every table of the live database."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        return sqlite_figures(connection.settings_dict["NAME"])
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return postgres_figures(using)
    raise BackupError(f"Backups of a {connection.vendor} database are not supported")


def _migrations(cursor, tables: list[str]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    if "django_migrations" not in tables:  # a database made without migrations (the test run's --no-migrations)
        return applied
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def migration_state(using: str = "default", *, sqlite_path: str | None = None) -> dict:
    """The migrations applied, per app: how many and the last one (by name), with a digest of the whole list."""
    if sqlite_path is not None:
        conn = sqlite3.connect(sqlite_path, uri=str(sqlite_path).startswith("file:"))
        try:
            cursor = conn.cursor()
            tables = [name for (name,) in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            applied = _migrations(cursor, tables)
        finally:
            conn.close()
    else:
        connection = connections[using]
        with connection.cursor() as cursor:
            applied = _migrations(cursor, connection.introspection.table_names(cursor))
    lines = "\n".join(f"{app}.{name}" for app, names in sorted(applied.items()) for name in names)
    return {
        "count": sum(len(names) for names in applied.values()),
        "sha256": hashlib.sha256(lines.encode()).hexdigest(),
        "latest": {app: names[-1] for app, names in sorted(applied.items())},
    }


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# --- Backup -------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest_path: Path
    manifest: dict

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.manifest["tables"].values())


def backup_dir() -> Path:
    return Path(settings.OPENCSC_BACKUP_DIR)


def _target(output: str | Path | None, vendor: str, now: dt.datetime) -> Path:
    name = f"opencsc-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}{SUFFIX[vendor]}"
    if output is None:
        return backup_dir() / name
    output = Path(output)
    if output.is_dir() or str(output).endswith(os.sep):
        return output / name
    return output


def manifest_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def pg_environment(using: str = "default") -> dict[str, str]:
    """The environment for pg_dump and pg_restore: the connection's own settings as PG* variables."""
    config = connections[using].settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        value = config.get(key)
        if value:
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client)")
    return found


def backup(*, output: str | Path | None = None, using: str = "default") -> BackupResult:
    """Back up the whole database to a file, and write its manifest beside it. Safe while the service runs."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in VENDORS:
        raise BackupError(f"Backups of a {vendor} database are not supported")
    now = timezone.now()
    path = _target(output, vendor, now)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or manifest_path_for(path).exists():
        raise BackupError(f"{path} already exists: choose another --output")
    partial = path.with_name(path.name + ".partial")
    try:
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)  # the online backup API: one consistent copy
            finally:
                target.close()
            tables = sqlite_figures(str(partial))
            migrations = migration_state(sqlite_path=str(partial))
        else:
            tables, migrations = _pg_dump(partial, using)
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    manifest = {
        "version": MANIFEST_VERSION,
        "made_at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "vendor": vendor,
        "database": str(connection.settings_dict.get("NAME", "")),
        "file": path.name,
        "file_sha256": _file_sha256(path),
        "file_bytes": path.stat().st_size,
        "migrations": migrations,
        "tables": tables,
    }
    manifest_path = manifest_path_for(path)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return BackupResult(path=path, manifest_path=manifest_path, manifest=manifest)


def _pg_dump(path: Path, using: str) -> tuple[dict, dict]:
    """pg_dump of the snapshot that the figures are computed in, so the manifest describes the dump exactly."""
    connection = connections[using]
    pg_dump = _tool("pg_dump")
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        done = subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             f"--file={path}"],
            env=pg_environment(using), capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        return postgres_figures(using), migration_state(using)


# --- Restore ------------------------------------------------------------------------------------


@dataclass
class Comparison:
    differences: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.differences


def read_manifest(path: str | Path) -> tuple[Path, dict]:
    """The backup file and its manifest, from the path of either."""
    path = Path(path)
    if path.name.endswith(".json"):
        manifest_path, path = path, path.with_name(path.name[: -len(".json")])
    else:
        manifest_path = manifest_path_for(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}")
    if not manifest_path.is_file():
        raise BackupError(f"No manifest beside the backup ({manifest_path}): it cannot be checked, so it is not restored")
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as error:
        raise BackupError(f"The manifest {manifest_path} cannot be read: {error}") from None
    if manifest.get("version") != MANIFEST_VERSION or "tables" not in manifest:
        raise BackupError(f"The manifest {manifest_path} is not one this version of OpenCSC writes")
    return path, manifest


def check_restorable(path: Path, manifest: dict, using: str = "default") -> None:
    """Refuse a backup of another database vendor, or a file that is not the one the manifest describes."""
    vendor = connections[using].vendor
    if manifest.get("vendor") != vendor:
        theirs = VENDORS.get(manifest.get("vendor"), manifest.get("vendor"))
        raise BackupError(f"This is a backup of a {theirs} database and this installation uses "
                          f"{VENDORS.get(vendor, vendor)}: it cannot be restored here")
    if _file_sha256(path) != manifest.get("file_sha256"):
        raise BackupError(f"{path.name} is not the file its manifest describes (its SHA-256 differs): "
                          "it is damaged or was changed. Nothing was restored")


def compare(manifest: dict, figures: dict[str, dict]) -> Comparison:
    """Every difference between a manifest's tables and a database's, in plain words."""
    result = Comparison(tables=len(figures), rows=sum(t["rows"] for t in figures.values()))
    expected = manifest["tables"]
    for table in sorted(set(expected) - set(figures)):
        result.differences.append(f"table {table} is missing ({expected[table]['rows']:,} rows in the backup)")
    for table in sorted(set(figures) - set(expected)):
        result.differences.append(f"table {table} is not in the backup ({figures[table]['rows']:,} rows)")
    for table in sorted(set(expected) & set(figures)):
        want, have = expected[table], figures[table]
        if want["rows"] != have["rows"]:
            result.differences.append(f"table {table}: {have['rows']:,} rows, the backup has {want['rows']:,}")
        elif want["sha256"] != have["sha256"]:
            result.differences.append(f"table {table}: the same {have['rows']:,} rows in number but their "
                                      "contents differ (checksum)")
    return result


def restore(path: str | Path, *, using: str = "default") -> Comparison:
    """Replace the whole database with a backup, then compare it with the backup's manifest.

    Raises BackupError, changing nothing, for a missing or damaged file or another vendor's backup.
    """
    path, manifest = read_manifest(path)
    check_restorable(path, manifest, using)
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)  # the backup API again, into the live database
        finally:
            source.close()
    else:
        connection.close()  # pg_restore drops and re-creates tables: no session of ours may hold a lock
        done = subprocess.run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(path)],
            env=pg_environment(using), capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed, and the database was left as it was: {done.stderr.strip()}")
    return compare(manifest, database_figures(using))


def verify(path: str | Path, *, using: str = "default") -> Comparison:
    """Compare the live database with a backup's manifest, restoring nothing."""
    _, manifest = read_manifest(path)
    return compare(manifest, database_figures(using))
