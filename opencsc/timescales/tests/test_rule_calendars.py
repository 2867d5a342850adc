"""Each rule's calendar (national working days or the authority's closure days too), its counting
convention (``count_start_day``), overdue in the rule's own unit and hour clocks in elapsed time.

Pure: no database. Issue 18.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from opencsc.timescales.core import (
    AMBER,
    CALENDAR_DAYS,
    DONE,
    DONE_LATE,
    GREEN,
    HOURS,
    LOCAL,
    RED,
    RULES,
    WORKING_DAYS,
    Timescale,
    WorkingDayCalendar,
    completed_on_time,
    describe_overdue,
    effective_rule,
    get_rule,
    overdue_by,
    overdue_unit,
    rule_calendar,
    rule_override_errors,
)

D = dt.date
LONDON = ZoneInfo("Europe/London")
CLOSURES = (D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31))
NATIONAL = WorkingDayCalendar()
LOCAL_CALENDAR = WorkingDayCalendar(extra_closures=CLOSURES)
WORKING_DAY_RULES = [r for r in RULES if r.counts_working_days]
OTHER_RULES = [r for r in RULES if not r.counts_working_days]


def _ids(rule):
    return rule.code


# -- Which calendar each rule counts in ----------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_national_rules_count_national_working_days_and_local_rules_skip_closures(rule):
    assert rule.applies_closures is (rule.status == LOCAL)
    chosen = rule_calendar(rule, LOCAL_CALENDAR, NATIONAL)
    assert chosen is (LOCAL_CALENDAR if rule.status == LOCAL else NATIONAL)


@pytest.mark.parametrize("rule", WORKING_DAY_RULES, ids=_ids)
@pytest.mark.parametrize("closures", [True, False])
def test_the_authority_can_switch_closures_for_any_working_day_rule(rule, closures):
    assert rule_override_errors(rule, {"closures": closures}) == []
    changed = effective_rule(rule, {rule.code: {"closures": closures}})
    assert changed.applies_closures is closures
    assert rule_calendar(changed, LOCAL_CALENDAR, NATIONAL) is (LOCAL_CALENDAR if closures else NATIONAL)
    # Nothing else about the rule changes.
    assert (changed.length, changed.unit, changed.steps, changed.amber_within) == (
        rule.length, rule.unit, rule.steps, rule.amber_within)


@pytest.mark.parametrize("rule", WORKING_DAY_RULES, ids=_ids)
@pytest.mark.parametrize("count_start_day", [True, False])
def test_count_start_day_is_settable_for_any_working_day_rule(rule, count_start_day):
    assert rule_override_errors(rule, {"count_start_day": count_start_day}) == []
    changed = effective_rule(rule, {rule.code: {"count_start_day": count_start_day}})
    assert changed.counts_start_day is count_start_day


@pytest.mark.parametrize("rule", OTHER_RULES, ids=_ids)
@pytest.mark.parametrize("values", [{"closures": True}, {"count_start_day": True}])
def test_a_rule_not_counted_in_working_days_refuses_them_in_plain_words(rule, values):
    assert rule_override_errors(rule, values) == [
        f"{rule.name} is not counted in working days, so closure days and the start day make no difference to it"]


@pytest.mark.parametrize("values, error", [
    ({"closures": "yes"}, "Choose whether the authority's closure days count as working days"),
    ({"count_start_day": 1}, "Choose whether the start day counts"),
    ({"closures": True, "length": 20}, "is set nationally and cannot be changed"),
    ({"closures": True, "colour": "red"}, "Unknown setting: colour"),
])
def test_bad_calendar_settings_are_explained(values, error):
    rule = get_rule("assessment")
    assert any(error in e for e in rule_override_errors(rule, values))
    with pytest.raises(ValueError):
        effective_rule(rule, {"assessment": values})


def test_a_local_rule_switched_to_days_refuses_closure_settings():
    rule = get_rule("cp_visit")
    assert rule_override_errors(rule, {"unit": "calendar_days", "amber_within": (2, "calendar_days"),
                                       "closures": False}) != []
    assert rule_override_errors(rule, {"unit": "weeks", "closures": False}) == []  # amber still in working days


# -- Due dates in each rule's calendar: the example and every working-day rule ----------


@pytest.mark.parametrize("closures, due", [(False, D(2027, 2, 5)), (True, D(2027, 2, 10))])
def test_the_assessment_started_1_december(closures, due):
    rule = effective_rule(get_rule("assessment"), {"assessment": {"closures": closures}})
    timescale = Timescale(rule, rule_calendar(rule, LOCAL_CALENDAR, NATIONAL))
    assert timescale.due(D(2026, 12, 1)) == due
    verdict = timescale.verdict(D(2026, 12, 1), D(2027, 2, 15), D(2027, 2, 8))
    assert verdict.rag == (DONE if closures else DONE_LATE)
    assert timescale.is_late(D(2026, 12, 1), D(2027, 2, 8)) is not closures
    assert timescale.elapsed(D(2026, 12, 1), D(2027, 2, 8)) == (43 if closures else 46)


@pytest.mark.parametrize("rule", WORKING_DAY_RULES, ids=_ids)
@pytest.mark.parametrize("closures", [None, True, False])
@pytest.mark.parametrize("count_start_day", [None, True, False])
def test_each_working_day_rule_counts_in_the_calendar_it_chose(rule, closures, count_start_day):
    values = {k: v for k, v in (("closures", closures), ("count_start_day", count_start_day)) if v is not None}
    changed = effective_rule(rule, {rule.code: values})
    timescale = Timescale(changed, rule_calendar(changed, LOCAL_CALENDAR, NATIONAL))
    calendar = LOCAL_CALENDAR if changed.applies_closures else NATIONAL
    start = D(2026, 12, 21)  # a Monday: the closure days fall in every working-day step
    first = changed.steps[0]
    start_day = changed.counts_start_day
    if changed.uses_datetimes:
        return
    expected = calendar.add(start, first.length, first.unit, count_start_day=start_day)
    assert timescale.due(start) == expected
    if first.unit == WORKING_DAYS:
        # What is due counts to exactly the rule's length, in that calendar and convention.
        assert calendar.working_days_between(start, expected, count_start_day=start_day) == first.length
        assert timescale.elapsed(start, expected) == first.length


@pytest.mark.parametrize("count_start_day, due", [(False, D(2026, 3, 3)), (True, D(2026, 3, 2))])
def test_count_start_day_makes_the_start_day_day_1(count_start_day, due):
    rule = effective_rule(get_rule("lado_referral"), {"lado_referral": {"count_start_day": count_start_day}})
    assert Timescale(rule, NATIONAL).due(D(2026, 3, 2)) == due  # a Monday


# -- Overdue in the rule's unit ------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_overdue_is_counted_in_the_unit_of_the_step(rule):
    for step, period in enumerate(rule.steps):
        expected = period.unit if period.unit in (WORKING_DAYS, HOURS) else CALENDAR_DAYS
        assert overdue_unit(rule, step) == expected


@pytest.mark.parametrize("unit, due, now, calendar, amount, words", [
    (WORKING_DAYS, D(2026, 12, 24), D(2027, 1, 4), NATIONAL, 4, "4 working days overdue"),
    (WORKING_DAYS, D(2026, 12, 24), D(2027, 1, 4), LOCAL_CALENDAR, 1, "1 working day overdue"),
    (WORKING_DAYS, D(2026, 6, 12), D(2026, 6, 13), NATIONAL, 0, "Due date passed, no working day lost yet"),
    (WORKING_DAYS, D(2026, 6, 12), D(2026, 6, 12), NATIONAL, 0, ""),
    (CALENDAR_DAYS, D(2026, 6, 12), D(2026, 6, 14), NATIONAL, 2, "2 days overdue"),
    (HOURS, dt.datetime(2026, 6, 12, 10, tzinfo=LONDON), dt.datetime(2026, 6, 12, 15, 30, tzinfo=LONDON),
     NATIONAL, 5, "5 hours overdue"),
    (HOURS, dt.datetime(2026, 6, 12, 10, tzinfo=LONDON), dt.datetime(2026, 6, 12, 10, 20, tzinfo=LONDON),
     NATIONAL, 0, "Less than 1 hour overdue"),
    # Across the clocks going back (25 Oct 2026): 01:00 to 03:00 by the wall clock is 3 real hours.
    (HOURS, dt.datetime(2026, 10, 25, 0, 30, tzinfo=LONDON), dt.datetime(2026, 10, 25, 2, 30, tzinfo=LONDON),
     NATIONAL, 3, "3 hours overdue"),
])
def test_overdue_in_words(unit, due, now, calendar, amount, words):
    assert overdue_by(unit, due, now, calendar) == amount
    if words:
        assert describe_overdue(amount, unit) == words


def test_a_verdict_never_says_overdue_and_due_today_together():
    timescale = Timescale(get_rule("return_home_interview"), NATIONAL)
    returned = dt.datetime(2026, 6, 9, 10, tzinfo=LONDON)
    verdict = timescale.verdict(returned, dt.datetime(2026, 6, 12, 10, 20, tzinfo=LONDON))
    assert (verdict.rag, verdict.overdue_text) == (RED, "Less than 1 hour overdue")
    assert timescale.verdict(returned, dt.datetime(2026, 6, 12, 9, 59, tzinfo=LONDON)).overdue_text == ""


@pytest.mark.parametrize("completed, on_time", [
    (D(2026, 6, 12), True),  # the Friday it is due
    (D(2026, 6, 13), True),  # the Saturday after: no working day lost
    (D(2026, 6, 14), True),
    (D(2026, 6, 15), False),  # the Monday
])
def test_a_working_day_step_done_before_the_next_working_day_is_on_time(completed, on_time):
    assert completed_on_time(WORKING_DAYS, completed, D(2026, 6, 12), NATIONAL) is on_time
    assert completed_on_time(CALENDAR_DAYS, completed, D(2026, 6, 12), NATIONAL) is (completed == D(2026, 6, 12))


# -- Hour clocks in elapsed time -----------------------------------------------------------------


@pytest.mark.parametrize("returned, now, status", [
    # Clocks go forward on Sun 29 Mar 2026 (01:00 GMT -> 02:00 BST). 72 hours from Thu 26 Mar 12:00 GMT end
    # on Sun 29 Mar at 13:00 BST; amber from 24 real hours before, Sat 28 Mar 12:00 GMT (by the wall
    # clock it would wrongly be 13:00).
    (dt.datetime(2026, 3, 26, 12, tzinfo=LONDON), dt.datetime(2026, 3, 28, 11, 59, tzinfo=LONDON), GREEN),
    (dt.datetime(2026, 3, 26, 12, tzinfo=LONDON), dt.datetime(2026, 3, 28, 12, 0, tzinfo=LONDON), AMBER),
    (dt.datetime(2026, 3, 26, 12, tzinfo=LONDON), dt.datetime(2026, 3, 29, 13, 0, tzinfo=LONDON), AMBER),
    (dt.datetime(2026, 3, 26, 12, tzinfo=LONDON), dt.datetime(2026, 3, 29, 13, 1, tzinfo=LONDON), RED),
    # Clocks go back on Sun 25 Oct 2026 (02:00 BST -> 01:00 GMT). 72 hours from Thu 22 Oct 12:00 BST end
    # on Sun 25 Oct at 11:00 GMT; amber from Sat 24 Oct 12:00 BST (by the wall clock, wrongly 11:00).
    (dt.datetime(2026, 10, 22, 12, tzinfo=LONDON), dt.datetime(2026, 10, 24, 11, 30, tzinfo=LONDON), GREEN),
    (dt.datetime(2026, 10, 22, 12, tzinfo=LONDON), dt.datetime(2026, 10, 24, 12, 0, tzinfo=LONDON), AMBER),
    (dt.datetime(2026, 10, 22, 12, tzinfo=LONDON), dt.datetime(2026, 10, 25, 11, 0, tzinfo=LONDON), AMBER),
    (dt.datetime(2026, 10, 22, 12, tzinfo=LONDON), dt.datetime(2026, 10, 25, 11, 1, tzinfo=LONDON), RED),
])
def test_72_hour_clocks_and_their_amber_run_in_elapsed_time(returned, now, status):
    timescale = Timescale(get_rule("return_home_interview"), NATIONAL)
    due = timescale.due(returned)
    assert (due.astimezone(dt.UTC) - returned.astimezone(dt.UTC)) == dt.timedelta(hours=72)
    assert timescale.verdict(returned, now).rag == status
