"""The care records in the event log (core.Event): what each service writes."""

import datetime as dt

import pytest
from django.urls import reverse

from opencsc.care import services
from opencsc.care.models import (
    CareEpisode,
    CarePlan,
    IROAppointment,
    PeriodOfCare,
    Placement,
)
from opencsc.care.tests.factories import looked_after
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

D = dt.date
KINDS = ["care_episode", "care_period", "care_placement", "care_plan", "cla_review", "iro_appointment"]


# --- What each service leaves in the log ------------------------------------------------------------


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=D(2014, 6, 1))


def clocks(child):
    return set(Event.objects.filter(child=child).exclude(clock="").values_list("clock", "occurred_on", "scope"))


def titles(child):
    return set(Event.objects.filter(child=child).exclude(title="").values_list("kind", "title", "occurred_on"))


def _become(worker, child, iro):
    looked_after(worker, child, D(2026, 4, 1), visit_regime="with_parent")


def _move(worker, child, iro):
    _become(worker, child, iro)
    services.placement_change(actor=worker, child=child, change_date=D(2026, 6, 1), reason_for_change="CARPL",
                              placement_type="U4", provider="PR1", siblings_placed_together="none")


def _legal_status(worker, child, iro):
    looked_after(worker, child, D(2026, 4, 1), legal_status="C1")
    services.legal_status_change(actor=worker, child=child, change_date=D(2026, 5, 4), legal_status="C2")


def _plan(worker, child, iro):
    _become(worker, child, iro)
    services.care_plan_record(actor=worker, child=child, start_date=D(2026, 4, 8), summary="Stay with mother")
    services.care_plan_record(actor=worker, child=child, start_date=D(2026, 7, 1), summary="Long-term plan",
                              permanence_option="adoption", permanence_decided_on=D(2026, 6, 30))


def _iro(worker, child, iro):
    _become(worker, child, iro)
    services.iro_appoint(actor=worker, child=child, iro=iro, appointed_on=D(2026, 4, 3))


def _review(worker, child, iro):
    _become(worker, child, iro)
    services.review_record(actor=worker, child=child, held_on=D(2026, 4, 28), participation="PN1",
                           decisions="Stay at home", iro=iro)


def _end(worker, child, iro):
    _plan(worker, child, iro)
    services.iro_appoint(actor=worker, child=child, iro=iro, appointed_on=D(2026, 4, 3))
    services.period_end(actor=worker, child=child, end_date=D(2026, 8, 3), reason_ceased="E4A")


def _placement_dates(worker, child, iro):
    _become(worker, child, iro)
    placement = Placement.objects.get(child=child)
    services.placement_update(actor=worker, placement=placement, expected_version=1,
                              placement_plan_on=D(2026, 4, 2), notified_on=D(2026, 4, 6))
    placement.refresh_from_db()
    services.placement_update(actor=worker, placement=placement, expected_version=placement.version,
                              placement_plan_on=D(2026, 4, 3), visit_regime="standard")


@pytest.mark.parametrize("record, expected_clocks, expected_titles", [
    (_become, {("became_looked_after", D(2026, 4, 1), "period"), ("first_placement", D(2026, 4, 1), "period"),
               ("placement_started", D(2026, 4, 1), "placement"),
               ("only:cla_visit_placed_with_parent", D(2026, 4, 1), "placement")},
     {("care_episode", "Became looked after", D(2026, 4, 1))}),
    (_move, {("placement_ended", D(2026, 6, 1), "placement"), ("placement_started", D(2026, 6, 1), "placement"),
             ("only:cla_visit", D(2026, 6, 1), "placement")},
     {("care_episode", "Became looked after", D(2026, 4, 1)), ("care_episode", "Placement changed", D(2026, 6, 1))}),
    (_legal_status, set(), {("care_episode", "Legal status changed", D(2026, 5, 4))}),
    (_plan, {("care_plan", D(2026, 4, 8), "period"), ("care_plan", D(2026, 7, 1), "period")},
     {("care_plan", "Care plan recorded", D(2026, 4, 8)), ("care_plan", "Care plan recorded", D(2026, 7, 1))}),
    (_iro, {("iro_appointed", D(2026, 4, 3), "period")}, set()),
    (_review, {("cla_review", D(2026, 4, 28), "period"), ("cla_review", D(2026, 4, 28), "placement")},
     {("cla_review", "Looked-after review held", D(2026, 4, 28))}),
    (_end, {("ceased_looked_after", D(2026, 8, 3), "period"), ("placement_ended", D(2026, 8, 3), "placement")},
     {("care_episode", "Ceased to be looked after", D(2026, 8, 3))}),
    (_placement_dates, {("placement_plan", D(2026, 4, 3), "placement"), ("placement_notified", D(2026, 4, 6),
                                                                        "placement"),
                        ("only:cla_visit", D(2026, 4, 1), "placement")}, set()),
])
def test_each_service_leaves_the_log_matching_the_records(worker, child, make_user, record, expected_clocks,
                                                          expected_titles):
    record(worker, child, make_user("iro"))

    assert events.verify(kinds=KINDS) == []
    logged = {(clock, on, scope.split(":")[0]) for clock, on, scope in clocks(child)}
    assert expected_clocks <= logged
    assert expected_titles <= titles(child)


