"""Chronology items and the return home interview clock from missing episodes."""

import datetime as dt

import pytest

from opencsc.casework.events import get_source
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.timescales.selectors import due_items

from .factories import ExploitationAssessmentFactory, MissingEpisodeFactory, ReturnInterviewFactory, at

pytestmark = pytest.mark.django_db
D = dt.date


def test_each_return_starts_its_own_clock_and_the_offer_stops_it():
    child = ChildFactory(date_of_birth=D(2011, 1, 1))
    first = MissingEpisodeFactory(child=child)
    interview = ReturnInterviewFactory(episode=first)
    second = MissingEpisodeFactory(child=child, started_at=at(D(2026, 4, 1)), ended_at=at(D(2026, 4, 2), 8))
    MissingEpisodeFactory(child=child, started_at=at(D(2026, 5, 1)), ended_at=None, where_found="")
    events = sorted((e.event, e.on, e.scope) for e in get_source("missing_episode").clock_events(
        Child.objects.filter(pk=child.pk)))
    assert events == sorted([
        ("missing_returned", first.ended_at, f"missing:{first.pk}"),
        ("return_home_interview", interview.offered_at, f"missing:{first.pk}"),
        ("missing_returned", second.ended_at, f"missing:{second.pk}"),
    ])


def test_a_return_without_an_interview_shows_as_overdue_in_the_due_list():
    child = ChildFactory(date_of_birth=D(2011, 1, 1))
    episode = MissingEpisodeFactory(child=child)
    ReturnInterviewFactory(episode=MissingEpisodeFactory(child=child, started_at=at(D(2026, 4, 1)),
                                                         ended_at=at(D(2026, 4, 2))))
    items = [i for i in due_items(children=Child.objects.filter(pk=child.pk), rules=["return_home_interview"])]
    assert [(i.scope, i.rag) for i in items] == [(f"missing:{episode.pk}", "red")]
    assert items[0].due == episode.ended_at + dt.timedelta(hours=72)


def test_clock_events_take_one_query(django_assert_max_num_queries):
    for _ in range(3):
        ReturnInterviewFactory()
    with django_assert_max_num_queries(1):
        list(get_source("missing_episode").clock_events(Child.objects.all()))


def test_the_chronology_shows_the_episode_the_return_and_the_interview():
    interview = ReturnInterviewFactory()
    child = interview.episode.child
    ExploitationAssessmentFactory(child=child)
    titles = [i.title for i in get_source("missing_episode").fetch(child)]
    assert titles == ["Missing from care placement at 21:30", "Returned at 11:30",
                      "Return home interview offered: accepted"]
    assert [i.title for i in get_source("exploitation_assessment").fetch(child, date_from=D(2026, 3, 1))] == [
        "Exploitation risk assessment"]
    assert list(get_source("exploitation_assessment").fetch(child, date_to=D(2026, 3, 1))) == []
