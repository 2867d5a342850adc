"""Chronology items and statutory clocks from private fostering and care proceedings."""

import datetime as dt

import pytest

from opencsc.casework.selectors import chronology_for
from opencsc.core import events
from opencsc.people.models import Child
from opencsc.timescales.reads import clock_facts
from opencsc.timescales.selectors import due_items

from .factories import CareProceedingsFactory, PrivateFosteringFactory

pytestmark = pytest.mark.django_db
D = dt.date
KINDS = ["private_fostering", "care_proceedings"]


def _events(child):
    """(clock event, day, scope) of the child in the event log."""
    return sorted((name, on, scope) for _order, _child, name, on, scope in clock_facts(Child.objects.filter(pk=child.pk)))


def test_private_fostering_clock_events(make_user):
    arrangement = PrivateFosteringFactory(ended_on=D(2026, 5, 1), end_reason="moved")
    events.announce(arrangement.visits.create(visited_on=D(2026, 3, 6), created_by=make_user()))
    scope = f"private_fostering:{arrangement.pk}"
    assert _events(arrangement.child) == [
        ("private_fostering_ended", D(2026, 5, 1), scope), ("private_fostering_notified", D(2026, 3, 2), scope),
        ("private_fostering_visit", D(2026, 3, 6), scope)]
    assert events.verify(kinds=KINDS) == []


def test_a_private_fostering_visit_is_due_within_7_working_days(make_user):
    arrangement = PrivateFosteringFactory()
    items = due_items(children=Child.objects.filter(pk=arrangement.child_id), rules=["private_fostering_visit"])
    assert [(i.due, i.rag) for i in items] == [(D(2026, 3, 11), "red")]
    events.announce(arrangement.visits.create(visited_on=D(2026, 3, 6), created_by=make_user()))
    items = due_items(children=Child.objects.filter(pk=arrangement.child_id), rules=["private_fostering_visit"])
    assert [i.due for i in items] == [D(2026, 4, 17)]  # then every 6 weeks


def test_proceedings_clock_events_and_26_weeks_with_extensions(make_user):
    proceedings = CareProceedingsFactory()
    events.announce(proceedings.extensions.create(granted_on=D(2026, 8, 20), reason="Assessment late",
                                                  created_by=make_user()))
    scope = f"proceedings:{proceedings.pk}"
    assert _events(proceedings.child) == [
        ("proceedings_extended", D(2026, 8, 20), scope), ("proceedings_issued", D(2026, 3, 2), scope)]
    items = due_items(children=Child.objects.filter(pk=proceedings.child_id), rules=["care_proceedings"])
    assert [i.due for i in items] == [D(2026, 3, 2) + dt.timedelta(weeks=34)]


def test_clock_events_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    for _ in range(3):
        PrivateFosteringFactory()
        CareProceedingsFactory()
    with django_assert_max_num_queries(2):
        read = list(clock_facts(Child.objects.all()))
    assert sorted(name for _order, _child, name, _on, _scope in read) == (
        ["private_fostering_notified"] * 3 + ["proceedings_issued"] * 3)


def test_the_chronology(make_user):
    proceedings = CareProceedingsFactory()
    events.announce(proceedings.hearings.create(kind="cmh", held_on=D(2026, 3, 10), interim_order="ico",
                                                created_by=make_user()))
    user = make_user()
    titles = [i.title for i in chronology_for(user=user, child=proceedings.child, sources=["care_proceedings"])]
    assert titles == ["Case management hearing: interim care order",
                      "Care proceedings issued at West London Family Court"]
    arrangement = PrivateFosteringFactory(carer_name="Maureen Hall")
    assert [i.title for i in chronology_for(user=user, child=arrangement.child, sources=["private_fostering"])] == [
        "Private fostering notified: living with Maureen Hall"]
