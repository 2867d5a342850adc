"""The care leavers step of the synthetic authority: who, validity, and national rates."""

import datetime as dt

import pytest

from opencsc.accounts.roles import Role
from opencsc.careleavers import rules, selectors
from opencsc.careleavers.codes import ACCOMMODATION, ACTIVITY, IN_TOUCH
from opencsc.careleavers.models import (
    AdviserAllocation,
    CareLeaver,
    Contact,
    EligibilityDecision,
    PathwayPlan,
    PathwayPlanReview,
)
from opencsc.people.models import Child
from opencsc.synthetic.testing import rolled_back_authority
from opencsc.timescales.selectors import due_items

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    """One authority for the module (tests run inside their own transactions), rolled back at the end."""
    with rolled_back_authority(django_db_blocker, seed=7, size=0.4, today=TODAY, until="careleavers") as ctx:
        yield ctx


# Its own authority, generated once: the module runs on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("careleavers-generator")]


@pytest.fixture
def leavers(authority):
    return Child.objects.filter(care_leaver__isnull=False)


def test_every_care_leaver_is_supported_with_valid_codes_and_dates(authority, leavers):
    expected = {c.pk for c in authority.children if c.is_care_leaver and c.date_of_birth
                and rules.age_on(c.date_of_birth, TODAY) < 25}
    assert expected and expected <= set(leavers.values_list("pk", flat=True))
    for child in leavers:
        assert 16 <= rules.age_on(child.date_of_birth, TODAY) < 25
    assert EligibilityDecision.objects.values("child").distinct().count() == leavers.count()
    open_allocations = AdviserAllocation.objects.filter(end_date__isnull=True)
    assert open_allocations.count() == leavers.count()
    assert set(open_allocations.values_list("adviser__role", flat=True)) == {Role.PERSONAL_ADVISER}
    # Codes and dates are valid.
    for c in Contact.objects.select_related("child"):
        assert c.in_touch in IN_TOUCH and c.activity in ACTIVITY and c.accommodation in ACCOMMODATION
        assert rules.birthday(c.child.date_of_birth, 16) <= c.contact_date <= TODAY
    for r in PathwayPlanReview.objects.select_related("plan"):
        assert r.plan.start_date < r.reviewed_on <= TODAY
    for p in PathwayPlan.objects.all():
        assert p.start_date <= TODAY and (p.needs_assessed_on is None or p.needs_assessed_on <= p.start_date)
    for cl in CareLeaver.objects.select_related("child"):
        if rules.age_on(cl.child.date_of_birth, TODAY) >= 21:
            assert cl.support_to_25 or cl.in_education
        if cl.staying_put_start:
            assert cl.staying_put_start >= rules.birthday(cl.child.date_of_birth, 18) and cl.staying_put_carer


def test_rates_look_like_national_figures_and_some_reviews_are_late(authority, leavers):
    with_contact = leavers.filter(leaving_care_contacts__isnull=False).distinct()
    total = with_contact.count()
    assert total > 40
    assert 0.8 < selectors.in_touch(with_contact).count() / total < 0.97
    older = selectors.in_age_group(with_contact, "19-21", TODAY)
    in_touch_older = selectors.in_touch(older)
    assert 0.35 < selectors.in_eet(in_touch_older).count() / in_touch_older.count() < 0.75
    known = selectors.with_latest(selectors.in_touch(with_contact))
    assert 0.75 < selectors.in_suitable_accommodation(known).count() / known.count() < 0.97
    assert CareLeaver.objects.filter(staying_put_start__isnull=False).exists()
    assert Contact.objects.filter(accommodation="Z1").exists()
    # Some pathway plan reviews are late.
    items = [i for i in due_items(children=leavers, today=TODAY, rules=["pathway_plan_review"])]
    assert items
    red = sum(1 for i in items if i.rag == "red")
    assert 0 < red < len(items) / 2
