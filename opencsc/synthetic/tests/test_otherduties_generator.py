"""The other duties step of the synthetic authority: volumes, validity and timeliness spread."""

import datetime as dt

import pytest

from opencsc.otherduties.models import (
    CareProceedings,
    Extension,
    Hearing,
    LadoAllegation,
    PrivateFostering,
    PrivateFosteringVisit,
)
from opencsc.otherduties.selectors import lado_timeliness
from opencsc.synthetic.generators.otherduties import generate_otherduties
from opencsc.timescales.core.calendar import WorkingDayCalendar

TODAY = dt.date(2026, 11, 23)




pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def test_private_fostering_arrangements_and_visits(authority):
    arrangements = list(PrivateFostering.objects.all())
    assert len(arrangements) == authority.scaled(20)
    assert sum(1 for a in arrangements if a.is_open) == authority.scaled(12)
    assert len({a.child_id for a in arrangements}) == len(arrangements)
    for a in arrangements:
        assert a.arrangement_start <= a.notified_on <= TODAY
        assert a.ended_on is None or a.notified_on <= a.ended_on <= TODAY
    for v in PrivateFosteringVisit.objects.select_related("arrangement"):
        assert v.arrangement.notified_on <= v.visited_on <= (v.arrangement.ended_on or TODAY)
        assert v.child_seen or not v.child_seen_alone


def test_lado_allegations_about_150_a_year_mostly_reported_in_time(authority):
    allegations = list(LadoAllegation.objects.all())
    assert len(allegations) == authority.scaled(150 * 730 / 365)
    cal = WorkingDayCalendar()
    on_time = sum(1 for a in allegations if lado_timeliness(a, TODAY, cal).on_time)
    assert 0.6 < on_time / len(allegations) < 0.9
    closed = [a for a in allegations if a.outcome]
    assert {a.outcome for a in closed} <= set(LadoAllegation.Outcome.values)
    assert len({a.outcome for a in closed}) >= 4
    for a in allegations:
        assert a.lado_informed_on is None or a.received_on <= a.lado_informed_on <= TODAY
        assert a.outcome_on is None or a.received_on <= a.outcome_on <= TODAY


def test_care_proceedings_about_40_open_some_past_26_weeks(authority):
    open_ = list(CareProceedings.objects.filter(final_order_on__isnull=True))
    assert len(open_) == authority.scaled(40)
    assert len({p.child_id for p in open_}) == len(open_)
    past = [p for p in open_ if (TODAY - p.issued_on).days > 26 * 7]
    assert 0 < len(past) < len(open_) / 2
    for p in CareProceedings.objects.all():
        assert p.issued_on <= TODAY
        assert p.final_order_on is None or (p.issued_on <= p.final_order_on <= TODAY and p.final_order)
    for h in Hearing.objects.select_related("proceedings"):
        assert h.proceedings.issued_on <= h.held_on <= (h.proceedings.final_order_on or TODAY)
    for e in Extension.objects.select_related("proceedings"):
        assert e.proceedings.issued_on <= e.granted_on <= (e.proceedings.final_order_on or TODAY)
    assert Extension.objects.exists()


def test_proceedings_are_for_children_in_care_once_the_care_step_has_run(authority):
    from opencsc.care.models import PeriodOfCare

    if not PeriodOfCare.objects.exists():
        pytest.skip("The care step has not made periods of care")
    for model in (LadoAllegation, PrivateFostering, CareProceedings):
        model.objects.all().delete()
    generate_otherduties(authority)
    in_care = set(PeriodOfCare.objects.values_list("child_id", flat=True))
    children = set(CareProceedings.objects.values_list("child_id", flat=True))
    assert children and children <= in_care
    assert CareProceedings.objects.filter(final_order_on__isnull=True).count() == authority.scaled(40)
    assert not set(PrivateFostering.objects.values_list("child_id", flat=True)) & in_care
