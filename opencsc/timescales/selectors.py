"""What is due, when, and its RAG status: set-based reads over the event registry.

``due_items`` asks every clock source in ``casework.events`` for the clock events
of a whole queryset of children once (each source runs a bounded number of
queries), groups them by child and scope in Python and runs the pure engine
(``core.engine``) for each rule. The number of queries does not depend on the
number of children.

Every public selector starts from ``people.access.children_for(user)``: a user
only ever sees due items for children they may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import QuerySet
from django.utils import timezone

from opencsc.casework.events import clock_sources
from opencsc.casework.models import Allocation
from opencsc.people.access import children_for
from opencsc.people.models import Child

from .authority import authority_calendar, authority_settings
from .core import AMBER, DONE, DONE_LATE, GREEN, RED, RULES, clock_rag, clocks, effective_rules, next_due
from .models import MissedTimescaleReason

RAG_ORDER = {RED: 0, AMBER: 1, GREEN: 2, DONE_LATE: 3, DONE: 4}
RAG_LABELS = {RED: "Overdue", AMBER: "Due soon", GREEN: "On track", DONE: "Done on time", DONE_LATE: "Done late"}
OUTSTANDING = (RED, AMBER, GREEN)


def _as_date(moment) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


@dataclass(frozen=True)
class DueItem:
    child_id: int
    rule_code: str
    rule_name: str
    scope: str
    due: dt.date | dt.datetime
    rag: str
    started: dt.date | dt.datetime
    measured_from: dt.date | dt.datetime
    step: int = 0
    completed_on: dt.date | dt.datetime | None = None
    late_reason: str = ""
    days_left: int = 0  # calendar days from today to the due date; negative when overdue
    child: Child | None = field(default=None, compare=False)
    workers: tuple = field(default=(), compare=False)

    @property
    def due_date(self) -> dt.date:
        return _as_date(self.due)

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]

    @property
    def is_overdue(self) -> bool:
        return self.rag == RED


def sort_key(item: DueItem):
    return (RAG_ORDER[item.rag], item.due_date, item.child_id, item.rule_code, item.scope)


def _rules_by_start(rules) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for rule in rules:
        out[rule.start_event].append(rule)
    return out


def _can_trim(rule) -> bool:
    return (rule.is_sequence and rule.switch is None and rule.extension is None
            and rule.start_event != rule.end_event and not rule.may_complete_before_start)


def outstanding_clock(rule, events, calendar, *, as_of):
    """The clock still running for ``rule``, as ``core.next_due`` gives it, without replaying the history.

    For a repeating rule only the last start event matters, with enough of the latest end events
    to know which step comes next and when the last one happened, and the stop events since.
    Other rules go through ``core.next_due`` unchanged.
    """
    if not _can_trim(rule):
        return next_due(rule, events, calendar, as_of=as_of)
    names = {rule.start_event, rule.end_event, *rule.stop_events}
    relevant = [(_as_date(on), index, name, on) for index, (name, on) in enumerate(events)
                if name in names and _as_date(on) <= as_of]
    relevant.sort(key=lambda e: (e[0], e[1]))
    last_start = None
    for position, event in enumerate(relevant):
        if event[2] == rule.start_event:
            last_start = position
    if last_start is None:
        return None
    tail = relevant[last_start:]
    ends = [position for position, event in enumerate(tail) if event[2] == rule.end_event and position]
    keep = min(len(ends), max(1, len(rule.steps) - 1))
    kept_ends = set(ends[len(ends) - keep:])
    trimmed = [(event[2], event[3]) for position, event in enumerate(tail)
               if position == 0 or position in kept_ends or event[2] in rule.stop_events]
    clock = next_due(rule, trimmed, calendar, as_of=as_of)
    if clock is None:
        return None
    return replace(clock, step=clock.step + len(ends) - keep)


# Rules with the same start and end events are alternatives (the regulation 28 visit rules all run
# from "placement_started" to "cla_visit"): a scope picks the one that applies with an event named
# ONLY + the rule's code (a placement's visiting pattern), and its alternatives do not run there.
ONLY = "only:"


def _only_chosen(candidates: dict, events) -> dict:
    chosen = {name[len(ONLY):] for name, _ in events if name.startswith(ONLY)}
    if not chosen:
        return candidates
    picked = [candidates[code] for code in chosen if code in candidates]
    return {code: rule for code, rule in candidates.items()
            if code in chosen or not any((rule.start_event, rule.end_event) == (c.start_event, c.end_event)
                                         for c in picked)}


def collect_clock_events(children: QuerySet) -> dict[tuple[int, str], list[tuple[str, object]]]:
    """Every clock event for these children, grouped by (child id, scope): one pass per source."""
    grouped: dict[tuple[int, str], list[tuple[str, object]]] = defaultdict(list)
    for source in clock_sources():
        for event in source.clock_events(children):
            grouped[(event.child_id, event.scope or "")].append((event.event, event.on))
    return grouped


def recorded_event_names() -> frozenset[str]:
    """Every clock event some registered source records (its declared starts and stops)."""
    names: set[str] = set()
    for source in clock_sources():
        names.update(source.starts_clocks)
        names.update(source.stops_clocks)
    return frozenset(names)


def due_items(
    *,
    children: QuerySet,
    today: dt.date | None = None,
    rules: Iterable[str] | None = None,
    completed_since: dt.date | None = None,
) -> list[DueItem]:
    """The outstanding clocks for these children (and those completed on or after
    ``completed_since``, if given), red first, then by due date.

    ``children`` must already be limited to what the user may see (``children_for``).
    """
    real_today = timezone.localdate()
    today = today or real_today
    if today == real_today:
        now = timezone.now()
    else:
        now = timezone.make_aware(dt.datetime.combine(today, dt.time(23, 59, 59)))
    calendar = authority_calendar()
    settings = authority_settings()
    wanted = set(rules) if rules is not None else None
    # A rule whose end is not yet recorded anywhere in OpenCSC would only ever show as overdue.
    recorded = recorded_event_names()
    effective = effective_rules(
        settings, [r for r in RULES if (wanted is None or r.code in wanted) and r.end_event in recorded]
    )
    by_start = _rules_by_start(effective.values())

    grouped = collect_clock_events(children)
    shared = {child_id: events for (child_id, scope), events in grouped.items() if scope == ""}
    items: list[DueItem] = []
    for (child_id, scope), own in grouped.items():
        candidates = {rule.code: rule for name in {e[0] for e in own} for rule in by_start.get(name, ())}
        candidates = _only_chosen(candidates, own)
        if not candidates:
            continue
        events = own if scope == "" else [*shared.get(child_id, ()), *own]
        for rule in candidates.values():
            as_of = now if rule.uses_datetimes else today
            try:
                if completed_since is None:
                    clock = outstanding_clock(rule, events, calendar, as_of=as_of)
                    rule_clocks = [clock] if clock is not None else []
                else:
                    rule_clocks = clocks(rule, events, calendar, as_of=as_of)
            except ValueError:
                continue  # an hour-based rule fed plain dates: nothing sensible to show
            for clock in rule_clocks:
                if clock.outstanding:
                    pass
                elif completed_since is None or clock.completed_on is None:
                    continue
                elif _as_date(clock.completed_on) < completed_since:
                    continue
                status = clock_rag(clock, rule, as_of, calendar)
                items.append(DueItem(
                    child_id=child_id, rule_code=rule.code, rule_name=rule.name, scope=scope, due=clock.due,
                    rag=status, started=clock.started, measured_from=clock.measured_from, step=clock.step,
                    completed_on=clock.completed_on, days_left=(_as_date(clock.due) - today).days,
                ))
    items = _with_reasons(items, children)
    items.sort(key=sort_key)
    return items


def _with_reasons(items: list[DueItem], children: QuerySet) -> list[DueItem]:
    if not any(i.rag in (RED, DONE_LATE) for i in items):
        return items
    reasons = {
        (child_id, code, scope, due): reason
        for child_id, code, scope, due, reason in MissedTimescaleReason.objects.filter(child__in=children)
        .values_list("child_id", "rule_code", "scope", "due_date", "reason")
    }
    out = []
    for item in items:
        reason = reasons.get((item.child_id, item.rule_code, item.scope, item.due_date))
        out.append(replace(item, late_reason=reason) if reason else item)
    return out


def _open_allocations():
    return Allocation.objects.filter(end_date__isnull=True)


def _with_children(items: list[DueItem], children: Iterable[Child] | None = None) -> list[DueItem]:
    """Attach each item's child and current workers (two queries, for a page of items)."""
    ids = {i.child_id for i in items}
    if not ids:
        return items
    if children is None:
        children = Child.objects.filter(pk__in=ids)
    by_id = {c.pk: c for c in children if c.pk in ids}
    workers: dict[int, list] = defaultdict(list)
    for allocation in _open_allocations().filter(child_id__in=ids).select_related("worker", "team"):
        workers[allocation.child_id].append(allocation)
    return [replace(i, child=by_id.get(i.child_id), workers=tuple(workers[i.child_id])) for i in items]


