"""For the tests comparing the old event registry (casework/events.py) with the event log (core/events.py):
while both exist, each source must give the same chronology items and clock events through both.
The lead deletes this module with the old registry."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from opencsc.casework import events as old_events
from opencsc.core.models import Event
from opencsc.people.models import Child


def _position(sort_key: tuple) -> tuple:
    """(source_id, seq) from an old item's sort_key: (pk,) or (pk, n)."""
    return (sort_key[0], sort_key[1] if len(sort_key) > 1 else 0)


def old_items(key: str, child_ids, *, position=_position) -> Counter:
    source = old_events.get_source(key)
    out = Counter()
    for child in Child.objects.filter(pk__in=list(child_ids)).order_by("pk"):
        for item in source.fetch(child):
            out[(child.pk, item.date, item.title, item.category, item.detail, item.url, item.significant,
                 item.author, *position(item.sort_key))] += 1
    return out


def new_items(key: str) -> Counter:
    out = Counter()
    for event in Event.objects.filter(kind=key).exclude(title="").select_related("author"):
        out[(event.child_id, event.occurred_on, event.title, event.category, event.detail, event.url,
             event.significant, event.author.display_name if event.author else "", event.source_id, event.seq)] += 1
    return out


def old_clocks(key: str) -> Counter:
    source = old_events.get_source(key)
    return Counter((e.child_id, e.event, e.on, e.scope) for e in source.clock_events(Child.objects.all()))


def new_clocks(key: str) -> Counter:
    return Counter(
        (child_id, clock, at if timed else on, scope)
        for child_id, clock, on, at, timed, scope in Event.objects.filter(kind=key).exclude(clock="").values_list(
            "child_id", "clock", "occurred_on", "occurred_at", "timed", "scope"))


def old_open_clocks(key: str, day: dt.date) -> Counter:
    source = old_events.get_source(key)
    return Counter((e.child_id, e.event, e.on, e.scope) for e in source.open_clock_events(Child.objects.all(), day))


def new_open_clocks(key: str, day: dt.date) -> Counter:
    """The clock events of the records not settled on or before the day (what a due list reads)."""
    rows = Event.objects.filter(kind=key).exclude(clock="").exclude(settled_on__lte=day)
    return Counter((c, clock, on, scope) for c, clock, on, scope in rows.values_list(
        "child_id", "clock", "occurred_on", "scope"))


def old_latest_clocks(key: str, day: dt.date) -> Counter:
    source = old_events.get_source(key)
    return Counter((e.child_id, e.event, e.on, e.scope)
                   for e in source.latest_clock_events(Child.objects.all(), day))


def new_latest_clocks(key: str, day: dt.date) -> Counter:
    latest: dict[tuple, dt.date] = {}
    for child_id, clock, on, scope in Event.objects.filter(kind=key, occurred_on__lte=day).exclude(
            clock="").values_list("child_id", "clock", "occurred_on", "scope"):
        group = (child_id, clock, scope)
        latest[group] = max(latest.get(group, on), on)
    return Counter((c, clock, on, scope) for (c, clock, scope), on in latest.items())


