"""The early help step of the synthetic authority: volumes, families, step-downs and step-ups, validity."""

import datetime as dt

import pytest
from django.db.models import Count

from opencsc.assessment.models import CINEpisode
from opencsc.casework.models import Plan
from opencsc.earlyhelp.models import (
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    Family,
    OutcomeArea,
    OutcomeScore,
    Review,
    StepRequest,
    TeamMember,
)
from opencsc.synthetic.generators.earlyhelp import OPEN_FAMILIES, generate_earlyhelp
from opencsc.synthetic.testing import rolled_back_authority

TODAY = dt.date(2026, 11, 23)
SIZE = 0.2


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    """One authority for the module, rolled back at the end."""
    with rolled_back_authority(django_db_blocker, seed=7, size=SIZE, today=TODAY, until="earlyhelp") as ctx:
        if not EarlyHelpEpisode.objects.exists():  # until the step is in pipeline.STEPS
            generate_earlyhelp(ctx)
        yield ctx


# Its own authority, generated once: the module runs on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("earlyhelp-generator")]


def test_about_the_expected_number_of_families_are_in_early_help_now(authority):
    open_families = Family.objects.filter(episodes__closure_date__isnull=True).distinct().count()
    assert 0.6 * OPEN_FAMILIES * SIZE < open_families <= 1.1 * OPEN_FAMILIES * SIZE
    children = EarlyHelpEpisode.objects.filter(closure_date__isnull=True).count()
    assert children > open_families  # brothers and sisters are worked with as one family
    open_service = {c.pk for c in authority.children if c.service == "early_help" and c.is_open}
    assert open_service <= set(EarlyHelpEpisode.objects.filter(closure_date__isnull=True)
                               .values_list("child_id", flat=True)) | {c.pk for c in authority.children
                                                                       if c.date_of_birth is None}


def test_no_child_has_two_open_episodes_or_early_help_alongside_an_open_episode_of_need(authority):
    open_eh = list(EarlyHelpEpisode.objects.filter(closure_date__isnull=True).values_list("child_id", flat=True))
    assert len(open_eh) == len(set(open_eh))
    assert not CINEpisode.objects.filter(child_id__in=open_eh, closure_date__isnull=True).exists()


def test_dates_are_in_order_and_in_the_past(authority):
    for e in EarlyHelpEpisode.objects.select_related("child"):
        assert e.start_date <= TODAY
        assert e.child.date_of_birth is None or e.child.date_of_birth <= e.start_date
        if e.closure_date:
            assert e.start_date <= e.closure_date <= TODAY and e.closure_reason
    for a in EarlyHelpAssessment.objects.select_related("episode"):
        assert a.episode.start_date <= a.start_date <= (a.completed_date or TODAY) <= TODAY
    for link in EarlyHelpPlan.objects.select_related("plan", "episode__assessment"):
        assert link.plan.kind == Plan.Kind.EARLY_HELP
        assert link.episode.assessment.completed_date <= link.plan.start_date
        assert (link.plan.end_date is None) == (link.episode.closure_date is None)
        assert link.plan.actions.count() >= 2
    for r in Review.objects.select_related("episode"):
        assert r.episode.start_date < r.held_on <= (r.episode.closure_date or TODAY)


def test_every_scoring_covers_every_area_on_the_scale(authority):
    per_scoring = (OutcomeScore.objects.values("episode_id", "review_id").annotate(n=Count("id"))
                   .values_list("n", flat=True))
    assert set(per_scoring) == {len(OutcomeArea)}
    assert OutcomeScore.objects.filter(score__lt=1).count() == OutcomeScore.objects.filter(score__gt=10).count() == 0
    assert Review.objects.exists()


def test_every_family_has_one_lead_professional(authority):
    leads = dict(TeamMember.objects.filter(is_lead=True).values_list("family_id").annotate(n=Count("id")))
    assert set(leads.values()) == {1}
    assert set(leads) == set(Family.objects.values_list("pk", flat=True))


def test_step_downs_follow_the_episodes_of_need_and_some_wait(authority):
    flagged = CINEpisode.objects.filter(step_down_to_early_help=True, closure_date__isnull=False)
    decided = StepRequest.objects.filter(direction="step_down")
    assert decided.count() > 0.8 * flagged.count()
    assert set(decided.values_list("cin_episode_id", flat=True)) <= set(flagged.values_list("pk", flat=True))
    for step in decided.select_related("early_help_episode", "cin_episode"):
        assert step.panel_date >= step.requested_on
        if step.outcome == "taken_on":
            assert step.early_help_episode.source == "step_down"
            assert step.early_help_episode.start_date == step.outcome_date >= step.panel_date
    taken = decided.filter(outcome="taken_on").count()
    assert taken > 0.6 * decided.count()


def test_step_ups_led_to_social_care_and_a_few_are_pending(authority):
    ups = StepRequest.objects.filter(direction="step_up")
    taken = ups.filter(outcome="taken_on").select_related("early_help_episode", "cin_episode")
    assert taken.exists()
    for step in taken:
        assert step.early_help_episode.closure_reason == "stepped_up"
        assert step.requested_on < step.cin_episode.referral_date
    assert ups.filter(outcome="").exists()
