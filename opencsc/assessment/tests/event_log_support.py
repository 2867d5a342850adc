"""For the event log tests of the assessment, front door and early help apps: the old registry
(casework/events.py) and the new one (core/events.py) compared on the same records.

`old_and_new_differ(key, child_ids)` compares, for the old source `key`, every child's chronology items
(old `fetch`) with the Event rows of that kind, item for item, and the clock events (old
`clock_events`, and `open_clock_events` for some dates) with the Event clock rows. The lead deletes
it with the old registry.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from opencsc.casework import events as old_events
from opencsc.core.models import Event
from opencsc.people.models import Child


def _item(child_id, date, title, category, detail, url, significant, author, source_id):
    return (child_id, date, title, category, detail, url, significant, author, source_id)


def chronology_differences(key: str, child_ids, *, old_key_of=None) -> list[str]:
    """The items of one side only, and the children whose items come in another order.

    `old_key_of`: {source_id: the pk the old source sorted by}, where they differ (a contact's entries
    are its ContactChild rows' in the log, the contact's in the old source)."""
    source = old_events.get_source(key)
    old: dict[int, list] = {}
    for child in Child.objects.filter(pk__in=set(child_ids)).order_by("pk"):
        items = sorted(source.fetch(child), key=lambda i: (i.date, i.sort_key))
        if items:
            old[child.pk] = [
                _item(child.pk, i.date, i.title, i.category, i.detail, i.url, i.significant, i.author,
                      i.sort_key[0]) for i in items]
    new: dict[int, list] = defaultdict(list)  # (seq, item), then the items by date, old key and seq
    rows = (Event.objects.filter(kind=key).exclude(title="").select_related("author")
            .order_by("child_id", "occurred_on", "source_id", "seq"))
    for e in rows:
        source_id = old_key_of[e.source_id] if old_key_of is not None else e.source_id
        new[e.child_id].append((e.seq, _item(e.child_id, e.occurred_on, e.title, e.category, e.detail, e.url,
                                             e.significant, e.author.display_name if e.author else "", source_id)))
    new = {pk: [i for _, i in sorted(items, key=lambda s: (s[1][1], s[1][-1], s[0]))] for pk, items in new.items()}
    problems = []
    only_old = Counter(i for items in old.values() for i in items) - Counter(i for items in new.values() for i in items)
    only_new = Counter(i for items in new.values() for i in items) - Counter(i for items in old.values() for i in items)
    problems += [f"{key}: only in the old source: {i}" for i in only_old.elements()]
    problems += [f"{key}: only in the event log: {i}" for i in only_new.elements()]
    if not problems:  # the same items: (source_id, seq) must order each child's as sort_key did
        problems += [f"{key}: child {pk} in another order" for pk in old if old[pk] != new.get(pk)]
    return problems


def _old_clocks(events):
    return Counter((e.child_id, e.event, e.on, e.scope) for e in events)


def _new_clocks(rows):
    return Counter((e.child_id, e.clock, e.occurred_at if e.timed else e.occurred_on, e.scope) for e in rows)


def clock_differences(key: str, dates=()) -> list[str]:
    """All the clock events, then those still open on each of `dates` (for a source with `closes`)."""
    source = old_events.get_source(key)
    clocks = Event.objects.filter(kind=key).exclude(clock="")
    problems = []
    if source.clock_events is not None:
        old, new = _old_clocks(source.clock_events(Child.objects.all())), _new_clocks(clocks)
        problems += [f"{key}: clock only in the old source: {c}" for c in (old - new).elements()]
        problems += [f"{key}: clock only in the event log: {c}" for c in (new - old).elements()]
    else:
        problems += [f"{key}: clock in the event log: {c}" for c in _new_clocks(clocks).elements()]
    if source.open_clock_events is not None:
        for day in dates:
            old = _old_clocks(source.open_clock_events(Child.objects.all(), day))
            new = _new_clocks(e for e in clocks if e.settled_on is None or e.settled_on > day)
            problems += [f"{key}: open on {day} only in the old source: {c}" for c in (old - new).elements()]
            problems += [f"{key}: open on {day} only in the event log: {c}" for c in (new - old).elements()]
    return problems
