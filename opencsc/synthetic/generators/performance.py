"""The scorecard's history for the demo: a snapshot every four weeks for the last year.

Not a pipeline step (tests generate many authorities and need no history): the demo command runs it once
after generating the authority.

The measures read the records "as at" each date, so the history is what the scorecard would have shown
then. An authority takes one snapshot a week (`manage.py scorecard snapshot`); four-weekly points keep the
demo quick to build while still drawing a 12-month trend. Targets stay at their defaults, and one
commentary is written on the latest figure for contacts, so the demo shows where managers' analysis goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from opencsc.accounts.models import User
from opencsc.performance import services
from opencsc.performance.indicators import indicator_for
from opencsc.performance.scopes import AUTHORITY_SCOPE

POINTS = 13
EVERY = dt.timedelta(weeks=4)
# No words about where the figure stands against its target: the scorecard puts the figure's verdict (the
# same one as its status tag) in front of every commentary, so the two cannot disagree.
COMMENTARY = (
    "Timeliness fell in the summer when two MASH posts were vacant; both posts are now filled. The service "
    "manager checks every contact still open at the end of the day."
)


def generate_scorecard_history(*, today: dt.date, on_point: Callable[[dt.date], None] | None = None) -> int:
    """Take the snapshots (oldest first) and write the commentary; returns how many snapshots were taken."""
    analyst = User.objects.filter(username="analyst.demo").first()
    for n in range(POINTS - 1, -1, -1):
        services.snapshot_take(as_at=today - EVERY * n, taken_by=analyst)
        if on_point:
            on_point(today - EVERY * n)
    manager = User.objects.filter(username="sm.demo").first()
    if manager is not None:
        services.commentary_write(actor=manager, indicator=indicator_for("contacts_decided_1wd"),
                                  scope=AUTHORITY_SCOPE, as_at=today, text=COMMENTARY)
    return POINTS
