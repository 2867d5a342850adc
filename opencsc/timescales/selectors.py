"""What is due, when, and its RAG status: set-based reads over the event log.

``due_items`` reads the clock facts of a whole queryset of children from the event
log (core.Event, two queries: ``reads.clock_facts``), groups them by child and scope
in Python and runs the pure engine (``core.engine``) for each rule. The number of
queries does not depend on the number of children.

Every public selector starts from ``people.access.children_for(user)``: a user
only ever sees due items for children they may see.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from django.db.models import Max, QuerySet, Sum
from django.db.models.sql.constants import MULTI
from django.utils import timezone

from opencsc.casework.models import Allocation
from opencsc.core import events
from opencsc.people.access import children_for
from opencsc.people.models import Child

from .authority import authority_timescales, calendar_for_rule
from .core import (
    AMBER,
    DONE,
    DONE_LATE,
    GREEN,
    NONE,
    RED,
    RULES,
    Clock,
    clock_rag,
    clocks,
    describe_overdue,
    effective_rules,
    next_due,
    overdue_by,
    overdue_unit,
)
from .core.engine import _relevant_names
from .models import DueReminder, MissedTimescaleReason
from .reads import clock_fact_blocks, ordered_facts

RAG_ORDER = {RED: 0, AMBER: 1, GREEN: 2, DONE_LATE: 3, DONE: 4}
RAG_LABELS = {RED: "Overdue", AMBER: "Due soon", GREEN: "On track", DONE: "Done on time", DONE_LATE: "Done late"}
OUTSTANDING = (RED, AMBER, GREEN)


def _as_date(moment) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


# Not frozen: a frozen dataclass sets each field through object.__setattr__, three times slower, and
# an authority's due list makes tens of thousands. Nothing changes one in place: use replace().
@dataclass
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
    # Once overdue, by how much in the rule's unit (``core.overdue_by``: the counting every page uses).
    overdue: int = 0
    overdue_unit: str = ""
    child: Child | None = field(default=None, compare=False)
    workers: tuple = field(default=(), compare=False)

    @property
    def due_date(self) -> dt.date:
        return _as_date(self.due)

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def overdue_text(self) -> str:
        """'3 working days overdue', '2 days overdue', '5 hours overdue' (empty unless overdue)."""
        return describe_overdue(self.overdue, self.overdue_unit) if self.rag == RED else ""

    @property
    def timing_text(self) -> str:
        """One label that never contradicts the status: overdue in the rule's unit, 'Due today', or the days left."""
        if self.rag == RED:
            return self.overdue_text
        if self.days_left <= 0:
            return "Due today"
        return f"{self.days_left} day{'' if self.days_left == 1 else 's'} left"

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

    A rule measured in days, without switch, extension or early completion, over plain dates, is
    replayed without making a clock per step (``_replay``). Otherwise, for a repeating rule only the
    last start event matters, with enough of the latest end events to know which step comes next
    and when the last one happened, and the stop events since. Other rules go through
    ``core.next_due`` unchanged.
    """
    entries = [(index, name, on) for index, (name, on) in enumerate(events)]
    if _can_replay(rule):
        by_name: dict[str, list] = defaultdict(list)
        for entry in entries:
            by_name[entry[1]].append(entry)
        clock = _replay_groups(rule, _relevant_names(rule), (by_name,), calendar, as_of)
        if clock is not _NOT_DATES:
            return clock
    return _outstanding(rule, entries, calendar, as_of=as_of)


def _can_replay(rule) -> bool:
    """A rule ``_replay`` can follow: no switch, extension or early completion, measured in days."""
    return (rule.switch is None and rule.extension is None and not rule.may_complete_before_start
            and not rule.uses_datetimes)


def _outstanding(rule, entries, calendar, *, as_of):
    """``outstanding_clock`` over ``(order, name, on)`` entries, in the order they were given, for a
    rule or events the replay (``_replay_groups``) does not take."""
    if not _can_trim(rule):
        return next_due(rule, [(name, on) for _, name, on in entries], calendar, as_of=as_of)
    start_event, end_event, stop_events = rule.start_event, rule.end_event, rule.stop_events
    relevant = []
    for order, name, on in entries:
        if name == start_event or name == end_event or name in stop_events:
            day = _as_date(on)
            if day <= as_of:
                relevant.append((day, order, name, on))
    relevant.sort(key=_by_day_and_order)
    last_start = None
    for position, event in enumerate(relevant):
        if event[2] == start_event:
            last_start = position
    if last_start is None:
        return None
    tail = relevant[last_start:]
    ends = [position for position, event in enumerate(tail) if event[2] == end_event and position]
    keep = min(len(ends), max(1, len(rule.steps) - 1))
    kept_ends = set(ends[len(ends) - keep:])
    trimmed = [(event[2], event[3]) for position, event in enumerate(tail)
               if position == 0 or position in kept_ends or event[2] in stop_events]
    clock = next_due(rule, trimmed, calendar, as_of=as_of)
    if clock is None:
        return None
    skipped = len(ends) - keep
    return replace(clock, step=clock.step + skipped) if skipped else clock


def _by_day_and_order(event):
    return (event[0], event[1])


def _replay(rule, relevant, calendar):
    """The clock ``core.clocks`` leaves open for a rule ``_can_replay`` follows, without making the
    clocks that were completed or stopped on the way (``relevant``: (date, order, name), sorted).

    As in the engine: a start event opens a clock (closing any open one) unless it is also the end
    event and a clock is open; an end event completes the open clock and, for a sequence, opens the
    next step measured from it; a stop event closes the open clock.
    """
    start_event, end_event, stop_events = rule.start_event, rule.end_event, rule.stop_events
    sequence = rule.restart != NONE
    is_open = False
    started = measured_from = None
    step = 0
    for day, _order, name in relevant:
        if name == start_event and not (name == end_event and is_open):
            is_open, started, measured_from, step = True, day, day, 0
            continue
        if is_open and name == end_event:
            if sequence:
                step += 1
                measured_from = day
            else:
                is_open = False
        if is_open and name in stop_events:
            is_open = False
    if not is_open:
        return None
    steps = rule.steps
    period = steps[min(step, len(steps) - 1)]
    due = calendar.add(measured_from, period.length, period.unit, count_start_day=rule.count_start_day)
    return Clock(rule_code=rule.code, started=started, step=step, measured_from=measured_from, due=due)


class _RuleRun:
    """What the due list needs to know about a rule, worked out once per list rather than per child."""

    __slots__ = ("rule", "names", "uses_datetimes", "replays", "calendar")

    def __init__(self, rule, calendar) -> None:
        self.rule = rule
        self.calendar = calendar  # the one the rule counts in (``authority.calendar_for_rule``)
        self.names = frozenset(_relevant_names(rule))
        self.uses_datetimes = rule.uses_datetimes
        self.replays = _can_replay(rule)


_NOT_DATES = object()


def _replay_groups(rule, names, groups, calendar, as_of):
    """``_replay`` of a rule's own events (``names``, a set), taken from ``groups`` (a scope's events
    and the child's unscoped ones: ``{name: [(order, name, on)]}``), as at a date; ``_NOT_DATES`` if an
    event or ``as_of`` is not a plain date (then ``_outstanding`` works it out)."""
    if type(as_of) is not dt.date:
        return _NOT_DATES
    relevant = []
    for name in names:
        for group in groups:
            bucket = group.get(name)
            if bucket:
                for order, _name, on in bucket:
                    if type(on) is not dt.date:
                        return _NOT_DATES
                    if on <= as_of:
                        relevant.append((on, order, name))
    relevant.sort()
    return _replay(rule, relevant, calendar)


# Rules with the same start and end events are alternatives (the regulation 28 visit rules all run
# from "placement_started" to "cla_visit"): a scope picks the one that applies with an event named
# ONLY + the rule's code (a placement's visiting pattern), and its alternatives do not run there.
ONLY = "only:"


def _only_chosen(candidates: dict, names) -> dict:
    """``names``: the names of the scope's own events."""
    chosen = {name[len(ONLY):] for name in names if name.startswith(ONLY)}
    if not chosen:
        return candidates
    picked = [candidates[code] for code in chosen if code in candidates]
    return {code: rule for code, rule in candidates.items()
            if code in chosen or not any((rule.start_event, rule.end_event) == (c.start_event, c.end_event)
                                         for c in picked)}


