"""Referrals, closures and assessments in the event log (core/events.py), written by the services."""

import datetime as dt

import pytest

from opencsc.accounts.roles import Role
from opencsc.assessment import services
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.people.tests.factories import ChildFactory

from .factories import AssessmentFactory

D = dt.date
KINDS = ["cin_episode", "assessment"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_user):
    return make_user(role=Role.SOCIAL_WORKER)


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.TEAM_MANAGER)


def facts(kind, pk):
    return set(Event.objects.filter(kind=kind, source_id=pk).values_list("occurred_on", "title", "clock",
                                                                         "settled_on"))


@pytest.mark.parametrize(("nfa", "expected"), [
    (False, {(D(2026, 3, 2), "Referral received", "referral", None)}),
    (True, {(D(2026, 3, 2), "Referral received", "referral", D(2026, 3, 2)),
            (D(2026, 3, 2), "", "case_closed", D(2026, 3, 2))}),
])
def test_a_referral_is_in_the_log(worker, nfa, expected):
    episode = services.referral_create(actor=worker, child=ChildFactory(), referral_date=D(2026, 3, 2),
                                       referral_source="2A", primary_need="N1", referral_nfa=nfa)
    assert facts("cin_episode", episode.pk) == expected
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize(("outcome", "reason", "title"), [("cin_plan", "RC8", "Episode of need closed"),
                                                           ("early_help", "RC9", "Stepped down to early help")])
def test_closing_an_episode_stops_its_clocks(worker, manager, outcome, reason, title):
    assessment = AssessmentFactory(submitted=True)
    services.assessment_authorise(actor=manager, assessment=assessment, authorised_on=D(2026, 4, 1),
                                  outcome=outcome)
    episode = assessment.episode
    services.episode_close(actor=worker, episode=episode, closure_date=D(2026, 5, 4), reason_for_closure=reason)
    assert facts("cin_episode", episode.pk) == {(D(2026, 3, 2), "Referral received", "referral", D(2026, 5, 4)),
                                                (D(2026, 5, 4), title, "case_closed", D(2026, 5, 4))}
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize("change", ["start", "edit", "authorise"])
def test_assessments_are_in_the_log_as_they_change(worker, manager, change):
    episode = services.referral_create(actor=worker, child=ChildFactory(), referral_date=D(2026, 3, 2),
                                       referral_source="2A", primary_need="N1")
    assessment = services.assessment_start(actor=worker, episode=episode, start_date=D(2026, 3, 3),
                                           analysis="Risks are reducing.")
    expected = {(D(2026, 3, 3), "Child and family assessment started", "", None)}
    if change == "edit":
        services.assessment_update(actor=worker, assessment=assessment, expected_version=assessment.version,
                                   start_date=D(2026, 3, 5))
        expected = {(D(2026, 3, 5), "Child and family assessment started", "", None)}
    elif change == "authorise":
        services.assessment_submit(actor=worker, assessment=assessment, expected_version=assessment.version)
        services.assessment_authorise(actor=manager, assessment=assessment, authorised_on=D(2026, 4, 20),
                                      outcome="cin_plan")
        expected |= {(D(2026, 4, 20), "Child and family assessment authorised", "assessment_completed", None)}
    assert facts("assessment", assessment.pk) == expected
    clock = Event.objects.filter(kind="assessment", source_id=assessment.pk).exclude(clock="")
    assert all(e.scope == f"episode:{episode.pk}" and e.child_id == episode.child_id for e in clock)
    assert events.verify(kinds=KINDS) == []
