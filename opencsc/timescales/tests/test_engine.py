"""Due dates, restarts and RAG status for every rule."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from opencsc.timescales.core import (
    AMBER,
    DONE,
    DONE_LATE,
    GREEN,
    RED,
    RULES,
    WORKING_DAYS,
    Period,
    WorkingDayCalendar,
    amber_from,
    clock_rag,
    clocks,
    due_date,
    get_rule,
    next_due,
    rag,
)

D = dt.date
LONDON = ZoneInfo("Europe/London")
CAL = WorkingDayCalendar()
START = D(2026, 11, 2)  # a Monday, well clear of bank holidays
START_AT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
ONE_DAY = dt.timedelta(days=1)

# When the first step of each rule falls due, from START (or START_AT for hour rules), worked out by hand.
FIRST_DUE = {
    "referral_decision": D(2026, 11, 3),
    "contact_decision": D(2026, 11, 3),
    "assessment": D(2027, 1, 7),  # 45 working days, over Christmas and New Year
    "strategy_discussion": D(2026, 11, 4),
    "s47_enquiry": D(2026, 11, 10),
    "icpc": D(2026, 11, 23),
    "cp_core_group": D(2026, 11, 16),
    "cp_visit": D(2026, 11, 16),
    "cp_review": D(2027, 2, 2),
    "cp_review_after_birth": D(2026, 11, 30),
    "cp_transfer_in": D(2026, 11, 23),
    "cin_review": D(2026, 11, 12),
    "cin_visit": D(2026, 11, 27),  # 20 working days counting the day of the visit
    "police_protection": dt.datetime(2026, 11, 5, 10, 0, tzinfo=LONDON),
    "epo": D(2026, 11, 10),
    "care_proceedings": D(2027, 5, 3),
    "care_plan": D(2026, 11, 16),
    "placement_plan": D(2026, 11, 9),
    "placement_notified": D(2026, 11, 9),
    "initial_health_assessment": D(2026, 11, 30),
    "review_health_assessment": D(2027, 5, 2),
    "pep": D(2026, 11, 16),
    "pep_review": D(2027, 3, 2),
    "iro_appointed": D(2026, 11, 9),
    "cla_review": D(2026, 11, 30),
    "cla_visit": D(2026, 11, 9),
    "cla_visit_long_term": D(2026, 11, 9),
    "cla_visit_long_term_reduced": D(2027, 5, 2),
    "cla_visit_placed_with_parent": D(2026, 11, 9),
    "cla_visit_connected_person": D(2026, 11, 9),
    "cla_visit_care_order_home": D(2026, 11, 9),
    "temporary_approval": D(2027, 2, 22),
    "needs_assessment": D(2027, 2, 2),
    "adoption_review_not_placed": D(2027, 2, 2),
    "adoption_review_placed": D(2026, 11, 30),
    "adoption_visit": D(2026, 11, 9),
    "return_home_interview": dt.datetime(2026, 11, 5, 10, 0, tzinfo=LONDON),
    "pa_visit": D(2026, 11, 9),
    "pathway_plan_review": D(2027, 5, 2),
    "private_fostering_visit": D(2026, 11, 11),
    "lado_referral": D(2026, 11, 3),
    "nts_transfer": D(2026, 11, 16),
}


def start_for(rule):
    return START_AT if rule.uses_datetimes else START


def test_every_rule_has_an_expected_first_due_date():
    assert set(FIRST_DUE) == {r.code for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_first_due_date(rule):
    expected = FIRST_DUE[rule.code]
    assert due_date(rule, start_for(rule), CAL) == expected
    clock = next_due(rule, [(rule.start_event, start_for(rule))], CAL)
    assert clock is not None and clock.due == expected and clock.step == 0 and clock.outstanding


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
@pytest.mark.parametrize("late", [False, True], ids=["on_time", "late"])
def test_the_end_event_completes_the_clock(rule, late):
    # Given a clock started at START, and the end event on the due date (or just after it: for a rule
    # counted in working days, the next working day, as a weekend after the due date loses no working day)
    due = FIRST_DUE[rule.code]
    if not late:
        done_at = due
    elif rule.uses_datetimes:
        done_at = due + dt.timedelta(minutes=1)
    elif rule.unit == WORKING_DAYS:
        done_at = CAL.add_working_days(due, 1, count_start_day=False)
    else:
        done_at = due + ONE_DAY
    events = [(rule.start_event, start_for(rule)), (rule.end_event, done_at)]
    # When the clocks are worked out
    history = clocks(rule, events, CAL)
    # Then the first step is completed, on time or late
    assert history[0].completed_on == done_at
    assert history[0].on_time is (not late)
    assert clock_rag(history[0], rule, done_at, CAL) == (DONE_LATE if late else DONE)
    # And a single clock is finished, while a sequence moves to its next step from the actual date
    following = next_due(rule, events, CAL)
    if rule.is_sequence and rule.end_event not in rule.stop_events:
        assert following is not None and following.step == 1 and following.measured_from == done_at
    else:
        assert following is None


@pytest.mark.parametrize("rule", [r for r in RULES if r.stop_events], ids=lambda r: r.code)
def test_a_stop_event_ends_the_clock(rule):
    stop_at = START_AT + dt.timedelta(days=1) if rule.uses_datetimes else START + ONE_DAY
    events = [(rule.start_event, start_for(rule)), (rule.stop_events[0], stop_at)]
    assert next_due(rule, events, CAL) is None
    [clock] = clocks(rule, events, CAL)
    assert clock.stopped_on == stop_at and clock.completed_on is None and clock.on_time is None


def test_events_before_the_start_or_after_as_of_are_ignored():
    rule = get_rule("cla_review")
    events = [("cla_review", D(2026, 10, 1)), ("became_looked_after", START), ("cla_review", D(2026, 11, 27))]
    assert next_due(rule, events, CAL, as_of=D(2026, 11, 20)).due == D(2026, 11, 30)
    assert next_due(rule, events, CAL).due == D(2027, 2, 27)
    assert next_due(rule, [], CAL) is None
    assert next_due(rule, [("cla_review", START)], CAL) is None


# -- restarts ----------------------------------------------------------------


def dues(history):
    return [(c.step, c.due, c.completed_on, c.stopped_on) for c in history]


def test_cp_reviews_run_3_months_from_the_icpc_then_6_months_from_the_actual_previous_review():
    rule = get_rule("cp_review")
    events = [("cp_plan_started", START), ("cp_review", D(2027, 1, 15)), ("cp_review", D(2027, 7, 10))]
    assert dues(clocks(rule, events, CAL)) == [
        (0, D(2027, 2, 2), D(2027, 1, 15), None),  # held early
        (1, D(2027, 7, 15), D(2027, 7, 10), None),  # so the next is 6 months from the early date
        (2, D(2028, 1, 10), None, None),
    ]


def test_a_late_cp_review_moves_the_next_one_later():
    rule = get_rule("cp_review")
    events = [("cp_plan_started", START), ("cp_review", D(2027, 2, 9))]
    first, second = clocks(rule, events, CAL)
    assert clock_rag(first, rule, D(2027, 2, 9), CAL) == DONE_LATE
    assert second.due == D(2027, 8, 9)


def test_a_new_cp_plan_starts_the_reviews_again():
    rule = get_rule("cp_review")
    events = [("cp_plan_started", START), ("cp_review", D(2027, 1, 15)), ("cp_plan_ended", D(2027, 3, 1))]
    assert next_due(rule, events, CAL) is None
    events.append(("cp_plan_started", D(2027, 6, 1)))
    clock = next_due(rule, events, CAL)
    assert (clock.step, clock.due, clock.started) == (0, D(2027, 9, 1), D(2027, 6, 1))


def test_cla_reviews_20_working_days_then_3_months_then_6_monthly():
    rule = get_rule("cla_review")
    events = [
        ("became_looked_after", START),
        ("cla_review", D(2026, 11, 27)),
        ("cla_review", D(2027, 3, 1)),  # late: second review was due 27 Feb
        ("cla_review", D(2027, 6, 10)),  # early under reg 33(3): resets the cycle
    ]
    assert dues(clocks(rule, events, CAL)) == [
        (0, D(2026, 11, 30), D(2026, 11, 27), None),
        (1, D(2027, 2, 27), D(2027, 3, 1), None),
        (2, D(2027, 9, 1), D(2027, 6, 10), None),
        (3, D(2027, 12, 10), None, None),
    ]


def test_a_new_period_of_care_needs_a_new_first_review_within_20_working_days():
    rule = get_rule("cla_review")
    events = [
        ("became_looked_after", START), ("cla_review", D(2026, 11, 27)),
        ("ceased_looked_after", D(2028, 1, 5)), ("became_looked_after", D(2028, 2, 1)),
    ]
    clock = next_due(rule, events, CAL)
    assert (clock.step, clock.due) == (0, D(2028, 2, 29))  # a leap day


def test_cla_visits_restart_with_each_placement():
    rule = get_rule("cla_visit")
    events = [
        ("placement_started", START), ("cla_visit", D(2026, 11, 6)),
        ("placement_ended", D(2026, 12, 1)), ("placement_started", D(2026, 12, 1)),
    ]
    history = clocks(rule, events, CAL)
    assert dues(history) == [
        (0, D(2026, 11, 9), D(2026, 11, 6), None),
        (1, D(2026, 12, 18), None, D(2026, 12, 1)),  # the old placement's clock ended
        (0, D(2026, 12, 8), None, None),  # within a week of the new placement
    ]


def test_same_day_events_are_taken_in_the_order_given():
    rule = get_rule("cla_visit")
    ended_then_started = [("placement_started", START), ("placement_ended", D(2026, 12, 1)),
                          ("placement_started", D(2026, 12, 1))]
    started_then_ended = [("placement_started", START), ("placement_started", D(2026, 12, 1)),
                          ("placement_ended", D(2026, 12, 1))]
    assert next_due(rule, ended_then_started, CAL).due == D(2026, 12, 8)
    assert next_due(rule, started_then_ended, CAL) is None


@pytest.mark.parametrize(
    "code, visit, expected",
    [
        ("cla_visit", D(2027, 11, 1), D(2027, 12, 13)),
        ("cla_visit", D(2027, 11, 2), D(2027, 12, 14)),  # not intended until 18: 6-weekly throughout
        ("cla_visit_long_term", D(2027, 10, 28), D(2027, 12, 9)),  # still in the first year
        ("cla_visit_long_term", D(2027, 11, 1), D(2027, 12, 13)),  # the day before the anniversary
        ("cla_visit_long_term", D(2027, 11, 2), D(2028, 2, 2)),  # a year on: 3-monthly
        ("cla_visit_long_term", D(2028, 5, 31), D(2028, 8, 31)),
    ],
)
def test_cla_visits_after_the_first_year_of_a_placement_intended_to_last_until_18(code, visit, expected):
    events = [("placement_started", START), ("cla_visit", visit)]
    assert next_due(get_rule(code), events, CAL).due == expected


@pytest.mark.parametrize(
    "code, after_review",
    [("cla_visit_placed_with_parent", D(2027, 1, 5)), ("cla_visit_connected_person", D(2026, 12, 22))],
)
def test_weekly_visits_until_the_first_review(code, after_review):
    rule = get_rule(code)
    events = [
        ("placement_started", START), ("cla_visit", D(2026, 11, 6)), ("cla_visit", D(2026, 11, 12)),
        ("cla_visit", D(2026, 11, 19)), ("cla_review", D(2026, 11, 20)), ("cla_visit", D(2026, 11, 24)),
    ]
    assert [c.due for c in clocks(rule, events, CAL)] == [
        D(2026, 11, 9), D(2026, 11, 13), D(2026, 11, 19),
        D(2026, 11, 26),  # the gap began before the review: still weekly
        after_review,  # 6 weeks (reg 19) or 4 weeks (connected person) after the first visit after the review
    ]


def test_cla_visits_for_a_care_order_at_home_run_from_the_order():
    rule = get_rule("cla_visit_care_order_home")
    events = [("care_order_at_home", START), ("cla_visit", D(2026, 11, 5))]
    assert next_due(rule, events, CAL).due == D(2026, 12, 17)


def test_review_health_assessments_6_monthly_under_5_then_12_monthly():
    rule = get_rule("review_health_assessment")
    events = [
        ("health_assessment", START), ("health_assessment", D(2027, 4, 20)),
        ("health_assessment", D(2028, 2, 15)), ("fifth_birthday", D(2028, 3, 1)),
        ("health_assessment", D(2028, 8, 1)),
    ]
    assert [c.due for c in clocks(rule, events, CAL)] == [
        D(2027, 5, 2), D(2027, 10, 20), D(2028, 8, 15), D(2029, 8, 1),
    ]


def test_a_child_already_5_gets_12_monthly_health_assessments_from_the_first():
    rule = get_rule("review_health_assessment")
    events = [("fifth_birthday", D(2024, 6, 1)), ("health_assessment", START)]
    assert next_due(rule, events, CAL).due == D(2027, 11, 2)


@pytest.mark.parametrize(
    "code, extensions, expected",
    [
        ("epo", 0, D(2026, 11, 10)),
        ("epo", 1, D(2026, 11, 17)),
        ("epo", 2, D(2026, 11, 17)),  # only one extension is allowed
        ("care_proceedings", 1, D(2027, 6, 28)),
        ("care_proceedings", 2, D(2027, 8, 23)),
        ("temporary_approval", 1, D(2027, 4, 19)),
        ("temporary_approval", 2, D(2027, 4, 19)),
    ],
)
def test_extensions_move_the_due_date(code, extensions, expected):
    rule = get_rule(code)
    events = [(rule.start_event, START)] + [(rule.extension.event, START + ONE_DAY)] * extensions
    assert next_due(rule, events, CAL).due == expected


def test_an_extension_after_the_clock_has_finished_changes_nothing():
    rule = get_rule("epo")
    events = [("epo_made", START), ("epo_ended", D(2026, 11, 9)), ("epo_extended", D(2026, 11, 9))]
    [clock] = clocks(rule, events, CAL)
    assert (clock.due, clock.extensions) == (D(2026, 11, 10), 0)


def test_return_home_interviews_72_hours_from_each_return():
    rule = get_rule("return_home_interview")
    first = START_AT
    second = dt.datetime(2026, 11, 6, 9, 0, tzinfo=LONDON)
    third = dt.datetime(2026, 11, 8, 12, 0, tzinfo=LONDON)
    events = [
        ("missing_returned", first),
        ("return_home_interview", dt.datetime(2026, 11, 5, 11, 0, tzinfo=LONDON)),
        ("missing_returned", second),
        ("missing_returned", third),
    ]
    history = clocks(rule, events, CAL)
    assert [(c.due, c.on_time, c.stopped_on) for c in history] == [
        (dt.datetime(2026, 11, 5, 10, 0, tzinfo=LONDON), False, None),  # an hour late
        (dt.datetime(2026, 11, 9, 9, 0, tzinfo=LONDON), None, third),  # missed: overtaken by the next return
        (dt.datetime(2026, 11, 11, 12, 0, tzinfo=LONDON), None, None),
    ]


@pytest.mark.parametrize("when", [START, dt.datetime(2026, 11, 2, 10, 0)])  # noqa: DTZ001
def test_hour_rules_need_aware_datetimes(when):
    with pytest.raises(ValueError, match="timezone-aware"):
        next_due(get_rule("police_protection"), [("police_protection", when)], CAL)


def test_a_new_referral_after_the_case_closed_starts_a_new_assessment_clock():
    rule = get_rule("assessment")
    events = [("referral", START), ("case_closed", D(2026, 11, 20))]
    assert next_due(rule, events, CAL) is None
    events.append(("referral", D(2026, 12, 1)))
    assert next_due(rule, events, CAL).due == D(2027, 2, 5)


def test_a_follow_up_strategy_discussion_does_not_reset_the_icpc_clock():
    rule = get_rule("icpc")
    events = [("s47_started", START), ("strategy_discussion", D(2026, 11, 10))]
    assert next_due(rule, events, CAL).due == D(2026, 11, 23)


def test_local_closures_push_working_day_clocks_back():
    rule = get_rule("icpc")
    local = WorkingDayCalendar(extra_closures={D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 30),
                                               D(2026, 12, 31)})
    assert due_date(rule, D(2026, 12, 14), CAL) == D(2027, 1, 7)
    assert due_date(rule, D(2026, 12, 14), local) == D(2027, 1, 13)
    # but calendar periods do not move
    assert due_date(get_rule("cp_review"), D(2026, 9, 30), local) == D(2026, 12, 30)


def test_cin_visits_count_the_day_of_the_visit_whatever_the_calendar_default():
    rule = get_rule("cin_visit")
    events = [("cin_plan_started", D(2026, 10, 1)), ("cin_visit", START)]
    assert next_due(rule, events, CAL).due == D(2026, 11, 27)
    assert next_due(rule, events, WorkingDayCalendar(count_start_day=True)).due == D(2026, 11, 27)
    assert next_due(rule, events, CAL, {"cin_visit": {"length": 10}}).due == D(2026, 11, 13)


def test_the_calendar_counting_convention_applies_when_a_rule_does_not_set_one():
    rule = get_rule("icpc")
    assert due_date(rule, START, WorkingDayCalendar(count_start_day=True)) == D(2026, 11, 20)


def test_core_groups_10_working_days_from_the_icpc_then_every_4_weeks():
    rule = get_rule("cp_core_group")
    events = [("cp_plan_started", START), ("core_group", D(2026, 11, 13))]
    assert [c.due for c in clocks(rule, events, CAL)] == [D(2026, 11, 16), D(2026, 12, 11)]
    # and an authority that holds them monthly
    monthly = {"cp_core_group": {"then": [(1, "months")]}}
    assert next_due(rule, events, CAL, monthly).due == D(2026, 12, 13)


def test_settings_change_a_local_rule_s_due_dates():
    rule = get_rule("cp_visit")
    events = [("cp_plan_started", START)]
    assert next_due(rule, events, CAL, {"cp_visit": {"length": 3, "unit": "weeks"}}).due == D(2026, 11, 23)
    with pytest.raises(ValueError, match="set nationally"):
        next_due(get_rule("cla_review"), events, CAL, {"cla_review": {"length": 30}})


def test_private_fostering_visits_6_weekly_in_the_first_year_then_12_weekly():
    rule = get_rule("private_fostering_visit")
    events = [("private_fostering_notified", START), ("private_fostering_visit", D(2026, 11, 10)),
              ("private_fostering_visit", D(2027, 11, 5))]
    assert [c.due for c in clocks(rule, events, CAL)] == [D(2026, 11, 11), D(2026, 12, 22), D(2028, 1, 28)]


def test_adoption_visits_are_weekly_until_the_first_review():
    rule = get_rule("adoption_visit")
    events = [("adoptive_placement", START), ("adoption_visit", D(2026, 11, 6))]
    assert next_due(rule, events, CAL).due == D(2026, 11, 13)
    events.append(("adoption_review", D(2026, 11, 27)))
    assert next_due(rule, events, CAL) is None


def test_personal_adviser_visits_restart_when_new_accommodation_is_provided():
    rule = get_rule("pa_visit")
    events = [("accommodation_provided", START), ("pa_visit", D(2026, 11, 5))]
    assert next_due(rule, events, CAL).due == D(2027, 1, 5)
    events.append(("accommodation_provided", D(2026, 12, 1)))
    assert next_due(rule, events, CAL).due == D(2026, 12, 8)


# -- RAG ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2026, 11, 1), GREEN),
        (D(2026, 11, 15), GREEN),  # the day before the amber threshold
        (D(2026, 11, 16), AMBER),  # exactly 14 days before: amber
        (D(2026, 11, 29), AMBER),
        (D(2026, 11, 30), AMBER),  # on the due date: still in time
        (D(2026, 12, 1), RED),  # the day after
        (D(2027, 6, 1), RED),
    ],
)
def test_rag_boundaries_in_calendar_days(today, expected):
    due = D(2026, 11, 30)
    assert rag(due, today, 14) == expected
    assert rag(due, today, dt.timedelta(days=14)) == expected
    assert rag(due, today, Period(14, "calendar_days")) == expected
    assert rag(due, today, Period(2, "weeks")) == expected


@pytest.mark.parametrize(
    "completed_on, today, expected",
    [
        (D(2026, 11, 1), D(2026, 11, 1), DONE),
        (D(2026, 11, 30), D(2026, 11, 30), DONE),  # on the due date is on time
        (D(2026, 12, 1), D(2026, 12, 1), DONE_LATE),
        (D(2026, 11, 20), D(2027, 6, 1), DONE),  # completed stays done however late it is now
        (D(2027, 1, 5), D(2026, 11, 1), DONE_LATE),
    ],
)
def test_rag_once_completed(completed_on, today, expected):
    assert rag(D(2026, 11, 30), today, 14, completed_on) == expected


@pytest.mark.parametrize(
    "due, today, expected",
    [
        (D(2026, 11, 30), D(2026, 11, 25), GREEN),  # Wednesday
        (D(2026, 11, 30), D(2026, 11, 26), AMBER),  # Thursday: 2 working days before Monday
        (D(2026, 11, 30), D(2026, 11, 28), AMBER),
        (D(2026, 12, 29), D(2026, 12, 22), GREEN),
        (D(2026, 12, 29), D(2026, 12, 23), AMBER),  # 2 working days back over Christmas
        (D(2026, 11, 29), D(2026, 11, 25), GREEN),  # due on a Sunday
        (D(2026, 11, 29), D(2026, 11, 26), AMBER),
        (D(2026, 11, 29), D(2026, 11, 30), RED),
    ],
)
def test_rag_boundaries_in_working_days(due, today, expected):
    assert rag(due, today, Period(2, "working_days"), calendar=CAL) == expected


@pytest.mark.parametrize(
    "today, expected",
    [(D(2026, 11, 29), GREEN), (D(2026, 11, 30), AMBER), (D(2026, 12, 1), RED)],
)
def test_rag_with_no_warning_is_amber_only_on_the_due_date(today, expected):
    assert rag(D(2026, 11, 30), today, 0) == expected
    assert rag(D(2026, 11, 30), today, Period(0, "working_days"), calendar=CAL) == expected


@pytest.mark.parametrize(
    "now, expected",
    [
        (dt.datetime(2026, 11, 4, 9, 59, tzinfo=LONDON), GREEN),
        (dt.datetime(2026, 11, 4, 10, 0, tzinfo=LONDON), AMBER),  # exactly 24 hours before
        (dt.datetime(2026, 11, 5, 10, 0, tzinfo=LONDON), AMBER),
        (dt.datetime(2026, 11, 5, 10, 1, tzinfo=LONDON), RED),
        (dt.datetime(2026, 11, 5, 10, 1, tzinfo=dt.UTC), RED),
        (D(2026, 11, 3), GREEN),  # a plain date compares by date
        (D(2026, 11, 5), AMBER),
        (D(2026, 11, 6), RED),
    ],
)
def test_rag_in_hours(now, expected):
    due = dt.datetime(2026, 11, 5, 10, 0, tzinfo=LONDON)
    assert rag(due, now, Period(24, "hours")) == expected


@pytest.mark.parametrize(
    "code, threshold",
    [
        ("icpc", D(2026, 11, 16)),  # due 23 Nov, 5 working days before
        ("cla_review", D(2026, 11, 16)),  # due 30 Nov, 14 days before
        ("cp_review", D(2027, 1, 19)),  # due 2 Feb 2027, 14 days before
        ("referral_decision", D(2026, 11, 3)),  # due next working day: amber only on the day
        ("assessment", D(2026, 12, 21)),  # due 7 Jan 2027, 10 working days back over Christmas
        ("cla_visit", D(2026, 11, 2)),  # due 9 Nov, a week before
        ("return_home_interview", dt.datetime(2026, 11, 4, 10, 0, tzinfo=LONDON)),
    ],
)
def test_amber_thresholds_of_rules(code, threshold):
    rule = get_rule(code)
    clock = next_due(rule, [(rule.start_event, start_for(rule))], CAL)
    assert amber_from(clock.due, rule.amber_within, CAL) == threshold


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_turns_amber_at_its_threshold_and_red_after_its_due_date(rule):
    clock = next_due(rule, [(rule.start_event, start_for(rule))], CAL)
    threshold = amber_from(clock.due, rule.amber_within, CAL)
    tick = dt.timedelta(minutes=1) if rule.uses_datetimes else ONE_DAY
    assert clock_rag(clock, rule, threshold, CAL) == AMBER
    assert clock_rag(clock, rule, clock.due, CAL) == AMBER
    assert clock_rag(clock, rule, clock.due + tick, CAL) == RED
    assert clock_rag(clock, rule, START_AT - tick if rule.uses_datetimes else START - tick, CAL) == GREEN


@pytest.mark.parametrize("code", ["care_plan", "placement_plan", "placement_notified"])
def test_a_plan_made_before_the_placement_is_on_time(code):
    rule = get_rule(code)
    events = [(rule.end_event, START - ONE_DAY), (rule.start_event, START)]
    [clock] = clocks(rule, events, CAL)
    assert (clock.completed_on, clock.on_time) == (START - ONE_DAY, True)
    assert next_due(rule, events, CAL) is None


@pytest.mark.parametrize("code", ["placement_plan", "icpc", "assessment"])
def test_an_end_event_before_the_start_does_not_count_for_other_rules_or_old_starts(code):
    rule = get_rule(code)
    if rule.may_complete_before_start:
        # an end event that belonged to an earlier clock is not reused
        events = [(rule.start_event, START - dt.timedelta(days=30)), (rule.end_event, START - ONE_DAY),
                  (rule.start_event, START)]
        history = clocks(rule, events, CAL)
        assert history[0].completed_on == START - ONE_DAY
        assert history[1].outstanding
    else:
        events = [(rule.end_event, START - ONE_DAY), (rule.start_event, START)]
        assert next_due(rule, events, CAL).due == FIRST_DUE[code]
