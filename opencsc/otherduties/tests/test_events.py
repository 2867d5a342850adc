"""Chronology items and statutory clocks from private fostering and care proceedings."""

import datetime as dt

import pytest

from opencsc.casework.events import get_source
from opencsc.people.models import Child
from opencsc.timescales.selectors import due_items

from .factories import CareProceedingsFactory, PrivateFosteringFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _events(key, child):
    return sorted((e.event, e.on, e.scope) for e in get_source(key).clock_events(Child.objects.filter(pk=child.pk)))


def test_private_fostering_clock_events(make_user):
    arrangement = PrivateFosteringFactory(ended_on=D(2026, 5, 1), end_reason="moved")
    arrangement.visits.create(visited_on=D(2026, 3, 6), created_by=make_user())
    scope = f"private_fostering:{arrangement.pk}"
    assert _events("private_fostering", arrangement.child) == [
        ("private_fostering_ended", D(2026, 5, 1), scope), ("private_fostering_notified", D(2026, 3, 2), scope),
        ("private_fostering_visit", D(2026, 3, 6), scope)]


def test_a_private_fostering_visit_is_due_within_7_working_days(make_user):
    arrangement = PrivateFosteringFactory()
    items = due_items(children=Child.objects.filter(pk=arrangement.child_id), rules=["private_fostering_visit"])
    assert [(i.due, i.rag) for i in items] == [(D(2026, 3, 11), "red")]
    arrangement.visits.create(visited_on=D(2026, 3, 6), created_by=make_user())
    items = due_items(children=Child.objects.filter(pk=arrangement.child_id), rules=["private_fostering_visit"])
    assert [i.due for i in items] == [D(2026, 4, 17)]  # then every 6 weeks


def test_proceedings_clock_events_and_26_weeks_with_extensions(make_user):
    proceedings = CareProceedingsFactory()
    proceedings.extensions.create(granted_on=D(2026, 8, 20), reason="Assessment late", created_by=make_user())
    scope = f"proceedings:{proceedings.pk}"
    assert _events("care_proceedings", proceedings.child) == [
        ("proceedings_extended", D(2026, 8, 20), scope), ("proceedings_issued", D(2026, 3, 2), scope)]
    items = due_items(children=Child.objects.filter(pk=proceedings.child_id), rules=["care_proceedings"])
    assert [i.due for i in items] == [D(2026, 3, 2) + dt.timedelta(weeks=34)]


def test_clock_events_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    for _ in range(3):
        PrivateFosteringFactory()
        CareProceedingsFactory()
    with django_assert_max_num_queries(2):
        list(get_source("private_fostering").clock_events(Child.objects.all()))
    with django_assert_max_num_queries(2):
        list(get_source("care_proceedings").clock_events(Child.objects.all()))


def test_the_chronology(make_user):
    proceedings = CareProceedingsFactory()
    proceedings.hearings.create(kind="cmh", held_on=D(2026, 3, 10), interim_order="ico", created_by=make_user())
    titles = [i.title for i in get_source("care_proceedings").fetch(proceedings.child)]
    assert titles == ["Care proceedings issued at West London Family Court",
                      "Case management hearing: interim care order"]
    arrangement = PrivateFosteringFactory(carer_name="Maureen Hall")
    assert [i.title for i in get_source("private_fostering").fetch(arrangement.child)] == [
        "Private fostering notified: living with Maureen Hall"]
