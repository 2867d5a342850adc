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
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Exists, Max, OuterRef, QuerySet


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
    # number of queries for any number of children (narrow each query with of_children()).
    clock_events: Callable[..., Iterable[ClockEvent]] | None = None
    # latest_clock_events(children, on_or_before: date) -> Iterable[ClockEvent]: optional, the same
    # events but, for each child, scope and event name, only the latest on or before the date (a
    # due list of what is outstanding needs no more for most rules: see timescales/reads.py).
    latest_clock_events: Callable[..., Iterable[ClockEvent]] | None = None
    # open_clock_events(children, on_or_before: date) -> Iterable[ClockEvent]: optional, the same
    # events without those of the scopes closed for good on or before the date. `closes` names,
    # for each start event the source puts in its scopes, the event that closes it: a scope is
    # left out only if every clock it starts was closed on or before the date, and not before it
    # started. Only scoped events may be left out (other scopes read a child's unscoped ones), and
    # only from scopes no other source puts a start event in.
    open_clock_events: Callable[..., Iterable[ClockEvent]] | None = None
    closes: tuple[tuple[str, str], ...] = ()
    # True if `fetch` also takes `limit=n`: then it may leave out all but its `n` newest items
    # (newest by date, then sort_key), as the record page shows only the most recent events.
    takes_limit: bool = False


# Set on a children queryset made by children_by_ids(): the ids, so that sources can filter on them directly.
_IDS = "opencsc_child_ids"


def children_by_ids(ids) -> QuerySet:
    """These children, as a queryset the sources narrow to cheaply (a list of ids, or one id)."""
    from opencsc.people.models import Child

    ids = tuple(ids)
    children = Child.objects.filter(pk__in=ids)
    setattr(children, _IDS, ids)
    return children


def of_children(queryset: QuerySet, children: QuerySet, *, via: str = "child") -> QuerySet:
    """`queryset` narrowed to rows whose child (reached through `via`) is one of `children`.

    - Children given by id (children_by_ids): `child_id = %s`, or `child_id IN (...)`.
    - Every child (an unfiltered queryset, as an authority-wide due list passes): nothing to narrow.
    - Otherwise a correlated EXISTS rather than `child__in=children`: SQLite builds a temporary index
      of an IN subquery's result once for every query (every child a manager may see, 100,000 in a
      large authority: about 80 ms a time, even when the table is empty), while PostgreSQL plans both
      as the same semi-join.
    """
    ids = getattr(children, _IDS, None)
    if ids is not None:
        return queryset.filter(**{via: ids[0]}) if len(ids) == 1 else queryset.filter(**{f"{via}__in": ids})
    if not children.query.where and not children.query.is_sliced:
        return queryset.filter(**{f"{via}__isnull": False})
    return queryset.filter(Exists(children.filter(pk=OuterRef(via))))


# Up to this many children by id (a worker's caseload), a source's query is prepared for a list of
# ids of the next size up, the last id repeated to fill it (the same rows: IN takes no notice of a
# repeat). A handful of prepared queries then serve every caseload.
ID_LIST_SIZES = (2, 4, 8, 16, 32, 64)


def children_query(build: Callable[..., QuerySet]) -> Callable[..., list]:
    """Decorate a clock source's query, `build(children, **shape) -> QuerySet` (narrowed with
    of_children; `shape`, keyword arguments such as a date, as opencsc.core.prepared describes).

    Called with the children, it gives the rows as a list. For children by id, up to the largest of
    ID_LIST_SIZES (a child's record page, a worker's caseload), the query is prepared once and then
    only run (see opencsc.core.prepared).
    """
    from opencsc.core.prepared import prepared

    one = prepared(lambda child_id, **shape: build(children_by_ids((child_id,)), **shape))
    many = prepared(lambda *ids, size, **shape: build(children_by_ids(ids), **shape))

    @functools.wraps(build)
    def rows(children: QuerySet, **shape) -> list:
        ids = getattr(children, _IDS, None)
        if ids is not None and len(ids) == 1:
            return one(ids[0], **shape)
        if ids is not None and 1 < len(ids) <= ID_LIST_SIZES[-1]:
            size = next(n for n in ID_LIST_SIZES if n >= len(ids))
            return many(*ids, *(ids[-1],) * (size - len(ids)), size=size, **shape)
        return list(build(children, **shape))

    return rows


def latest_of(queryset: QuerySet, date_field: str, group_by: tuple[str, ...]) -> QuerySet:
    """For each distinct ``group_by`` in ``queryset``, its latest ``date_field``: rows of the
    ``group_by`` values followed by that date (for a source's ``latest_clock_events``)."""
    return queryset.order_by().values(*group_by).annotate(latest=Max(date_field)).values_list(*group_by, "latest")


def recorded_rows(model) -> Callable[[int], list]:
    """A prepared read of one child's rows of `model`, with who recorded them (`created_by`): the
    chronology query most sources need (see opencsc.core.prepared)."""
    from opencsc.core.prepared import prepared

    def rows(child_id):
        return model.objects.filter(child_id=child_id).select_related("created_by")

    rows.__name__ = rows.__qualname__ = f"{model.__name__.lower()}_rows"
    return prepared(rows)


def within(day, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """Is `day` (a date, or None) inside the chronology's filter (either end may be open)?"""
    return day is not None and (not date_from or day >= date_from) and (not date_to or day <= date_to)


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
