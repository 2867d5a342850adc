"""Adoption scorecard measures A1, A2 and A10 (days, averaged over 3 years)."""

from __future__ import annotations

import datetime as dt

from opencsc.adoption import rules
from opencsc.adoption.models import AdoptionPlan

from .base import Row
from .common import in_words

WORDS = {
    "entered_care_on": "entered care", "placed_on": "moved in with the adoptive family",
    "placement_order_on": "placement order", "matched_on": "matched", "moved_in_on": "moved in with the adoptive family",
}


def _days(code: str, as_at: dt.date) -> list[Row]:
    """One row per child adopted in the 3 years to the date, with the measure's days as the value, as the
    adoption app's scorecard works them out (`adoption.rules.MEASURES`, `window`, `days_between`)."""
    measure = rules.MEASURES[code]
    first, last = rules.window(as_at)
    rows = []
    for plan in (AdoptionPlan.objects.filter(adoption_order_on__gte=first, adoption_order_on__lte=last)
                 .order_by("adoption_order_on", "id")):
        start, end = getattr(plan, measure.start), getattr(plan, measure.end)
        days = rules.days_between(start, end)
        if days is None:
            ref = f"Adopted {in_words(plan.adoption_order_on)}: not counted, no {WORDS.get(measure.start if start is None else measure.end, 'date')} date"
        else:
            ref = (f"Adopted {in_words(plan.adoption_order_on)}: {WORDS.get(measure.start, measure.start)} "
                   f"{in_words(start)}, {WORDS.get(measure.end, measure.end)} {in_words(end)}")
        rows.append(Row(child_id=plan.child_id, value=days, ref=ref, on=plan.adoption_order_on))
    return rows


def a1_days(as_at: dt.date) -> list[Row]:
    """Adoption A1: average days from entering care to moving in with the adoptive family.

    Every child adopted (adoption order made) in the 3 years to the date; the value is the days from
    the day they entered care to the day they were placed for adoption. Children with either date
    missing are shown with no value and left out of the average. Threshold 426 days (14 months).
    Source: adoption scorecard (specs/timescales.md row 48), `adoption.rules`, plans in the adoption app.
    """
    return _days("A1", as_at)


def a2_days(as_at: dt.date) -> list[Row]:
    """Adoption A2: average days from the placement order to the match with adopters.

    Every child adopted in the 3 years to the date; the value is the days from the court's authority
    to place (placement order) to the match. Children with no placement order or match recorded are
    shown with no value and left out of the average. Threshold 121 days (4 months).
    Source: adoption scorecard (specs/timescales.md row 48), `adoption.rules`, plans in the adoption app.
    """
    return _days("A2", as_at)


def a10_days(as_at: dt.date) -> list[Row]:
    """Adoption A10: average days from entering care to moving in with the adoptive family, adjusted
    for foster carer adoptions.

    As A1, but for a child adopted by their foster carers, or placed with them in a fostering for
    adoption placement, the days run to the day they moved in with that family. Threshold 426 days.
    Source: adoption scorecard (specs/timescales.md row 48), `adoption.rules`, plans in the adoption app.
    """
    return _days("A10", as_at)
