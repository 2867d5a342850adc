"""Missing episodes, return home interviews and exploitation risk in the event log (core/events.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from opencsc.core import events
from opencsc.core.models import Event
from opencsc.missing import services
from opencsc.missing.models import MissingEpisode
from opencsc.people.tests.factories import ChildFactory

from .factories import at

pytestmark = pytest.mark.django_db
D = dt.date
KINDS = ["missing_episode", "exploitation_assessment"]


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


def episode(worker, child, started_at, ended_at=None, **kwargs):
    values = {"kind": "M", "missing_from": "care", "reported_to_police": True, "police_reference": "MPS/1",
              "risks": "Seen with older males", "where_found": "At a friend's flat" if ended_at else ""}
    values.update(kwargs)
    return services.missing_episode_record(actor=worker, child=child, started_at=started_at, ended_at=ended_at,
                                           **values)


def rows(kind, source_id):
    return [(e.seq, e.title, e.occurred_on, e.occurred_at, e.clock, e.scope, e.timed)
            for e in Event.objects.filter(kind=kind, source_id=source_id).order_by("seq")]


def every_case(worker):
    """Each branch of the sources: open, returned, interviewed, declined, away, not reported."""
    child = ChildFactory(date_of_birth=D(2011, 1, 1))
    done = episode(worker, child, at(D(2026, 3, 2), 21, 30), at(D(2026, 3, 3), 11))
    services.return_interview_record(actor=worker, episode=done, offered_at=at(D(2026, 3, 4), 9), response="accepted",
                                     completed_at=at(D(2026, 3, 4), 15), interviewer="A Worker", findings="Safe")
    declined = episode(worker, child, at(D(2026, 4, 1), 23, 50), at(D(2026, 4, 2), 0, 30), kind="A",
                       missing_from="home", reported_to_police=False, police_reference="")
    services.return_interview_record(actor=worker, episode=declined, offered_at=at(D(2026, 4, 3)), response="declined")
    episode(worker, child, at(D(2026, 5, 1), 18), at(D(2026, 5, 1), 22), risks="")
    episode(worker, child, at(D(2026, 6, 1), 18))
    for sexual, criminal in (("none", "none"), ("low", "high"), ("high", "none")):
        services.exploitation_assessment_record(actor=worker, child=child, assessed_on=D(2026, 3, 10),
                                                sexual_risk=sexual, criminal_risk=criminal, review_on=D(2026, 6, 10),
                                                indicators="New phone")
    return child, done


def test_every_case_is_in_the_log(worker):
    every_case(worker)
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize("returned", [False, True])
def test_recording_an_episode(worker, returned):
    child = ChildFactory(date_of_birth=D(2011, 1, 1))
    start, end = at(D(2026, 3, 2), 21, 30), at(D(2026, 3, 3), 11) if returned else None
    record = episode(worker, child, start, end)
    scope = f"missing:{record.pk}"
    expected = [(0, "Missing from care placement at 21:30", D(2026, 3, 2), start, "", "", False)]
    if returned:
        expected.append((1, "Returned at 11:00", D(2026, 3, 3), end, "missing_returned", scope, True))
    assert rows("missing_episode", record.pk) == expected
    first = Event.objects.get(kind="missing_episode", source_id=record.pk, seq=0)
    assert (first.child_id, first.author_id, first.recorded_at) == (child.pk, worker.pk, record.created_at)
    assert first.detail == "Reported to police (MPS/1). Seen with older males"
    assert events.verify(kinds=KINDS) == []


def test_recording_the_return_starts_the_interview_clock_at_that_moment(worker):
    record = episode(worker, ChildFactory(date_of_birth=D(2011, 1, 1)), at(D(2026, 3, 2), 21, 30))
    services.missing_episode_return(actor=worker, episode=record, ended_at=at(D(2026, 3, 4), 0, 15),
                                    where_found="Feltham")
    assert rows("missing_episode", record.pk)[1] == (
        1, "Returned at 00:15", D(2026, 3, 4), at(D(2026, 3, 4), 0, 15), "missing_returned", f"missing:{record.pk}",
        True)
    assert Event.objects.get(kind="missing_episode", source_id=record.pk, seq=1).detail == "Feltham"
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize("response, shown", [("accepted", "accepted"), ("declined", "declined by the child")])
def test_the_interview_offer_stops_the_clock(worker, response, shown):
    record = episode(worker, ChildFactory(date_of_birth=D(2011, 1, 1)), at(D(2026, 3, 2), 21, 30),
                     at(D(2026, 3, 3), 11))
    offered = at(D(2026, 3, 5), 16)
    services.return_interview_record(actor=worker, episode=record, offered_at=offered, response=response,
                                     findings="Went to see friends")
    assert rows("missing_episode", record.pk)[2] == (
        2, f"Return home interview offered: {shown}", D(2026, 3, 5), offered, "return_home_interview",
        f"missing:{record.pk}", True)
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize("sexual, criminal, significant", [
    ("none", "none", False), ("medium", "low", False), ("low", "high", True), ("high", "none", True)])
def test_an_exploitation_assessment(worker, sexual, criminal, significant):
    child = ChildFactory()
    record = services.exploitation_assessment_record(
        actor=worker, child=child, assessed_on=D(2026, 3, 10), sexual_risk=sexual, criminal_risk=criminal,
        review_on=D(2026, 6, 10), indicators="New phone")
    event = Event.objects.get(kind="exploitation_assessment", source_id=record.pk)
    assert (event.occurred_on, event.title, event.significant, event.author_id) == (
        D(2026, 3, 10), "Exploitation risk assessment", significant, worker.pk)
    assert event.detail.endswith("Review by 10 Jun 2026")
    assert events.verify(kinds=KINDS) == []


def test_refused_records_write_nothing(worker):
    child, done = every_case(worker)
    before = list(Event.objects.order_by("pk").values_list("pk", "kind", "occurred_on", "occurred_at"))
    with pytest.raises(ValidationError):  # overlaps the first episode
        episode(worker, child, at(D(2026, 3, 3), 9))
    with pytest.raises(ValidationError):  # already returned
        services.missing_episode_return(actor=worker, episode=done, ended_at=at(D(2026, 3, 5)), where_found="Home")
    with pytest.raises(ValidationError):  # already interviewed
        services.return_interview_record(actor=worker, episode=done, offered_at=at(D(2026, 3, 6)), response="accepted")
    assert list(Event.objects.order_by("pk").values_list("pk", "kind", "occurred_on", "occurred_at")) == before
    assert MissingEpisode.objects.filter(child=child).count() == 4
