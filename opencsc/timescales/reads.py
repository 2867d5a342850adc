"""How little of the clock events a list of what is outstanding needs to read.

A whole authority's due list would otherwise read every visit, contact and referral ever
recorded. For what is *outstanding* as at a date, far less is needed, and the event log
(core.Event) offers two cheaper reads of a source's clock facts (``core.events.Source``):

- ``latest``: for each child, scope and event name, only the latest event on or before the
  date. A child on a plan for two years has fifty visits; the next visit is due from the last
  one, and the others change nothing. The due list takes this read when every rule that reads
  the source's events is one for which the latest is enough (``latest_is_enough``).
- ``closes``: only the facts of records not yet settled on the date (each fact's ``settled_on``:
  the day the event that closes the record's clocks for good happened, a contact decided, a plan
  ended, not before the start). The due list takes this read when every rule each such start
  event starts is indeed over once that event happens (``closed_by``).

What changes, and what does not:

- The outstanding clocks (when each started, what it is measured from, when it is due) are the
  same: tests replay every rule over random histories both ways, and compare whole due lists of a
  synthetic authority read both ways.
- ``step`` (how many steps of a sequence have been done since it started) is only known to be 0
  or at least 1 after a latest read. Nothing shows the number.
- Clocks already completed cannot be worked out this way, so a due list that also asks for those
  (``completed_since``) reads every event.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Max, Q, QuerySet
from django.db.models.sql.constants import MULTI

from opencsc.core import events
from opencsc.core.models import Event

from .core import NONE, RULES, Rule
from .core.engine import _relevant_names


def latest_is_enough(rule: Rule, name: str) -> bool:
    """Is the latest ``name`` on or before a date enough to know ``rule``'s outstanding clock then?

    Reasons it is not:

    - a start event: a rule that restarts on every start needs only the last, but one measured
      from the first start of several would not (the two cases are not told apart here);
    - the switch or extension event: how many there were, or when the first was, matters;
    - a sequence of more than two periods: which period comes next depends on how many were done;
    - a switch from a later step than the second, for the same reason;
    - an end event that may come before its start; a rule measured in hours.
    """
    if name not in _relevant_names(rule):
        return True
    if rule.uses_datetimes or rule.may_complete_before_start or name == rule.start_event:
        return False
    if rule.switch is not None and (rule.switch.event == name or rule.switch.from_step > 1):
        return False
    if rule.extension is not None and rule.extension.event == name:
        return False
    if name == rule.end_event:
        return name not in rule.stop_events and (rule.restart == NONE or len(rule.steps) <= 2)
    return True  # a stop event: the latest tells whether one came after the last start


def reads_latest(names: Iterable[str], rules: Iterable[Rule]) -> bool:
    """Can a source that records ``names`` give only the latest of each to these rules?

    Each rule must read at most one of the names (the order of two different events on the same
    day would otherwise be lost), and the latest of it must be enough.
    """
    names = frozenset(names)
    for rule in rules:
        read = names & _relevant_names(rule)
        if len(read) > 1 or any(not latest_is_enough(rule, name) for name in read):
            return False
    return True


def closed_by(rule: Rule, event: str) -> bool:
    """Once ``event`` happens (after its start), is ``rule``'s clock over for good?

    It is if the event stops the rule, or completes a rule that runs one clock per start (a
    sequence would go on to its next step). A rule measured in hours is left alone: its events
    are times, and a source's dates cannot order them.
    """
    if rule.uses_datetimes or rule.may_complete_before_start:
        return False
    return event in rule.stop_events or (event == rule.end_event and rule.restart == NONE)


def reads_open(closes: Iterable[tuple[str, str]], rules: Iterable[Rule]) -> bool:
    """Can a source leave out the scopes that ``closes`` (start event, closing event) shows are
    over, for these rules? Every rule each start event starts must be closed by its event."""
    rules = tuple(rules)
    return all(closed_by(rule, closing) for start, closing in closes for rule in rules if rule.start_event == start)


# --- Reading the clock facts from the event log (core.Event) --------------------------------------

# Events that belong to a scope come after the child's unscoped ones when the two are read together.
_SCOPED = 1 << 40
# Each source's events come in a block of orders of their own, in the order of the sources' labels.
_SOURCE_BLOCK = 1 << 32
_COLUMNS = ("kind", "child_id", "clock", "occurred_on", "occurred_at", "timed", "scope")
_ORDER = ("kind", "child_id", "occurred_on", "source_id", "seq")


def narrowed(queryset: QuerySet, children: QuerySet | Sequence[int] | None) -> QuerySet:
    """``queryset`` (of a model with a ``child`` key) narrowed to these children: a list of ids
    (``child_id IN``), None for every child (nothing to narrow), or a queryset of children (a subquery)."""
    if children is None:
        return queryset
    if isinstance(children, QuerySet):
        return queryset.filter(child__in=children.order_by().values("pk"))
    ids = list(children)
    return queryset.filter(child_id=ids[0]) if len(ids) == 1 else queryset.filter(child_id__in=ids)


def clock_reads(rules, on_or_before: dt.date | None) -> tuple[set[str], set[str], set[str]]:
    """The source kinds whose clock facts a due list reads (all, only the latest of each, only those
    of open scopes) for these rules as at the date (None: everything, all of it)."""
    full: set[str] = set()
    latest: set[str] = set()
    open_: set[str] = set()
    rules = tuple(rules)
    for source in events.clock_sources():
        if on_or_before is not None and source.latest and reads_latest(
                (*source.starts_clocks, *source.stops_clocks), rules):
            latest.add(source.key)
        elif on_or_before is not None and source.closes and reads_open(source.closes, rules):
            open_.add(source.key)
        else:
            full.add(source.key)
    return full, latest, open_


def clock_facts(children, *, rules=(), on_or_before: dt.date | None = None, only: frozenset[int] | None = None):
    """The clock events of these children (see ``narrowed``) from the event log, as
    ``(order, child_id, name, on, scope)``, each source's in a block of its own, sources in the order of
    their labels, and within a source by child, day and record: two queries whatever the number of
    children. With ``on_or_before``, only what a list of what is outstanding on that day needs
    (``clock_reads``). With ``only``, the events of other children are left out."""
    for block, rows in clock_fact_blocks(children, rules=rules, on_or_before=on_or_before, only=only):
        for index, (child_id, name, on, scope) in enumerate(rows):
            yield block + index, child_id, name, on, scope


def clock_fact_blocks(children, *, rules=(), on_or_before: dt.date | None = None,
                      only: frozenset[int] | None = None) -> list[tuple[int, list]]:
    """``clock_facts`` as ``(first order, [(child_id, name, on, scope)...])`` for each source, the order of
    each event being the first order plus its place in the list (what the due lists read: a few hundred
    thousand events for an authority, made into as few objects as can be)."""
    full, latest, open_ = clock_reads(rules, on_or_before)
    base = narrowed(Event.objects.exclude(clock=""), children)
    wanted = Q(kind__in=sorted(full))
    if open_:
        wanted |= Q(kind__in=sorted(open_)) & (Q(settled_on__isnull=True) | Q(settled_on__gt=on_or_before))
    rows: dict[str, list] = {}
    current_kind, current = None, None
    for kind, child_id, name, on, at, timed, scope in _raw(base.filter(wanted).order_by(*_ORDER).values_list(*_COLUMNS)):
        if only is not None and child_id not in only:
            continue
        if kind != current_kind:  # the rows come kind by kind
            current_kind, current = kind, rows.setdefault(kind, [])
        current.append((child_id, name, _moment(at) if timed else _day(on), scope))
    if latest:
        grouped = (base.filter(kind__in=sorted(latest), occurred_on__lte=on_or_before).order_by()
                   .values("kind", "child_id", "clock", "scope").annotate(latest=Max("occurred_on"))
                   .values_list("kind", "child_id", "clock", "scope", "latest").order_by("kind", "child_id", "latest"))
        for kind, child_id, name, scope, on in _raw(grouped):
            if only is None or child_id in only:
                rows.setdefault(kind, []).append((child_id, name, _day(on), scope))
    return _blocks(rows)


def _raw(queryset: QuerySet):
    """The rows of a values_list queryset straight from the cursor, without Django's converter for each value
    (an authority's due list reads a few hundred thousand): dates come through ``_day`` and ``_moment``."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    for chunk in compiler.execute_sql(MULTI):
        yield from chunk


def _day(value) -> dt.date:
    """A date as the database driver gives it: a date (PostgreSQL, SQLite for a date column) or its ISO text
    (SQLite for an aggregate)."""
    return value if type(value) is dt.date else dt.date.fromisoformat(str(value)[:10])


def _moment(value) -> dt.datetime:
    """An aware moment as the driver gives it: aware (PostgreSQL), or naive UTC or its text (SQLite)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def ordered_facts(facts: Iterable) -> list[tuple[int, list]]:
    """``clock_fact_blocks`` over clock facts already read (core.Event rows, any order): all of them."""
    by_kind: dict[str, list] = defaultdict(list)
    for e in sorted(facts, key=lambda e: (e.kind, e.child_id, e.occurred_on, e.source_id, e.seq)):
        if e.clock:
            by_kind[e.kind].append((e.child_id, e.clock, e.occurred_at if e.timed else e.occurred_on, e.scope))
    return _blocks(by_kind)


def _blocks(rows: dict[str, list]) -> list[tuple[int, list]]:
    rank = source_ranks()
    return [(rank.get(kind, len(rank)) * _SOURCE_BLOCK, rows[kind])
            for kind in sorted(rows, key=lambda k: rank.get(k, len(rank)))]


def source_ranks() -> dict[str, int]:
    """Each clock source's place among one child's events of the same day (the engine takes a day's events
    in the order given). A source whose events start a rule's clocks comes before the sources whose events
    end or stop them: an assessment authorised on its referral's day is done, a plan that starts and ends on
    one day leaves nothing due. Otherwise, and within a cycle, sources keep the order of their labels."""
    return _source_ranks(tuple((s.key, frozenset((*s.starts_clocks, *s.stops_clocks))) for s in events.clock_sources()))


@functools.cache
def _source_ranks(sources: tuple[tuple[str, frozenset[str]], ...]) -> dict[str, int]:
    before: dict[str, set[str]] = {key: set() for key, _ in sources}  # key: the sources that must come first
    for rule in RULES:
        closing = {rule.end_event, *rule.stop_events}
        for starter, names in sources:
            if rule.start_event in names:
                for closer, other in sources:
                    if closer != starter and closing & other:
                        before[closer].add(starter)
    order: list[str] = []
    left = [key for key, _ in sources]  # in the order of their labels
    while left:
        placed = set(order)
        ready = next((key for key in left if before[key] <= placed), left[0])  # left[0]: a cycle, by label
        order.append(ready)
        left.remove(ready)
    return {key: index for index, key in enumerate(order)}
