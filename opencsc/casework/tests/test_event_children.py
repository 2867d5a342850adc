"""How the event sources narrow their queries to a set of children (casework.events)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencsc.casework.event_sources import _visit_clock_rows
from opencsc.casework.events import children_by_ids, of_children, within
from opencsc.casework.models import Visit
from opencsc.casework.tests.factories import VisitFactory
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    children = [ChildFactory() for _ in range(3)]
    for n, child in enumerate(children):
        for day in range(1, n + 3):
            VisitFactory(child=child, visited_on=dt.date(2026, 5, day))
    return children


def _expected(ids):
    return sorted((v.child_id, v.visited_on) for v in Visit.objects.filter(child_id__in=ids))


@pytest.mark.parametrize(
    "make, picked",
    [
        (lambda c: children_by_ids([c[0].pk]), [0]),
        (lambda c: children_by_ids([c[0].pk, c[2].pk]), [0, 2]),
        (lambda c: children_by_ids([]), []),
        (lambda c: Child.objects.all(), [0, 1, 2]),
        (lambda c: Child.objects.filter(pk__in=[c[1].pk, c[2].pk]), [1, 2]),
        (lambda c: Child.objects.exclude(pk=c[1].pk), [0, 2]),
        (lambda c: Child.objects.none(), []),
    ],
    ids=["one by id", "two by id", "none by id", "every child", "a filtered set", "an excluded one", "none"],
)
def test_every_form_of_children_narrows_to_the_same_rows(three, make, picked):
    ids = [three[i].pk for i in picked]
    children = make(three)

    narrowed = sorted(of_children(Visit.objects.all(), children).values_list("child_id", "visited_on"))
    rows = _visit_clock_rows(make(three))

    assert narrowed == _expected(ids)
    assert sorted((child_id, day) for child_id, _kind, day in rows) == _expected(ids)


@pytest.mark.parametrize("count", [2, 3, 5, 16, 17, 64, 65])
def test_a_caseload_by_id_reads_the_same_rows_whatever_its_size(count):
    """Up to 64 children, the query is prepared for a list of 2, 4, 8... ids, the last repeated."""
    from opencsc.casework.event_sources import _latest_visit_rows

    children = [ChildFactory() for _ in range(count)]
    for n, child in enumerate(children[:6]):
        for day in range(1, n + 2):
            VisitFactory(child=child, visited_on=dt.date(2026, 5, day), child_seen=True)
    ids = [c.pk for c in children]

    for _ in range(2):  # prepared, then run again
        rows = _visit_clock_rows(children_by_ids(ids))
        latest = _latest_visit_rows(children_by_ids(ids), on_or_before=dt.date(2026, 5, 3))

        assert sorted((child_id, day) for child_id, _kind, day in rows) == _expected(ids)
        assert sorted((child_id, day) for child_id, _kind, day in latest) == sorted(
            (c.pk, dt.date(2026, 5, min(n + 1, 3))) for n, c in enumerate(children[:6]))


def test_a_related_path_narrows_too(three):
    from opencsc.casework.models import OversightAction
    from opencsc.casework.tests.factories import OversightActionFactory, OversightRecordFactory

    mine = OversightActionFactory(record=OversightRecordFactory(child=three[0]))
    OversightActionFactory(record=OversightRecordFactory(child=three[1]))

    for children in (children_by_ids([three[0].pk]), Child.objects.filter(pk=three[0].pk)):
        assert list(of_children(OversightAction.objects.all(), children, via="record__child")) == [mine]


def test_one_child_by_id_reads_with_one_query_and_no_subquery(three):
    _visit_clock_rows(children_by_ids([three[0].pk]))

    with CaptureQueriesContext(connection) as captured:
        rows = _visit_clock_rows(children_by_ids([three[2].pk]))

    assert len(rows) == 4
    assert len(captured.captured_queries) == 1
    assert "people_child" not in captured.captured_queries[0]["sql"]


@pytest.mark.parametrize(
    "day, date_from, date_to, inside",
    [
        (dt.date(2026, 5, 1), None, None, True),
        (None, None, None, False),
        (dt.date(2026, 5, 1), dt.date(2026, 5, 1), None, True),
        (dt.date(2026, 4, 30), dt.date(2026, 5, 1), None, False),
        (dt.date(2026, 5, 31), None, dt.date(2026, 5, 31), True),
        (dt.date(2026, 6, 1), None, dt.date(2026, 5, 31), False),
        (dt.date(2026, 5, 15), dt.date(2026, 5, 1), dt.date(2026, 5, 31), True),
    ],
)
def test_within_includes_both_ends(day, date_from, date_to, inside):
    assert within(day, date_from, date_to) is inside