def with_children(items: list[DueItem]) -> list[DueItem]:
    return _with_children(items)


# --- Views of the due list ----------------------------------------------------------------


def children_allocated_to(user) -> QuerySet[Child]:
    mine = _open_allocations().filter(worker=user).values("child_id")
    return children_for(user).filter(pk__in=mine)


def my_work(*, user, today: dt.date | None = None) -> list[DueItem]:
    """What is due for the children allocated to this worker, red first."""
    children = children_allocated_to(user)
    items = due_items(children=children, today=today)
    return _with_children(items, children.only("id", "first_name", "last_name", "la_child_id"))


@dataclass
class WorkerRow:
    worker: object | None
    label: str
    items: list[DueItem]
    counts: dict[str, int]


def team_children(*, user, team) -> QuerySet[Child]:
    in_team = _open_allocations().filter(team=team).values("child_id")
    return children_for(user).filter(pk__in=in_team)


def team_work(*, user, team, worker=None, rule: str | None = None, status: str | None = None,
              today: dt.date | None = None) -> list[WorkerRow]:
    """The team's due list by worker, with RAG totals, optionally for one worker, rule or status."""
    children = team_children(user=user, team=team)
    if worker is not None:
        children = children.filter(pk__in=_open_allocations().filter(team=team, worker=worker).values("child_id"))
    items = due_items(children=children, today=today, rules=[rule] if rule else None)
    if status:
        items = [i for i in items if i.rag == status]
    by_id = {c.pk: c for c in children.only("id", "first_name", "last_name", "la_child_id")}
    allocations = list(
        _open_allocations().filter(team=team, child__in=children).select_related("worker").order_by("id")
    )
    workers_of: dict[int, list] = defaultdict(list)
    for allocation in allocations:
        if worker is None or allocation.worker_id == worker.pk:
            workers_of[allocation.child_id].append(allocation.worker)
    rows: dict[object, WorkerRow] = {}
    for allocation in allocations:
        key = allocation.worker_id
        if key not in rows and (worker is None or key == worker.pk):
            who = allocation.worker
            rows[key] = WorkerRow(who, who.display_name if who else "Not allocated to a worker", [],
                                  dict.fromkeys(OUTSTANDING, 0))
    for item in items:
        item = replace(item, child=by_id.get(item.child_id))
        for who in workers_of.get(item.child_id, ()):
            row = rows[who.pk if who else None]
            row.items.append(item)
            row.counts[item.rag] = row.counts.get(item.rag, 0) + 1
    return sorted(rows.values(), key=lambda r: (-r.counts[RED], -r.counts[AMBER], r.worker is None, r.label))


def overdue(*, user, rule: str | None = None, team=None, today: dt.date | None = None) -> list[DueItem]:
    """Every overdue item the user may see, authority-wide (or for one team), most overdue first.

    Attach children and workers to the page you show with ``with_children``.
    """
    children = children_for(user) if team is None else team_children(user=user, team=team)
    items = [i for i in due_items(children=children, today=today, rules=[rule] if rule else None) if i.rag == RED]
    items.sort(key=lambda i: (i.due_date, i.child_id, i.rule_code, i.scope))
    return items


def child_next_due(*, user, child, today: dt.date | None = None, completed_since: dt.date | None = None):
    """What is next due for one child, soonest first (for the child's record page)."""
    children = children_for(user).filter(pk=child.pk)
    items = due_items(children=children, today=today, completed_since=completed_since)
    items.sort(key=lambda i: (i.rag not in OUTSTANDING, i.due_date, i.rule_code))
    return items
