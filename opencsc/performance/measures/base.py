"""The shape every measure returns, so one framework can total, attribute and drill into them all.

A measure is a plain function `measure(as_at: date) -> list[Row]`. It reads the records as they
stood at `as_at` (its own window, e.g. the 12 months to `as_at`, or those open on `as_at`, stated in
the indicator's definition) and returns one row per thing counted: a contact, a referral, a child on
a plan, a care leaver, an allocation. The framework (opencsc.performance.services) turns rows into a
figure, splits them by service and team, stores them weekly and drills from the figure to the rows.

Measures read every child, restricted ones included: a figure is a fact about the authority. The
drill-down pages filter rows through people.access.children_for before naming anyone.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Row(NamedTuple):
    child_id: int | None
    # For "percent" indicators: True if this row meets the standard, False if not, None if the row
    # is shown in the drill-down but left out of the figure (e.g. not yet due).
    met: bool | None = None
    # What the row is, in words a manager recognises: "Contact received 3 Mar 2026", "Plan started 1 Jun 2024".
    ref: str = ""
    # For "average" indicators (days from entering care to adoption, for example).
    value: float | None = None
    # For "per_worker" indicators (caseloads): who the row belongs to.
    worker_id: int | None = None
    # The date the row is about (received, started, due): shown and sortable in the drill-down.
    on: dt.date | None = None
