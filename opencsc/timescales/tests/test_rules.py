"""The rules as data, and the authority's settings for local-practice rules."""

import dataclasses

import pytest

from opencsc.timescales.core import (
    LOCAL,
    RULES,
    RULES_BY_CODE,
    STATUTORY,
    STATUTORY_GUIDANCE,
    Period,
    default_settings,
    effective_rule,
    effective_rules,
    get_rule,
    rule_override_errors,
)
from opencsc.timescales.core.rules import NONE, SEQUENCES, Rule

LOCAL_RULES = {"strategy_discussion", "s47_enquiry", "cp_core_group", "cp_visit", "cp_review_after_birth",
               "cp_transfer_in", "cin_review", "cin_visit"}


def test_rule_codes_are_unique_and_looked_up_by_code():
    assert len({r.code for r in RULES}) == len(RULES)
    assert get_rule("cla_review") is RULES_BY_CODE["cla_review"]


def test_exactly_the_local_practice_rules_are_configurable():
    assert {r.code for r in RULES if r.configurable} == LOCAL_RULES
    assert {r.code for r in RULES if r.status == LOCAL} == LOCAL_RULES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_is_complete(rule):
    assert rule.status in (STATUTORY, STATUTORY_GUIDANCE, LOCAL)
    assert rule.name and rule.source and rule.start_event and rule.end_event
    assert rule.length > 0
    assert 1 <= rule.row <= 50
    assert rule.amber_within.length >= 0
    if rule.restart == NONE:
        assert not rule.then and rule.switch is None
    assert dataclasses.is_dataclass(rule)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.length = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    "code, steps",
    [
        ("cla_review", [(20, "working_days"), (3, "months"), (6, "months")]),
        ("cp_review", [(3, "months"), (6, "months")]),
        ("cp_core_group", [(10, "working_days"), (4, "weeks")]),
        ("cin_review", [(10, "calendar_days"), (4, "weeks")]),
        ("cla_visit", [(1, "weeks"), (6, "weeks")]),
        ("adoption_review_placed", [(4, "weeks"), (3, "months"), (6, "months")]),
        ("adoption_review_not_placed", [(3, "months"), (6, "months")]),
        ("pa_visit", [(7, "calendar_days"), (2, "months")]),
        ("private_fostering_visit", [(7, "working_days"), (6, "weeks")]),
        ("assessment", [(45, "working_days")]),
        ("icpc", [(15, "working_days")]),
        ("return_home_interview", [(72, "hours")]),
        ("police_protection", [(72, "hours")]),
    ],
)
def test_sequences_are_data(code, steps):
    assert [(p.length, p.unit) for p in get_rule(code).steps] == steps


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"status": "guidance"}, "unknown status"),
        ({"unit": "fortnights"}, "unknown unit"),
        ({"restart": "sometimes"}, "unknown restart"),
        ({"length": -1}, "must not be negative"),
        ({"then": (Period(1, "weeks"),)}, "only a sequence"),
        ({"unit": "hours", "restart": "from_actual_previous"}, "hour rules"),
        ({"restart": "from_actual_previous", "may_complete_before_start": True}, "only a single clock"),
    ],
)
def test_a_malformed_rule_is_refused(kwargs, message):
    base = dict(code="x", name="X", source="S", status=LOCAL, start_event="a", end_event="b", length=1,
                unit="working_days", amber_within=Period(0, "working_days"))
    with pytest.raises(ValueError, match=message):
        Rule(**{**base, **kwargs})


def test_period_refuses_an_unknown_unit():
    with pytest.raises(ValueError):
        Period(2, "fortnights")


# -- the authority's settings ----------------------------------------------


def test_no_settings_leaves_every_rule_unchanged():
    assert effective_rules(None) == {r.code: r for r in RULES}
    assert effective_rules({}) == {r.code: r for r in RULES}