# Up to this many children, their ids are read once and the event log is read for that list of ids:
# cheaper than running the visibility subquery of ``children_for`` in the log's query.
NARROW_UP_TO = 1000
# From this many children (an authority-wide list), every child's events are read and those of
# children not in the set are dropped here: much cheaper, in SQLite above all, than working out the
# set again in the log's query.
WHOLE_FROM = 5000


def _ids(children: QuerySet) -> list[int]:
    """The children's ids, read straight from the cursor: an authority has 100,000 children, and
    Django's row-by-row reading of them costs more than the query (an id needs no converting)."""
    compiler = children.values_list("pk").query.get_compiler(using=children.db)
    return [row[0] for chunk in compiler.execute_sql(MULTI) for row in chunk]


# Events that belong to a scope come after the child's unscoped ones when the two are read together.
_SCOPED = 1 << 40


def _log_children(children: QuerySet) -> tuple[object, frozenset[int] | None]:
    """What to narrow the event log to for these children (see ``reads.narrowed``), and the ids to
    keep (None: keep all). One query, whatever the number of children."""
    unordered = children if children.query.is_sliced else children.order_by()
    ids = _ids(unordered)
    if len(ids) <= NARROW_UP_TO:
        return ids, None
    if len(ids) >= WHOLE_FROM:
        return None, frozenset(ids)
    return children, None


