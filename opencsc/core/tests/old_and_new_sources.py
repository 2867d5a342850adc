"""For the tests that compare an app's old event sources (casework/events.py, read at page time) with
the rows its new sources (core/events.py) put in the Event table. Deleted with the old path."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from django.contrib.auth import get_user_model

from opencsc.casework import events as old
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.people.models import Child


def literal(item, record_items) -> int:
    """The seq is the second part of the sort key (0 if there is none)."""
    return item.sort_key[1] if len(item.sort_key) > 1 else 0


def rank(item, record_items) -> int:
    """The seq is the item's position among its record's items, by sort key."""
    return sorted(i.sort_key for i in record_items).index(item.sort_key)


def _children(kinds) -> list[Child]:
    ids: set[int] = set()
    for kind in kinds:
        source = events.get_source(kind)
        ids |= set(source.model_class.objects.values_list(source.child, flat=True))
    ids |= set(Event.objects.filter(kind__in=kinds).values_list("child_id", flat=True))
    return list(Child.objects.filter(pk__in=ids))


def chronology_differences(old_key: str, kinds: list[str], *, kind_of: Callable = lambda item: None,
                           seq_of: Callable = literal) -> tuple[int, Counter, Counter]:
    """Every old chronology item of `old_key` against the titled Event rows of `kinds`: (items compared,
    what only the old source gives, what only the table holds)."""
    source = old.get_source(old_key)
    names = {u.pk: u.display_name for u in get_user_model().objects.all()}
    expected: Counter = Counter()
    for child in _children(kinds):
        items = list(source.fetch(child))
        records = defaultdict(list)
        for item in items:
            records[(kind_of(item) or kinds[0], item.sort_key[0])].append(item)
        for (kind, source_id), record_items in records.items():
            for item in record_items:
                expected[(child.pk, kind, source_id, seq_of(item, record_items), item.date, item.title[:300],
                          item.category, item.detail[:600], item.url, item.significant, item.author)] += 1
    actual: Counter = Counter()
    rows = Event.objects.filter(kind__in=kinds).exclude(title="").values_list(
        "child_id", "kind", "source_id", "seq", "occurred_on", "title", "category", "detail", "url", "significant",
        "author_id")
    for *row, author_id in rows:
        actual[(*row, names.get(author_id, ""))] += 1
    return sum(expected.values()), expected - actual, actual - expected


def clock_differences(old_key: str, kinds: list[str]) -> tuple[int, Counter, Counter]:
    """Every old clock event of `old_key` (for every child) against the clock rows of `kinds`."""
    source = old.get_source(old_key)
    expected = Counter(tuple(e) for e in source.clock_events(Child.objects.all()))
    actual: Counter = Counter()
    for child_id, clock, on, at, timed, scope in Event.objects.filter(kind__in=kinds).exclude(clock="").values_list(
            "child_id", "clock", "occurred_on", "occurred_at", "timed", "scope"):
        actual[(child_id, clock, at if timed else on, scope)] += 1
    return sum(expected.values()), expected - actual, actual - expected