def test_default_settings_round_trip_to_the_same_rules():
    assert effective_rules(default_settings()) == {r.code: r for r in RULES}
    assert set(default_settings()) == LOCAL_RULES


def test_a_local_rule_takes_the_authoritys_values():
    # Given an authority that visits children on plans every 2 weeks, amber 3 days before
    settings = {"cp_visit": {"length": 2, "unit": "weeks", "amber_within": (3, "calendar_days")}}
    rule = effective_rule(get_rule("cp_visit"), settings)
    assert (rule.length, rule.unit, rule.amber_within) == (2, "weeks", Period(3, "calendar_days"))
    # And the original data is untouched
    assert (get_rule("cp_visit").length, get_rule("cp_visit").unit) == (10, "working_days")


def test_a_sequence_can_take_new_later_steps():
    rule = effective_rule(get_rule("cp_core_group"), {"cp_core_group": {"then": [(1, "months")]}})
    assert rule.steps == (Period(10, "working_days"), Period(1, "months"))


def test_settings_for_other_rules_do_not_apply():
    assert effective_rule(get_rule("cp_visit"), {"cin_visit": {"length": 15}}) is get_rule("cp_visit")


@pytest.mark.parametrize("code", sorted(r.code for r in RULES if not r.configurable))
def test_a_national_rule_cannot_be_changed(code):
    rule = get_rule(code)
    assert rule_override_errors(rule, {"length": 99}) == [f"{rule.name} is set nationally and cannot be changed"]
    with pytest.raises(ValueError, match="set nationally"):
        effective_rule(rule, {code: {"length": 99}})
    assert get_rule(code).length == rule.length


@pytest.mark.parametrize(
    "values, error",
    [
        ({"length": 0}, "The timescale must be a whole number, 1 or more"),
        ({"length": "ten"}, "The timescale must be a whole number, 1 or more"),
        ({"length": True}, "The timescale must be a whole number, 1 or more"),
        ({"unit": "hours"}, "Choose working days, days, weeks or months"),
        ({"unit": "fortnights"}, "Choose working days, days, weeks or months"),
        ({"colour": "red"}, "Unknown setting: colour"),
        ({"then": [(0, "weeks")]}, "Enter each period as a whole number of working days, days, weeks or months"),
        ({"then": ["soon"]}, "Enter each period as a number and a unit"),
        ({"amber_within": (-1, "calendar_days")},
         "Enter each period as a whole number of working days, days, weeks or months"),
    ],
)
def test_bad_settings_are_explained(values, error):
    assert error in rule_override_errors(get_rule("cp_visit"), values)
    with pytest.raises(ValueError):
        effective_rule(get_rule("cp_visit"), {"cp_visit": values})


def test_a_single_clock_cannot_take_later_steps():
    errors = rule_override_errors(get_rule("strategy_discussion"), {"then": [(1, "weeks")]})
    assert errors == ["Only a repeating timescale can have later steps"]


@pytest.mark.parametrize("code", sorted(LOCAL_RULES))
def test_good_settings_have_no_errors(code):
    assert rule_override_errors(get_rule(code), {"length": 3, "unit": "weeks"}) == []


def test_sequence_kinds():
    assert {r.code for r in RULES if r.restart in SEQUENCES} >= {"cla_review", "cp_review", "cla_visit"}


@pytest.mark.parametrize(
    "code, words",
    [
        ("assessment", "45 working days"),
        ("cp_visit", "every 10 working days"),
        ("cla_review", "20 working days, then 3 months, then every 6 months"),
        ("cla_visit_long_term", "1 week, then every 6 weeks; every 3 months from the end of the placement's first year"),
        ("cla_visit_placed_with_parent", "every week; every 6 weeks from the first review"),
        ("epo", "8 days; extensions of 7 days (at most 1)"),
        ("return_home_interview", "72 hours"),
    ],
)
def test_rules_describe_their_timescale_in_words(code, words):
    assert get_rule(code).describe_length() == words
