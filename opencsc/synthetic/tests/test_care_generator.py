"""The children in care step of the synthetic authority: volumes, rates and SSDA903 validity."""

import datetime as dt
from collections import defaultdict

import pytest

from opencsc.care import rules
from opencsc.care.models import (
    CareEpisode,
    CarePlan,
    IROAppointment,
    LookedAfterReview,
    PeriodOfCare,
    Placement,
)
from opencsc.care.services import _row
from opencsc.casework.models import Visit
from opencsc.codes import LEGAL_STATUS, PLACEMENT_TYPE, REASON_EPISODE_CEASED

TODAY = dt.date(2026, 11, 23)




pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def test_the_records_are_complete_and_every_episode_passes_the_services_ssda903_rules(authority):
    # every child in care has one open period and one open episode
    in_care = {c.pk for c in authority.children if c.service == "in_care" and c.pk and c.date_of_birth}
    open_periods = list(PeriodOfCare.objects.filter(end_date__isnull=True).values_list("child_id", flat=True))
    assert set(open_periods) == in_care and len(open_periods) == len(in_care)
    open_episodes = list(CareEpisode.objects.filter(end_date__isnull=True).values_list("child_id", flat=True))
    assert sorted(open_episodes) == sorted(open_periods)

    # every generated episode passes the SSDA903 rules the services enforce
    by_child = defaultdict(list)
    dob = {c.pk: c.date_of_birth for c in authority.children if c.pk}
    for episode in CareEpisode.objects.select_related("placement").order_by("child_id", "start_date", "id"):
        by_child[episode.child_id].append(_row(episode, episode.placement))
    assert by_child
    broken = {child: rules.episode_errors(rows, dob[child]) for child, rows in by_child.items()}
    assert {child: errors for child, errors in broken.items() if errors} == {}

    # codes come from the DfE lists and dates are not in the future
    for e in CareEpisode.objects.select_related("placement"):
        assert e.legal_status in LEGAL_STATUS and e.placement.placement_type in PLACEMENT_TYPE
        assert e.start_date <= TODAY and (e.end_date is None or e.end_date <= TODAY)
        assert not e.reason_ceased or e.reason_ceased in REASON_EPISODE_CEASED

    # plans, IROs, reviews and visits exist with some late
    periods = PeriodOfCare.objects.count()
    assert CarePlan.objects.count() == IROAppointment.objects.count() == periods
    assert LookedAfterReview.objects.count() > periods
    assert Placement.objects.filter(placement_plan_on__isnull=True).count() == 0
    open_placements = Placement.objects.filter(end_date__isnull=True).count()
    assert Visit.objects.filter(kind="cla").values("child").distinct().count() >= open_placements * 0.9
    late_plans = [p for p in Placement.objects.all() if (p.placement_plan_on - p.start_date).days > 7]
    assert 0 < len(late_plans) < Placement.objects.count() * 0.2


def test_histories_and_rates_look_real_and_adoptions_are_handed_on(authority):
    # legal statuses and placements look like national figures
    current = CareEpisode.objects.filter(end_date__isnull=True).select_related("placement")
    n = current.count()
    statuses = [e.legal_status for e in current]
    places = [e.placement.placement_type for e in current]
    assert statuses.count("C2") / n > 0.45
    assert sum(s.startswith("J") for s in statuses) / n < 0.05
    assert sum(p.startswith("U") for p in places) / n > 0.55
    assert "K2" in places

    # about one in ten have three or more placements this year
    from opencsc.care.selectors import stability
    from opencsc.people.models import Child

    measures = stability(Child.objects.all(), TODAY)
    assert 0.05 <= measures.many_placements / measures.looked_after <= 0.20

    # care leavers left care between 16 and 18
    leavers = {c.pk: c.date_of_birth for c in authority.children if c.is_care_leaver and c.pk}
    periods = PeriodOfCare.objects.filter(child_id__in=leavers)
    assert periods.exists()
    for period in periods:
        assert 16 <= rules.age_on(leavers[period.child_id], period.end_date) <= 18

    # adoptions are handed to the adoption step
    rows = authority.extra["care_adopted"]
    assert len(rows) >= 5
    for child_pk, start, placed, adopted in rows:
        period = PeriodOfCare.objects.get(child_id=child_pk)
        assert (period.start_date, period.end_date) == (start, adopted)
        assert start < placed < adopted
        assert Placement.objects.filter(period=period, start_date=placed, placement_type__in=("A5", "A6")).exists()
        assert CareEpisode.objects.get(period=period, end_date=adopted).reason_ceased in ("E11", "E12")
