"""Reading less for a list of what is outstanding gives the same clocks (timescales/reads.py).

The rules are replayed over random histories read in full and read as the cheaper reads would
give them; then whole due lists of a synthetic authority are compared, read both ways.
"""

import dataclasses
import datetime as dt
import random

import pytest

from opencsc.core import events
from opencsc.timescales import reads, selectors
from opencsc.timescales.core import RULES, RULES_BY_CODE, Period, WorkingDayCalendar
from opencsc.timescales.core.engine import _relevant_names
from opencsc.timescales.reads import closed_by, latest_is_enough, reads_latest, reads_open

START = dt.date(2025, 1, 1)
CALENDAR = WorkingDayCalendar(extra_closures=[dt.date(2025, 3, 3)])


def _variants():
    """Every rule, and each local rule with one, two and three periods in its sequence."""
    for rule in RULES:
        yield rule
        if rule.configurable and rule.is_sequence:
            for count in (0, 1, 2):
                yield dataclasses.replace(rule, then=tuple(Period(2 + n, "weeks") for n in range(count)))


VARIANTS = list(_variants())


def _history(rule, rng):
    """Random events for the rule: repeated starts, ends, stops, switches and extensions, same days."""
    names = sorted(_relevant_names(rule))
    weights = [4 if name == rule.end_event else 1 for name in names]
    span = rng.choice((40, 400))
    return [(rng.choices(names, weights)[0], START + dt.timedelta(days=rng.randint(0, span)))
            for _ in range(rng.randint(0, 30))]


def _latest_only(events, name, as_of, rng):
    """The history as a latest read gives it: of ``name``, the latest on or before ``as_of`` (and,
    as a source that reads a little more may, some of the earlier ones); none after ``as_of``."""
    dated = [(on, index) for index, (event, on) in enumerate(events) if event == name and on <= as_of]
    if not dated:
        return [e for e in events if e[0] != name]
    keep = {max(dated)[1]} | {index for _, index in dated if rng.random() < 0.2}
    return [e for index, e in enumerate(events) if e[0] != name or index in keep]


def _comparable(clock):
    return None if clock is None else dataclasses.replace(clock, step=min(clock.step, 1))


@pytest.mark.parametrize("rule", VARIANTS, ids=lambda r: f"{r.code}-{len(r.steps)}")
def test_a_latest_read_gives_the_same_outstanding_clock_wherever_it_is_allowed(rule):
    rng = random.Random(rule.code)
    allowed = [name for name in sorted(_relevant_names(rule)) if latest_is_enough(rule, name)]
    if rule.uses_datetimes:
        assert allowed == []  # times, which a source's dates cannot order
        return
    for _ in range(150):
        events = _history(rule, rng)
        as_of = START + dt.timedelta(days=rng.randint(0, 420))
        full = selectors.outstanding_clock(rule, events, CALENDAR, as_of=as_of)
        for name in allowed:
            trimmed = _latest_only(events, name, as_of, rng)
            fast = selectors.outstanding_clock(rule, trimmed, CALENDAR, as_of=as_of)
            assert _comparable(fast) == _comparable(full), (name, events, as_of)


@pytest.mark.parametrize("code, name", [
    ("cp_visit", "cp_plan_started"),  # a start event
    ("cla_visit_placed_with_parent", "cla_review"),  # the switch event: the first one matters
    ("epo", "epo_extended"),  # an extension: how many matters
    ("return_home_interview", "return_home_interview"),  # measured in hours
])
def test_a_latest_read_is_refused_where_the_earlier_events_matter(code, name):
    assert name in _relevant_names(RULES_BY_CODE[code])
    assert not latest_is_enough(RULES_BY_CODE[code], name)


def test_a_sequence_of_three_periods_needs_every_end_event():
    """Which period comes next depends on how many came before: a latest read would get it wrong."""
    rule = dataclasses.replace(RULES_BY_CODE["cin_visit"], then=(Period(2, "weeks"), Period(8, "weeks")))
    events = [("cin_plan_started", START), ("cin_visit", START + dt.timedelta(days=7)),
              ("cin_visit", START + dt.timedelta(days=14))]
    as_of = START + dt.timedelta(days=15)

    full = selectors.outstanding_clock(rule, events, CALENDAR, as_of=as_of)
    trimmed = selectors.outstanding_clock(rule, [events[0], events[2]], CALENDAR, as_of=as_of)

    assert full.due != trimmed.due  # 8 weeks from the second visit, against 2 weeks from the first
    assert not latest_is_enough(rule, "cin_visit")
    assert not reads_latest(("cin_visit", "cp_visit"), [rule])


