"""The adoption step of the synthetic authority: milestones in order, rates and the scorecard."""

import datetime as dt

import pytest

from opencsc.adoption import rules
from opencsc.adoption.codes import REASON_PLACED_CEASED
from opencsc.adoption.models import (
    AdopterHousehold,
    AdoptionPlan,
    AdoptionReview,
    AdoptionVisit,
    PermanenceOrder,
)
from opencsc.synthetic.testing import rolled_back_authority

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    """One authority for the module (tests run inside their own transactions), rolled back at the end."""
    with rolled_back_authority(django_db_blocker, seed=7, size=0.3, today=TODAY, until="adoption") as ctx:
        yield ctx


# Its own authority, generated once: the module runs on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("adoption-generator")]


def test_milestones_are_in_order_and_none_is_in_the_future(authority):
    plans = list(AdoptionPlan.objects.select_related("child"))
    assert plans
    for p in plans:
        dates = [d for d in (p.entered_care_on, p.should_be_placed_on, p.placement_order_on, p.matched_on,
                             p.placed_on, p.adoption_order_on) if d]
        assert dates == sorted(dates), p
        assert all(d <= TODAY for d in dates)
        assert p.child.date_of_birth <= p.entered_care_on
        if p.ended_on:
            assert p.should_be_placed_on <= p.ended_on <= TODAY
            assert p.end_reason in REASON_PLACED_CEASED and p.end_details
            assert p.adoption_order_on is None
        if p.ffa_placed_on:
            assert p.entered_care_on <= p.ffa_placed_on <= TODAY
        if p.lived_with_adopters_from:
            assert p.adopted_by_foster_carers and p.entered_care_on <= p.lived_with_adopters_from


def test_adoptions_a_year_and_the_scorecard(authority):
    start, end = rules.window(TODAY)
    adopted = list(AdoptionPlan.objects.filter(adoption_order_on__gte=start, adoption_order_on__lte=end))
    per_year = len(adopted) / 3 / authority.size
    assert 8 <= per_year <= 22
    a1 = rules.average([(p.placed_on - p.entered_care_on).days for p in adopted])
    assert 300 < a1 < 650
    a2 = rules.average([(p.matched_on - p.placement_order_on).days for p in adopted])
    assert 40 < a2 < 300


def test_children_waiting_now_at_each_stage(authority):
    open_plans = AdoptionPlan.objects.filter(ended_on__isnull=True, adoption_order_on__isnull=True)
    assert open_plans.count() >= 5
    assert open_plans.filter(placement_order_on__isnull=False, matched_on__isnull=True).exists()
    assert open_plans.filter(placement_order_on__isnull=True).exists()
    for plan in open_plans.filter(matched_on__isnull=False):
        assert plan.adopters is not None and plan.adopters.approved_on <= plan.matched_on
    assert open_plans.values("child").distinct().count() == open_plans.count()


def test_reviews_and_visits_follow_the_plans(authority):
    assert AdoptionReview.objects.exists()
    for review in AdoptionReview.objects.select_related("plan"):
        assert review.plan.should_be_placed_on <= review.held_on <= TODAY
    for visit in AdoptionVisit.objects.select_related("plan"):
        assert visit.plan.placed_on <= visit.visited_on <= TODAY


def test_adopter_households_across_the_stages(authority):
    households = list(AdopterHousehold.objects.all())
    assert 15 <= len(households) / authority.size <= 80
    stages = set()
    for h in households:
        dates = [d for d in (h.enquiry_on, h.stage_one_on, h.stage_two_on, h.approved_on) if d]
        assert dates == sorted(dates) and dates[-1] <= TODAY
        if h.withdrawn_on:
            assert dates[-1] <= h.withdrawn_on <= TODAY and h.withdrawal_reason
        stages.add(rules.adopter_stage(enquiry_on=h.enquiry_on, stage_one_on=h.stage_one_on,
                                       stage_two_on=h.stage_two_on, approved_on=h.approved_on,
                                       withdrawn_on=h.withdrawn_on)[0])
    assert {"enquiry", "stage_one", "stage_two", "approved", "withdrawn"} <= stages


def test_special_guardianship_and_child_arrangements_orders(authority):
    orders = PermanenceOrder.objects.select_related("child")
    assert orders.filter(kind="sgo").count() > orders.filter(kind="cao").count() > 0
    for order in orders:
        assert order.child.date_of_birth < order.made_on <= TODAY
