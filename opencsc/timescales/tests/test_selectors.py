"""Due lists from the event registry: what is due, when, its RAG, who may see it, and in how many queries."""

import datetime as dt
import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencsc.accounts.roles import Role
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.timescales import selectors, services
from opencsc.timescales.models import MissedTimescaleReason

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)
DUE = dt.date(2026, 3, 16)  # 10 working days after Monday 2 March 2026


def _items(child, today, **kwargs):
    return [i for i in selectors.due_items(children=Child.objects.filter(pk=child.pk), today=today, **kwargs)
            if i.rule_code == "cp_visit"]


@pytest.mark.parametrize("today, rag, days_left", [
    (MONDAY, "green", 14),
    (dt.date(2026, 3, 11), "green", 5),
    (dt.date(2026, 3, 12), "amber", 4),  # 2 working days before the due date
    (DUE, "amber", 0),
    (dt.date(2026, 3, 17), "red", -1),
    (dt.date(2026, 4, 30), "red", -45),
])
def test_a_cp_plan_without_visits_has_a_visit_due_in_10_working_days(casework_clocks, cp_plan, today, rag, days_left):
    child = cp_plan(MONDAY)

    [item] = _items(child, today)

    assert (item.due, item.rag, item.days_left, item.started) == (DUE, rag, days_left, MONDAY)
    assert item.rule_name == "Visits to a child on a child protection plan"


def test_a_visit_restarts_the_clock_from_the_actual_visit(casework_clocks, cp_plan):
    child = cp_plan(MONDAY, visits=[dt.date(2026, 3, 9)])

    [item] = _items(child, dt.date(2026, 3, 10))

    assert item.due == dt.date(2026, 3, 23)
    assert item.step == 1


def test_completed_visits_are_shown_only_when_asked(casework_clocks, cp_plan):
    child = cp_plan(MONDAY, visits=[dt.date(2026, 3, 18)])  # two days late

    done = _items(child, dt.date(2026, 3, 19), completed_since=MONDAY)

    assert [(i.rag, i.due) for i in done] == [("green", dt.date(2026, 4, 1)), ("done_late", DUE)]
    assert [i.rag for i in _items(child, dt.date(2026, 3, 19))] == ["green"]


def test_an_ended_plan_has_nothing_due(casework_clocks, cp_plan):
    child = cp_plan(MONDAY, ended=dt.date(2026, 3, 10))

    assert _items(child, dt.date(2026, 4, 1)) == []


def test_a_closure_day_moves_the_due_date_by_a_working_day(casework_clocks, cp_plan, make_user):
    child = cp_plan(MONDAY)
    services.closure_day_add(date=dt.date(2026, 3, 11), reason="Staff training day",
                             actor=make_user(role=Role.SERVICE_MANAGER))

    [item] = _items(child, MONDAY)

    assert item.due == dt.date(2026, 3, 17)


def test_removing_the_closure_day_moves_it_back(casework_clocks, cp_plan, make_user):
    child = cp_plan(MONDAY)
    manager = make_user(role=Role.SERVICE_MANAGER)
    day = services.closure_day_add(date=dt.date(2026, 3, 11), reason="Staff training day", actor=manager)
    assert _items(child, MONDAY)[0].due == dt.date(2026, 3, 17)

    services.closure_day_remove(day=day, actor=manager)

    assert _items(child, MONDAY)[0].due == DUE


def test_the_authoritys_local_value_is_used(casework_clocks, cp_plan, make_user):
    child = cp_plan(MONDAY)
    services.rule_setting_update(rule_code="cp_visit", values={"length": 5, "unit": "working_days"},
                                 actor=make_user(role=Role.SERVICE_MANAGER))

    [item] = _items(child, MONDAY)

    assert item.due == dt.date(2026, 3, 9)


def test_a_recorded_reason_is_shown_with_the_overdue_item(casework_clocks, cp_plan, make_user):
    child = cp_plan(MONDAY)
    services.missed_reason_record(child=child, rule_code="cp_visit", due_date=DUE, reason="Family away",
                                  actor=make_user(role=Role.SOCIAL_WORKER))

    [item] = _items(child, dt.date(2026, 3, 20))

    assert (item.rag, item.late_reason) == ("red", "Family away")


