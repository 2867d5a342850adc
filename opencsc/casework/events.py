"""The event registry: how each moment in a child's life appears in the chronology.

Each app registers an EventSource for every model that marks a moment in a
child's life. The chronology (and, through `clocks`, the statutory timescales)
read events only through here; nothing keeps its own copy of a date.

A source's `fetch` must run a bounded number of queries (normally one) for a
child, whatever the length of the child's history. A source whose items come one
per row, newest last by (date, pk), can also take `limit` (see `takes_limit`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class ChronologyItem:
    date: dt.date
    source: str
    category: str
    title: str
    detail: str = ""
    url: str = ""
    significant: bool = False
    author: str = ""
    sort_key: tuple = ()


class ClockEvent(NamedTuple):
    """A fact that starts or stops a statutory clock, named as in timescales/core/rules.py.

    `scope` separates clocks that run per thing (for example per placement or per plan);
    `on` is a date, or an aware datetime for the hour-based rules.

    A named tuple rather than a dataclass: a whole authority's due list reads a few hundred
    thousand of them, and a tuple is several times cheaper to make and to unpack.
    """

    child_id: int
    event: str
    on: dt.date | dt.datetime
    scope: str = ""


@dataclass(frozen=True)
class EventSource:
    key: str
    label: str
    fetch: Callable[..., Iterable[ChronologyItem]]
    starts_clocks: tuple[str, ...] = field(default_factory=tuple)
    stops_clocks: tuple[str, ...] = field(default_factory=tuple)
    # clock_events(children: QuerySet[Child]) -> Iterable[ClockEvent], set-based: a bounded
    # number of queries for any number of children (filter with child__in=children).
    clock_events: Callable[..., Iterable[ClockEvent]] | None = None
    # True if `fetch` also takes `limit=n`: then it may leave out all but its `n` newest items
    # (newest by date, then sort_key), as the record page shows only the most recent events.
    takes_limit: bool = False


_REGISTRY: dict[str, EventSource] = {}


def register(source: EventSource) -> EventSource:
    if source.key in _REGISTRY and _REGISTRY[source.key] is not source:
        raise ValueError(f"An event source called {source.key!r} is already registered.")
    _REGISTRY[source.key] = source
    return source


def sources() -> list[EventSource]:
    return sorted(_REGISTRY.values(), key=lambda s: s.label)


def clock_sources() -> list[EventSource]:
    return [s for s in sources() if s.clock_events is not None]


def get_source(key: str) -> EventSource:
    return _REGISTRY[key]
