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


# --- Verdicts: the status tag and every sentence about a figure read the same verdict -----------------
RATINGS = (rules.GREEN, rules.AMBER, rules.RED)


@pytest.mark.parametrize("better", [HIGHER, LOWER])
@pytest.mark.parametrize("rating", RATINGS)
def test_the_verdict_words_agree_with_its_label(rating, better):
    verdict = rules.Verdict(rating, better)
    good_side, bad_side = ("above", "below") if better == HIGHER else ("below", "above")
    assert verdict.label == rules.RAG_LABELS[rating]
    assert verdict.sentence("62.0%", "85.0%").startswith(f"{verdict.label}: 62.0% is ")
    assert "the target of 85.0%" in verdict.sentence("62.0%", "85.0%")
    if rating == rules.GREEN:
        assert good_side in verdict.words and bad_side not in verdict.words
    else:
        assert bad_side in verdict.words and good_side not in verdict.words
    assert ("just" in verdict.words) == (rating == rules.AMBER)


@pytest.mark.parametrize("value, target, better, expected_words", [
    (90, 85, HIGHER, "at or above the target"),
    (82, 85, HIGHER, "just below the target"),
    (60, 85, HIGHER, "below the target"),
    (18, 20, LOWER, "at or below the target"),
    (22, 20, LOWER, "just above the target"),
    (30, 20, LOWER, "above the target"),
])
def test_the_verdict_of_a_figure_is_its_rating_in_words(value, target, better, expected_words):
    verdict = rules.verdict(value, target=target, tolerance=5, better=better)
    assert verdict.rating == rules.rag(value, target=target, tolerance=5, better=better)
    assert verdict.words == expected_words


def test_no_figure_has_no_rating_and_no_words():
    verdict = rules.verdict(None, target=85, tolerance=5, better=HIGHER)
    assert (verdict.label, verdict.words, verdict.sentence("No data", "85.0%")) == ("No rating", "", "No rating.")


# (phrase in a commentary, which way is better, ratings it contradicts)
CLAIMS = [
    ("the last four weeks are back above target", HIGHER, {rules.AMBER, rules.RED}),
    ("the last four weeks are back above target", LOWER, {rules.GREEN}),
    ("still below target", HIGHER, {rules.GREEN}),
    ("now below the target", LOWER, {rules.AMBER, rules.RED}),
    ("we are on target again", HIGHER, {rules.AMBER, rules.RED}),
    ("we are on target again", LOWER, {rules.AMBER, rules.RED}),
    ("Off target since June", HIGHER, {rules.GREEN}),
    ("Off target since June", LOWER, {rules.GREEN}),
    ("missed our target in July", LOWER, {rules.GREEN}),
    ("Two MASH posts were vacant; both are filled.", HIGHER, set()),
    ("Two MASH posts were vacant; both are filled.", LOWER, set()),
]


@pytest.mark.parametrize("rating", RATINGS)
@pytest.mark.parametrize("text, better, contradicted", CLAIMS)
def test_a_commentary_contradicting_the_verdict_is_found(text, better, contradicted, rating):
    found = rules.contradiction(text, rules.Verdict(rating, better))
    assert bool(found) == (rating in contradicted)
    if found:
        assert found.lower() in text.lower()


@pytest.mark.parametrize("better", [HIGHER, LOWER])
def test_nothing_contradicts_a_figure_without_a_rating(better):
    assert rules.contradiction("back above target", rules.Verdict(None, better)) == ""
