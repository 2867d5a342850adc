"""Chronology entries and the return home interview clock from missing episodes, in the event log."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencsc.casework.selectors import chronology_for
from opencsc.core import events as event_log
from opencsc.core.models import Event
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
    events = sorted((e.clock, e.occurred_at if e.timed else e.occurred_on, e.scope)
                    for e in Event.objects.filter(child=child, kind="missing_episode").exclude(clock=""))
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


def queries_to_rebuild():
    with CaptureQueriesContext(connection) as queries:
        event_log.rebuild(kinds=["missing_episode", "exploitation_assessment"])
    return len(queries.captured_queries)


def test_writing_the_events_takes_a_number_of_queries_that_does_not_grow_with_the_episodes():
    """The interview is read with its episode (`related`): no query per episode."""
    ReturnInterviewFactory()
    ExploitationAssessmentFactory()
    few = queries_to_rebuild()
    for _ in range(3):
        ReturnInterviewFactory()
        ExploitationAssessmentFactory()
    assert Event.objects.filter(kind="missing_episode", clock="return_home_interview").count() == 4
    assert queries_to_rebuild() == few


def test_the_chronology_shows_the_episode_the_return_and_the_interview(make_user):
    user = make_user("social_worker")
    interview = ReturnInterviewFactory()
    child = interview.episode.child
    ExploitationAssessmentFactory(child=child)

    def titles(kind, **dates):
        return [i.title for i in chronology_for(user=user, child=child, sources=[kind], **dates)]

    assert titles("missing_episode") == ["Return home interview offered: accepted", "Returned at 11:30",
                                         "Missing from care placement at 21:30"]  # newest first
    assert titles("exploitation_assessment", date_from=D(2026, 3, 1)) == ["Exploitation risk assessment"]
    assert titles("exploitation_assessment", date_to=D(2026, 3, 1)) == []
