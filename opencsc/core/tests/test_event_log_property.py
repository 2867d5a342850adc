"""The event log stays true to its sources whatever the services do (issue 17).

Hypothesis replays random sequences of service calls (records created, their dates edited, plans
ended, episodes closed, allocations moved; some refused as invalid) on a child, and after every call
`events.verify()` must find no difference between the event log and the source records.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import UserFactory
from opencsc.assessment import services as assessment
from opencsc.assessment.models import Assessment, CINEpisode
from opencsc.casework import services as casework
from opencsc.casework.models import CaseNote, Plan, Visit
from opencsc.core import events
from opencsc.core.audit import StaleRecordError
from opencsc.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
days_ago = st.integers(min_value=0, max_value=400).map(lambda n: TODAY - dt.timedelta(days=n))


def _latest(model, **filters):
    return model.objects.filter(**filters).order_by("-pk").first()


def _note(world, day, seen):
    casework.case_note_create(child=world["child"], actor=world["worker"], note_type=CaseNote.NoteType.CASE_NOTE,
                              contact_date=day, subject="Home visit", body="Saw the family.", child_seen=seen)


def _note_redate(world, day, seen):
    note = _latest(CaseNote, child=world["child"])
    if note:
        casework.case_note_update(note=note, actor=world["worker"], expected_version=note.version,
                                  contact_date=day, child_seen=seen)


def _visit(world, day, seen):
    casework.visit_record(actor=world["worker"], child=world["child"], kind=Visit.Kind.CIN, visited_on=day,
                          child_seen=seen, child_seen_alone=False)


def _plan(world, day, seen):
    casework.plan_create(actor=world["worker"], child=world["child"], kind=Plan.Kind.CHILD_IN_NEED, start_date=day)


def _plan_end(world, day, seen):
    plan = _latest(Plan, child=world["child"], end_date__isnull=True)
    if plan:
        casework.plan_end(actor=world["worker"], plan=plan, end_date=day)


def _entry(world, day, seen):
    casework.chronology_entry_create(child=world["child"], actor=world["worker"], event_date=day,
                                     title="Moved school", significance="high" if seen else "normal")


def _referral(world, day, seen):
    assessment.referral_create(actor=world["worker"], child=world["child"], referral_date=day,
                               referral_source="1A", primary_need="N1")


def _assessment(world, day, seen):
    episode = _latest(CINEpisode, child=world["child"], closure_date__isnull=True)
    if episode:
        assessment.assessment_start(actor=world["worker"], episode=episode, start_date=day)


def _assessment_redate(world, day, seen):
    item = _latest(Assessment, episode__child=world["child"], completed_date__isnull=True)
    if item:
        assessment.assessment_update(actor=world["worker"], assessment=item, expected_version=item.version,
                                     start_date=day, factors=item.factors)


def _authorise(world, day, seen):
    item = _latest(Assessment, episode__child=world["child"], completed_date__isnull=True)
    if item:
        if item.submitted_at is None:
            Assessment.objects.filter(pk=item.pk).update(submitted_at=timezone.now(), submitted_by=world["worker"])
            item.refresh_from_db()
        assessment.assessment_authorise(actor=world["manager"], assessment=item, authorised_on=day,
                                        outcome="cin_plan" if seen else "nfa", reason_late="Family away",
                                        expected_version=item.version)


def _close(world, day, seen):
    episode = _latest(CINEpisode, child=world["child"], closure_date__isnull=True)
    if episode:
        assessment.episode_close(actor=world["manager"], episode=episode, closure_date=day, reason_for_closure="RC8",
                                 expected_version=episode.version)


def _allocate(world, day, seen):
    worker = world["worker"] if seen else world["other"]
    casework.allocation_transfer(actor=world["manager"], child=world["child"], team=worker.team, worker=worker,
                                 start_date=day, reason="Caseload")


CALLS = [_note, _note_redate, _visit, _plan, _plan_end, _entry, _referral, _assessment, _assessment_redate,
         _authorise, _close, _allocate]


@pytest.fixture
def world(db):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    return {
        "worker": worker,
        "other": UserFactory(role=Role.SOCIAL_WORKER, team=worker.team),
        "manager": UserFactory(role=Role.TEAM_MANAGER, team=worker.team),
        "child": ChildFactory(date_of_birth=TODAY - dt.timedelta(days=9 * 365)),
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(CALLS), days_ago, st.booleans()), min_size=1, max_size=12))
def test_random_service_calls_keep_the_event_log_true(world, steps):
    for call, day, seen in steps:
        try:
            with transaction.atomic():
                call(world, day, seen)
        except (ValidationError, PermissionDenied, StaleRecordError):
            pass  # refused: the service changed nothing, and the log must still agree
        assert events.verify() == [], f"after {call.__name__}({day}, {seen})"


def test_the_sequence_replays_real_changes(world):
    """The calls above do reach the log (a property test whose calls were all refused would prove nothing)."""
    _referral(world, TODAY - dt.timedelta(days=30), True)
    _assessment(world, TODAY - dt.timedelta(days=29), True)
    _visit(world, TODAY - dt.timedelta(days=20), True)
    _note(world, TODAY - dt.timedelta(days=10), True)
    _note_redate(world, TODAY - dt.timedelta(days=12), True)
    kinds = set(world["child"].events.values_list("kind", flat=True))
    assert {"cin_episode", "assessment", "visit", "case_note"} <= kinds
    assert world["child"].events.filter(kind="case_note", occurred_on=TODAY - dt.timedelta(days=12)).exists()
    assert not world["child"].events.filter(kind="case_note", occurred_on=TODAY - dt.timedelta(days=10)).exists()
    assert events.verify() == []