def test_an_edited_placement_date_replaces_the_old_clock_event(worker, child, make_user):
    _placement_dates(worker, child, make_user("iro"))

    placement = Placement.objects.get(child=child)
    scope = f"placement:{placement.pk}"
    assert {(c, on) for c, on, s in clocks(child) if s == scope and c.startswith(("placement_", "only:"))} == {
        ("placement_started", D(2026, 4, 1)), ("only:cla_visit", D(2026, 4, 1)),
        ("placement_plan", D(2026, 4, 3)), ("placement_notified", D(2026, 4, 6))}
    assert ("cla_review", scope) not in {(c, s) for c, _on, s in clocks(child)}


def test_a_review_is_repeated_only_in_the_placements_that_pace_their_visits_by_it(worker, child, make_user):
    _move(worker, child, make_user("iro"))
    services.review_record(actor=worker, child=child, held_on=D(2026, 6, 10), participation="PN1", decisions="OK")

    first, second = Placement.objects.filter(child=child).order_by("start_date")
    period = PeriodOfCare.objects.get(child=child)
    reviews = {s for c, _on, s in clocks(child) if c == "cla_review"}
    assert reviews == {f"period:{period.pk}", f"placement:{first.pk}"}  # the second is a standard placement
    assert events.verify(kinds=KINDS) == []


def test_every_record_of_a_whole_journey_is_in_the_log_once(worker, child, make_user):
    iro = make_user("iro")
    _end(worker, child, iro)

    for model, kind in ((PeriodOfCare, "care_period"), (Placement, "care_placement"), (CareEpisode, "care_episode"),
                        (CarePlan, "care_plan"), (IROAppointment, "iro_appointment")):
        ids = set(model.objects.filter(child=child).values_list("pk", flat=True))
        assert ids and set(Event.objects.filter(kind=kind, child=child).values_list("source_id", flat=True)) == ids, kind
    assert events.verify(kinds=KINDS) == []


def test_dates_edited_through_the_placement_page_move_the_clock_events(signed_in, worker, child):
    looked_after(worker, child, D(2026, 4, 1))
    placement = Placement.objects.get(child=child)
    client = signed_in("social_worker")
    url = reverse("care:placement_edit", args=[child.pk, placement.pk])

    for version, (plan_on, regime) in enumerate([(D(2026, 4, 2), "until_18"), (D(2026, 4, 6), "standard")], 1):
        response = client.post(url, {
            "carer_name": "Mr and Mrs Okafor", "postcode": "TW4 5HB", "distance_km": "3.2",
            "siblings_placed_together": "none", "visit_regime": regime, "version": version,
            "placement_plan_on_0": plan_on.day, "placement_plan_on_1": plan_on.month,
            "placement_plan_on_2": plan_on.year})
        assert response.status_code == 302

    scope = f"placement:{placement.pk}"
    assert sorted((c, on) for c, on, s in clocks(child) if s == scope) == [
        ("only:cla_visit", D(2026, 4, 1)), ("placement_plan", D(2026, 4, 6)), ("placement_started", D(2026, 4, 1))]
    assert events.verify(kinds=KINDS) == []
