"""The synthetic authority is realistic: children only, records that end at 18, placements whose postcodes agree
with their flags, children in care always allocated, adopters for every adoption, inspection actions under their
own areas, and the volumes of the 2014 Hounslow report (scaled to the size)."""

import pytest

from opencsc.care.models import Placement
from opencsc.frontdoor.models import ContactChild
from opencsc.inspection.models import Action, Inspection
from opencsc.synthetic.generators import care
from opencsc.synthetic.testing import SHARED

from . import realism

TODAY = SHARED["today"]
SIZE = SHARED["size"]
LAST_31_MARCH = realism.last_31_march(TODAY)

pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def test_contacts_are_only_about_children_and_unborn_children(authority):
    assert realism.contacts_about_adults() == []
    assert ContactChild.objects.filter(child__date_of_birth__isnull=True).exists(), "some are about unborn babies"


def test_plans_episodes_and_periods_end_by_the_18th_birthday(authority):
    assert realism.past_eighteen(TODAY) == {}


def test_placements_out_of_the_borough_have_postcodes_and_distances_outside_it(authority):
    assert realism.placements_flag_mismatch() == []
    outside = Placement.objects.filter(in_authority=False)
    assert outside.exists()
    assert all(not realism.in_borough(p.postcode) for p in outside)
    # Some near (within 20 miles, 32 km), some far, as the Hounslow report has it.
    distances = [float(p.distance_km) for p in outside]
    assert any(d < 32 for d in distances) and any(d > 32 for d in distances)


def test_own_homes_and_supported_accommodation_are_in_the_borough(authority):
    """The council's own provision other than foster and adoptive homes (DfE 1015), and supported accommodation
    with its Ofsted URN (DfE 241), are in the borough."""
    outside = Placement.objects.filter(in_authority=False)
    assert not outside.filter(placement_type__in=care.SUPPORTED_ACCOMMODATION).exists()
    assert not outside.filter(provider="PR1").exclude(placement_type__in=care.FOSTER_OR_ADOPTION).exists()
    assert outside.filter(provider="PR1").exists()  # the council's own foster carers may live outside it


@pytest.mark.parametrize("years_back", [0, 1])
def test_every_child_in_care_on_31_march_has_a_social_worker_all_year(authority, years_back):
    day = LAST_31_MARCH.replace(year=LAST_31_MARCH.year - years_back)
    assert realism.unallocated_in_care(day) == []


def test_every_adoption_has_its_adopters_and_no_two_placements_in_a_row_look_the_same(authority):
    assert realism.adoptions_without_adopters() == []
    assert realism.same_household_twice() == []


def test_inspection_actions_belong_to_their_areas(authority):
    assert Action.objects.exists()
    assert realism.misplaced_actions() == []
    # Every area of the recent inspection has at least one action.
    ilacs = Inspection.objects.get(kind=Inspection.Kind.ILACS_STANDARD)
    assert all(area.actions.exists() for area in ilacs.areas.all())


@pytest.mark.parametrize("measure", sorted(realism.HOUNSLOW))
def test_volumes_are_the_hounslow_reports_scaled_to_the_size(authority, measure):
    """Within 15% of the 2014 Hounslow report's figures (at 31 March) scaled to the authority's size."""
    figures = realism.volumes(TODAY)
    expected = realism.HOUNSLOW[measure] * (1 if measure == "out_of_borough_share" else SIZE)
    tolerance = 0.15 if measure != "adoptions_a_year" else 0.25  # a handful a year at this size
    assert abs(figures[measure] - expected) <= tolerance * expected, (measure, figures[measure], expected)
