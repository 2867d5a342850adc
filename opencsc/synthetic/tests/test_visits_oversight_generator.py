"""The visits and management oversight step of the synthetic authority: rates, validity, gaps, reproducibility."""

import datetime as dt

import pytest

from opencsc.accounts.roles import Role
from opencsc.casework.models import OversightAction, OversightRecord, Plan, Visit
from opencsc.people.models import Child
from opencsc.synthetic.generators.visits_oversight import SERVICES, generate_visits_oversight
from opencsc.synthetic.testing import rolled_back_authority
from opencsc.timescales.core.calendar import WorkingDayCalendar

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    """One authority for the module (tests run inside their own transactions), rolled back at the end."""
    with rolled_back_authority(django_db_blocker, seed=11, size=0.2, today=TODAY, until="visits_oversight") as ctx:
        yield ctx


# Its own authority, generated once: the module runs on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("visits-generator")]


def _rows():
    visits = list(Visit.objects.order_by("child_id", "visited_on", "kind").values_list(
        "child_id", "kind", "visited_on", "child_seen", "child_seen_alone", "visitor_id"))
    oversight = list(OversightRecord.objects.order_by("child_id", "held_on").values_list(
        "child_id", "held_on", "decisions", "recorded_by_id"))
    return visits, oversight


def test_visits_are_for_children_in_need_and_on_plans_only_and_valid(authority):
    wanted = {c.pk for c in authority.children if c.service in SERVICES}
    births = dict(Child.objects.filter(pk__in=wanted).values_list("pk", "date_of_birth"))
    visited = set()
    for child_id, kind, day, seen, alone in Visit.objects.values_list(
            "child_id", "kind", "visited_on", "child_seen", "child_seen_alone"):
        visited.add(child_id)
        assert kind in (Visit.Kind.CIN, Visit.Kind.CP)
        assert day <= TODAY
        assert births[child_id] is None or day >= births[child_id]
        assert seen or not alone
    assert visited <= wanted
    assert len(visited) > 0.9 * len(wanted)


def test_rates_are_realistic(authority):
    total = Visit.objects.count()
    seen = Visit.objects.filter(child_seen=True).count()
    alone = Visit.objects.filter(child_seen_alone=True).count()
    assert 0.85 <= seen / total <= 0.95
    assert 0.6 <= alone / seen <= 0.8


def test_visits_come_every_10_to_20_working_days_with_some_gaps(authority):
    cal = WorkingDayCalendar()
    gaps = []
    last_by_child: dict[int, dt.date] = {}
    previous: dict[tuple, dt.date] = {}
    for child_id, kind, day in Visit.objects.order_by("child_id", "kind", "visited_on").values_list(
            "child_id", "kind", "visited_on"):
        key = (child_id, kind)
        if key in previous:
            gaps.append(cal.working_days_between(previous[key], day))
        previous[key] = day
        last_by_child[child_id] = max(day, last_by_child.get(child_id, day))
    gaps.sort()
    median = gaps[len(gaps) // 2]
    assert 7 <= median <= 20
    assert any(g > 20 for g in gaps), "some visits are late"
    open_children = [c.pk for c in authority.children if c.service in SERVICES and c.is_open]
    overdue = [pk for pk in open_children if pk in last_by_child
               and cal.working_days_between(last_by_child[pk], TODAY) > 20]
    assert 0 < len(overdue) < 0.4 * len(open_children)


def test_visits_follow_plans_where_there_are_plans(authority):
    """Every CIN or CP visit falls inside one of that child's plans of the same kind, where it has any."""
    windows: dict[tuple[int, str], list[tuple[dt.date, dt.date]]] = {}
    for child_id, kind, start, end in Plan.objects.filter(kind__in=["cin", "cp"]).values_list(
        "child_id", "kind", "start_date", "end_date"
    ):
        windows.setdefault((child_id, kind), []).append((start, end or TODAY))
    checked = 0
    for child_id, kind, day in Visit.objects.filter(kind__in=["cin", "cp"]).values_list(
        "child_id", "kind", "visited_on"
    ):
        spans = windows.get((child_id, kind))
        if not spans:
            continue
        checked += 1
        assert any(start <= day <= end for start, end in spans), (child_id, kind, day)
    assert checked > 50


def test_management_oversight_is_recorded_by_managers_about_monthly_with_some_missed(authority):
    records = OversightRecord.objects.select_related("recorded_by")
    assert records.exists()
    assert {r.recorded_by.role for r in records} <= {Role.TEAM_MANAGER, Role.SERVICE_MANAGER,
                                                     Role.SENIOR_PRACTITIONER}
    assert all(r.held_on <= TODAY for r in records)
    assert OversightAction.objects.exists()
    assert all(a.due_date >= a.record.held_on for a in OversightAction.objects.select_related("record")[:500])
    open_children = {c.pk for c in authority.children if c.service in SERVICES and c.is_open}
    recent = set(OversightRecord.objects.filter(held_on__gt=TODAY - dt.timedelta(days=45),
                                                child_id__in=open_children).values_list("child_id", flat=True))
    assert 0.5 * len(open_children) < len(recent) < len(open_children)


def test_the_same_seed_gives_the_same_visits_and_oversight(authority):
    first = _rows()
    OversightAction.objects.all().delete()
    OversightRecord.objects.all().delete()
    Visit.objects.all().delete()

    generate_visits_oversight(authority)

    assert _rows() == first
