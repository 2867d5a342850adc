"""The audit log and the access log are tamper-evident: hash chains, append-only on PostgreSQL.

Given rows written through the logs' one writer, when any column a chain covers is changed, a row is
removed or a row is slipped in, then `manage.py audit verify` names the first broken row and fails;
rows keep the child they were written for when the child is merged or deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from opencsc.accounts.access_records import REFUSED, log_access, log_accesses
from opencsc.accounts.models import ACCESS_CHAIN_FIELDS, AccessLog
from opencsc.accounts.tests.factories import UserFactory
from opencsc.core import chain
from opencsc.core.audit import audit
from opencsc.core.models import AUDIT_CHAIN_FIELDS, AuditEvent
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db

# A changed value for each covered column, whatever it held.
TAMPERED = {
    "actor_id": lambda row: None, "user_id": lambda row: UserFactory().pk,
    "at": lambda row: row.at - dt.timedelta(hours=1), "action": lambda row: "deleted",
    "content_type_id": lambda row: None, "object_id": lambda row: "999", "object_repr": lambda row: "someone else",
    "child_id": lambda row: None, "child_identifier": lambda row: "X999", "changes": lambda row: {"grade": [1, 2]},
    "summary": lambda row: "nothing happened", "child_reference": lambda row: "0", "path": lambda row: "/",
    "outcome": lambda row: "viewed" if row.outcome == "refused" else "refused",
}


@pytest.fixture
def audit_rows(make_user):
    actor, child = make_user("team_manager"), ChildFactory()
    return [audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=child, child=child,
                  changes={"first_name": ["A", f"B{i}"]}, summary=f"Change {i}") for i in range(4)]


@pytest.fixture
def access_rows(make_user):
    viewer, child = make_user("social_worker"), ChildFactory()
    rows = [log_access(viewer, child=child, reference=child.pk, path=f"/children/{child.pk}/") for _ in range(2)]
    rows += log_accesses(viewer, children=[child, ChildFactory()], path="/contacts/1/")
    rows.append(log_access(viewer, reference="adopters:7", path="/adoption/adopters/7/", outcome=REFUSED))
    return rows


def _verify() -> tuple[str, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


def _tamper(row, **values):
    """What the tables' owner could do (switching PostgreSQL's trigger off first), without the key."""
    with chain._trigger_off(type(row)):
        type(row).objects.filter(pk=row.pk).update(**values)


def test_rows_written_through_the_logs_writers_form_unbroken_chains(audit_rows, access_rows):
    assert all(len(row.row_hash) == 64 for row in [*audit_rows, *access_rows])
    assert len({row.row_hash for row in audit_rows}) == len(audit_rows)
    output, failure = _verify()
    assert failure == ""
    assert f"Audit events: {AuditEvent.objects.count():,} rows, the chain is unbroken" in output
    assert f"Access logs: {len(access_rows):,} rows, the chain is unbroken" in output
    assert f"Last hash {chain.verify(AccessLog).head}" in output


def test_each_person_has_a_strand_of_their_own_and_the_head_covers_every_strand(make_user):
    first, second = make_user("social_worker"), make_user("team_manager")
    child = ChildFactory()
    heads = [chain.verify(AccessLog).head]
    rows = []
    for viewer in (first, second, first, second, first):
        rows.append(log_access(viewer, child=child, reference=child.pk, path="/children/"))
        heads.append(chain.verify(AccessLog).head)
    assert len(set(heads)) == len(heads)  # every row written moves the head on
    firsts = [row for row in rows if row.user_id == first.pk]
    assert [chain.row_hash(prev, row) for prev, row in zip([chain.GENESIS, *[r.row_hash for r in firsts]], firsts,
                                                           strict=False)] == [r.row_hash for r in firsts]
    assert chain.verify(AccessLog).ok
    # the system's own events (no actor) are a strand too
    audit(actor=None, action=AuditEvent.Action.OTHER, summary="Nightly job")
    audit(actor=first, action=AuditEvent.Action.OTHER, summary="By hand")
    assert chain.verify(AuditEvent).ok


def test_the_logs_keep_the_childs_la_child_id_as_it_was(audit_rows, access_rows):
    for row in [*audit_rows, *access_rows[:4]]:
        assert row.child_identifier == row.child.la_child_id
    assert access_rows[-1].child_identifier == "" and access_rows[-1].child_id is None


@pytest.mark.parametrize("field", AUDIT_CHAIN_FIELDS)
def test_a_change_to_any_audited_column_is_found_at_that_row(audit_rows, field):
    target = audit_rows[2]
    _tamper(target, **{field: TAMPERED[field](target)})
    output, failure = _verify()
    assert failure == "The chain is broken in: Audit events"
    assert f"Audit events: BROKEN at row {target.pk} " in output
    assert "Access logs: " in output and "the chain is unbroken" in output


@pytest.mark.parametrize("field", ACCESS_CHAIN_FIELDS)
def test_a_change_to_any_column_of_the_access_log_is_found_at_that_row(access_rows, field):
    target = access_rows[1]
    _tamper(target, **{field: TAMPERED[field](target)})
    output, failure = _verify()
    assert failure == "The chain is broken in: Access logs"
    assert f"Access logs: BROKEN at row {target.pk} " in output


def test_a_removed_row_breaks_the_chain_at_the_row_after_it(audit_rows):
    with chain._trigger_off(AuditEvent):
        AuditEvent.objects.filter(pk=audit_rows[1].pk).delete()
    output, failure = _verify()
    assert failure and f"BROKEN at row {audit_rows[2].pk} " in output


def test_a_row_slipped_in_without_the_key_breaks_the_chain(audit_rows, settings):
    settings.OPENCSC_LOG_CHAIN_KEY = "a key the attacker guessed"
    forged = audit(actor=None, action=AuditEvent.Action.OTHER, summary="Forged")
    settings.OPENCSC_LOG_CHAIN_KEY = ""
    output, failure = _verify()
    assert failure and f"BROKEN at row {forged.pk} " in output


def test_a_row_written_around_the_writer_is_reported_as_having_no_hash(audit_rows):
    stray = AuditEvent.objects.create(action=AuditEvent.Action.OTHER, summary="Written directly")
    output, failure = _verify()
    assert failure and f"BROKEN at row {stray.pk} " in output and "the row has no hash" in output


def test_the_chain_continues_across_transactions_and_ignores_rolled_back_rows(audit_rows):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit(actor=None, action=AuditEvent.Action.OTHER, summary="Rolled back")
        raise RuntimeError
    audit(actor=None, action=AuditEvent.Action.OTHER, summary="After the rollback")
    assert _verify()[1] == ""


def test_rows_written_before_the_chain_existed_are_chained_by_the_migration_step(make_user):
    child = ChildFactory()
    for _ in range(3):  # as the rows stood before the migration: no hash, no identifier
        AccessLog.objects.create(user=make_user(), child=child, path="/", row_hash="", child_identifier="")
    chain.chain_existing_rows(AccessLog, Child)
    assert set(AccessLog.objects.values_list("child_identifier", flat=True)) == {child.la_child_id}
    assert chain.verify(AccessLog).ok and chain.verify(AccessLog).rows == 3


def test_deleting_a_child_leaves_its_log_rows_as_they_were(make_user):
    child = ChildFactory()
    viewer = make_user("social_worker")
    row = log_access(viewer, child=child, reference=child.pk, path="/children/")
    identifier = child.la_child_id
    Child.objects.filter(pk=child.pk).delete()
    row = AccessLog.objects.get(pk=row.pk)
    assert (row.child_id, row.child_identifier) == (child.pk, identifier)
    assert chain.verify(AccessLog).ok


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's (SQLite is the demo's)"
)


@needs_postgres
@pytest.mark.parametrize("statement", [
    "UPDATE {table} SET {column} = 'changed' WHERE id = %s",
    "DELETE FROM {table} WHERE id = %s",
])
@pytest.mark.parametrize("model, column", [(AuditEvent, "summary"), (AccessLog, "path")])
def test_postgresql_refuses_to_change_or_remove_a_log_row(audit_rows, access_rows, model, column, statement):
    row = model.objects.order_by("pk").first()
    before = list(model.objects.order_by("pk").values())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=model._meta.db_table, column=column), [row.pk])
    assert list(model.objects.order_by("pk").values()) == before


@needs_postgres
def test_the_triggers_are_there_after_migrate():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", ["%append_only"])
        names = {name for (name,) in cursor.fetchall()}
    assert names == {f"{m._meta.db_table}_append_only" for m in chain.CHAINED}


WRITES = re.compile(r"\b(AuditEvent|AccessLog)(\.objects\.(create|bulk_create|get_or_create|update_or_create)|\()")


def test_no_code_writes_log_rows_except_the_logs_writers():
    writers = {ROOT / "opencsc/core/audit.py", ROOT / "opencsc/accounts/access_records.py"}
    offenders = []
    for path in (ROOT / "opencsc").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path in writers:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if WRITES.search(line) and "class " not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