def _events_by_name(
    children: QuerySet, *, rules=(), on_or_before: dt.date | None = None, facts: Iterable | None = None
) -> tuple[dict[tuple[int, str], dict[str, list]], set[tuple[int, str]]]:
    """The children's clock events from the event log, grouped by (child id, scope) and filed by name
    as ``(order, name, on)``, and the groups that choose which of alternative rules applies (an
    ``ONLY`` event). ``order`` keeps the sources' order, a scope's events after the child's unscoped
    ones, so that a rule can be given its own events without going through all the others.
    With ``on_or_before``, only what is needed to know what is outstanding then (``reads.clock_reads``).
    ``facts``: the children's clock facts (core.Event rows), if the page has read them already."""
    grouped: dict[tuple[int, str], dict[str, list]] = {}
    choosing: set[tuple[int, str]] = set()
    if facts is not None:
        blocks = ordered_facts(facts)
    else:
        narrow, only = _log_children(children)
        if narrow == []:
            return grouped, choosing
        blocks = clock_fact_blocks(narrow, rules=rules, on_or_before=on_or_before, only=only)
    for first, rows in blocks:
        order = first
        for child_id, name, on, scope in rows:
            key = (child_id, scope)
            by_name = grouped.get(key)
            if by_name is None:
                by_name = grouped[key] = {}
            bucket = by_name.get(name)
            if bucket is None:
                bucket = by_name[name] = []
                if name.startswith(ONLY):
                    choosing.add(key)
            bucket.append((order + _SCOPED if scope else order, name, on))
            order += 1
    return grouped, choosing


def recorded_event_names() -> frozenset[str]:
    """Every clock event some registered source records (its declared starts and stops)."""
    return events.recorded_clock_events()


