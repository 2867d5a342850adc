"""The adoption scorecard measures, as data and pure functions (no database).

Thresholds from specs/timescales.md row 48 (3-year averages): A1 and A10 at most 426 days
(14 months), A2 at most 121 days (4 months).

- A1: days from entering care to moving in with the adoptive family (the adoptive placement),
  for children adopted in the window.
- A2: days from the court's authority to place (the placement order) to the match with adopters,
  for children adopted in the window who had a placement order.
- A10: as A1, but for a child adopted by their foster carers, or placed with them in a fostering
  for adoption placement, from the day they moved in with that family.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WINDOW_YEARS = 3


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    start: str  # the plan's field the days run from
    end: str  # ... and to
    threshold: int
    source: str = "Adoption scorecard thresholds (specs/timescales.md row 48)"


MEASURES: dict[str, Measure] = {
    "A1": Measure("A1", "Entering care to moving in with the adoptive family", "entered_care_on", "placed_on", 426),
    "A2": Measure("A2", "Placement order to match with adopters", "placement_order_on", "matched_on", 121),
    "A10": Measure("A10", "Entering care to moving in with the adoptive family, adjusted for foster carer adoptions",
                   "entered_care_on", "moved_in_on", 426),
}


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The 3-year rolling window ending today: children adopted from this day to today count."""
    try:
        start = today.replace(year=today.year - WINDOW_YEARS)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - WINDOW_YEARS, day=28)
    return start + dt.timedelta(days=1), today


def days_between(start: dt.date | None, end: dt.date | None) -> int | None:
    if start is None or end is None:
        return None
    return (end - start).days


def average(days: list[int]) -> float | None:
    return round(sum(days) / len(days), 1) if days else None


def meets_threshold(measure: Measure, average_days: float | None) -> bool | None:
    return None if average_days is None else average_days <= measure.threshold


# --- Adopters' stages ------------------------------------------------------------------

ENQUIRY, STAGE_ONE, STAGE_TWO, APPROVED, MATCHED, PLACED, HAS_ADOPTED, WITHDRAWN = (
    "enquiry", "stage_one", "stage_two", "approved", "matched", "placed", "adopted", "withdrawn"
)
STAGES = {
    ENQUIRY: "Enquiry",
    STAGE_ONE: "Stage one",
    STAGE_TWO: "Stage two",
    APPROVED: "Approved, waiting for a match",
    MATCHED: "Matched",
    PLACED: "Child placed",
    HAS_ADOPTED: "Adopted a child",
    WITHDRAWN: "Withdrawn or not approved",
}
# The order of the journey, and the household's date field for each step.
STAGE_FIELDS = (("stage_one_on", STAGE_ONE), ("stage_two_on", STAGE_TWO), ("approved_on", APPROVED))


def adopter_stage(*, enquiry_on, stage_one_on=None, stage_two_on=None, approved_on=None, withdrawn_on=None,
                  matched_on=None, placed_on=None, adopted_on=None) -> tuple[str, dt.date]:
    """Where prospective adopters are in their journey, and since when.

    `matched_on` and `placed_on` are those of a plan still open; `adopted_on` their last adoption order.
    """
    if withdrawn_on:
        return WITHDRAWN, withdrawn_on
    for stage, day in ((PLACED, placed_on), (MATCHED, matched_on), (HAS_ADOPTED, adopted_on), (APPROVED, approved_on),
                       (STAGE_TWO, stage_two_on), (STAGE_ONE, stage_one_on)):
        if day:
            return stage, day
    return ENQUIRY, enquiry_on


# --- A child's stage in the plan for adoption ------------------------------------------

DECIDED, ORDERED, CHILD_MATCHED, CHILD_PLACED, ADOPTED, ENDED = (
    "decided", "placement_order", "matched", "placed", "adopted", "ended"
)
CHILD_STAGES = {
    DECIDED: "Should be placed: waiting for a placement order",
    ORDERED: "Placement order: waiting for a match",
    CHILD_MATCHED: "Matched: waiting to move in",
    CHILD_PLACED: "Placed for adoption: waiting for the adoption order",
    ADOPTED: "Adopted",
    ENDED: "Plan for adoption ended",
}


def child_stage(*, should_be_placed_on, placement_order_on=None, matched_on=None, placed_on=None,
                adoption_order_on=None, ended_on=None) -> tuple[str, dt.date]:
    if adoption_order_on:
        return ADOPTED, adoption_order_on
    if ended_on:
        return ENDED, ended_on
    for stage, day in ((CHILD_PLACED, placed_on), (CHILD_MATCHED, matched_on), (ORDERED, placement_order_on)):
        if day:
            return stage, day
    return DECIDED, should_be_placed_on
