"""Front door measures: how quickly contacts are decided.

Also holds the small helpers the other measure modules share (the 12-month window, dates in
words, and the timescales engine run "as at" a date over a set of children).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from opencsc.frontdoor.models import ContactChild
from opencsc.timescales.authority import timescale

from .base import Row
from .common import day_bounds, in_words, year_to

# --- Measures -----------------------------------------------------------------------------------


def contacts_decided_1wd(as_at: dt.date) -> list[Row]:
    """Contacts decided within 1 working day.

    Every contact received in the 12 months to the date, one row for each child the contact names.
    Met when the manager's decision was recorded by the end of the first working day after the day
    the contact was received (the `contact_decision` timescale: Working together to safeguard
    children 2023, ch.1, "within one working day"), counted in the calendar the rule counts in
    (``timescales.authority.timescale``: national working days unless the authority applies its closure
    days to the rule). A contact not yet decided on the date is
    left out of the figure (met None) until its decision is due, then counts as not met. Decisions
    recorded after the date count as not yet made. Source: the front door's contact records.
    """
    first, last = year_to(as_at)
    start, end = day_bounds(first, last)
    decision = timescale("contact_decision")
    rows = []
    links = (ContactChild.objects.filter(contact__received_at__gte=start, contact__received_at__lt=end)
             .values_list("child_id", "contact__received_at", "contact__decided_at")
             .order_by("contact__received_at", "id"))
    for child_id, received_at, decided_at in links:
        received = timezone.localdate(received_at)
        decided = timezone.localdate(decided_at) if decided_at else None
        if decided is not None and decided > as_at:
            decided = None
        due = decision.due(received)
        if decided is not None:
            met = not decision.is_late(received, decided)
            ref = f"Contact received {in_words(received)}, decided {in_words(decided)}"
        else:
            met = None if as_at <= due else False
            ref = f"Contact received {in_words(received)}, not yet decided (due {in_words(due)})"
        rows.append(Row(child_id=child_id, met=met, ref=ref, on=received))
    return rows
