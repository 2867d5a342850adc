import re
from dataclasses import replace
from pathlib import Path

import pytest

from opencsc.performance.indicators import AREAS, BY_KEY, INDICATORS, KINDS, measure_for

# The fixed table from issue 7: key, module, kind, better.
EXPECTED = [
    ("contacts_decided_1wd", "frontdoor", "percent", "higher"),
    ("re_referrals_12m", "children_in_need", "percent", "lower"),
    ("assessments_45wd", "children_in_need", "percent", "higher"),
    ("cin_visits_in_time", "children_in_need", "percent", "higher"),
    ("icpc_15wd", "protection", "percent", "higher"),
    ("cp_plans_2_years", "protection", "percent", "lower"),
    ("cp_second_plans", "protection", "percent", "lower"),
    ("cp_visits_in_time", "protection", "percent", "higher"),
    ("cp_reviews_in_time", "protection", "percent", "higher"),
    ("cla_reviews_in_time", "care", "percent", "higher"),
    ("cla_visits_in_time", "care", "percent", "higher"),
    ("stability_3_placements", "care", "percent", "lower"),
    ("stability_long_term", "care", "percent", "higher"),
    ("health_assessments", "care", "percent", "higher"),
    ("dental_checks", "care", "percent", "higher"),
    ("peps_in_date", "care", "percent", "higher"),
    ("rhi_72_hours", "care", "percent", "higher"),
    ("a1_days", "adoption", "average", "lower"),
    ("a2_days", "adoption", "average", "lower"),
    ("a10_days", "adoption", "average", "lower"),
    ("care_leavers_in_touch", "careleavers", "percent", "higher"),
    ("care_leavers_eet", "careleavers", "percent", "higher"),
    ("care_leavers_suitable_accommodation", "careleavers", "percent", "higher"),
    ("average_caseload", "workforce", "per_worker", "lower"),
]
BUNDLED = Path(__file__).resolve().parent.parent / "specs" / "timescales_section_b.md"
SHARED = Path("/work/shared/specs/timescales.md")


def test_the_indicators_are_the_fixed_list_in_order():
    assert [(i.key, i.area, i.kind, i.better) for i in INDICATORS] == EXPECTED


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.key)
def test_every_indicator_is_complete(indicator):
    assert indicator.title and indicator.definition and indicator.source
    assert indicator.kind in KINDS and indicator.area in AREAS
    assert indicator.source.startswith("DfE: ") or indicator.source == "Local"
    assert indicator.measure_path == f"opencsc.performance.measures.{indicator.area}.{indicator.key}"
    assert indicator.amber_tolerance >= 0
    assert (indicator.national is None) == (indicator.national_quote == "")
    assert indicator.national is not None or indicator.national_note


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.key)
def test_every_key_resolves_to_a_callable_measure(indicator):
    assert callable(measure_for(indicator)), f"No measure {indicator.measure_path}"


def test_a_missing_measure_module_or_function_is_none_not_an_error():
    assert measure_for(replace(BY_KEY["a1_days"], area="no_such_module")) is None
    assert measure_for(replace(BY_KEY["a1_days"], key="no_such_function")) is None


def _section_b() -> str:
    return BUNDLED.read_text()


WITH_NATIONAL = [i for i in INDICATORS if i.national is not None]


@pytest.mark.parametrize("indicator", WITH_NATIONAL, ids=lambda i: i.key)
def test_every_national_figure_is_quoted_from_timescales_md(indicator):
    text = _section_b()
    assert indicator.national_quote in text
    # The figure is the first number after the year (or after "A1 2015–18:") in the quote.
    after_colon = indicator.national_quote.split(":", 1)[1]
    number = float(re.search(r"\d+(?:\.\d+)?", after_colon).group())
    assert indicator.national == number
    assert re.search(r"\d{4}", indicator.national_label)


@pytest.mark.parametrize("key", ["cp_second_plans", "cp_reviews_in_time", "a2_days", "a10_days",
                                 "health_assessments", "dental_checks", "care_leavers_eet",
                                 "stability_3_placements"])
def test_no_national_figure_where_timescales_md_did_not_retrieve_one(key):
    assert BY_KEY[key].national is None


@pytest.mark.skipif(not SHARED.exists(), reason="the shared specs are not on this machine")
def test_the_bundled_section_b_is_the_shared_one():
    shared = SHARED.read_text()
    section = shared[shared.index("## B."):shared.index("## C.")]
    bundled = _section_b().split("\n", 1)[1]
    assert bundled.strip() == section.strip()


@pytest.mark.parametrize("value, kind, expected", [
    (85.71, "percent", "85.7%"), (426.4, "average", "426 days"), (14.25, "per_worker", "14.2"),
    (None, "percent", "No data"), (0.0, "percent", "0.0%"),
])
def test_formatting(value, kind, expected):
    indicator = next(i for i in INDICATORS if i.kind == kind)
    assert indicator.format(value) == expected
