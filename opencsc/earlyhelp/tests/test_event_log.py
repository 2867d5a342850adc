"""Early help in the event log (core/events.py): episodes, the assessment and reviews, step-up and
step-down, written by the services."""

import datetime as dt

import pytest

from opencsc.accounts.roles import Role
from opencsc.assessment.tests.factories import CINEpisodeFactory
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.earlyhelp import services
from opencsc.people.tests.factories import ChildFactory

from .factories import ACTION, ALL_FIVES, EarlyHelpEpisodeFactory

D = dt.date
KINDS = ["early_help", "early_help_work", "early_help_steps"]
pytestmark = pytest.mark.django_db


def facts(kind, child):
    return sorted(Event.objects.filter(kind=kind, child=child).values_list("occurred_on", "title", "seq"))


@pytest.fixture
def worker(make_user):
    return make_user(role=Role.SOCIAL_WORKER)


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.TEAM_MANAGER)


def test_an_episode_from_start_to_closure(worker):
    child = ChildFactory()
    episode = services.episode_start(actor=worker, child=child, start_date=D(2026, 2, 2), source="request",
                                     reason="Mother asked for help.")
    assert facts("early_help", child) == [(D(2026, 2, 2), "Early help started", 0)]
    assert Event.objects.get(kind="early_help", child=child).detail.endswith(f"({episode.family.name})")
    services.episode_close(actor=worker, episode=episode, closure_date=D(2026, 6, 1),
                           closure_reason="outcomes_achieved")
    assert facts("early_help", child) == [(D(2026, 2, 2), "Early help started", 0),
                                          (D(2026, 6, 1), "Early help closed", 9)]
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize("reviews", [0, 1, 3])
def test_the_assessment_and_each_review_are_in_the_log(worker, reviews):
    episode = EarlyHelpEpisodeFactory()
    assessment = services.assessment_record(actor=worker, episode=episode, start_date=D(2026, 2, 3))
    assert facts("early_help_work", episode.child) == []  # not completed yet
    services.assessment_record(actor=worker, episode=episode, expected_version=assessment.version,
                               wishes_and_feelings="Jay wants mum to be less stressed.",
                               completed_date=D(2026, 2, 20), scores=ALL_FIVES)
    services.plan_start(actor=worker, episode=episode, start_date=D(2026, 2, 23), actions=[ACTION])
    for n in range(reviews):
        services.review_record(actor=worker, episode=episode, held_on=D(2026, 3 + n, 20), progress="Better.",
                               scores=ALL_FIVES)
    assert facts("early_help_work", episode.child) == [
        (D(2026, 2, 20), "Early help assessment completed", 1),
        *[(D(2026, 3 + n, 20), "Early help plan reviewed", 2 + n) for n in range(reviews)],
    ]
    assert set(Event.objects.filter(kind="early_help_work", child=episode.child)
               .values_list("source_id", flat=True)) == {episode.pk}
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize("decision", ["accepted", "declined"])
def test_a_step_up_and_the_panels_decision(worker, manager, decision):
    episode = EarlyHelpEpisodeFactory()
    step = services.step_up_request(actor=worker, episode=episode, requested_on=D(2026, 3, 2),
                                    reason="Disclosure of domestic abuse.")
    assert facts("early_help_steps", episode.child) == [
        (D(2026, 3, 2), "Step-up to children's social care requested", 0)]
    services.step_up_decide(actor=manager, step=step, panel_date=D(2026, 3, 4), panel_decision=decision)
    label = "accepted" if decision == "accepted" else "not accepted"
    assert facts("early_help_steps", episode.child) == [
        (D(2026, 3, 2), "Step-up to children's social care requested", 0),
        (D(2026, 3, 4), f"Step-up to children's social care: {label} by the panel", 1)]
    # Accepted: the child goes to the front door as a contact, in the log too.
    assert Event.objects.filter(kind="contact", child=episode.child).exists() is (decision == "accepted")
    if decision == "accepted":
        CINEpisodeFactory(child=episode.child, referral_date=D(2026, 3, 5))
        step.refresh_from_db()
        services.step_outcome(actor=manager, step=step, outcome="taken_on", outcome_date=D(2026, 3, 5))
        assert (D(2026, 3, 5), "Early help closed", 9) in facts("early_help", episode.child)
    assert events.verify(kinds=[*KINDS, "contact"]) == []


def test_a_step_down_decided_by_the_panel_then_taken_on(worker, manager):
    cin = CINEpisodeFactory(referral_date=D(2025, 9, 1), closure_date=D(2026, 1, 12), reason_for_closure="RC9",
                            step_down_to_early_help=True, step_down_date=D(2026, 1, 12))
    services.step_down_decide(actor=manager, cin_episode=cin, panel_date=D(2026, 1, 15), panel_decision="accepted")
    assert facts("early_help_steps", cin.child) == [
        (D(2026, 1, 15), "Step-down to early help: accepted by the panel", 1)]  # no request entry for a step-down
    services.episode_start(actor=worker, child=cin.child, start_date=D(2026, 1, 20), source="step_down",
                           reason="Stepped down.")
    assert facts("early_help", cin.child) == [(D(2026, 1, 20), "Early help started", 0)]
    assert events.verify(kinds=KINDS) == []