def test_a_rule_reading_two_of_a_sources_events_is_read_in_full():
    """The order of two different events on the same day would be lost."""
    rule = RULES_BY_CODE["adoption_visit"]  # ends with a visit, stops at a review
    assert latest_is_enough(rule, "adoption_visit") and latest_is_enough(rule, "adoption_review")
    assert not reads_latest(("adoption_visit", "adoption_review"), [rule])
    assert reads_latest(("adoption_visit",), [rule])


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_a_clock_closed_for_good_is_never_outstanding_afterwards(rule):
    closers = [name for name in sorted(_relevant_names(rule)) if name != rule.start_event and closed_by(rule, name)]
    rng = random.Random(rule.code)
    for closer in closers:
        for _ in range(100):
            events = [e for e in _history(rule, rng) if e[0] != rule.start_event]
            started = START + dt.timedelta(days=rng.randint(0, 200))
            closed = started + dt.timedelta(days=rng.randint(0, 60))
            events += [(rule.start_event, started), (closer, closed)]
            events.sort(key=lambda e: e[1])  # the one start, then what followed (the closer last that day)
            as_of = closed + dt.timedelta(days=rng.randint(0, 60))
            assert selectors.outstanding_clock(rule, events, CALENDAR, as_of=as_of) is None, (closer, events)


def test_a_scope_is_left_out_only_if_every_rule_its_start_starts_is_closed():
    cin_visit, assessment = RULES_BY_CODE["cin_visit"], RULES_BY_CODE["assessment"]
    assert reads_open([("cin_plan_started", "cin_plan_ended")], [cin_visit])  # the plan's end stops it
    assert not reads_open([("cin_plan_started", "cin_visit")], [cin_visit])  # a visit only starts the next
    assert reads_open([("referral", "case_closed")], [assessment])
    # A rule that also starts on a referral and is not stopped by the closure keeps the scopes in.
    decision = RULES_BY_CODE["referral_decision"]
    assert not reads_open([("referral", "case_closed")], [assessment, decision])


# --- The sources the apps register ------------------------------------------------------------


def test_the_largest_sources_are_read_cheaply_under_the_default_rules():
    """If a rule change stopped these reads, every due list would quietly get slower: say so here."""
    effective = selectors.effective_rules(None, [r for r in RULES if r.end_event in selectors.recorded_event_names()])
    full, latest, open_ = reads.clock_reads(effective.values(), dt.date(2026, 11, 23))
    assert {"visit", "meeting"} <= latest
    assert {"plan", "contact", "cin_episode"} <= open_


@pytest.mark.django_db
def test_an_authority_setting_that_makes_a_latest_read_wrong_reads_every_visit(make_user):
    from opencsc.accounts.roles import Role
    from opencsc.timescales import authority
    from opencsc.timescales.services import rule_setting_update

    manager = make_user(role=Role.SERVICE_MANAGER)

    rule_setting_update(rule_code="cin_visit", values={"then": [(2, "weeks"), (8, "weeks")]}, actor=manager)
    authority.invalidate()
    settings = authority.authority_settings()
    effective = selectors.effective_rules(settings, [r for r in RULES if r.end_event in selectors.recorded_event_names()])

    full, latest, open_ = reads.clock_reads(effective.values(), dt.date(2026, 11, 23))

    assert "visit" in full and "meeting" in latest


# --- Whole due lists of a synthetic authority, read both ways -----------------------------------

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def synthetic(django_db_setup, django_db_blocker):
    from opencsc.synthetic.testing import rolled_back_authority

    with rolled_back_authority(django_db_blocker, seed=11, size=0.05, today=TODAY) as ctx:
        yield ctx


def _listed(items):
    return [(i.child_id, i.rule_code, i.scope, i.due, i.rag, i.started, i.measured_from, min(i.step, 1), i.late_reason)
            for i in items]


@pytest.mark.django_db
@pytest.mark.xdist_group("small-authority")  # with the CIN census tests of the same authority: generated once
@pytest.mark.parametrize("days_before", [0, 45, 400])
def test_a_synthetic_authoritys_due_list_is_the_same_read_in_full(synthetic, monkeypatch, days_before):
    from opencsc.people.models import Child

    as_at = TODAY - dt.timedelta(days=days_before)
    children = Child.objects.all()
    _, latest, open_ = reads.clock_reads(
        [r for r in RULES if r.end_event in selectors.recorded_event_names()], as_at)
    fast = selectors.due_items(children=children, today=as_at)
    everything = {source.key for source in events.clock_sources()}
    monkeypatch.setattr(reads, "clock_reads", lambda rules, on_or_before: (everything, set(), set()))
    full = selectors.due_items(children=children, today=as_at)

    assert latest and open_ and len(full) > 50
    assert _listed(fast) == _listed(full)
