"""Pure rules: how rows become a figure, and how a figure is rated against a target.

No Django imports: these are tested exhaustively with parametrize.
"""

from __future__ import annotations

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
