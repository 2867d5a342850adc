"""Pure rules: how rows become a figure, and how a figure is rated against a target.

No Django imports: these are tested exhaustively with parametrize.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .indicators import AVERAGE, HIGHER, LOWER, PER_WORKER, PERCENT

GREEN = "green"
AMBER = "amber"
RED = "red"

# Words and the GOV.UK tag colour for each rating: never colour alone.
RAG_LABELS = {GREEN: "On target", AMBER: "Near target", RED: "Off target", None: "No rating"}
RAG_TAG_CLASSES = {GREEN: "govuk-tag--green", AMBER: "govuk-tag--yellow", RED: "govuk-tag--red",
                   None: "govuk-tag--grey"}


# What each rating means in words, for each direction of good: the status tag and every sentence about a
# figure (the scorecard, the indicator page, the commentary beside it) read these, so they cannot disagree.
VERDICT_WORDS = {
    (GREEN, HIGHER): "at or above the target",
    (AMBER, HIGHER): "just below the target",
    (RED, HIGHER): "below the target",
    (GREEN, LOWER): "at or below the target",
    (AMBER, LOWER): "just above the target",
    (RED, LOWER): "above the target",
}


@dataclass(frozen=True)
class Verdict:
    """A figure's rating, in the words the status tag and the sentences about the figure both use."""

    rating: str | None
    better: str

    @property
    def label(self) -> str:
        return RAG_LABELS[self.rating]

    @property
    def words(self) -> str:
        """"below the target": where the figure sits, the way round that is good for this indicator."""
        return VERDICT_WORDS.get((self.rating, self.better), "")

    def sentence(self, value_text: str, target_text: str) -> str:
        """"Off target: 62.0% is below the target of 85.0%." (or "No rating" without a figure or target)."""
        if self.rating is None:
            return f"{self.label}."
        where = self.words.removesuffix(" the target")
        return f"{self.label}: {value_text} is {where} the target of {target_text}."


def verdict(value: float | None, *, target: float | None, tolerance: float, better: str) -> Verdict:
    """The rating of a figure (see rag) with its words."""
    return Verdict(rag(value, target=target, tolerance=tolerance, better=better), better)


# Phrases a commentary might use about where a figure stands ("back above target", "off target"): which
# side of the target each claims, for each direction of good (None: the phrase says nothing either way).
_CLAIM = re.compile(r"\b(above|over|below|under|on|off|meeting|met|missing|missed|beating|behind|within)\s+"
                    r"(?:the\s+|our\s+|its\s+)?target", re.IGNORECASE)
_GOOD_WHATEVER_THE_DIRECTION = {"on", "meeting", "met", "beating", "within"}
_BAD_WHATEVER_THE_DIRECTION = {"off", "missing", "missed", "behind"}
_GOOD_WHEN_HIGHER = {"above", "over"}
_GOOD_WHEN_LOWER = {"below", "under"}


def claimed_good(word: str, better: str) -> bool:
    """Whether "<word> target" says the figure is where it should be, for this direction of good."""
    word = word.lower()
    if word in _GOOD_WHATEVER_THE_DIRECTION:
        return True
    if word in _BAD_WHATEVER_THE_DIRECTION:
        return False
    return word in (_GOOD_WHEN_HIGHER if better == HIGHER else _GOOD_WHEN_LOWER)


def contradiction(text: str, verdict: Verdict) -> str:
    """The phrase of a commentary that says the opposite of the figure's verdict ("back above target"
    beside "Off target"), or "" when none does. Without a rating nothing can contradict it."""
    if verdict.rating is None:
        return ""
    for match in _CLAIM.finditer(text or ""):
        good = claimed_good(match.group(1), verdict.better)
        if good != (verdict.rating == GREEN):
            return match.group(0)
    return ""


@dataclass(frozen=True)
class Total:
    numerator: float
    denominator: int
    value: float | None  # None when the denominator is empty ("No data", not 0%)


def total(kind: str, rows: Iterable) -> Total:
    """Turn a measure's rows (anything with met, value and worker_id) into a figure."""
    rows = list(rows)
    if kind == PERCENT:
        counted = [r for r in rows if r.met is not None]
        met = sum(1 for r in counted if r.met)
        return Total(met, len(counted), 100.0 * met / len(counted) if counted else None)
    if kind == AVERAGE:
        values = [float(r.value) for r in rows if r.value is not None]
        amount = sum(values)
        return Total(amount, len(values), amount / len(values) if values else None)
    if kind == PER_WORKER:
        workers = {r.worker_id for r in rows if r.worker_id is not None}
        return Total(len(rows), len(workers), len(rows) / len(workers) if workers else None)
    raise ValueError(f"Unknown kind of indicator {kind!r}")


def rag(value: float | None, *, target: float | None, tolerance: float, better: str) -> str | None:
    """Green at or better than the target; amber within the tolerance of it; red beyond; None without data."""
    if value is None or target is None:
        return None
    if better == HIGHER:
        gap = target - value
    elif better == LOWER:
        gap = value - target
    else:
        raise ValueError(f"Unknown direction {better!r}")
    gap = round(gap, 9)  # 85.00000000001 is 85
    if gap <= 0:
        return GREEN
    if gap <= tolerance:
        return AMBER
    return RED


def trend_direction(previous: float | None, latest: float | None, better: str) -> str:
    """"Improving", "Worsening" or "No change" (or "" without two figures), in words."""
    if previous is None or latest is None:
        return ""
    if abs(latest - previous) < 1e-9:
        return "No change"
    up = latest > previous
    return "Improving" if up == (better == HIGHER) else "Worsening"
