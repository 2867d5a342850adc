"""Out-of-hours entries in the child's chronology (no statutory clock)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opencsc.core import events


def _entry_facts(entry):
    local = timezone.localtime(entry.occurred_at)
    flags = [label for flag, label in ((entry.police_protection, "police protection"),
                                       (entry.placement_made, "emergency placement")) if flag]
    yield events.Fact(
        child_id=entry.child_id, on=local.date(), at=entry.occurred_at,
        title=f"Out-of-hours action at {local:%H:%M}" + (f" ({', '.join(flags)})" if flags else ""),
        category="Out of hours", detail=f"Decision: {entry.decision}",
        url=reverse("edt:entry_detail", args=[entry.child_id, entry.pk]), significant=bool(flags),
        author_id=entry.recorded_by_id or None, recorded_at=entry.created_at,
    )


events.register(events.Source(key="out_of_hours", label="Out-of-hours work", model="edt.OutOfHoursEntry",
                              project=_entry_facts))
