"""Missing episodes, returns, return home interviews and exploitation records: the rules, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencsc.accounts.roles import Role
from opencsc.casework.models import Meeting, MeetingAttendance
from opencsc.core.models import AuditEvent
from opencsc.missing import services
from opencsc.missing.models import ExploitationMeeting, MissingEpisode, ReturnInterview, RiskLevel
from opencsc.people.tests.factories import ChildFactory

from .factories import MissingEpisodeFactory, at

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def worker(make_user):
    return make_user(role=Role.SOCIAL_WORKER)


@pytest.fixture
def child():
    return ChildFactory(date_of_birth=dt.date(2011, 5, 4))


def _record(worker, child, **overrides):
    values = dict(actor=worker, child=child, kind="M", missing_from="care", started_at=at(DAY, 21),
                  ended_at=at(DAY + dt.timedelta(days=1), 9), reported_to_police=True, police_reference="MPS/1",
                  where_found="At a friend's house", risks="Known to associate with older males")
    values.update(overrides)
    return services.missing_episode_record(**values)


def _counts():
    return (MissingEpisode.objects.count(), ReturnInterview.objects.count(), AuditEvent.objects.count())


def test_an_episode_is_recorded_with_an_audit_event(worker, child):
    episode = _record(worker, child)
    assert episode.duration == dt.timedelta(hours=12)
    assert episode.kind == MissingEpisode.Kind.MISSING
    event = AuditEvent.objects.get(object_id=str(episode.pk), child=child)
    assert event.action == AuditEvent.Action.CREATED
    assert event.changes["police_reference"] == [None, "MPS/1"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"ended_at": at(DAY, 20)}, "ended_at", "must be after they went missing"),
    ({"ended_at": at(DAY, 21)}, "ended_at", "must be after they went missing"),
    ({"started_at": at(dt.date(2099, 1, 1))}, "started_at", "now or in the past"),
    ({"started_at": at(dt.date(2010, 1, 1)), "ended_at": at(dt.date(2010, 1, 2))}, "started_at",
     "after their date of birth"),
    ({"kind": "X"}, "kind", "missing or away"),
    ({"missing_from": "moon"}, "missing_from", "where the child went missing from"),
    ({"reported_to_police": False}, "police_reference", "tick the box"),
    ({"ended_at": None}, "where_found", "leave where they were found blank"),
])
def test_bad_episodes_are_refused_and_nothing_changes(worker, child, overrides, field, message):
    before = _counts()
    with pytest.raises(ValidationError) as error:
        _record(worker, child, **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert _counts() == before


@pytest.mark.parametrize("start, end, refused", [
    (at(DAY, 22), at(DAY, 23), True),  # inside the existing episode
    (at(DAY, 18), at(DAY, 22), True),  # runs into it
    (at(DAY + dt.timedelta(days=1), 8), None, True),  # open, starting before it ended
    (at(DAY, 18), at(DAY, 21), False),  # ends just as the other starts
    (at(DAY + dt.timedelta(days=1), 9), at(DAY + dt.timedelta(days=1), 20), False),  # starts as it ends
    (at(DAY - dt.timedelta(days=3), 1), at(DAY - dt.timedelta(days=2), 1), False),
])
def test_episodes_of_one_child_must_not_overlap(worker, child, start, end, refused):
    _record(worker, child)
    before = _counts()
    overrides = {"started_at": start, "ended_at": end, "where_found": "Home" if end else ""}
    if refused:
        with pytest.raises(ValidationError) as error:
            _record(worker, child, **overrides)
        assert "overlaps" in error.value.message_dict["started_at"][0] or "already" in \
            error.value.message_dict["started_at"][0]
        assert _counts() == before
    else:
        _record(worker, child, **overrides)
        assert MissingEpisode.objects.filter(child=child).count() == 2


def test_a_new_episode_is_refused_while_the_child_is_still_missing(worker, child):
    _record(worker, child, ended_at=None, where_found="")
    with pytest.raises(ValidationError) as error:
        _record(worker, child, started_at=at(DAY + dt.timedelta(days=5)), ended_at=None, where_found="")
    assert "Record their return first" in error.value.message_dict["started_at"][0]


def test_other_childrens_episodes_do_not_count(worker, child):
    _record(worker, child)
    _record(worker, ChildFactory(date_of_birth=dt.date(2012, 1, 1)))
    assert MissingEpisode.objects.count() == 2


def test_a_return_is_recorded_with_history(worker, child):
    episode = _record(worker, child, ended_at=None, where_found="")
    services.missing_episode_return(actor=worker, episode=episode, ended_at=at(DAY + dt.timedelta(days=2), 7),
                                    where_found="Walked back to the placement", expected_version=1)
    episode.refresh_from_db()
    assert episode.ended_at == at(DAY + dt.timedelta(days=2), 7)
    assert episode.version == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATED, object_id=str(episode.pk)).exists()


@pytest.mark.parametrize("ended_at, message", [
    (at(DAY, 20), "must be after they went missing"),
    (at(dt.date(2099, 1, 1)), "now or in the past"),
    (at(DAY + dt.timedelta(days=10)), "went missing again"),
])
def test_a_bad_return_is_refused_and_nothing_changes(worker, child, ended_at, message):
    episode = _record(worker, child, ended_at=None, where_found="")
    # A later episode: possible only if this one was ended first, so add it directly.
    MissingEpisodeFactory(child=child, started_at=at(DAY + dt.timedelta(days=6)),
                          ended_at=at(DAY + dt.timedelta(days=7)), created_by=worker)
    before = _counts()
    with pytest.raises(ValidationError) as error:
        services.missing_episode_return(actor=worker, episode=episode, ended_at=ended_at, where_found="Home",
                                        expected_version=1)
    assert message in error.value.message_dict["ended_at"][0]
    assert _counts() == before
    episode.refresh_from_db()
    assert episode.ended_at is None


def test_a_return_cannot_be_recorded_twice(worker, child):
    episode = _record(worker, child)
    with pytest.raises(ValidationError):
        services.missing_episode_return(actor=worker, episode=episode, ended_at=at(DAY + dt.timedelta(days=2)),
                                        where_found="Home", expected_version=1)


def test_a_return_from_an_old_version_is_refused(worker, child):
    from opencsc.core.audit import StaleRecordError

    episode = _record(worker, child, ended_at=None, where_found="")
    MissingEpisode.objects.filter(pk=episode.pk).update(version=2)
    with pytest.raises(StaleRecordError):
        services.missing_episode_return(actor=worker, episode=episode, ended_at=at(DAY + dt.timedelta(days=1)),
                                        where_found="Home", expected_version=1)
    assert MissingEpisode.objects.get(pk=episode.pk).ended_at is None


def _interview(worker, episode, **overrides):
    values = dict(actor=worker, episode=episode, offered_at=episode.ended_at + dt.timedelta(hours=5),
                  response="accepted", completed_at=episode.ended_at + dt.timedelta(hours=30),
                  interviewer="Sam Patel", findings="Agreed a safety plan.")
    values.update(overrides)
    return services.return_interview_record(**values)


def test_an_interview_is_recorded(worker, child):
    episode = _record(worker, child)
    interview = _interview(worker, episode)
    assert interview.episode == episode
    assert AuditEvent.objects.filter(object_id=str(interview.pk), summary="Return home interview recorded").exists()


@pytest.mark.parametrize("offset_offered, response, offset_completed, interviewer, field, message", [
    (-1, "accepted", None, "", "offered_at", "after the child returned"),
    (5, "accepted", -2, "Sam", "completed_at", "after the child returned"),
    (5, "accepted", 3, "Sam", "completed_at", "before it was offered"),
    (5, "declined", 8, "Sam", "completed_at", "declined"),
    (5, "maybe", None, "", "response", "accepted the interview"),
    (5, "accepted", 8, "", "interviewer", "who carried out"),
])
def test_bad_interviews_are_refused_and_nothing_changes(worker, child, offset_offered, response, offset_completed,
                                                        interviewer, field, message):
    episode = _record(worker, child)
    before = _counts()
    completed = episode.ended_at + dt.timedelta(hours=offset_completed) if offset_completed is not None else None
    with pytest.raises(ValidationError) as error:
        _interview(worker, episode, offered_at=episode.ended_at + dt.timedelta(hours=offset_offered),
                   response=response, completed_at=completed, interviewer=interviewer)
    assert message in " ".join(error.value.message_dict[field])
    assert _counts() == before


def test_no_interview_before_the_return_is_recorded(worker, child):
    episode = _record(worker, child, ended_at=None, where_found="")
    with pytest.raises(ValidationError) as error:
        services.return_interview_record(actor=worker, episode=episode, offered_at=at(DAY + dt.timedelta(days=1)),
                                         response="accepted")
    assert "Record the child's return" in error.value.message_dict["offered_at"][0]
    assert ReturnInterview.objects.count() == 0


def test_one_interview_per_episode(worker, child):
    episode = _record(worker, child)
    _interview(worker, episode)
    with pytest.raises(ValidationError):
        _interview(worker, episode)
    assert ReturnInterview.objects.count() == 1


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.PARTNER, Role.ADMINISTRATOR])
def test_roles_that_do_not_record_are_refused(make_user, child, role):
    with pytest.raises(PermissionDenied):
        _record(make_user(role=role), child)
    assert MissingEpisode.objects.count() == 0


@pytest.mark.parametrize("sexual, criminal, review_on, indicators, field", [
    ("low", "high", dt.date(2026, 3, 10), "Cash", "review_on"),
    ("low", "high", dt.date(2026, 3, 1), "Cash", "review_on"),
    ("", "high", dt.date(2026, 6, 10), "Cash", "sexual_risk"),
    ("low", "extreme", dt.date(2026, 6, 10), "Cash", "criminal_risk"),
    ("medium", "none", dt.date(2026, 6, 10), "", "indicators"),
])
def test_bad_assessments_are_refused(worker, child, sexual, criminal, review_on, indicators, field):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.exploitation_assessment_record(actor=worker, child=child, assessed_on=dt.date(2026, 3, 10),
                                                sexual_risk=sexual, criminal_risk=criminal, review_on=review_on,
                                                indicators=indicators)
    assert field in error.value.message_dict
    assert AuditEvent.objects.count() == before
    assert not child.exploitation_assessments.exists()


def test_an_assessment_with_no_risk_needs_no_indicators(worker, child):
    assessment = services.exploitation_assessment_record(
        actor=worker, child=child, assessed_on=dt.date(2026, 3, 10), sexual_risk=RiskLevel.NONE,
        criminal_risk=RiskLevel.NONE, review_on=dt.date(2026, 9, 10))
    assert not assessment.at_risk


def test_a_meeting_keeps_attendance_by_agency_in_the_casework_meeting(worker, child):
    record = services.exploitation_meeting_record(
        actor=worker, child=child, held_on=dt.date(2026, 3, 12), decisions="Disruption notice on the address.",
        chair="DI Khan", attendance=[{"name": "DI Khan", "agency": "Police", "role": "Chair", "status": "attended"},
                                     {"name": "Jo Lee", "agency": "Education", "role": "DSL", "status": "report"}],
    )
    assert record.meeting.kind == Meeting.Kind.OTHER
    assert sorted(MeetingAttendance.objects.filter(meeting=record.meeting).values_list("agency", flat=True)) == \
        ["Education", "Police"]


def test_a_meeting_without_decisions_or_people_is_refused(worker, child):
    with pytest.raises(ValidationError) as error:
        services.exploitation_meeting_record(actor=worker, child=child, held_on=dt.date(2026, 3, 12), decisions=" ",
                                             attendance=[])
    assert set(error.value.message_dict) == {"decisions", "attendance"}
    assert not Meeting.objects.exists()
    assert not ExploitationMeeting.objects.exists()
