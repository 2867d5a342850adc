"""Clock events and chronology from the care records: the statutory timescales for children in care run."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencsc.care import services
from opencsc.care.models import Placement
from opencsc.care.selectors import CARE_RULES
from opencsc.care.tests.factories import looked_after
from opencsc.casework.services import visit_record
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.timescales import selectors as timescales_selectors
from opencsc.timescales.selectors import due_items

D = dt.date
VISIT_RULES = {"cla_visit", "cla_visit_long_term", "cla_visit_placed_with_parent", "cla_visit_connected_person"}


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=D(2014, 6, 1))


def due(child, today, rules=CARE_RULES):
    return {(i.rule_code, i.scope): i for i in due_items(children=Child.objects.filter(pk=child.pk), today=today,
                                                         rules=rules)}


def test_becoming_looked_after_starts_the_care_plan_iro_review_placement_and_visit_clocks(worker, child):
    period = looked_after(worker, child, D(2026, 4, 1))
    placement = Placement.objects.get(child=child)

    items = due(child, D(2026, 4, 2))

    assert set(items) == {
        ("care_plan", f"period:{period.pk}"), ("iro_appointed", f"period:{period.pk}"),
        ("cla_review", f"period:{period.pk}"), ("placement_plan", f"placement:{placement.pk}"),
        ("placement_notified", f"placement:{placement.pk}"), ("cla_visit", f"placement:{placement.pk}"),
    }
    assert items[("cla_review", f"period:{period.pk}")].due_date == D(2026, 5, 1)  # 20 working days (Easter)
    assert items[("cla_visit", f"placement:{placement.pk}")].due_date == D(2026, 4, 8)  # 1 week


def test_recording_the_plan_iro_review_and_visit_stops_or_moves_the_clocks(worker, child, make_user):
    period = looked_after(worker, child, D(2026, 4, 1))
    placement = Placement.objects.get(child=child)
    services.care_plan_record(actor=worker, child=child, start_date=D(2026, 4, 8), summary="Plan")
    services.iro_appoint(actor=worker, child=child, iro=make_user("iro"), appointed_on=D(2026, 4, 3))
    services.review_record(actor=worker, child=child, held_on=D(2026, 4, 28), participation="PN1", decisions="OK")
    services.placement_update(actor=worker, placement=placement, expected_version=1,
                              placement_plan_on=D(2026, 4, 1), notified_on=D(2026, 4, 1))
    visit_record(actor=worker, child=child, kind="cla", visited_on=D(2026, 4, 7), child_seen=True,
                 child_seen_alone=True)

    items = due(child, D(2026, 5, 1))

    assert set(items) == {("cla_review", f"period:{period.pk}"), ("cla_visit", f"placement:{placement.pk}")}
    assert items[("cla_review", f"period:{period.pk}")].due_date == D(2026, 7, 28)  # 3 months after the first
    assert items[("cla_visit", f"placement:{placement.pk}")].due_date == D(2026, 5, 19)  # 6 weeks after the visit


@pytest.mark.parametrize("regime, rule", [
    ("standard", "cla_visit"),
    ("until_18", "cla_visit_long_term"),
    ("with_parent", "cla_visit_placed_with_parent"),
    ("connected_person", "cla_visit_connected_person"),
])
def test_each_placement_runs_exactly_one_visit_rule(worker, child, regime, rule):
    looked_after(worker, child, D(2026, 4, 1), visit_regime=regime)
    placement = Placement.objects.get(child=child)

    clocks = set(due(child, D(2026, 4, 2), rules=VISIT_RULES | {"placement_plan", "placement_notified"}))

    scope = f"placement:{placement.pk}"
    assert clocks == {(rule, scope), ("placement_plan", scope), ("placement_notified", scope)}


def test_without_a_chosen_rule_every_alternative_would_run(worker, child, monkeypatch):
    """What the `only:` event prevents: the four visit rules share their start and end events."""
    looked_after(worker, child, D(2026, 4, 1), visit_regime="until_18")
    monkeypatch.setattr(timescales_selectors, "_only_chosen", lambda candidates, events: candidates)
    assert {code for code, _ in due(child, D(2026, 4, 2), rules=VISIT_RULES)} == VISIT_RULES


def test_a_move_restarts_the_visits_for_the_new_placement_only(worker, child):
    looked_after(worker, child, D(2026, 4, 1))
    new = services.placement_change(actor=worker, child=child, change_date=D(2026, 6, 1), reason_for_change="CARPL",
                                    placement_type="U4", provider="PR1", siblings_placed_together="none")
    assert set(due(child, D(2026, 6, 2), rules=VISIT_RULES)) == {("cla_visit", f"placement:{new.pk}")}


def test_ceasing_to_be_looked_after_stops_the_review_clock(worker, child):
    period = looked_after(worker, child, D(2026, 4, 1))
    services.period_end(actor=worker, child=child, end_date=D(2026, 4, 20), reason_ceased="E4A")
    assert ("cla_review", f"period:{period.pk}") not in due(child, D(2026, 6, 1))


def test_writing_the_clock_events_takes_a_fixed_number_of_queries(worker, make_user):
    iro = make_user("iro")
    for n in range(4):
        child = ChildFactory(date_of_birth=D(2012, 1, 1))
        looked_after(worker, child, D(2026, 4, 1))
        services.review_record(actor=worker, child=child, held_on=D(2026, 4, 20 + n), participation="PN1",
                               decisions="OK", iro=iro)
    children = list(Child.objects.values_list("pk", flat=True))
    kinds = ["care_period", "care_placement"]
    with CaptureQueriesContext(connection) as few:
        events.rebuild(kinds=kinds, child_ids=children[:1])
    with CaptureQueriesContext(connection) as many:
        written = events.rebuild(kinds=kinds, child_ids=children)
    assert len(many) == len(few), [q["sql"][:150] for q in many.captured_queries]
    assert written["care_placement"] == 4 * 2  # each placement: started, and the one visit rule it runs
    assert events.verify(kinds=kinds) == []


def test_the_chronology_shows_becoming_looked_after_moves_and_reviews(worker, child):
    looked_after(worker, child, D(2026, 4, 1))
    services.placement_change(actor=worker, child=child, change_date=D(2026, 6, 1), reason_for_change="CARPL",
                              placement_type="K2", provider="PR2", siblings_placed_together="none")
    services.review_record(actor=worker, child=child, held_on=D(2026, 4, 28), participation="PN1", decisions="OK")
    services.period_end(actor=worker, child=child, end_date=D(2026, 8, 1), reason_ceased="E4A")

    logged = Event.objects.filter(child=child).exclude(title="").order_by("occurred_on", "source_id", "seq")
    titles = [e.title for e in logged.filter(kind="care_episode")]
    titles += [e.title for e in logged.filter(kind="cla_review")]

    assert titles == ["Became looked after", "Placement changed", "Ceased to be looked after",
                      "Looked-after review held"]
