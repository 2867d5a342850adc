"""The referral and assessment step of the synthetic authority: volumes, rates and validity."""

import datetime as dt

import pytest

from opencsc.assessment import rules
from opencsc.assessment.models import Assessment, CINEpisode, CINPlan
from opencsc.casework.models import Plan
from opencsc.codes import PRIMARY_NEED, REASON_FOR_CLOSURE, REFERRAL_SOURCE
from opencsc.synthetic.generators.assessment import OPEN_SERVICES

TODAY = dt.date(2026, 11, 23)




pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def test_every_open_child_in_need_has_one_open_episode(authority):
    open_children = {c.pk for c in authority.children if c.service in OPEN_SERVICES and c.is_open}
    open_episodes = list(CINEpisode.objects.filter(closure_date__isnull=True).values_list("child_id", flat=True))
    assert set(open_episodes) == open_children
    assert len(open_episodes) == len(set(open_episodes))


def test_codes_and_dates_are_valid(authority):
    for e in CINEpisode.objects.all():
        assert e.referral_source in REFERRAL_SOURCE and e.primary_need in PRIMARY_NEED
        assert e.referral_date <= TODAY
        if e.closure_date:
            assert e.referral_date <= e.closure_date <= TODAY
            assert e.reason_for_closure in REASON_FOR_CLOSURE
    for a in Assessment.objects.select_related("episode"):
        assert a.episode.referral_date <= a.start_date <= TODAY
        if a.completed_date:
            assert a.start_date <= a.completed_date <= TODAY
            late = rules.assessment_is_late(a.episode.referral_date, a.completed_date)
            assert bool(a.reason_late) == late


def test_rates_look_like_national_figures(authority):
    episodes = CINEpisode.objects.count()
    police = CINEpisode.objects.filter(referral_source="6").count() / episodes
    re_referrals = CINEpisode.objects.filter(is_re_referral=True).count() / episodes
    assert 0.22 < police < 0.38
    assert 0.10 < re_referrals < 0.30
    done = Assessment.objects.filter(completed_date__isnull=False)
    on_time = sum(1 for a in done.select_related("episode")
                  if not rules.assessment_is_late(a.episode.referral_date, a.completed_date)) / done.count()
    assert 0.78 < on_time < 0.92
    assert Assessment.objects.filter(completed_date__isnull=True).exists()


def test_children_in_need_have_cin_plans_with_three_to_five_actions(authority):
    cin_children = {c.pk for c in authority.children if c.service == "child_in_need"}
    open_plans = Plan.objects.filter(kind="cin", end_date__isnull=True, child_id__in=cin_children)
    assert open_plans.count() >= 0.8 * len(cin_children)
    for plan in open_plans.prefetch_related("actions"):
        assert 3 <= len(plan.actions.all()) <= 5
    assert CINPlan.objects.count() == Plan.objects.filter(kind="cin").count()


def test_some_assessments_in_progress_await_authorisation(authority):
    """Managers' "Assessments awaiting your authorisation" has something in the demo: only assessments in
    progress, with an analysis, submitted by the worker who started them."""
    waiting = Assessment.objects.filter(submitted_at__isnull=False)
    assert waiting.exists()
    assert not waiting.filter(completed_date__isnull=False).exists()
    assert not waiting.filter(analysis="").exists()
    assert all(a.submitted_by_id == a.created_by_id for a in waiting)