def test_cin_rules_run_from_a_cin_plan(casework_clocks, cp_plan):
    child = cp_plan(MONDAY, kind="cin")

    items = selectors.due_items(children=Child.objects.filter(pk=child.pk), today=MONDAY)

    assert {i.rule_code for i in items} == {"cin_visit", "cin_review"}


def test_rules_can_be_limited(casework_clocks, cp_plan):
    child = cp_plan(MONDAY, kind="cin")

    items = selectors.due_items(children=Child.objects.filter(pk=child.pk), today=MONDAY, rules=["cin_visit"])

    assert [i.rule_code for i in items] == ["cin_visit"]


def test_red_items_come_first_then_by_due_date(casework_clocks, cp_plan):
    late = cp_plan(dt.date(2026, 1, 5))
    soon = cp_plan(dt.date(2026, 2, 27))
    later = cp_plan(MONDAY)

    items = selectors.due_items(children=Child.objects.all(), today=MONDAY, rules=["cp_visit"])

    assert [(i.child_id, i.rag) for i in items] == [(late.pk, "red"), (soon.pk, "green"), (later.pk, "green")]


# --- My work, team, overdue, the child's record --------------------------------------------


def test_my_work_lists_only_children_allocated_to_me_now(casework_clocks, cp_plan, worker, allocate, make_user):
    mine = cp_plan(MONDAY)
    allocate(mine, worker)
    handed_on = cp_plan(MONDAY)
    allocate(handed_on, worker, end=dt.date(2026, 2, 1))
    someone_elses = cp_plan(MONDAY)
    allocate(someone_elses, make_user())

    items = selectors.my_work(user=worker, today=MONDAY)

    assert {i.child_id for i in items} == {mine.pk}
    assert items[0].child == mine


def test_my_work_leaves_out_a_restricted_child_i_have_no_grant_for(casework_clocks, cp_plan, worker, allocate):
    child = cp_plan(MONDAY)
    allocate(child, worker)
    Child.objects.filter(pk=child.pk).update(is_restricted=True)

    assert selectors.my_work(user=worker, today=MONDAY) == []


def test_a_partner_sees_no_due_items(casework_clocks, cp_plan, make_user):
    cp_plan(dt.date(2026, 1, 5))

    assert selectors.overdue(user=make_user(role=Role.PARTNER, agency="police"), today=MONDAY) == []


def test_team_work_counts_by_worker_and_filters(casework_clocks, cp_plan, team, worker, allocate, make_user):
    other = make_user(role=Role.SOCIAL_WORKER, team=team)
    manager = make_user(role=Role.TEAM_MANAGER, team=team)
    allocate(cp_plan(dt.date(2026, 1, 5)), worker)  # cp_visit and core group red, cp_review green
    allocate(cp_plan(MONDAY, kind="cin"), worker)  # cin_visit green, cin_review amber (due 12 March)
    allocate(cp_plan(dt.date(2026, 2, 25)), other)  # cp_visit and core group amber, cp_review green
    allocate(cp_plan(dt.date(2026, 1, 5)), make_user(), to_team=make_user().team)  # another team

    rows = selectors.team_work(user=manager, team=team, today=dt.date(2026, 3, 9))

    assert [(r.worker, r.counts) for r in rows] == [
        (worker, {"red": 2, "amber": 1, "green": 2}),
        (other, {"red": 0, "amber": 2, "green": 1}),
    ]
    reds = selectors.team_work(user=manager, team=team, status="red", today=dt.date(2026, 3, 9))
    assert [(r.worker, r.counts["red"], len(r.items)) for r in reds] == [(worker, 2, 2), (other, 0, 0)]
    cin = selectors.team_work(user=manager, team=team, rule="cin_visit", today=dt.date(2026, 3, 9))
    assert {r.worker: len(r.items) for r in cin} == {worker: 1, other: 0}
    only_other = selectors.team_work(user=manager, team=team, worker=other, today=dt.date(2026, 3, 9))
    assert [(r.worker, len(r.items)) for r in only_other] == [(other, 3)]


