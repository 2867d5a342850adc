"""Out-of-hours entries in the child's chronology (no statutory clock)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opencsc.casework.events import ChronologyItem, EventSource, register, within
from opencsc.core import events
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


# --- The event log (core/events.py): the same entries, as facts written by the services ------------


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
