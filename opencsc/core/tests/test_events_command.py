"""manage.py events rebuild | verify (issue 17): verify lists every difference and fails; rebuild mends."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from opencsc.casework.models import Visit
from opencsc.casework.tests.factories import VisitFactory
from opencsc.core import events
from opencsc.core.models import Event

pytestmark = pytest.mark.django_db


def _verify(*args) -> str:
    out = StringIO()
    call_command("events", "verify", *args, stdout=out)
    return out.getvalue()


def test_a_log_written_by_the_services_verifies():
    VisitFactory.create_batch(3)
    assert Event.objects.filter(kind="visit").count() == 3
    assert "matches the source records" in _verify()


@pytest.mark.parametrize("tamper, problems", [
    (lambda visit: Event.objects.filter(kind="visit", source_id=visit.pk).update(occurred_on=dt.date(2020, 1, 1)),
     {"missing", "unexpected"}),
    (lambda visit: Event.objects.filter(kind="visit", source_id=visit.pk).delete(), {"missing"}),
    (lambda visit: Visit.objects.filter(pk=visit.pk).update(visited_on=dt.date(2026, 3, 1)), {"missing", "unexpected"}),
    (lambda visit: Visit.objects.filter(pk=visit.pk).delete(), {"unexpected"}),
    (lambda visit: Event.objects.create(child=visit.child, kind="no_such_source", source_id=1,
                                        occurred_on=dt.date(2026, 1, 1)), {"unexpected"}),
])
def test_verify_lists_each_difference_and_fails_until_rebuilt(tamper, problems):
    visit = VisitFactory()
    tamper(visit)
    differences = events.verify()
    assert {d.problem for d in differences} == problems
    with pytest.raises(CommandError, match="differs from the source records") as refused:
        _verify()
    assert refused.value.returncode == 1
    out = StringIO()
    call_command("events", "rebuild", stdout=out)
    assert "Event log rebuilt" in out.getvalue()
    assert events.verify() == []


def test_verify_names_the_record_and_can_be_narrowed_to_one_source():
    visit = VisitFactory()
    Event.objects.filter(kind="visit").delete()
    with pytest.raises(CommandError):
        out = StringIO()
        call_command("events", "verify", "--kind", "visit", stdout=out)
    assert f"missing: visit #{visit.pk}" in out.getvalue()
    assert "matches" in _verify("--kind", "case_note")


def test_an_unknown_source_is_refused_with_the_list_of_sources():
    with pytest.raises(CommandError, match="No event source called nonsense"):
        _verify("--kind", "nonsense")


def test_a_full_rebuild_gives_the_planner_statistics_of_the_log():
    VisitFactory.create_batch(3)
    call_command("events", "rebuild", stdout=StringIO())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'core_event'")
            assert cursor.fetchone()[0] > 0
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'core_event'")
            assert cursor.fetchone()[0] >= 3