def test_overdue_is_red_only_most_overdue_first_and_filters_by_team(
    casework_clocks, cp_plan, team, worker, allocate, make_user
):
    analyst = make_user(role=Role.PERFORMANCE_ANALYST)
    newer = cp_plan(dt.date(2026, 2, 2))
    older = cp_plan(dt.date(2026, 1, 5))
    cp_plan(MONDAY)  # green
    allocate(newer, worker)

    everything = selectors.overdue(user=analyst, today=MONDAY)
    assert {(i.child_id, i.rule_code) for i in everything} == {
        (older.pk, "cp_visit"), (older.pk, "cp_core_group"), (newer.pk, "cp_visit"), (newer.pk, "cp_core_group")}
    assert {i.rag for i in everything} == {"red"}
    visits = selectors.overdue(user=analyst, rule="cp_visit", today=MONDAY)
    assert [i.child_id for i in visits] == [older.pk, newer.pk]
    assert {i.child_id for i in selectors.overdue(user=analyst, team=team, today=MONDAY)} == {newer.pk}
    assert selectors.overdue(user=analyst, rule="cin_visit", today=MONDAY) == []


def test_child_next_due(casework_clocks, cp_plan, make_user):
    child = cp_plan(MONDAY)
    cp_plan(MONDAY)

    items = selectors.child_next_due(user=make_user(), child=child, today=MONDAY)

    assert {(i.child_id, i.rule_code) for i in items} == {
        (child.pk, "cp_visit"), (child.pk, "cp_core_group"), (child.pk, "cp_review")}
    assert [i.due for i in items] == sorted(i.due for i in items)


# --- Set-based: the number of queries does not depend on the number of children -------------


def _queries_for(n, cp_plan):
    for i in range(n):
        cp_plan(MONDAY - dt.timedelta(days=i % 40), visits=[MONDAY - dt.timedelta(days=i % 7)])
    MissedTimescaleReason.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        items = selectors.due_items(children=Child.objects.all(), today=MONDAY + dt.timedelta(days=30))
    assert len({i.child_id for i in items}) == n
    return len(captured)


def test_the_number_of_queries_is_the_same_for_10_and_100_children(casework_clocks, cp_plan):
    ten = _queries_for(10, cp_plan)
    Child.objects.all().delete()
    hundred = _queries_for(100, cp_plan)

    assert ten == hundred
    assert ten <= 7  # the children's ids, closure days, local settings, the source's queries, reasons


def test_the_event_log_is_read_in_two_queries_whatever_the_sources(casework_clocks, cp_plan):
    for _ in range(5):
        cp_plan(MONDAY, visits=[MONDAY + dt.timedelta(days=3)])

    with CaptureQueriesContext(connection) as captured:
        selectors.due_items(children=Child.objects.all(), today=MONDAY + dt.timedelta(days=10))

    reads = [q["sql"] for q in captured.captured_queries if "core_event" in q["sql"]]
    assert 1 <= len(reads) <= 2


def test_scoped_events_run_their_own_clocks(monkeypatch, db):
    """Placement-scoped events start a clock per placement; child-wide events apply to every scope."""
    child = ChildFactory()
    monkeypatch.setattr(events, "_REGISTRY", {"placements": events.Source(
        key="placements", label="Placements", model="casework.Visit", project=lambda row: [],
        starts_clocks=("placement_started",), stops_clocks=("placement_ended", "cla_visit"))})
    for seq, (name, day, scope) in enumerate([("placement_started", dt.date(2026, 1, 5), "placement:1"),
                                              ("placement_ended", dt.date(2026, 2, 2), "placement:1"),
                                              ("placement_started", dt.date(2026, 2, 2), "placement:2")]):
        Event.objects.create(child=child, kind="placements", source_id=1, seq=seq, occurred_on=day, clock=name,
                             scope=scope)

    items = selectors.due_items(children=Child.objects.all(), today=dt.date(2026, 2, 3), rules=["cla_visit"])

    assert [(i.scope, i.due) for i in items] == [("placement:2", dt.date(2026, 2, 9))]


