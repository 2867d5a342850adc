"""Worker profiles and supervision for the synthetic authority.

Reads the staff and allocations already in the database (it may run in any order after casework).
Every case holder gets a profile: senior practitioners are senior, about one employed social worker in
eight is newly qualified (ASYE, qualified in the last year), the rest experienced; about one in seven works part time. (Agency staff,
about one social worker in five, are marked by the staff step.) Supervision comes every 4 weeks
(fortnightly for ASYE) from the team manager, over the last six months, with some sessions late and
about one worker in seven overdue now; monthly group supervision in most teams. At each worker's
latest sessions one or two of their children are discussed, recorded on the child's file as
supervision oversight with an action.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from opencsc.accounts.models import Team, User
from opencsc.accounts.roles import Role
from opencsc.casework.models import Allocation, OversightAction, OversightRecord
from opencsc.workforce.models import CaseDiscussion, SupervisionSession, WorkerProfile
from opencsc.workforce.selectors import CASE_HOLDING_ROLES

from ..context import GenerationContext, bulk_create, historical_timestamps

HISTORY_DAYS = 182
ASYE_RATE = 0.12  # employed social workers in their assessed and supported year in employment
PART_TIME_RATE = 0.15
PART_TIME_FTE = (Decimal("0.6"), Decimal("0.8"))
LATE_RATE = 0.2  # a session that slipped by one to three weeks
OVERDUE_NOW_RATE = 0.15  # workers whose supervision has stopped: overdue now
GROUP_TEAM_RATE = 0.7
DISCUSSED_SESSIONS = 2  # the latest sessions of each worker discuss cases
DECISIONS = (
    "Discussed in supervision. The plan is on track; the child's views were recorded at the last visit. Continue.",
    "Reflective discussion of the risks. Agreed to seek the child's wishes through direct work before the review.",
    "Drift on the plan: actions on school attendance are behind. Set a date for a meeting with school.",
    "Worker's analysis is clear. Threshold remains met; consider step-down at the next review.",
    "Father's involvement discussed: he has not been assessed. Arrange to see him.",
)
ACTIONS = (
    "Complete direct work with the child and record their words",
    "Update the chronology and the risk analysis",
    "Arrange a visit to see the child alone",
    "Speak to school about attendance and record the outcome",
)


def generate_workforce(ctx: GenerationContext) -> None:
    rng = ctx.rng("workforce")
    today = ctx.today
    workers = list(User.objects.filter(role__in=CASE_HOLDING_ROLES, is_active=True, team__isnull=False)
                   .order_by("pk").only("pk", "role", "team_id", "qualified_on", "is_agency_staff"))
    if not workers:
        return
    profiles, experience, newly_qualified = [], {}, []
    for worker in workers:
        if worker.role == Role.SOCIAL_WORKER and not worker.is_agency_staff and rng.random() < ASYE_RATE:
            worker.qualified_on = today - dt.timedelta(days=rng.randint(30, 330))
            newly_qualified.append(worker)
        if worker.role == Role.SENIOR_PRACTITIONER:
            level = WorkerProfile.Experience.SENIOR
        elif worker.qualified_on and (today - worker.qualified_on).days < 365:
            level = WorkerProfile.Experience.ASYE
        else:
            level = WorkerProfile.Experience.EXPERIENCED
        experience[worker.pk] = level
        fte = rng.choice(PART_TIME_FTE) if rng.random() < PART_TIME_RATE else Decimal("1.00")
        profiles.append(WorkerProfile(user_id=worker.pk, experience=level, fte=fte))
    bulk_create(WorkerProfile, profiles, ctx, "worker profiles")
    User.objects.bulk_update(newly_qualified, ["qualified_on"], batch_size=ctx.batch_size)

    managers = dict(Team.objects.filter(manager__isnull=False).values_list("pk", "manager_id"))
    fallback = ctx.demo_users.get("tm.demo")
    children_of: dict[int, list[int]] = defaultdict(list)
    for worker_id, child_id in (Allocation.objects.filter(worker__in=workers, end_date__isnull=True)
                                .order_by("worker_id", "child_id").values_list("worker_id", "child_id")):
        children_of[worker_id].append(child_id)

    sessions: list[SupervisionSession] = []
    members: list[list[int]] = []
    discuss: list[list[int]] = []  # child ids discussed at each session
    supervised = [w.pk for w in workers
                  if (managers.get(w.team_id) or getattr(fallback, "pk", None)) not in (None, w.pk)]
    # The share overdue now is the rate itself, not a draw per worker (a small authority would vary too much).
    overdue_now = set(rng.sample(supervised, round(len(supervised) * OVERDUE_NOW_RATE)))
    last_of: dict[int, dt.date] = {}
    for worker in workers:
        supervisor = managers.get(worker.team_id) or getattr(fallback, "pk", None)
        if supervisor is None or supervisor == worker.pk:
            continue
        every = 14 if experience[worker.pk] == WorkerProfile.Experience.ASYE else 28
        stopped = worker.pk in overdue_now
        last = today - dt.timedelta(days=rng.randint(every + 7, every + 50) if stopped else rng.randint(0, every - 1))
        last_of[worker.pk] = last
        dates = []
        day = last
        while (today - day).days <= HISTORY_DAYS:
            dates.append(day)
            day -= dt.timedelta(days=every + (rng.randint(7, 21) if rng.random() < LATE_RATE else rng.randint(-3, 3)))
        for number, held_on in enumerate(dates):
            sessions.append(SupervisionSession(kind=SupervisionSession.Kind.INDIVIDUAL, held_on=held_on,
                                               supervisor_id=supervisor, created_by_id=supervisor,
                                               created_at=ctx.at(held_on, 16)))
            members.append([worker.pk])
            mine = children_of.get(worker.pk, [])
            discuss.append(rng.sample(mine, min(len(mine), rng.randint(1, 2))) if number < DISCUSSED_SESSIONS else [])
    by_team: dict[int, list[int]] = defaultdict(list)
    for worker in workers:
        by_team[worker.team_id].append(worker.pk)
    for team_id, team_workers in sorted(by_team.items()):
        supervisor = managers.get(team_id)
        if supervisor is None or len(team_workers) < 2 or rng.random() > GROUP_TEAM_RATE:
            continue
        for months_ago in range(6):
            held_on = today - dt.timedelta(days=30 * months_ago + rng.randint(1, 20))
            sessions.append(SupervisionSession(kind=SupervisionSession.Kind.GROUP, held_on=held_on,
                                               supervisor_id=supervisor, created_by_id=supervisor,
                                               created_at=ctx.at(held_on, 14)))
            # A worker whose supervision has stopped has had no group session since either.
            present = [w for w in team_workers if rng.random() < 0.8 and (
                w not in overdue_now or held_on <= last_of.get(w, held_on))]
            members.append(present or [w for w in team_workers if w not in overdue_now][:2] or team_workers[:2])
            discuss.append([])
    with historical_timestamps(SupervisionSession, "created_at"):
        sessions = bulk_create(SupervisionSession, sessions, ctx, "supervision sessions")
    through = SupervisionSession.supervisees.through
    bulk_create(through, [through(supervisionsession_id=s.pk, user_id=u)
                          for s, people in zip(sessions, members, strict=True) for u in people], ctx,
                "supervisees")

    records, pairs = [], []
    for session, children in zip(sessions, discuss, strict=True):
        for child_id in children:
            records.append(OversightRecord(child_id=child_id, kind=OversightRecord.Kind.SUPERVISION,
                                           held_on=session.held_on, decisions=rng.choice(DECISIONS),
                                           recorded_by_id=session.supervisor_id,
                                           created_at=ctx.at(session.held_on, 17)))
            pairs.append((session, child_id))
    with historical_timestamps(OversightRecord, "created_at"):
        records = bulk_create(OversightRecord, records, ctx, "supervision case discussions")
    bulk_create(CaseDiscussion, [CaseDiscussion(session_id=s.pk, child_id=c, oversight_id=r.pk)
                                 for (s, c), r in zip(pairs, records, strict=True)], ctx, "case discussions")
    actions = []
    for record in records:
        due = record.held_on + dt.timedelta(days=rng.randint(7, 28))
        done = due <= today and rng.random() < 0.75
        actions.append(OversightAction(record_id=record.pk, action=rng.choice(ACTIONS), owner="Allocated social worker",
                                       due_date=due, completed_on=min(due, today) if done else None))
    bulk_create(OversightAction, actions, ctx, "supervision actions")
