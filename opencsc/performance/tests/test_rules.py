import pytest

from opencsc.performance import rules
from opencsc.performance.indicators import AVERAGE, HIGHER, LOWER, PER_WORKER, PERCENT
from opencsc.performance.measures.base import Row


@pytest.mark.parametrize("mets, expected", [
    ([True, True, False, None], (2, 3, 200 / 3)),
    ([True], (1, 1, 100.0)),
    ([False, False], (0, 2, 0.0)),
    ([None, None], (0, 0, None)),  # nothing counted: no data, not 0%
    ([], (0, 0, None)),
])
def test_percent_counts_met_over_rows_counted(mets, expected):
    result = rules.total(PERCENT, [Row(child_id=1, met=m) for m in mets])
    assert (result.numerator, result.denominator) == expected[:2]
    assert result.value == pytest.approx(expected[2]) if expected[2] is not None else result.value is None


@pytest.mark.parametrize("values, expected", [
    ([100, 200, None], (300, 2, 150)),
    ([None], (0, 0, None)),
    ([], (0, 0, None)),
    ([0], (0, 1, 0)),
])
def test_average_is_the_mean_of_rows_with_a_value(values, expected):
    result = rules.total(AVERAGE, [Row(child_id=1, value=v) for v in values])
    assert (result.numerator, result.denominator, result.value) == expected


@pytest.mark.parametrize("workers, expected", [
    ([1, 1, 1, 2], (4, 2, 2.0)),
    ([7], (1, 1, 1.0)),
    ([], (0, 0, None)),
    ([None, None], (2, 0, None)),
])
def test_per_worker_is_rows_over_distinct_workers(workers, expected):
    result = rules.total(PER_WORKER, [Row(child_id=n, worker_id=w) for n, w in enumerate(workers)])
    assert (result.numerator, result.denominator, result.value) == expected


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        rules.total("median", [])


@pytest.mark.parametrize("value, target, tolerance, better, expected", [
    (90, 90, 5, HIGHER, rules.GREEN),
    (95, 90, 5, HIGHER, rules.GREEN),
    (89.9, 90, 5, HIGHER, rules.AMBER),
    (85, 90, 5, HIGHER, rules.AMBER),
    (84.9, 90, 5, HIGHER, rules.RED),
    (0, 90, 5, HIGHER, rules.RED),
    (20, 20, 3, LOWER, rules.GREEN),
    (10, 20, 3, LOWER, rules.GREEN),
    (20.1, 20, 3, LOWER, rules.AMBER),
    (23, 20, 3, LOWER, rules.AMBER),
    (23.1, 20, 3, LOWER, rules.RED),
    (100 * 17 / 20, 85, 0, HIGHER, rules.GREEN),
    (85 - 1e-12, 85, 0, HIGHER, rules.GREEN),  # rounding noise is not a miss
    (None, 90, 5, HIGHER, None),
    (50, None, 5, HIGHER, None),
])
def test_rag_is_direction_aware(value, target, tolerance, better, expected):
    assert rules.rag(value, target=target, tolerance=tolerance, better=better) == expected


def test_every_rating_has_words_and_a_tag():
    for rating in (rules.GREEN, rules.AMBER, rules.RED, None):
        assert rules.RAG_LABELS[rating] and rules.RAG_TAG_CLASSES[rating].startswith("govuk-tag--")


@pytest.mark.parametrize("previous, latest, better, expected", [
    (50, 60, HIGHER, "Improving"), (60, 50, HIGHER, "Worsening"),
    (50, 60, LOWER, "Worsening"), (60, 50, LOWER, "Improving"),
    (50, 50, HIGHER, "No change"), (None, 50, HIGHER, ""), (50, None, LOWER, ""),
])
def test_trend_direction(previous, latest, better, expected):
    assert rules.trend_direction(previous, latest, better) == expected
