"""For tests: a synthetic authority that lives for a module's tests and is rolled back after them.

Generating an authority is the slowest thing the tests do, and many modules want one. So each test
process generates an authority once for each set of options, keeps a copy of every row it wrote, and
gives later modules the same authority by copying those rows back in (a bulk insert, not a second run
of the generator). The generator is deterministic for a seed, size and date, so the copy is the
authority those modules would have generated; `test_the_copy_is_the_authority_generated` proves it.
Tests that share one authority should ask for `SHARED` (see below), so that the process generates once.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.apps import apps
from django.db import connection, transaction

from opencsc.synthetic.services import authority_generate

# The authority most generator and integration tests share: every step, one seed, one size.
SHARED = {"seed": 7, "size": 0.5, "today": dt.date(2026, 11, 23)}

_CACHE: dict[tuple, tuple[object, list]] = {}


def _tables() -> list:
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and not m._meta.swapped]


def _dump() -> list[tuple[str, list[str], list[tuple]]]:
    """Every row of every table: (table, columns, rows)."""
    quote = connection.ops.quote_name
    out = []
    with connection.cursor() as cursor:
        for model in _tables():
            table = model._meta.db_table
            columns = [f.column for f in model._meta.local_concrete_fields]
            # On PostgreSQL every value as text, which COPY reads back whatever its type.
            cast = "::text" if connection.vendor == "postgresql" else ""
            cursor.execute(f"SELECT {', '.join(quote(c) + cast for c in columns)} FROM {quote(table)}")
            rows = cursor.fetchall()
            if rows:
                out.append((table, columns, rows))
    return out


def _load(dump) -> None:
    """Put the rows back, foreign keys checked at commit (the dump is in no particular order)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, columns, rows in dump:
                with cursor.cursor.copy(
                        f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            for table, columns, rows in dump:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES ({marks})", rows)


def authority_rows(**options):
    """Generate (or copy in) the authority for `options` inside the current transaction; its context."""
    key = tuple(sorted(options.items()))
    if key in _CACHE:
        ctx, dump = _CACHE[key]
        _load(dump)
    else:
        before = {table: set(rows) for table, _, rows in _dump()}  # content types, permissions: already there
        ctx = authority_generate(**options)
        added = [(table, columns, [row for row in rows if row not in before.get(table, ())])
                 for table, columns, rows in _dump()]
        _CACHE[key] = (ctx, [entry for entry in added if entry[2]])
    # On PostgreSQL, check the deferred foreign keys of every row written now, once: otherwise each test's
    # teardown checks them all again (Django's TestCase checks constraints before it rolls a test back,
    # and the rollback to the test's savepoint puts the checks back), a second or two a test.
    connection.check_constraints()
    return ctx


@contextmanager
def rolled_back_authority(django_db_blocker, **options):
    """Generate an authority (``authority_generate(**options)``) in a transaction, give its
    context, and roll everything back at the end. For a module-scoped fixture: the module's tests
    each run inside their own transaction, on top of this one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield authority_rows(**options)
        transaction.set_rollback(True)


# --- One authority shared by every module that asks for it --------------------------------------------
#
# The modules marked `shared_authority` all read the same authority (SHARED). The test run groups
# them on one worker, one after another (conftest.py: xdist group "authority"), and the authority is
# generated once, kept in an open transaction while those modules run (each test inside its own
# transaction on top), and rolled back as soon as the next test is not one of them. Should another
# test come between two of them, the authority is put back from the process's copy.


class _Shared:
    atomic = None
    blocker = None
    ctx = None


def shared_authority(django_db_blocker):
    """The SHARED authority, in the database until the run leaves the `shared_authority` tests."""
    if _Shared.atomic is None:
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                _Shared.ctx = authority_rows(**SHARED)
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        _Shared.atomic, _Shared.blocker = atomic, django_db_blocker
    return _Shared.ctx


def release_shared_authority() -> None:
    """Roll the shared authority back (the run has moved on to other tests)."""
    if _Shared.atomic is None:
        return
    atomic, blocker = _Shared.atomic, _Shared.blocker
    _Shared.atomic = _Shared.blocker = _Shared.ctx = None
    with blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def uses_shared_authority(item) -> bool:
    return item is not None and item.get_closest_marker("shared_authority") is not None
