"""`manage.py backup` and `manage.py restore`: a round trip gives back every row (counts and checksums of every
table), the hash-chained logs still verify, and a restore that is not confirmed, of another vendor's backup or
of a damaged file changes nothing. Runs on whichever database the suite runs on (SQLite, or PostgreSQL with
OPENCSC_DATABASE=postgres, where it goes through pg_dump and pg_restore)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from opencsc.accounts.tests.factories import UserFactory
from opencsc.casework.models import CaseNote
from opencsc.casework.tests.factories import CaseNoteFactory
from opencsc.core import backup
from opencsc.core.audit import audit
from opencsc.core.models import AuditEvent
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db(transaction=True)  # a backup copies committed data; a restore replaces it


@pytest.fixture
def records():
    worker = UserFactory()
    children = ChildFactory.create_batch(3)
    for child in children:
        CaseNoteFactory.create_batch(2, child=child)
        audit(actor=worker, action=AuditEvent.Action.CREATED, instance=child, child=child, summary="Record made")
    return children


def _backup(tmp_path) -> backup.BackupResult:
    out = StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    (path,) = [p for p in tmp_path.iterdir() if not p.name.endswith(".json")]
    assert f"Backup:   {path}" in out.getvalue()
    return backup.BackupResult(path, backup.manifest_path_for(path), json.loads(backup.manifest_path_for(path).read_text()))


def _change_everything(children):
    CaseNote.objects.filter(child=children[0]).delete()
    Child.objects.filter(pk=children[1].pk).update(first_name="Changed")
    ChildFactory()


def test_the_manifest_names_every_table_with_its_rows(records, tmp_path):
    made = _backup(tmp_path)

    manifest = made.manifest
    assert manifest["vendor"] == connection.vendor
    assert manifest["file_sha256"] and manifest["file_bytes"] == made.path.stat().st_size
    tables = manifest["tables"]
    assert tables[Child._meta.db_table]["rows"] == 3
    assert tables[CaseNote._meta.db_table]["rows"] == 6
    assert tables[AuditEvent._meta.db_table]["rows"] == AuditEvent.objects.count() >= 3
    assert set(tables) == set(connection.introspection.table_names())
    assert all(len(t["sha256"]) == 64 for t in tables.values())


def test_a_round_trip_gives_back_every_row_and_the_logs_still_verify(records, tmp_path):
    made = _backup(tmp_path)
    first_notes = set(CaseNote.objects.filter(child=records[0]).values_list("pk", flat=True))
    _change_everything(records)

    with pytest.raises(CommandError, match="does NOT match"):  # --check: the changes are seen, nothing restored
        call_command("restore", str(made.path), check=True, stdout=(seen := StringIO()))
    assert f"table {CaseNote._meta.db_table}: 4 rows, the backup has 6" in seen.getvalue()
    assert f"table {Child._meta.db_table}: 4 rows, the backup has 3" in seen.getvalue()

    out = StringIO()
    call_command("restore", str(made.path), yes=True, stdout=out)

    assert "Restored. The database matches the backup" in out.getvalue()
    assert backup.compare(made.manifest, backup.database_figures()).ok
    assert set(CaseNote.objects.filter(child=records[0]).values_list("pk", flat=True)) == first_notes
    assert Child.objects.get(pk=records[1].pk).first_name == records[1].first_name
    assert Child.objects.count() == 3
    call_command("audit", "verify", stdout=StringIO())  # raises if either log's chain is broken
    if connection.vendor == "postgresql":  # the logs' append-only triggers came back with their tables
        from opencsc.core import chain

        with connection.cursor() as cursor:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", ["%_append_only"])
            assert {name for (name,) in cursor.fetchall()} == {f"{m._meta.db_table}_append_only" for m in chain.CHAINED}
    call_command("restore", str(made.manifest_path), check=True, stdout=StringIO())  # by its manifest too


def _unchanged_after(call, children):
    before = backup.database_figures()
    call()
    assert backup.database_figures() == before
    assert Child.objects.filter(first_name="Changed").exists()


def test_restore_refuses_without_yes_and_changes_nothing(records, tmp_path):
    made = _backup(tmp_path)
    _change_everything(records)

    def call():
        with pytest.raises(CommandError, match="Nothing was restored: give --yes"):
            call_command("restore", str(made.path), stdout=StringIO())

    _unchanged_after(call, records)


def test_restore_refuses_another_vendors_backup(records, tmp_path):
    made = _backup(tmp_path)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    made.manifest_path.write_text(json.dumps({**made.manifest, "vendor": other}))
    _change_everything(records)

    def call():
        with pytest.raises(CommandError, match="cannot be restored here"):
            call_command("restore", str(made.path), yes=True, stdout=StringIO())

    _unchanged_after(call, records)


def test_restore_refuses_a_damaged_backup(records, tmp_path):
    made = _backup(tmp_path)
    with open(made.path, "r+b") as handle:
        handle.seek(made.path.stat().st_size // 2)
        handle.write(b"\x00damaged\x00")
    _change_everything(records)

    def call():
        with pytest.raises(CommandError, match="damaged or was changed"):
            call_command("restore", str(made.path), yes=True, stdout=StringIO())

    _unchanged_after(call, records)


def test_restore_refuses_a_backup_without_its_manifest(records, tmp_path):
    made = _backup(tmp_path)
    made.manifest_path.unlink()
    with pytest.raises(CommandError, match="No manifest beside the backup"):
        call_command("restore", str(made.path), yes=True, stdout=StringIO())


def test_a_backup_never_overwrites_another(records, tmp_path):
    made = _backup(tmp_path)
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(made.path), stdout=StringIO())
