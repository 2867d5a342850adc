"""Prepared queries (opencsc.core.prepared): the same rows as the plain queryset, without compiling again."""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from opencsc.casework.models import Meeting, Plan, Visit
from opencsc.casework.tests.factories import (
    MeetingFactory,
    OversightActionFactory,
    OversightRecordFactory,
    VisitFactory,
)
from opencsc.core.prepared import prepared
from opencsc.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def visits(child_id, *, limit=None):
    qs = Visit.objects.filter(child_id=child_id).select_related("visitor").order_by("-visited_on", "-pk")
    return qs if limit is None else qs[:limit]


def visit_days(child_id, kind_child_id):
    return Visit.objects.filter(child_id__in=[child_id, kind_child_id]).values_list("child_id", "visited_on")


def with_counts(child_id):
    from opencsc.casework.models import OversightRecord

    return OversightRecord.objects.filter(child_id=child_id).annotate(n=Count("actions")).order_by("pk")


def never(child_id):
    return Meeting.objects.filter(child_id=child_id, kind__in=[])


def shape_follows_the_id(child_id):
    qs = Plan.objects.filter(child_id=child_id)
    return qs.filter(kind="cp") if child_id % 2 else qs


@pytest.fixture
def two_children():
    first, second = ChildFactory(), ChildFactory()
    for day in (3, 9, 17, 25):
        VisitFactory(child=first, visited_on=dt.date(2026, 3, day))
    VisitFactory(child=second, visited_on=dt.date(2026, 4, 1))
    return first, second


def _seen(rows):
    return [(v.pk, v.child_id, v.visited_on, v.visitor.display_name) for v in rows]


@pytest.mark.parametrize("limit", [None, 1, 2, 10])
def test_gives_the_rows_the_queryset_gives_for_each_child(two_children, limit):
    query = prepared(visits)
    for child in (*two_children, ChildFactory()):
        assert _seen(query(child.pk, limit=limit)) == _seen(visits(child.pk, limit=limit))


def test_related_rows_come_in_the_same_query(two_children):
    query = prepared(visits)
    query(two_children[0].pk)

    with CaptureQueriesContext(connection) as captured:
        rows = query(two_children[0].pk)
        names = [v.visitor.display_name for v in rows]

    assert len(captured.captured_queries) == 1
    assert len(names) == 4


def test_several_ids_each_go_to_their_place(two_children):
    first, second = two_children
    query = prepared(visit_days)

    assert sorted(query(first.pk, second.pk)) == sorted(visit_days(first.pk, second.pk))
    assert sorted(query(second.pk, second.pk)) == [(second.pk, dt.date(2026, 4, 1))]


def test_annotations_are_kept():
    child = ChildFactory()
    record = OversightRecordFactory(child=child)
    OversightActionFactory(record=record)
    OversightActionFactory(record=record)
    OversightRecordFactory(child=child)
    query = prepared(with_counts)

    assert [r.n for r in query(child.pk)] == [2, 0]
    assert [r.n for r in query(ChildFactory().pk)] == []


def test_once_prepared_it_is_not_compiled_again(two_children):
    query = prepared(visits)
    query(two_children[0].pk, limit=2)

    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled again")):
        assert len(query(two_children[1].pk, limit=2)) == 1


def test_each_shape_is_prepared_on_its_own(two_children):
    query = prepared(visits)

    assert len(query(two_children[0].pk, limit=1)) == 1
    assert len(query(two_children[0].pk, limit=3)) == 3
    assert len(query(two_children[0].pk)) == 4


def test_a_query_that_can_return_nothing_runs_no_sql():
    MeetingFactory()
    query = prepared(never)
    query(1)

    with CaptureQueriesContext(connection) as captured:
        assert query(2) == []
    assert captured.captured_queries == []


def test_a_builder_whose_sql_changes_with_the_id_runs_plainly_and_rightly():
    even = odd = None
    while even is None or odd is None:  # a child with an even id and one with an odd id
        child = ChildFactory()
        if child.pk % 2:
            odd = child
        else:
            even = child
    for child in (even, odd):
        Plan.objects.create(child=child, kind="cp", start_date=dt.date(2026, 1, 5), created_by=_user())
        Plan.objects.create(child=child, kind="cin", start_date=dt.date(2026, 1, 6), created_by=_user())
    query = prepared(shape_follows_the_id)

    assert {p.kind for p in query(even.pk)} == {"cp", "cin"}
    assert {p.kind for p in query(odd.pk)} == {"cp"}


def _user():
    from opencsc.accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.mark.parametrize("bad", ["12", 12.0, None, True])
def test_ids_must_be_whole_numbers(bad):
    with pytest.raises(TypeError):
        prepared(visits)(bad)


def test_a_new_day_prepares_again(two_children):
    query = prepared(visits)
    query(two_children[0].pk)

    with mock.patch("opencsc.core.prepared.timezone.localdate", return_value=dt.date(2099, 1, 1)):
        with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiled:
            assert len(query(two_children[0].pk)) == 4
    assert compiled.called
