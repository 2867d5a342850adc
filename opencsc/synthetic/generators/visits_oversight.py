"""Visits to children in need and on child protection plans, and management oversight on their files.

Runs after the plans steps: where CIN or CP plans exist, visits follow them (CIN visits
during a CIN plan, CP visits during a CP plan); where there are none, visits follow the
child's open period. Visits come every 10 to 20 working days, the child is seen on about
nine in ten and seen alone on about seven in ten of those; some children have gaps, so
some visits are overdue, as in real life. Oversight is recorded about monthly, and
sometimes missed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from opencsc.accounts.roles import Role
from opencsc.casework.models import Allocation, OversightAction, OversightRecord, Plan, Visit
from opencsc.timescales.core.calendar import WorkingDayCalendar

from ..context import ChildPlan, GenerationContext, bulk_create, historical_timestamps
from .staff import SERVICE_TEAMS, case_holders

SERVICES = {"child_in_need": Visit.Kind.CIN, "child_protection": Visit.Kind.CP}
PLAN_VISITS = {Plan.Kind.CHILD_IN_NEED: Visit.Kind.CIN, Plan.Kind.CHILD_PROTECTION: Visit.Kind.CP}
LOOKBACK_DAYS = 730  # visits over at most the last two years of a long case
VISIT_GAP = (10, 20)  # working days between visits
CP_VISIT_GAP = (7, 11)  # local practice: every 10 working days on a CP plan
SEEN_RATE = 0.9
SEEN_ALONE_RATE = 0.7
BEDROOM_RATE = 0.5
LATE_RATE = 0.12  # a missed visit: the gap runs over
DRIFT_RATE = 0.1  # open cases whose visits have stopped: overdue now
OVERSIGHT_GAP = (20, 40)  # calendar days between oversight records
OVERSIGHT_MISSED_RATE = 0.15

VISIT_SUMMARIES = (
    "Home visit. {name} showed me their bedroom; the home was warm and clean.",
    "Unannounced visit after school. {name} was chatty and talked about friends and football.",
    "Visited with the family support worker. Routines are better; bedtime is now consistent.",
    "Visit to review the plan. Parent reports fewer arguments; {name} said things are 'a bit better'.",
    "{name} was quiet. Agreed to speak with school about how they are at lunchtime.",
)
NOT_SEEN_SUMMARIES = (
    "No answer at the door. Card left; will visit again this week.",
    "{name} was at a relative's. Spoke to parent; arranged to see {name} at school.",
)
DECISIONS = (
    "Case reviewed. The plan remains appropriate and visits are within timescale. Continue.",
    "Drift identified: the plan's actions on school attendance are off track. Convene a meeting with school.",
    "Risk reduced. Consider stepping down to early help at the next review.",
    "New police information about domestic abuse. Discuss at the next core group and update the risk assessment.",
    "The child's views are not clear in recent visits. Direct work to be completed and recorded.",
    "Step-up considered: threshold for a strategy discussion not met at this point; review in two weeks.",
)
ACTIONS = (
    ("Complete direct work with the child and record their views", "Allocated social worker"),
    ("Request an update from school on attendance", "Allocated social worker"),
    ("Chase the health visitor's report", "Family support worker"),
    ("Convene a CIN meeting with partners", "Allocated social worker"),
    ("Update the chronology", "Allocated social worker"),
    ("Discuss the case in group supervision", "Team manager"),
)


def _calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar()


def _periods(ctx, rng, child: ChildPlan, plans: list[tuple]) -> list[tuple[str, dt.date, dt.date]]:
    """(visit kind, from, to) for each stretch of work with the child."""
    today = ctx.today
    if plans:
        return [(PLAN_VISITS[kind], start, min(end or today, today)) for kind, start, end in plans]
    start = (child.known_from or today) + dt.timedelta(days=rng.randint(10, 30))
    end = min(child.closed_on or today, today)
    return [(SERVICES[child.service], start, end)] if start <= end else []


def _worker_for(ctx, rng, child: ChildPlan, allocations, day: dt.date):
    for worker, _team_id, start, end in allocations:
        if worker is not None and start <= day and (end is None or day <= end):
            return worker
    team = rng.choice(SERVICE_TEAMS[child.service])
    holders = case_holders(ctx, team)
    return rng.choice(holders) if holders else None


def _manager_for(ctx, rng, child: ChildPlan, allocations, day: dt.date, managers_by_team):
    for _worker, team_id, start, end in allocations:
        if start <= day and (end is None or day <= end) and managers_by_team.get(team_id):
            return rng.choice(managers_by_team[team_id])
    team = ctx.teams[rng.choice(SERVICE_TEAMS[child.service])]
    return managers_by_team.get(team.pk, [None])[0] if managers_by_team.get(team.pk) else None


def _visits(ctx, rng, cal, child, allocations, kind, start, end, is_last_period):
    visits = []
    gap = CP_VISIT_GAP if kind == Visit.Kind.CP else VISIT_GAP
    start = max(start, end - dt.timedelta(days=LOOKBACK_DAYS))
    if child.date_of_birth:
        start = max(start, child.date_of_birth)
    stop = end
    if is_last_period and child.is_open and rng.random() < DRIFT_RATE:
        stop = end - dt.timedelta(days=rng.randint(25, 60))  # visits have drifted: one is overdue now
    day = cal.add_working_days(start, rng.randint(1, 5))
    while day <= stop:
        visitor = _worker_for(ctx, rng, child, allocations, day)
        if visitor is not None:
            seen = rng.random() < SEEN_RATE
            alone = seen and rng.random() < SEEN_ALONE_RATE
            summary = rng.choice(VISIT_SUMMARIES if seen else NOT_SEEN_SUMMARIES).format(name=child.first_name)
            visits.append(Visit(
                child_id=child.pk, kind=kind, visited_on=day, child_seen=seen, child_seen_alone=alone,
                bedroom_seen=seen and rng.random() < BEDROOM_RATE, summary=summary, visitor=visitor,
                created_at=ctx.at(day, 16, rng.randint(0, 59)),
            ))
        low, high = gap
        step = rng.randint(low, high)
        if rng.random() < LATE_RATE:
            step += rng.randint(5, 15)
        day = cal.add_working_days(day, step)
    return visits


def _oversight(ctx, rng, child, allocations, managers_by_team, start, end):
    records, actions = [], []
    day = start + dt.timedelta(days=rng.randint(5, 20))
    while day <= end:
        if rng.random() >= OVERSIGHT_MISSED_RATE:
            manager = _manager_for(ctx, rng, child, allocations, day, managers_by_team)
            if manager is not None:
                record = OversightRecord(
                    child_id=child.pk, held_on=day, decisions=rng.choice(DECISIONS), recorded_by=manager,
                    kind=OversightRecord.Kind.SUPERVISION if rng.random() < 0.3
                    else OversightRecord.Kind.MANAGEMENT_OVERSIGHT,
                    created_at=ctx.at(day, 14, rng.randint(0, 59)),
                )
                records.append(record)
                picked = rng.sample(ACTIONS, rng.randint(0, 3))
                actions.append([(text, owner, day + dt.timedelta(days=rng.randint(5, 20))) for text, owner in picked])
        day += dt.timedelta(days=rng.randint(*OVERSIGHT_GAP))
    return records, actions


def generate_visits_oversight(ctx: GenerationContext) -> None:
    rng: random.Random = ctx.rng("visits_oversight")
    cal = _calendar()
    children = [c for c in ctx.children if c.pk and c.service in SERVICES]
    if not children:
        return
    ids = [c.pk for c in children]
    plans: dict[int, list[tuple]] = defaultdict(list)
    allocations: dict[int, list[tuple]] = defaultdict(list)
    for start in range(0, len(ids), ctx.batch_size):
        chunk = ids[start:start + ctx.batch_size]
        for child_id, kind, p_start, p_end in (
            Plan.objects.filter(child_id__in=chunk, kind__in=list(PLAN_VISITS))
            .order_by("child_id", "start_date", "id").values_list("child_id", "kind", "start_date", "end_date")
        ):
            plans[child_id].append((kind, p_start, p_end))
        for row in (
            Allocation.objects.filter(child_id__in=chunk)
            .order_by("child_id", "-start_date", "-id").values_list("child_id", "worker", "team_id", "start_date",
                                                                    "end_date")
        ):
            allocations[row[0]].append(row[1:])
    users = {u.pk: u for staff in ctx.staff_by_team.values() for u in staff}
    managers_by_team: dict[int, list] = defaultdict(list)
    for name, staff in ctx.staff_by_team.items():
        team = ctx.teams.get(name)
        if team is None:
            continue
        for user in staff:
            if user.role in (Role.TEAM_MANAGER, Role.SENIOR_PRACTITIONER):
                managers_by_team[team.pk].append(user)
        if getattr(team, "manager", None) is not None and team.manager not in managers_by_team[team.pk]:
            managers_by_team[team.pk].insert(0, team.manager)
    for child_id, rows in allocations.items():
        allocations[child_id] = [(users.get(w) if w else None, t, s, e) for w, t, s, e in rows]

    visit_batch: list[Visit] = []
    records: list[OversightRecord] = []
    record_actions: list[list] = []
    with historical_timestamps(Visit, "created_at"):
        for child in children:
            periods = _periods(ctx, rng, child, plans.get(child.pk, []))
            for number, (kind, start, end) in enumerate(periods):
                visit_batch.extend(_visits(ctx, rng, cal, child, allocations.get(child.pk, []), kind, start, end,
                                           number == len(periods) - 1))
            if periods:
                first = max(min(p[1] for p in periods), ctx.today - dt.timedelta(days=LOOKBACK_DAYS))
                last = max(p[2] for p in periods)
                new_records, new_actions = _oversight(ctx, rng, child, allocations.get(child.pk, []),
                                                      managers_by_team, first, last)
                records.extend(new_records)
                record_actions.extend(new_actions)
            if len(visit_batch) >= ctx.batch_size * 5:
                bulk_create(Visit, visit_batch, ctx, "visits")
                visit_batch = []
        bulk_create(Visit, visit_batch, ctx, "visits")
    with historical_timestamps(OversightRecord, "created_at"):
        saved = bulk_create(OversightRecord, records, ctx, "oversight records")
    rows = [
        OversightAction(record_id=record.pk, action=text, owner=owner, due_date=due,
                        completed_on=due - dt.timedelta(days=rng.randint(0, 4)) if due < ctx.today
                        and rng.random() < 0.8 else None)
        for record, picked in zip(saved, record_actions, strict=True)
        for text, owner, due in picked
    ]
    bulk_create(OversightAction, rows, ctx, "oversight actions")
