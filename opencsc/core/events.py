"""The event log: one table (core.Event) of what happened in each child's life, written by the services.

Each app registers, for every model that marks a moment in a child's life, an event ``Source``: how a
row of that model appears in the chronology and which statutory clocks it starts or stops (``project``
gives the row's ``Fact`` list). The services write the table in the same transaction as the record
they change: ``core.audit.audit`` announces every created or changed record here (``announce``), and a
service that changes a source record without auditing it, or deletes one, calls ``announce`` or
``withdraw`` itself. Nothing else writes the table, and pages, due lists and indicators read only it.

``rebuild`` fills the table from the source records (after an upgrade, or after the synthetic authority
is generated with bulk inserts) and ``verify`` lists every difference between the table and what the
sources imply (``manage.py events rebuild`` / ``events verify``).

This module is in the lowest layer: it imports no app. The apps import it and register their sources
(in their ``event_sources`` module, loaded by their AppConfig.ready).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields

from django.apps import apps
from django.db import models, transaction

from . import statistics
from .models import Event


@dataclass(frozen=True, slots=True)
class Fact:
    """One event a source record implies: a chronology entry, a clock event, or both.

    - ``on``: the day it happened; ``at``: the moment, when it is known. A clock event is read at
      ``at`` when ``timed`` (the hour-based rules), otherwise on ``on``.
    - ``title`` empty: a clock fact only, not shown in the chronology.
    - ``summary``-like fields (``title``, ``detail``) must be safe to show to anyone who may see the child.
    - ``scope``: clocks that run per thing (``plan:12``, ``episode:3``); ``clock``: the clock event name,
      as in timescales/core/rules.py.
    - ``settled_on``: the day this record's clocks were over for good (for the source's ``closes``),
      so that a list of what is outstanding can leave it out.
    - ``seq``: the order of the record's facts.
    - ``seen``: set on a visit to the child (and only there): ``SEEN``, ``SEEN_ALONE`` or ``NOT_SEEN``. Every
      list of visits (the record's Visits tab, its last visit, the chronology) reads these facts
      (casework.selectors.visits_for), whichever app recorded the visit.
    """

    child_id: int
    on: dt.date
    seq: int = 0
    at: dt.datetime | None = None
    title: str = ""
    category: str = ""
    detail: str = ""
    url: str = ""
    significant: bool = False
    author_id: int | None = None
    recorded_at: dt.datetime | None = None
    scope: str = ""
    clock: str = ""
    timed: bool = False
    settled_on: dt.date | None = None
    seen: str = ""


# A visit's Fact.seen: was the child seen, and alone? (and how a page says it)
SEEN, SEEN_ALONE, NOT_SEEN = Event.SEEN, Event.SEEN_ALONE, Event.NOT_SEEN
SEEN_TEXT = Event.SEEN_TEXT


def seen(child_seen: bool, alone: bool = False) -> str:
    """A visit's ``Fact.seen`` from whether the child was seen, and seen alone."""
    if not child_seen:
        return NOT_SEEN
    return SEEN_ALONE if alone else SEEN


FACT_FIELDS = tuple(f.name for f in fields(Fact))
# The Event column each Fact field is stored in, in the order of FACT_FIELDS (the rest have the same name).
_COLUMNS = tuple({"on": "occurred_on", "at": "occurred_at"}.get(name, name) for name in FACT_FIELDS)
# Text that is cut to its column's length when stored (worked out once: rebuild stores 100,000s of facts).
_TEXT_LIMITS = {name: Event._meta.get_field(name).max_length
                for name in ("title", "category", "detail", "url", "scope", "clock", "seen")}


@dataclass(frozen=True)
class Source:
    """How the rows of one model appear in the event log.

    - ``project(row)``: the row's facts (read nothing but the row and what ``related`` brings).
    - ``child``: the path from the model to the child (``"child"``, ``"episode__child"``): the rows of one
      child are ``model.objects.filter(**{child: child_id})``.
    - ``related``: select_related paths ``project`` reads; ``prepare(queryset)``: more (annotations...).
    - ``follows``: ``{"app_label.Model": lookup}``: a change to a row of that model changes the facts of
      ``model.objects.filter(**{lookup: its pk})`` (a contact decided changes each ContactChild's facts).
    - ``starts_clocks`` / ``stops_clocks``: the clock events it may record.
    - ``latest``: a list of what is outstanding may read only the latest of each clock event per child
      and scope (timescales/reads.py says when that is enough).
    - ``closes``: (start event, event that closes it for good) pairs; the facts' ``settled_on`` says when.
    - ``visible_to``: an action of people.access.can a reader needs to see these entries in the chronology
      (None: anyone who may see the child's casework).
    - ``visits``: some of its facts are visits to the child (``Fact.seen``): what to call them in the
      record's Visits tab filter ("Home and office visits (case notes)").
    """

    key: str
    label: str
    model: str  # "app_label.Model"
    project: Callable[[models.Model], Iterable[Fact]]
    child: str = "child"
    related: tuple[str, ...] = ()
    prepare: Callable[[models.QuerySet], models.QuerySet] | None = None
    follows: dict[str, str] = field(default_factory=dict)
    starts_clocks: tuple[str, ...] = ()
    stops_clocks: tuple[str, ...] = ()
    latest: bool = False
    closes: tuple[tuple[str, str], ...] = ()
    visible_to: str | None = None
    visits: str = ""

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def records_clocks(self) -> bool:
        return bool(self.starts_clocks or self.stops_clocks)

    def rows(self, queryset: models.QuerySet | None = None) -> models.QuerySet:
        queryset = self.model_class.objects.all() if queryset is None else queryset
        if self.related:
            queryset = queryset.select_related(*self.related)
        return self.prepare(queryset) if self.prepare else queryset


_REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    if source.key in _REGISTRY and _REGISTRY[source.key] != source:
        raise ValueError(f"An event source called {source.key!r} is already registered.")
    if len(source.key) > 40:
        raise ValueError(f"An event source key is at most 40 characters: {source.key!r}.")
    _REGISTRY[source.key] = source
    _by_model.cache_clear()
    return source


def sources() -> list[Source]:
    """Every source, in the order of their labels (timescales.reads.source_ranks orders a day's clock events:
    sources that start a rule's clocks before those that end them, otherwise this order)."""
    return sorted(_REGISTRY.values(), key=lambda s: s.label)


def clock_sources() -> list[Source]:
    return [s for s in sources() if s.records_clocks]


# --- The order of one day's events --------------------------------------------------------------

_CLOCK_ORDER: list[Callable[[], dict[str, int]]] = []


def order_clock_sources_by(ranks: Callable[[], dict[str, int]]) -> None:
    """Called once by the app that knows the rules (timescales: ``reads.source_ranks``, from its
    AppConfig.ready): how the clock sources' events of one day follow each other."""
    _CLOCK_ORDER[:] = [ranks]


def day_ranks() -> dict[str, int]:
    """Each source's place among one child's events of the same day, when their time is not known: the
    clock sources in the order the rules give (``order_clock_sources_by``: a source whose events start a
    rule's clocks before those whose events end them: a referral before its assessment's authorisation),
    then every other source in the order of their labels. The chronology orders a day's events so, as
    the due lists order the clock sources' (timescales/reads.py)."""
    clock_ranks = _CLOCK_ORDER[0]() if _CLOCK_ORDER else {}
    ranked = sorted(_REGISTRY.values(), key=lambda s: (clock_ranks.get(s.key, len(clock_ranks)), s.label, s.key))
    return {source.key: rank for rank, source in enumerate(ranked)}


def closing_clock_events() -> frozenset[str]:
    """The clock events that close a record's clocks for good (each source's ``closes``: a case closed, a
    plan ended, a contact decided). Nothing of the record happens after them, so on their day they come last,
    whatever their source's place in ``day_ranks``."""
    return frozenset(end for s in _REGISTRY.values() for _start, end in s.closes)


def get_source(key: str) -> Source:
    return _REGISTRY[key]


def recorded_clock_events() -> frozenset[str]:
    """Every clock event some registered source records."""
    return frozenset(name for s in _REGISTRY.values() for name in (*s.starts_clocks, *s.stops_clocks))



@functools.cache
def _by_model() -> tuple[dict[str, list[Source]], dict[str, list[tuple[Source, str]]]]:
    own: dict[str, list[Source]] = defaultdict(list)
    followers: dict[str, list[tuple[Source, str]]] = defaultdict(list)
    for source in _REGISTRY.values():
        own[apps.get_model(source.model)._meta.label].append(source)
        for label, lookup in source.follows.items():
            followers[apps.get_model(label)._meta.label].append((source, lookup))
    return dict(own), dict(followers)


# --- Writing ---------------------------------------------------------------------------------


def _event(source: Source, source_id: int, fact: Fact):
    fact = _normalised(fact)
    values = {column: getattr(fact, name) for name, column in zip(FACT_FIELDS, _COLUMNS, strict=True)}
    return Event(kind=source.key, source_id=source_id, **values)


def facts_of(source: Source, rows: Iterable[models.Model]) -> Iterator[tuple[int, Fact]]:
    for row in rows:
        for fact in source.project(row):
            yield row.pk, fact


def _write(source: Source, queryset: models.QuerySet, *, pks: Iterable[int] | None = None) -> None:
    rows = list(source.rows(queryset))
    ids = set(pks or ()) | {row.pk for row in rows}
    if not ids:
        return
    Event.objects.filter(kind=source.key, source_id__in=ids).delete()
    Event.objects.bulk_create([_event(source, pk, fact) for pk, fact in facts_of(source, rows)])


def announce(instance: models.Model) -> None:
    """``instance`` was created or changed: write again the facts it (and the rows that follow it) implies.

    Called by core.audit.audit for every audited change, in the service's transaction; a service that
    changes a source record without auditing that record calls it itself.
    """
    own, followers = _by_model()
    label = instance._meta.label
    if label not in own and label not in followers:
        return
    with transaction.atomic():
        for source in own.get(label, ()):
            _write(source, source.model_class.objects.filter(pk=instance.pk), pks=(instance.pk,))
        for source, lookup in followers.get(label, ()):
            _write(source, source.model_class.objects.filter(**{lookup: instance.pk}))


def withdraw(instance: models.Model) -> None:
    """``instance`` is about to be deleted: remove its facts (call before deleting it, in the same
    transaction). Rows that follow it are written again after it has gone: call ``announce`` on them,
    or let the delete cascade to them (their facts go with ``withdraw`` of each)."""
    own, followers = _by_model()
    label = instance._meta.label
    for source in own.get(label, ()):
        Event.objects.filter(kind=source.key, source_id=instance.pk).delete()
    for source, lookup in followers.get(label, ()):
        ids = list(source.model_class.objects.filter(**{lookup: instance.pk}).values_list("pk", flat=True))
        Event.objects.filter(kind=source.key, source_id__in=ids).delete()


def announce_child(child_id: int) -> None:
    """Write again every fact about one child (after a merge moved records onto it: their links change)."""
    rebuild(child_ids=[child_id])


# --- Rebuild and verify ------------------------------------------------------------------------

BATCH = 2000


def _source_rows(source: Source, child_ids: Iterable[int] | None):
    queryset = source.model_class.objects.all()
    if child_ids is not None:
        queryset = queryset.filter(**{f"{source.child}__in": list(child_ids)})
    return source.rows(queryset).order_by("pk")


def rebuild(*, kinds: Iterable[str] | None = None, child_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Fill the table from the source records (all, or these kinds, or these children's): returns the
    number of events written for each kind. One transaction."""
    child_ids = list(child_ids) if child_ids is not None else None
    wanted = [get_source(k) for k in kinds] if kinds else sources()
    written: dict[str, int] = {}
    with transaction.atomic():
        if not kinds:  # rows of sources no longer registered go too
            stray = Event.objects.exclude(kind__in=list(_REGISTRY))
            (stray if child_ids is None else stray.filter(child_id__in=child_ids)).delete()
        for source in wanted:
            old = Event.objects.filter(kind=source.key)
            if child_ids is not None:
                # By the source record's child, as that is what the rows are chosen by (a merged
                # child's records moved to another child keep their old child here until written again).
                ids = _source_rows(source, child_ids).values_list("pk", flat=True)
                old = old.filter(models.Q(child_id__in=child_ids) | models.Q(source_id__in=models.Subquery(ids)))
            old.delete()
            batch: list = []
            count = 0
            for pk, fact in facts_of(source, _source_rows(source, child_ids).iterator(chunk_size=BATCH)):
                batch.append(_event(source, pk, fact))
                if len(batch) >= BATCH:
                    Event.objects.bulk_create(batch)
                    count += len(batch)
                    batch = []
            if batch:
                Event.objects.bulk_create(batch)
                count += len(batch)
            written[source.key] = count
        if child_ids is None:
            statistics.refresh(Event)  # a table written afresh: the planner must know it (core/statistics.py)
    return written


@dataclass(frozen=True)
class Difference:
    kind: str
    source_id: int
    problem: str  # "missing" (the sources imply it, the table lacks it) or "unexpected"
    fact: Fact

    def __str__(self):
        what = self.fact.title or self.fact.clock or "event"
        return (f"{self.problem}: {self.kind} #{self.source_id} (child {self.fact.child_id}, "
                f"{self.fact.on.isoformat()}, {what})")


def _stored_fact(row: tuple) -> Fact:
    return Fact(**dict(zip(FACT_FIELDS, row, strict=True)))


def verify(*, kinds: Iterable[str] | None = None) -> list[Difference]:
    """Every difference between the table and what the source records imply (empty: they agree)."""
    differences: list[Difference] = []
    known = set(_REGISTRY)
    stray = Event.objects.exclude(kind__in=known)
    for kind, source_id, *row in stray.values_list("kind", "source_id", *_COLUMNS):
        differences.append(Difference(kind, source_id, "unexpected", _stored_fact(tuple(row))))
    wanted = [get_source(k) for k in kinds] if kinds else sources()
    for source in wanted:
        expected: dict[tuple[int, Fact], int] = defaultdict(int)
        for pk, fact in facts_of(source, _source_rows(source, None).iterator(chunk_size=BATCH)):
            expected[(pk, _normalised(fact))] += 1
        actual: dict[tuple[int, Fact], int] = defaultdict(int)
        for source_id, *row in Event.objects.filter(kind=source.key).values_list("source_id", *_COLUMNS).iterator(
                chunk_size=BATCH):
            actual[(source_id, _normalised(_stored_fact(tuple(row))))] += 1
        for key in expected.keys() | actual.keys():
            more = expected.get(key, 0) - actual.get(key, 0)
            for _ in range(abs(more)):
                differences.append(Difference(source.key, key[0], "missing" if more > 0 else "unexpected", key[1]))
    differences.sort(key=lambda d: (d.kind, d.source_id, d.problem, d.fact.seq))
    return differences


def _normalised(fact: Fact) -> Fact:
    """As stored and read back: text cut to the columns' lengths, moments in UTC to the microsecond."""
    changes = {}
    for name, limit in _TEXT_LIMITS.items():
        value = getattr(fact, name) or ""
        if limit and len(value) > limit:
            changes[name] = value[:limit]
    for name in ("at", "recorded_at"):
        moment = getattr(fact, name)
        if moment is not None:
            changes[name] = moment.astimezone(dt.UTC)
    if changes:
        values = {n: getattr(fact, n) for n in FACT_FIELDS} | changes
        return Fact(**values)
    return fact