@contextmanager
def _cycle_collector_paused():
    """A due list makes a few hundred thousand small objects (events, clocks, items), none of them in a
    reference cycle: reference counting frees every one. Meanwhile Python's cycle collector would walk
    every live object of the process several times, a fifth of the time of an authority's list. It is
    paused while the list is worked out, and runs again as before afterwards."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def due_items(
    *,
    children: QuerySet,
    today: dt.date | None = None,
    rules: Iterable[str] | None = None,
    completed_since: dt.date | None = None,
    facts: Iterable | None = None,
) -> list[DueItem]:
    """The outstanding clocks for these children (and those completed on or after
    ``completed_since``, if given), red first, then by due date.

    ``children`` must already be limited to what the user may see (``children_for``).
    """
    with _cycle_collector_paused():
        return _due_items(children=children, today=today, rules=rules, completed_since=completed_since, facts=facts)


def _due_items(*, children, today, rules, completed_since, facts) -> list[DueItem]:
    real_today = timezone.localdate()
    today = today or real_today
    if today == real_today:
        now = timezone.now()
    else:
        now = timezone.make_aware(dt.datetime.combine(today, dt.time(23, 59, 59)))
    calendar, settings = authority_timescales()
    wanted = set(rules) if rules is not None else None
    # A rule whose end is not yet recorded anywhere in OpenCSC would only ever show as overdue.
    recorded = recorded_event_names()
    effective = effective_rules(
        settings, [r for r in RULES if (wanted is None or r.code in wanted) and r.end_event in recorded]
    )
    by_start = _rules_by_start(effective.values())

    # What each rule reads and how its clock is worked out, settled once rather than once per child.
    runs = {code: _RuleRun(rule, calendar_for_rule(rule, calendar)) for code, rule in effective.items()}
    starters: dict[str, tuple[_RuleRun, ...]] = {
        name: tuple(runs[rule.code] for rule in rules_) for name, rules_ in by_start.items()}
    # For what is outstanding, some sources need give only their latest events or open scopes.
    grouped, choosing = _events_by_name(
        children, rules=effective.values(), on_or_before=today if completed_since is None else None, facts=facts)
    items: list[DueItem] = []
    for key, own in grouped.items():
        started = [run for name in own for run in starters.get(name, ())]
        if not started:
            continue
        child_id, scope = key
        if key in choosing:
            started = [runs[code] for code in _only_chosen({run.rule.code: run.rule for run in started}, own)]
        # A scope's clocks also read the child's events that belong to no scope (visits...).
        shared = grouped.get((child_id, "")) if scope else None
        for run in started:
            rule, calendar = run.rule, run.calendar
            as_of = now if run.uses_datetimes else today
            groups = (own, shared) if shared else (own,)
            try:
                if completed_since is None and run.replays:
                    clock = _replay_groups(rule, run.names, groups, calendar, as_of)
                    if clock is not _NOT_DATES:
                        if clock is None:
                            continue
                        rule_clocks = (clock,)
                if completed_since is not None or not run.replays or clock is _NOT_DATES:
                    # Only the events this rule reads, in the order they were given.
                    entries = sorted(entry for name in run.names for group in groups for entry in group.get(name, ()))
                    if completed_since is not None:
                        rule_clocks = clocks(rule, [(name, on) for _, name, on in entries], calendar, as_of=as_of)
                    else:
                        clock = _outstanding(rule, entries, calendar, as_of=as_of)
                        if clock is None:
                            continue
                        rule_clocks = (clock,)
            except ValueError:
                continue  # an hour-based rule fed plain dates: nothing sensible to show
            for clock in rule_clocks:
                if clock.outstanding:
                    pass
                elif completed_since is None or clock.completed_on is None:
                    continue
                elif _as_date(clock.completed_on) < completed_since:
                    continue
                due = clock.due
                status = clock_rag(clock, rule, as_of, calendar)
                item = DueItem(
                    child_id=child_id, rule_code=rule.code, rule_name=rule.name, scope=scope, due=due,
                    rag=status, started=clock.started, measured_from=clock.measured_from, step=clock.step,
                    completed_on=clock.completed_on, days_left=(_as_date(due) - today).days,
                )
                if status == RED:
                    item.overdue_unit = unit = overdue_unit(rule, clock.step)
                    item.overdue = overdue_by(unit, due, as_of, calendar)
                items.append(item)
    items = _with_reasons(items)
    items.sort(key=sort_key)
    return items


def _with_reasons(items: list[DueItem]) -> list[DueItem]:
    """The reasons recorded for the items that are late (one query: those of these items' children, or,
    for more children than a list of ids should hold, every reason recorded, kept only for them)."""
    late = {i.child_id for i in items if i.rag in (RED, DONE_LATE)}
    if not late:
        return items
    recorded = MissedTimescaleReason.objects.all()
    if len(late) <= NARROW_UP_TO:
        recorded = recorded.filter(child_id__in=sorted(late))
    reasons = {
        (child_id, code, scope, due): reason
        for child_id, code, scope, due, reason in recorded.values_list(
            "child_id", "rule_code", "scope", "due_date", "reason")
        if child_id in late
    }
    out = []
    for item in items:
        reason = reasons.get((item.child_id, item.rule_code, item.scope, item.due_date))
        out.append(replace(item, late_reason=reason) if reason else item)
    return out


def _open_allocations():
    return Allocation.objects.filter(end_date__isnull=True)


def _with_children(items: list[DueItem], children: Iterable[Child]) -> list[DueItem]:
    """Attach each item's child and current workers (two queries, for a page of items).

    ``children`` are those the items may name (``children_for(user)``, or a narrower set of them).
    """
    ids = {i.child_id for i in items}
    if not ids:
        return items
    if isinstance(children, QuerySet):
        children = children.filter(pk__in=ids)
    by_id = {c.pk: c for c in children if c.pk in ids}
    workers: dict[int, list] = defaultdict(list)
    for allocation in _open_allocations().filter(child_id__in=ids).select_related("worker", "team"):
        workers[allocation.child_id].append(allocation)
    return [replace(i, child=by_id.get(i.child_id), workers=tuple(workers[i.child_id])) for i in items]


def with_children(items: list[DueItem], *, children: QuerySet[Child]) -> list[DueItem]:
    """Attach each item's child and workers, from ``children`` (what the user may see: ``children_for``)."""
    return _with_children(items, children)


