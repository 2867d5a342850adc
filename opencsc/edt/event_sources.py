"""Out-of-hours entries in the child's chronology (no statutory clock)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opencsc.casework.events import ChronologyItem, EventSource, register, within
from opencsc.core.prepared import prepared

from .models import OutOfHoursEntry


@prepared
def _entry_rows(child_id):
    return OutOfHoursEntry.objects.filter(child_id=child_id).select_related("recorded_by")


def _entries(child, date_from=None, date_to=None):
    """One query."""
    for entry in _entry_rows(child.pk):
        local = timezone.localtime(entry.occurred_at)
        day = local.date()
        if not within(day, date_from, date_to):
            continue
        flags = [label for flag, label in ((entry.police_protection, "police protection"),
                                           (entry.placement_made, "emergency placement")) if flag]
        yield ChronologyItem(
            date=day,
            source="out_of_hours",
            category="Out of hours",
            title=f"Out-of-hours action at {local:%H:%M}" + (f" ({', '.join(flags)})" if flags else ""),
            detail=f"Decision: {entry.decision}",
            url=reverse("edt:entry_detail", args=[child.pk, entry.pk]),
            significant=bool(flags),
            author=entry.recorded_by.display_name,
            sort_key=(local.time().isoformat(), entry.pk),
        )


register(EventSource(key="out_of_hours", label="Out-of-hours work", fetch=_entries))