# --- The shortcut for repeating rules gives what the engine gives ----------------------------


@pytest.mark.parametrize("code", ["cp_visit", "cp_core_group", "cin_review", "cla_review", "cla_visit", "pa_visit"])
@pytest.mark.parametrize("seed", range(40))
def test_outstanding_clock_matches_the_engine(code, seed):
    import random

    from opencsc.timescales.core import RULES_BY_CODE, WorkingDayCalendar, next_due

    rule = RULES_BY_CODE[code]
    rng = random.Random(seed)
    names = [rule.start_event, rule.end_event, rule.end_event, rule.end_event, *rule.stop_events]
    events = [(rng.choice(names), dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 500)))
              for _ in range(rng.randint(0, 25))]
    as_of = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 520))
    calendar = WorkingDayCalendar()

    fast = selectors.outstanding_clock(rule, events, calendar, as_of=as_of)
    slow = next_due(rule, events, calendar, as_of=as_of)

    assert fast == slow


@pytest.mark.parametrize("code", sorted(
    r.code for r in __import__("opencsc.timescales.core", fromlist=["RULES"]).RULES if selectors._can_replay(r)))
@pytest.mark.parametrize("seed", range(25))
def test_the_replay_matches_the_engine_for_every_rule_it_follows(code, seed):
    """Same-day events, repeated starts, stops and ends before any start included."""
    import random

    from opencsc.timescales.core import RULES_BY_CODE, WorkingDayCalendar, next_due

    rule = RULES_BY_CODE[code]
    rng = random.Random(seed)
    names = [rule.start_event, rule.start_event, rule.end_event, rule.end_event, *rule.stop_events, "unrelated"]
    events = [(rng.choice(names), dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 60 if seed % 2 else 500)))
              for _ in range(rng.randint(0, 30))]
    as_of = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 520))
    calendar = WorkingDayCalendar(extra_closures=[dt.date(2025, 3, 3)], count_start_day=bool(seed % 3 == 0))

    assert selectors.outstanding_clock(rule, events, calendar, as_of=as_of) == next_due(
        rule, events, calendar, as_of=as_of)


# --- With the sources the apps register ------------------------------------------------------


def test_the_registered_casework_sources_drive_the_due_list(cp_plan):
    child = cp_plan(MONDAY, visits=[dt.date(2026, 3, 9)])

    [item] = _items(child, dt.date(2026, 3, 10))

    assert (item.due, item.rag, item.measured_from) == (dt.date(2026, 3, 23), "green", dt.date(2026, 3, 9))


def test_a_rule_whose_end_no_source_records_is_not_shown_as_due(db):
    """The referral decision is recorded by the front door, which is not built yet: no false overdue items."""
    from opencsc.assessment.tests.factories import CINEpisodeFactory
    from opencsc.people.models import Child
    from opencsc.timescales.selectors import due_items, recorded_event_names

    episode = CINEpisodeFactory()
    items = due_items(children=Child.objects.filter(pk=episode.child_id), today=dt.date(2026, 11, 23))

    assert "referral_decision" not in recorded_event_names()
    assert "referral" in recorded_event_names()
    assert "referral_decision" not in {item.rule_code for item in items}
    assert "assessment" in {item.rule_code for item in items}


def test_the_cycle_collector_runs_again_after_a_due_list_even_one_that_fails(casework_clocks, cp_plan, monkeypatch):
    cp_plan(MONDAY)
    assert gc.isenabled()
    assert selectors.due_items(children=Child.objects.all(), today=MONDAY)
    assert gc.isenabled()

    def fails(**kwargs):
        assert not gc.isenabled()  # paused while the list is worked out
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors, "_due_items", fails)
    with pytest.raises(RuntimeError):
        selectors.due_items(children=Child.objects.all(), today=MONDAY)
    assert gc.isenabled()