# --- Views of the due list ----------------------------------------------------------------


def children_allocated_to(user) -> QuerySet[Child]:
    mine = _open_allocations().filter(worker=user).values("child_id")
    return children_for(user).filter(pk__in=mine)


def my_work(*, user, today: dt.date | None = None) -> list[DueItem]:
    """What is due for the children allocated to this worker, red first."""
    children = children_allocated_to(user)
    items = due_items(children=children, today=today)
    return _with_children(items, children.only("id", "first_name", "last_name", "la_child_id"))


def due_reminder(*, user, today: dt.date | None = None) -> DueReminder | None:
    """This worker's counts as worked out overnight (timescales.due_reminders), if done today."""
    return DueReminder.objects.filter(worker=user, as_at=today or timezone.localdate()).first()


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


def child_next_due(*, user, child, today: dt.date | None = None, completed_since: dt.date | None = None,
                   facts: Iterable | None = None):
    """What is next due for one child, soonest first (for the child's record page).

    ``facts``: the child's clock facts (core.Event rows), if the page has read them already
    (casework.selectors.record_events); the child must then be one the user may see (``child_for``).
    """
    children = children_for(user).filter(pk=child.pk) if facts is None else Child.objects.filter(pk=child.pk)
    items = due_items(children=children, today=today, completed_since=completed_since, facts=facts)
    items.sort(key=lambda i: (i.rag not in OUTSTANDING, i.due_date, i.rule_code))
    return items


# --- Summaries for the home pages -------------------------------------------------------------------


@dataclass
class DueCounts:
    overdue: int = 0
    due_soon: int = 0
    on_track: int = 0

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon + self.on_track


def due_counts(items: Iterable[DueItem]) -> DueCounts:
    counts = DueCounts()
    for item in items:
        if item.rag == RED:
            counts.overdue += 1
        elif item.rag == AMBER:
            counts.due_soon += 1
        elif item.rag == GREEN:
            counts.on_track += 1
    return counts


def team_counts(*, user, team, today: dt.date | None = None) -> DueCounts:
    """The team's due list in three numbers (each child's item once, however many of the team hold it)."""
    return due_counts(due_items(children=team_children(user=user, team=team), today=today))


@dataclass
class TeamOverview:
    team_id: int
    team_name: str
    overdue: int
    due_soon: int
    as_at: dt.date


def teams_overview() -> list[TeamOverview]:
    """Each team's overdue and due-soon counts as the nightly reminders last worked them out (the sum of
    its workers' counts; two queries, whatever the size of the authority), most overdue first. Empty if
    the nightly job has never run."""
    as_at = DueReminder.objects.aggregate(latest=Max("as_at"))["latest"]
    if as_at is None:
        return []
    rows = (DueReminder.objects.filter(as_at=as_at, worker__is_active=True, worker__team__isnull=False)
            .values("worker__team_id", "worker__team__name")
            .annotate(overdue=Sum("overdue"), due_soon=Sum("due_soon"))
            .order_by("-overdue", "worker__team__name"))
    return [TeamOverview(r["worker__team_id"], r["worker__team__name"], r["overdue"], r["due_soon"], as_at)
            for r in rows]
